package dev.idaas.spring.test.example;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.idaas.spring.test.context.IdaasSimulatorDevelopmentConfiguration;
import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.RecordedIdaasRequest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link TestMyApp}'s way of running an application on the simulator, end to end: the app
 * starts on a random port from its own {@code main}, and Alice signs in through the
 * simulator's Apple page with a real HTTP client that follows redirects, posts the page's
 * form and keeps cookies as a browser does.
 */
public class TestMyAppTests {

	@Test
	void runWhenFromMainWithSimulatorConfigurationThenAliceSignsInThroughTheApplePage() throws Exception {
		IdaasSimulator simulator;
		URI app;
		try (ConfigurableApplicationContext context = SpringApplication.from(MyApp::main)
			.with(IdaasSimulatorDevelopmentConfiguration.class)
			.run("--server.port=0")
			.getApplicationContext()) {
			simulator = context.getBean(IdaasSimulator.class);
			app = URI.create("http://localhost:" + context.getEnvironment().getProperty("local.server.port"));
			Browser browser = new Browser();

			Page login = browser.get(app.resolve("/"));
			assertThat(login.status()).isEqualTo(200);
			assertThat(login.uri()).isEqualTo(app.resolve("/login"));
			Page apple = browser.get(login.uri().resolve(login.find("<a class=\"apple\" href=\"([^\"]+)\"")));
			assertThat(apple.status()).isEqualTo(200);
			assertThat(apple.uri().getHost()).isEqualTo("127.0.0.1");
			assertThat(apple.uri().getPort()).isEqualTo(simulator.baseUrl().getPort());
			assertThat(apple.uri().getPath()).isEqualTo(IdaasSimulator.AUTHORIZE_PATH);
			assertThat(apple.uri().getQuery())
				.contains("client_id=" + IdaasSimulatorDevelopmentConfiguration.APPLE_CLIENT_ID)
				.contains("redirect_uri=" + app.resolve("/login/idaas/apple/callback"));
			assertThat(simulator.loginRequestCount()).isZero();

			Page home = browser.submit(apple.form("Alice Existing"));
			assertThat(home.status()).isEqualTo(200);
			assertThat(home.uri().getAuthority()).isEqualTo(app.getAuthority());
			assertThat(home.uri().getPath()).isEqualTo("/");
			assertThat(home.body()).isEqualTo("Hello Alice Existing");
			assertThat(simulator.loginRequestCount()).isEqualTo(1);
			assertThat(simulator.refreshRequestCount()).isZero();
			RecordedIdaasRequest login1 = simulator.lastRequest(IdaasSimulator.LOGIN_PATH);
			assertThat(login1.headers().get("x-client-id")).containsExactly(simulator.clientId());

			// signed in: the next request needs no sign-in and calls nobody
			Page again = browser.get(app.resolve("/"));
			assertThat(again.status()).isEqualTo(200);
			assertThat(again.body()).isEqualTo("Hello Alice Existing");
			assertThat(simulator.loginRequestCount()).isEqualTo(1);

			// MyApp's sign-out page posts the CSRF token to the chain's logout
			Page signOut = browser.get(app.resolve("/logout"));
			assertThat(signOut.status()).isEqualTo(200);
			Page signedOut = browser.submit(signOut.form("Sign out"));
			assertThat(signedOut.status()).isEqualTo(200);
			assertThat(signedOut.uri()).isEqualTo(app.resolve("/login?logout"));
			assertThat(signedOut.body()).contains("You have been signed out.");
			Page me = browser.get(app.resolve("/api/me"));
			assertThat(me.uri()).isEqualTo(app.resolve("/login"));
			assertThat(me.body()).doesNotContain("alice");
			assertThat(simulator.loginRequestCount()).isEqualTo(1);
		}
		// the simulator is closed with the application
		int port = simulator.baseUrl().getPort();
		assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> new Socket("127.0.0.1", port).close());
		assertThatExceptionOfType(ConnectException.class)
			.isThrownBy(() -> new Socket("localhost", app.getPort()).close());
	}

	/**
	 * A page as the browser ended on it, after redirects.
	 */
	public record Page(int status, URI uri, String body) {

		public String find(String regex) {
			Matcher matcher = Pattern.compile(regex).matcher(this.body);
			assertThat(matcher.find()).as("%s in %s", regex, this.body).isTrue();
			return unescape(matcher.group(1));
		}

		/**
		 * The form whose button reads {@code button}.
		 */
		public Form form(String button) {
			Matcher forms = Pattern.compile("<form method=\"post\" action=\"([^\"]*)\">(.*?)</form>", Pattern.DOTALL)
				.matcher(this.body);
			while (forms.find()) {
				if (forms.group(2).contains("<button type=\"submit\">" + button + "</button>")) {
					Map<String, String> fields = new LinkedHashMap<>();
					Matcher hidden = Pattern.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">")
						.matcher(forms.group(2));
					while (hidden.find()) {
						fields.put(unescape(hidden.group(1)), unescape(hidden.group(2)));
					}
					return new Form(this.uri.resolve(unescape(forms.group(1))), fields);
				}
			}
			throw new AssertionError("No form with button " + button + " in " + this.body);
		}

		private static String unescape(String html) {
			return html.replace("&quot;", "\"")
				.replace("&#39;", "'")
				.replace("&lt;", "<")
				.replace("&gt;", ">")
				.replace("&amp;", "&");
		}

	}

	/**
	 * A form to submit: where it posts and its hidden fields.
	 */
	public record Form(URI action, Map<String, String> fields) {

	}

	/**
	 * What a browser does here: follows redirects (a {@code POST} answered with a redirect
	 * becomes a {@code GET}), keeps cookies per host and sends them back, {@code Secure} ones
	 * included, as browsers do for {@code localhost}.
	 */
	public static final class Browser {

		private final HttpClient http = HttpClient.newBuilder()
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(5))
			.build();

		private final Map<String, Map<String, String>> cookies = new LinkedHashMap<>();

		public Page get(URI uri) throws IOException, InterruptedException {
			return send(HttpRequest.newBuilder(uri).GET(), uri);
		}

		public Page submit(Form form) throws IOException, InterruptedException {
			String body = form.fields()
				.entrySet()
				.stream()
				.map((e) -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
						+ URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
				.collect(Collectors.joining("&"));
			return send(HttpRequest.newBuilder(form.action())
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(body)), form.action());
		}

		private Page send(HttpRequest.Builder request, URI uri) throws IOException, InterruptedException {
			URI current = uri;
			HttpRequest.Builder next = request;
			for (int hops = 0; hops < 10; hops++) {
				String cookieHeader = this.cookies.getOrDefault(current.getHost(), Map.of())
					.entrySet()
					.stream()
					.map((e) -> e.getKey() + "=" + e.getValue())
					.collect(Collectors.joining("; "));
				if (!cookieHeader.isEmpty()) {
					next.header("Cookie", cookieHeader);
				}
				HttpResponse<String> response = this.http.send(next.timeout(Duration.ofSeconds(10)).build(),
						HttpResponse.BodyHandlers.ofString());
				keepCookies(current, response.headers().allValues("Set-Cookie"));
				if (response.statusCode() / 100 != 3) {
					return new Page(response.statusCode(), current, response.body());
				}
				current = current.resolve(response.headers().firstValue("Location").orElseThrow());
				next = HttpRequest.newBuilder(current).GET();
			}
			throw new AssertionError("Too many redirects, last " + current);
		}

		private void keepCookies(URI uri, List<String> setCookies) {
			Map<String, String> jar = this.cookies.computeIfAbsent(uri.getHost(), (host) -> new LinkedHashMap<>());
			for (String setCookie : setCookies) {
				List<String> parts = new ArrayList<>(List.of(setCookie.split(";")));
				String[] pair = parts.remove(0).split("=", 2);
				boolean expired = parts.stream().anyMatch((p) -> p.trim().equalsIgnoreCase("Max-Age=0"));
				if (expired) {
					jar.remove(pair[0].trim());
				}
				else {
					jar.put(pair[0].trim(), pair[1].trim());
				}
			}
		}

	}

}

package dev.idaas.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.idaas.demo.simulator.EmbeddedIdaasSimulator;
import dev.idaas.demo.simulator.EmbeddedIdaasSimulatorEnvironmentPostProcessor;
import dev.idaas.spring.authentication.IdaasAuthenticationTokenFactory;
import dev.idaas.spring.jwt.JwkSetKeySource;
import dev.idaas.spring.jwt.JwksIdTokenVerifier;
import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.MutableClock;
import dev.idaas.spring.web.RedisServerProcess;
import dev.idaas.spring.web.session.IdTokenRefresher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.session.SessionRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "Running the demo as a cluster": two demo nodes started with the
 * {@code cluster} profile ({@code application-cluster.properties}) as its two commands start
 * them, on one real {@code redis-server}. Only the ports differ from the commands (free ones,
 * given on the command line as the README does). The first node hosts the simulator on
 * {@code demo.simulator.port}, the second finds it there and uses it. Alice signs in on node A
 * through the simulated Apple page, node B serves her with the same session cookie, and when her
 * id_token expires node B refreshes it: one upstream refresh, which node A then sees too.
 */
class ClusteredDemoRedisTests {

	private static final Duration ID_TOKEN_TTL = Duration.ofSeconds(60);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final MutableClock clock = new MutableClock(Instant.now());

	private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

	private RedisServerProcess redis;

	private int simulatorPort;

	@BeforeEach
	void startRedis() throws IOException {
		this.redis = RedisServerProcess.start();
		this.simulatorPort = freePort();
	}

	@AfterEach
	void stopAll() {
		for (int i = this.nodes.size() - 1; i >= 0; i--) {
			this.nodes.get(i).close();
		}
		this.redis.close();
	}

	@Test
	void signInOnNodeAWhenServedAndRefreshedOnNodeBThenOneSessionOneRefresh() throws Exception {
		ConfigurableApplicationContext a = startNode();
		ConfigurableApplicationContext b = startNode();

		// node A hosts the simulator on the profile's port, node B uses that one
		IdaasSimulator simulator = a.getBean(EmbeddedIdaasSimulator.class).simulator();
		assertThat(simulator.baseUrl()).isEqualTo(URI.create("http://localhost:" + this.simulatorPort));
		assertThat(b.containsBean(EmbeddedIdaasSimulatorEnvironmentPostProcessor.BEAN_NAME)).isFalse();
		for (ConfigurableApplicationContext node : List.of(a, b)) {
			assertThat(node.getEnvironment().getProperty("idaas.base-url")).isEqualTo(simulator.baseUrl().toString());
			assertThat(node.getEnvironment().getProperty("idaas.client-id")).isEqualTo(simulator.clientId())
				.isEqualTo("DemoClusterClientIdForEveryNode0");
			assertThat(node.getBean(SessionRepository.class).getClass().getName()).contains("Redis");
			assertThat(node.getBeanNamesForType(StringRedisTemplate.class)).isNotEmpty();
		}
		simulator.clock(this.clock);
		onClock(a);
		onClock(b);

		// Alice signs in on node A through the simulated Apple page
		Browser browser = new Browser();
		Page login = browser.get(uri(a, "/"));
		assertThat(login.status()).isEqualTo(200);
		assertThat(login.uri()).isEqualTo(uri(a, "/login"));
		Page apple = browser.get(login.uri().resolve(login.find("id=\"sign-in-with-apple\"[^>]*href=\"([^\"]+)\"")));
		assertThat(apple.status()).isEqualTo(200);
		assertThat(apple.uri().getHost()).isEqualTo("127.0.0.1");
		assertThat(apple.uri().getPort()).isEqualTo(this.simulatorPort);
		Page home = browser.submit(apple.form("Alice Existing"));
		assertThat(home.status()).isEqualTo(200);
		assertThat(home.uri().getAuthority()).isEqualTo(uri(a, "/").getAuthority());
		assertThat(home.uri().getPath()).isEqualTo("/");
		assertThat(home.body()).contains("Alice Existing");
		String session = browser.cookie("localhost", "SESSION");
		assertThat(session).isNotNull();
		assertThat(simulator.loginRequestCount()).isEqualTo(1);

		// node B serves the same session, calling nobody
		Response onB = browser.api(uri(b, "/api/me"));
		assertThat(onB.status()).isEqualTo(200);
		assertThat(onB.json().get("name").stringValue()).isEqualTo("Alice Existing");
		String sub = onB.json().get("sub").stringValue();
		assertThat(sub).isNotBlank();
		assertThat(onB.json().get("refresh_count").intValue()).isZero();
		Instant expiresAt = Instant.parse(onB.json().get("id_token_expires_at").stringValue());
		assertThat(onB.newSessionCookies()).isEmpty();
		assertThat(simulator.loginRequestCount()).isEqualTo(1);
		assertThat(simulator.refreshRequestCount()).isZero();

		// the id_token expires: node B refreshes it, once
		this.clock.advance(ID_TOKEN_TTL.plusSeconds(1));
		Response refreshed = browser.api(uri(b, "/api/me"));
		assertThat(refreshed.status()).isEqualTo(200);
		assertThat(refreshed.json().get("sub").stringValue()).isEqualTo(sub);
		assertThat(refreshed.json().get("refresh_count").intValue()).isEqualTo(1);
		assertThat(Instant.parse(refreshed.json().get("id_token_expires_at").stringValue())).isAfter(expiresAt)
			.isAfter(this.clock.instant());
		assertThat(refreshed.newSessionCookies()).isEmpty();
		assertThat(simulator.refreshRequestCount()).isEqualTo(1);
		assertThat(refreshes(b)).isEqualTo(1);
		assertThat(refreshes(a)).isZero();
		assertThat(browser.cookie("localhost", "SESSION")).isEqualTo(session);

		// node A reads the refreshed session from Redis: no second refresh, nobody signed in again
		Response backOnA = browser.api(uri(a, "/api/me"));
		assertThat(backOnA.status()).isEqualTo(200);
		assertThat(backOnA.json().get("sub").stringValue()).isEqualTo(sub);
		assertThat(backOnA.json().get("refresh_count").intValue()).isEqualTo(1);
		assertThat(simulator.refreshRequestCount()).isEqualTo(1);
		assertThat(simulator.loginRequestCount()).isEqualTo(1);
		assertThat(refreshes(a)).isZero();
	}

	@Test
	void nodeBWhenNodeAStopsThenValidTokenServesAndExpiredOneGets503() throws Exception {
		ConfigurableApplicationContext a = startNode();
		ConfigurableApplicationContext b = startNode();
		IdaasSimulator simulator = a.getBean(EmbeddedIdaasSimulator.class).simulator();
		simulator.clock(this.clock);
		onClock(a);
		onClock(b);
		Browser browser = new Browser();
		Page login = browser.get(uri(a, "/"));
		Page apple = browser.get(login.uri().resolve(login.find("id=\"sign-in-with-apple\"[^>]*href=\"([^\"]+)\"")));
		assertThat(browser.submit(apple.form("Alice Existing")).status()).isEqualTo(200);

		// the simulator stops with node A
		a.close();
		Response stillValid = browser.api(uri(b, "/api/me"));
		assertThat(stillValid.status()).isEqualTo(200);
		assertThat(stillValid.json().get("name").stringValue()).isEqualTo("Alice Existing");

		this.clock.advance(ID_TOKEN_TTL.plusSeconds(1));
		Response expired = browser.api(uri(b, "/api/me"));
		assertThat(expired.status()).isEqualTo(503);
		assertThat(expired.headers().firstValue("Retry-After")).isPresent();
		assertThat(expired.body()).doesNotContain("\"sub\"");
		assertThat(refreshes(b)).isZero();
	}

	/**
	 * A node as the README's command starts it: the {@code cluster} profile, with the ports
	 * given on the command line.
	 */
	private ConfigurableApplicationContext startNode() {
		ConfigurableApplicationContext node = new SpringApplicationBuilder(DemoApplication.class).profiles("cluster")
			.run("--server.port=0", "--spring.data.redis.port=" + this.redis.port(),
					"--demo.simulator.port=" + this.simulatorPort, "--spring.main.banner-mode=off");
		this.nodes.add(node);
		return node;
	}

	/**
	 * Every time-dependent piece of a node on the test's clock, so id_tokens expire without
	 * waiting.
	 */
	private void onClock(ConfigurableApplicationContext node) {
		node.getBean(IdTokenRefresher.class).setClock(this.clock);
		node.getBean(IdaasAuthenticationTokenFactory.class).setClock(this.clock);
		node.getBean(JwksIdTokenVerifier.class).setClock(this.clock);
		node.getBean(JwkSetKeySource.class).setClock(this.clock);
	}

	private static double refreshes(ConfigurableApplicationContext node) {
		return node.getBean(MeterRegistry.class)
			.find("idaas.refreshes")
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
	}

	private static URI uri(ConfigurableApplicationContext node, String path) {
		// both nodes on localhost, as a browser sees them: cookies are shared across ports
		return URI.create("http://localhost:" + node.getEnvironment().getProperty("local.server.port") + path);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/**
	 * A page as the browser ended on it, after redirects.
	 */
	record Page(int status, URI uri, String body) {

		String find(String regex) {
			Matcher matcher = Pattern.compile(regex).matcher(this.body);
			assertThat(matcher.find()).as("%s in %s", regex, this.body).isTrue();
			return unescape(matcher.group(1));
		}

		/**
		 * The form whose button reads {@code button}.
		 */
		Form form(String button) {
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

	record Form(URI action, Map<String, String> fields) {

	}

	/**
	 * A JSON answer, and the session cookies it set.
	 */
	record Response(int status, java.net.http.HttpHeaders headers, String body) {

		JsonNode json() {
			return JSON.readTree(this.body);
		}

		List<String> newSessionCookies() {
			return this.headers.allValues("Set-Cookie").stream().filter((c) -> c.startsWith("SESSION=")).toList();
		}

	}

	/**
	 * What a browser does here: follows redirects (a {@code POST} answered with a redirect
	 * becomes a {@code GET}), keeps cookies per host (not per port, as browsers do) and sends
	 * them back, {@code Secure} ones included, as browsers do for {@code localhost}.
	 */
	static final class Browser {

		private final HttpClient http = HttpClient.newBuilder()
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(5))
			.build();

		private final Map<String, Map<String, String>> cookies = new LinkedHashMap<>();

		Page get(URI uri) throws IOException, InterruptedException {
			return send(HttpRequest.newBuilder(uri).header("Accept", "text/html").GET(), uri);
		}

		Page submit(Form form) throws IOException, InterruptedException {
			String body = form.fields()
				.entrySet()
				.stream()
				.map((e) -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
						+ URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
				.collect(Collectors.joining("&"));
			return send(HttpRequest.newBuilder(form.action())
				.header("Content-Type", "application/x-www-form-urlencoded")
				.header("Accept", "text/html")
				.POST(HttpRequest.BodyPublishers.ofString(body)), form.action());
		}

		Response api(URI uri) throws IOException, InterruptedException {
			HttpResponse<String> response = this.http.send(
					withCookies(HttpRequest.newBuilder(uri).header("Accept", "application/json").GET(), uri)
						.timeout(Duration.ofSeconds(10))
						.build(),
					HttpResponse.BodyHandlers.ofString());
			keepCookies(uri, response.headers().allValues("Set-Cookie"));
			return new Response(response.statusCode(), response.headers(), response.body());
		}

		String cookie(String host, String name) {
			return this.cookies.getOrDefault(host, Map.of()).get(name);
		}

		private Page send(HttpRequest.Builder request, URI uri) throws IOException, InterruptedException {
			URI current = uri;
			HttpRequest.Builder next = request;
			for (int hops = 0; hops < 10; hops++) {
				HttpResponse<String> response = this.http.send(
						withCookies(next, current).timeout(Duration.ofSeconds(10)).build(),
						HttpResponse.BodyHandlers.ofString());
				keepCookies(current, response.headers().allValues("Set-Cookie"));
				if (response.statusCode() / 100 != 3) {
					return new Page(response.statusCode(), current, response.body());
				}
				current = current.resolve(response.headers().firstValue("Location").orElseThrow());
				next = HttpRequest.newBuilder(current).header("Accept", "text/html").GET();
			}
			throw new AssertionError("Too many redirects, last " + current);
		}

		private HttpRequest.Builder withCookies(HttpRequest.Builder request, URI uri) {
			String header = this.cookies.getOrDefault(uri.getHost(), Map.of())
				.entrySet()
				.stream()
				.map((e) -> e.getKey() + "=" + e.getValue())
				.collect(Collectors.joining("; "));
			return header.isEmpty() ? request : request.header("Cookie", header);
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

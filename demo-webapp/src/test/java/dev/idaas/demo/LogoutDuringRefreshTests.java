package dev.idaas.demo;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.idaas.demo.simulator.EmbeddedIdaasSimulator;
import dev.idaas.spring.authentication.IdaasAuthenticationTokenFactory;
import dev.idaas.spring.jwt.JwkSetKeySource;
import dev.idaas.spring.jwt.JwksIdTokenVerifier;
import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.MutableClock;
import dev.idaas.spring.test.simulator.SamplePeople;
import dev.idaas.spring.web.session.IdTokenRefresher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A logout that lands while a request is refreshing the id_token must not bring the session
 * back: the refresh answer arrives after the session was invalidated, and storing it must not
 * create a new, signed-in session. The demo on a real Tomcat, the embedded simulator holding the
 * refresh answer back until the logout is answered (no timing assumption), {@link HttpClient}
 * with its own cookie jar per trial.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "demo.simulator.id-token-ttl=60s")
@DirtiesContext
class LogoutDuringRefreshTests {

	private static final int TRIALS = 50;

	private static final Duration ID_TOKEN_TTL = Duration.ofSeconds(60);

	private static final Duration REFRESH_DELAY = Duration.ofMillis(300);

	private static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) LogoutDuringRefreshTests";

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	@LocalServerPort
	int port;

	@Autowired
	EmbeddedIdaasSimulator embedded;

	@Autowired
	ApplicationContext context;

	private final MutableClock clock = new MutableClock(Instant.now());

	@BeforeEach
	void everyoneOnOneClock() {
		// the id_token expires by moving the clock, not by waiting
		this.embedded.simulator().clock(this.clock);
		this.context.getBean(IdTokenRefresher.class).setClock(this.clock);
		this.context.getBean(IdaasAuthenticationTokenFactory.class).setClock(this.clock);
		this.context.getBean(JwksIdTokenVerifier.class).setClock(this.clock);
		this.context.getBean(JwkSetKeySource.class).setClock(this.clock);
	}

	@Test
	void logoutWhileRefreshInFlightThenRefreshAnswerSignsNobodyBackIn() throws Exception {
		IdaasSimulator simulator = this.embedded.simulator();
		int signedOutAnswers = 0;
		for (int trial = 0; trial < TRIALS; trial++) {
			HttpClient browser = newClient();
			signIn(browser);
			String csrf = csrfToken(browser);
			this.clock.advance(ID_TOKEN_TTL.plusSeconds(1));
			int refreshesBefore = simulator.refreshRequestCount();
			boolean inFlight = trial % 5 != 0;
			CountDownLatch answerRelease = new CountDownLatch(1);
			if (inFlight) {
				// most trials: IDaaS holds the refresh answer back until the logout is done
				simulator.holdNextUntil(answerRelease);
			}
			else {
				// the others: logout and refresh race freely
				simulator.delayNext(REFRESH_DELAY);
			}

			CompletableFuture<HttpResponse<String>> me = browser.sendAsync(get("/api/me"),
					HttpResponse.BodyHandlers.ofString());
			if (inFlight) {
				await().atMost(Duration.ofSeconds(10)).until(() -> simulator.refreshRequestCount() > refreshesBefore);
			}
			HttpResponse<String> logout = browser.send(logout(csrf), HttpResponse.BodyHandlers.ofString());
			answerRelease.countDown();
			assertThat(logout.statusCode()).as("logout, trial %d", trial).isEqualTo(302);
			assertThat(logout.headers().firstValue("Location")).hasValueSatisfying(
					(location) -> assertThat(location).endsWith("/login?logout"));

			HttpResponse<String> answer = me.get(10, TimeUnit.SECONDS);
			List<String> newSessions = answer.headers()
				.allValues("Set-Cookie")
				.stream()
				.filter((cookie) -> cookie.startsWith("JSESSIONID=") && !cookie.startsWith("JSESSIONID=;"))
				.toList();
			assertThat(newSessions).as("session cookies set by /api/me after logout, trial %d", trial).isEmpty();
			if (inFlight) {
				// the refresh answer came after the logout: answered as a session end
				assertThat(answer.statusCode()).as("/api/me, trial %d", trial).isEqualTo(401);
				assertThat(answer.body()).contains("\"error_code\":\"IDAAS.STARTER.SESSION_EXPIRED\"");
				signedOutAnswers++;
			}
			else {
				assertThat(answer.statusCode()).as("/api/me, trial %d", trial).isIn(200, 401);
			}
			// whatever the browser holds now is not signed in
			HttpResponse<String> after = browser.send(get("/api/me"), HttpResponse.BodyHandlers.ofString());
			assertThat(after.statusCode()).as("/api/me after logout, trial %d", trial).isEqualTo(401);
			assertThat(after.body()).doesNotContain("\"sub\"");
		}
		assertThat(signedOutAnswers).isEqualTo(TRIALS - TRIALS / 5);
	}

	private HttpClient newClient() {
		return HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
	}

	private void signIn(HttpClient browser) throws Exception {
		String code = this.embedded.simulator().issueAppleCode(SamplePeople.ALICE_PERSON);
		HttpRequest login = HttpRequest.newBuilder(uri("/login/idaas/apple"))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.header("User-Agent", USER_AGENT)
			.POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"" + code + "\"}"))
			.build();
		HttpResponse<String> response = browser.send(login, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(browser.send(get("/api/me"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
	}

	private String csrfToken(HttpClient browser) throws Exception {
		HttpRequest page = HttpRequest.newBuilder(uri("/"))
			.header("Accept", "text/html")
			.header("User-Agent", USER_AGENT)
			.GET()
			.build();
		HttpResponse<String> response = browser.send(page, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		Matcher matcher = CSRF.matcher(response.body());
		assertThat(matcher.find()).as("CSRF token on the profile page").isTrue();
		return matcher.group(1);
	}

	private HttpRequest get(String path) {
		return HttpRequest.newBuilder(uri(path))
			.header("Accept", "application/json")
			.header("User-Agent", USER_AGENT)
			.GET()
			.build();
	}

	private HttpRequest logout(String csrf) {
		return HttpRequest.newBuilder(uri("/logout"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "text/html")
			.header("User-Agent", USER_AGENT)
			.POST(HttpRequest.BodyPublishers.ofString("_csrf=" + csrf))
			.build();
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}

package dev.idaas.spring.autoconfigure;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.MutableClock;
import dev.idaas.spring.test.simulator.SimulatedUser;
import dev.idaas.spring.web.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rotated session token lost update (spring-session #508) on two nodes sharing sessions
 * through Spring Session Data Redis (a real {@code redis-server}): a slow request on node A
 * that refreshed (and rotated) the session token at its start must not, when it finally ends,
 * write its now-retired token back over the one node B rotated to in the meantime. Otherwise
 * the next refresh sends the retired token, IDaaS answers {@code PARAM.0023} and the user is
 * signed out.
 */
class RotatedTokenLostUpdateRedisTests {

	private static final Duration ID_TOKEN_TTL = Duration.ofMinutes(5);

	private static final SimulatedUser ALICE = SimulatedUser.of("alice", "Alice", "+8613800000001",
			"alice@example.com");

	private static RedisServerProcess redis;

	private static IdaasSimulator idaas;

	private static final MutableClock clock = new MutableClock(Instant.now());

	private static volatile CountDownLatch slowEntered = new CountDownLatch(1);

	private static volatile CountDownLatch slowRelease = new CountDownLatch(1);

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private ConfigurableApplicationContext a;

	private ConfigurableApplicationContext b;

	@BeforeAll
	static void start() throws Exception {
		redis = RedisServerProcess.start();
		idaas = new IdaasSimulator().clock(clock)
			.sessionTokenRotation(true)
			.idTokenTtl(ID_TOKEN_TTL)
			.registerUser(ALICE)
			.start();
	}

	@AfterAll
	static void stop() {
		if (idaas != null) {
			idaas.close();
		}
		if (redis != null) {
			redis.close();
		}
	}

	@AfterEach
	void stopNodes() {
		slowRelease.countDown();
		if (this.b != null) {
			this.b.close();
		}
		if (this.a != null) {
			this.a.close();
		}
	}

	@ParameterizedTest(name = "cluster-lock={0}")
	@ValueSource(booleans = { true, false })
	void slowRequestWhenOtherNodeRotatesMeanwhileThenNewestTokenKeptAndNextRefreshSucceeds(boolean clusterLock)
			throws Exception {
		String namespace = "idaas-test:lost-update-" + clusterLock;
		this.a = startNode(namespace, clusterLock);
		this.b = startNode(namespace, clusterLock);
		slowEntered = new CountDownLatch(1);
		slowRelease = new CountDownLatch(1);
		String cookie = signIn(this.a);
		IdaasAuthenticationToken signedIn = stored(cookie);
		assertThat(signedIn.getSessionState().generation()).isZero();

		// 1. a slow request on A refreshes (rotation 1) at its start, then keeps running
		clock.advance(ID_TOKEN_TTL.plusSeconds(1));
		CompletableFuture<HttpResponse<String>> slow = this.http.sendAsync(request(this.a, "/slow", cookie),
				HttpResponse.BodyHandlers.ofString());
		assertThat(slowEntered.await(20, TimeUnit.SECONDS)).as("slow request reached its controller").isTrue();
		IdaasAuthenticationToken first = stored(cookie);
		assertThat(first.getSessionState().generation()).isEqualTo(1);
		assertThat(first.getSessionState().sessionToken()).isNotEqualTo(signedIn.getSessionState().sessionToken());

		// 2. meanwhile B refreshes again (rotation 2): the token A's request refreshed to is retired
		clock.advance(ID_TOKEN_TTL.plusSeconds(1));
		Answer onB = get(this.b, cookie);
		assertThat(onB.status()).isEqualTo(200);
		IdaasAuthenticationToken second = stored(cookie);
		assertThat(second.getSessionState().generation()).isEqualTo(2);
		assertThat(idaas.isSessionTokenValid(first.getSessionState().sessionToken())).isFalse();
		assertThat(idaas.isSessionTokenValid(second.getSessionState().sessionToken())).isTrue();

		// 3. A's slow request ends; Spring Session writes its copy of the session back
		slowRelease.countDown();
		HttpResponse<String> slowAnswer = slow.get(20, TimeUnit.SECONDS);
		assertThat(slowAnswer.statusCode()).isEqualTo(200);
		assertThat(slowAnswer.body()).isEqualTo("alice");

		// the newest token is still the stored one
		IdaasAuthenticationToken afterSlow = stored(cookie);
		assertThat(afterSlow.getSessionState().generation()).isEqualTo(2);
		assertThat(afterSlow.getSessionState().sessionToken()).isEqualTo(second.getSessionState().sessionToken());

		// 4. the next refresh, on either node, succeeds with it: nobody signed out
		clock.advance(ID_TOKEN_TTL.plusSeconds(1));
		int refreshesBefore = idaas.refreshRequestCount();
		assertThat(get(this.a, cookie).status()).isEqualTo(200);
		assertThat(get(this.b, cookie).status()).isEqualTo(200);
		assertThat(idaas.refreshRequestCount() - refreshesBefore).isEqualTo(1);
		assertThat(idaas.lastRequest(IdaasSimulator.REFRESH_PATH).header(IdaasSimulator.DEFAULT_SESSION_TOKEN_HEADER))
			.isEqualTo(second.getSessionState().sessionToken());
		assertThat(stored(cookie).getSessionState().generation()).isEqualTo(3);
	}

	private String signIn(ConfigurableApplicationContext node) throws Exception {
		HttpRequest login = HttpRequest.newBuilder(ClusterNodes.uri(node, "/login/idaas/apple"))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"" + idaas.issueAppleCode(ALICE) + "\"}"))
			.build();
		HttpResponse<String> response = this.http.send(login, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return ClusterNodes.sessionCookie(response)
			.orElseThrow();
	}

	private Answer get(ConfigurableApplicationContext node, String cookie) throws Exception {
		HttpResponse<String> response = this.http.send(request(node, "/me", cookie),
				HttpResponse.BodyHandlers.ofString());
		return new Answer(response.statusCode(), response.body());
	}

	private static HttpRequest request(ConfigurableApplicationContext node, String path, String cookie) {
		return HttpRequest.newBuilder(ClusterNodes.uri(node, path))
			.header("Cookie", cookie)
			.header("Accept", "application/json")
			.GET()
			.build();
	}

	/** The authentication as Spring Session stored it (read through node A's repository). */
	@SuppressWarnings("unchecked")
	private IdaasAuthenticationToken stored(String cookie) {
		SessionRepository<Session> sessions = this.a.getBean(SessionRepository.class);
		String value = cookie.substring(cookie.indexOf('=') + 1);
		Session session = sessions.findById(new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8));
		assertThat(session).isNotNull();
		SecurityContext context = session
			.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
		assertThat(context).isNotNull();
		Authentication authentication = context.getAuthentication();
		assertThat(authentication).isInstanceOf(IdaasAuthenticationToken.class);
		return (IdaasAuthenticationToken) authentication;
	}

	private static ConfigurableApplicationContext startNode(String namespace, boolean clusterLock) {
		return ClusterNodes.onClock(ClusterNodes.start(LostUpdateNodeApplication.class, idaas, redis, namespace,
				"idaas.session.cluster-lock=" + clusterLock), clock);
	}

	record Answer(int status, String body) {
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(LostUpdateController.class)
	static class LostUpdateNodeApplication {

	}

	@RestController
	static class LostUpdateController {

		@GetMapping("/me")
		String me(Authentication authentication) {
			return authentication.getName();
		}

		@GetMapping("/slow")
		String slow(Authentication authentication) throws InterruptedException {
			slowEntered.countDown();
			slowRelease.await(20, TimeUnit.SECONDS);
			return authentication.getName();
		}

	}

}

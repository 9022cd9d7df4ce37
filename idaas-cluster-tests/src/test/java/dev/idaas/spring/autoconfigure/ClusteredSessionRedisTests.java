package dev.idaas.spring.autoconfigure;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.MutableClock;
import dev.idaas.spring.test.simulator.SimulatedUser;
import dev.idaas.spring.web.session.IdTokenRefreshLock;
import dev.idaas.spring.web.session.InMemoryIdTokenRefreshLock;
import dev.idaas.spring.web.session.RedisIdTokenRefreshLock;
import dev.idaas.spring.web.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes of one application sharing their sessions through Spring Session Data Redis (a
 * real {@code redis-server}), both signed in against one {@link IdaasSimulator} with session
 * token rotation: the starter works unchanged, and a burst of requests with an expired
 * id_token on both nodes refreshes it once cluster-wide (with {@code idaas.session.cluster-lock})
 * or at most once per node (without), signing nobody out.
 */
class ClusteredSessionRedisTests {

	private static final Duration ID_TOKEN_TTL = Duration.ofMinutes(5);

	private static final int BURST = 40;

	private static final String CONTEXT_FIELD = "sessionAttr:"
			+ HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY;

	private static final SimulatedUser ALICE = SimulatedUser.of("alice", "Alice", "+8613800000001",
			"alice@example.com");

	private static RedisServerProcess redis;

	private static IdaasSimulator idaas;

	private static final MutableClock clock = new MutableClock(Instant.now());

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

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

	@Test
	void burstWhenIdTokenExpiredAndClusterLockThenOneRefreshAndNobodySignedOut() throws Exception {
		try (Cluster cluster = new Cluster("cluster-lock", true)) {
			assertThat(cluster.a.getBean(IdTokenRefreshLock.class)).isInstanceOf(RedisIdTokenRefreshLock.class);
			String cookie = cluster.signIn();
			IdaasAuthenticationToken signedIn = cluster.stored(cookie);
			long size = cluster.storedContextSize(cookie);
			System.out.println("[cluster] SPRING_SECURITY_CONTEXT stored by Spring Session Data Redis: " + size
					+ " bytes (JDK serialization)");
			assertThat(size).isPositive().isLessThan(2048);

			clock.advance(ID_TOKEN_TTL.plusSeconds(1));
			int refreshesBefore = idaas.refreshRequestCount();
			List<Answer> answers = cluster.burst(cookie);
			int refreshes = idaas.refreshRequestCount() - refreshesBefore;
			System.out.println("[cluster] cluster-lock=true: " + BURST + " requests, " + refreshes
					+ " refresh call(s) to IDaaS");

			assertThat(answers).extracting(Answer::status).containsOnly(200);
			assertThat(answers).extracting(Answer::body).containsOnly(signedIn.getName());
			assertThat(refreshes).isEqualTo(1);
			IdaasAuthenticationToken refreshed = cluster.stored(cookie);
			assertThat(refreshed.getSessionState().sessionToken())
				.isNotEqualTo(signedIn.getSessionState().sessionToken());
			assertThat(refreshed.getSessionState().refreshCount()).isEqualTo(1);
			assertThat(refreshed.getIdToken().getExpiresAt()).isAfter(clock.instant());
			assertThat(idaas.recordedRequests(IdaasSimulator.REFRESH_PATH)
				.get(idaas.recordedRequests(IdaasSimulator.REFRESH_PATH).size() - 1)
				.header(IdaasSimulator.DEFAULT_SESSION_TOKEN_HEADER))
				.isEqualTo(signedIn.getSessionState().sessionToken());
			// both nodes go on with the refreshed id_token, without calling IDaaS again
			assertThat(cluster.get(cluster.a, cookie).status()).isEqualTo(200);
			assertThat(cluster.get(cluster.b, cookie).status()).isEqualTo(200);
			assertThat(idaas.refreshRequestCount() - refreshesBefore).isEqualTo(1);
		}
	}

	@Test
	void burstWhenIdTokenExpiredWithoutClusterLockThenAtMostOneRefreshPerNodeAndNobodySignedOut() throws Exception {
		try (Cluster cluster = new Cluster("node-lock", false)) {
			assertThat(cluster.a.getBean(IdTokenRefreshLock.class)).isInstanceOf(InMemoryIdTokenRefreshLock.class);
			String cookie = cluster.signIn();
			IdaasAuthenticationToken signedIn = cluster.stored(cookie);

			clock.advance(ID_TOKEN_TTL.plusSeconds(1));
			int refreshesBefore = idaas.refreshRequestCount();
			List<Answer> answers = cluster.burst(cookie);
			int refreshes = idaas.refreshRequestCount() - refreshesBefore;
			System.out.println("[cluster] cluster-lock=false: " + BURST + " requests, " + refreshes
					+ " refresh call(s) to IDaaS; statuses " + answers.stream().map(Answer::status).toList());

			assertThat(answers).extracting(Answer::status).containsOnly(200);
			assertThat(refreshes).isBetween(1, 2);
			List<String> sent = idaas.recordedRequests(IdaasSimulator.REFRESH_PATH)
				.stream()
				.skip(refreshesBefore)
				.map((request) -> request.header(IdaasSimulator.DEFAULT_SESSION_TOKEN_HEADER))
				.toList();
			// a second call, if any, raced the first with the same token and was rejected by rotation;
			// its node then found the rotated token in the shared store instead of signing out
			assertThat(sent).containsOnly(signedIn.getSessionState().sessionToken());
			IdaasAuthenticationToken refreshed = cluster.stored(cookie);
			assertThat(refreshed.getSessionState().sessionToken())
				.isNotEqualTo(signedIn.getSessionState().sessionToken());
			assertThat(cluster.get(cluster.a, cookie).status()).isEqualTo(200);
			assertThat(cluster.get(cluster.b, cookie).status()).isEqualTo(200);
		}
	}

	/** Two nodes sharing one Redis namespace. */
	private final class Cluster implements AutoCloseable {

		private final String namespace;

		private final ConfigurableApplicationContext a;

		private final ConfigurableApplicationContext b;

		Cluster(String namespace, boolean clusterLock) {
			this.namespace = "idaas-test:" + namespace;
			this.a = startNode(this.namespace, clusterLock);
			this.b = startNode(this.namespace, clusterLock);
		}

		String signIn() throws Exception {
			HttpRequest login = HttpRequest.newBuilder(ClusterNodes.uri(this.a, "/login/idaas/apple"))
				.header("Content-Type", "application/json")
				.header("Accept", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"" + idaas.issueAppleCode(ALICE) + "\"}"))
				.build();
			HttpResponse<String> response = ClusteredSessionRedisTests.this.http.send(login,
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			String cookie = ClusterNodes.sessionCookie(response)
				.orElseThrow();
			Answer onA = get(this.a, cookie);
			Answer onB = get(this.b, cookie);
			assertThat(onA.status()).isEqualTo(200);
			assertThat(onB.status()).isEqualTo(200);
			assertThat(onB.body()).isEqualTo(onA.body()).isNotBlank();
			assertThat(get(this.b, "SESSION=bm90LWEtc2Vzc2lvbg").status()).isEqualTo(401);
			return cookie;
		}

		List<Answer> burst(String cookie) throws Exception {
			ExecutorService executor = Executors.newFixedThreadPool(BURST);
			try {
				CountDownLatch go = new CountDownLatch(1);
				List<Future<Answer>> futures = new ArrayList<>();
				for (int i = 0; i < BURST; i++) {
					ConfigurableApplicationContext node = (i % 2 == 0) ? this.a : this.b;
					futures.add(executor.submit(() -> {
						go.await();
						return get(node, cookie);
					}));
				}
				go.countDown();
				List<Answer> answers = new ArrayList<>();
				for (Future<Answer> future : futures) {
					answers.add(future.get(30, TimeUnit.SECONDS));
				}
				return answers;
			}
			finally {
				executor.shutdownNow();
			}
		}

		Answer get(ConfigurableApplicationContext node, String cookie) throws Exception {
			HttpRequest request = HttpRequest.newBuilder(ClusterNodes.uri(node, "/me"))
				.header("Cookie", cookie)
				.header("Accept", "application/json")
				.GET()
				.build();
			HttpResponse<String> response = ClusteredSessionRedisTests.this.http.send(request,
					HttpResponse.BodyHandlers.ofString());
			return new Answer(response.statusCode(), response.body());
		}

		/** The authentication as Spring Session stored it (read through node A's repository). */
		@SuppressWarnings("unchecked")
		IdaasAuthenticationToken stored(String cookie) {
			SessionRepository<Session> sessions = this.a.getBean(SessionRepository.class);
			Session session = sessions.findById(ClusterNodes.sessionId(cookie));
			assertThat(session).isNotNull();
			SecurityContext context = session
				.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
			Authentication authentication = context.getAuthentication();
			assertThat(authentication).isInstanceOf(IdaasAuthenticationToken.class);
			return (IdaasAuthenticationToken) authentication;
		}

		/** {@code HSTRLEN} of the security context attribute in the session hash. */
		long storedContextSize(String cookie) {
			StringRedisTemplate redisTemplate = this.a.getBean(StringRedisTemplate.class);
			String key = this.namespace + ":sessions:" + ClusterNodes.sessionId(cookie);
			assertThat(redisTemplate.opsForHash().hasKey(key, CONTEXT_FIELD)).isTrue();
			Long size = redisTemplate.opsForHash().lengthOfValue(key, CONTEXT_FIELD);
			return (size != null) ? size : -1;
		}

		@Override
		public void close() {
			this.b.close();
			this.a.close();
		}

	}

	private static ConfigurableApplicationContext startNode(String namespace, boolean clusterLock) {
		return ClusterNodes.onClock(ClusterNodes.start(ClusterNodeApplication.class, idaas, redis, namespace,
				"idaas.session.cluster-lock=" + clusterLock), clock);
	}

	record Answer(int status, String body) {
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(MeController.class)
	static class ClusterNodeApplication {

	}

	@RestController
	static class MeController {

		@GetMapping("/me")
		String me(Authentication authentication) {
			return authentication.getName();
		}

	}

}

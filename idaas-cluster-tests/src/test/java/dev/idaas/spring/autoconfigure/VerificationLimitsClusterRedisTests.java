package dev.idaas.spring.autoconfigure;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.SimulatedUser;
import dev.idaas.spring.web.RedisServerProcess;
import dev.idaas.spring.web.flow.RedisVerificationRateLimiter;
import dev.idaas.spring.web.flow.VerificationLimitKeys;
import dev.idaas.spring.web.flow.VerificationRateLimiter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The abuse limits hold cluster-wide: two nodes sharing their sessions through Spring Session
 * Data Redis (a real {@code redis-server}) and their limit counters through the
 * {@link RedisVerificationRateLimiter}, against one {@link IdaasSimulator}. Requests alternate
 * between the nodes; what reached IDaaS is counted at the simulator.
 */
class VerificationLimitsClusterRedisTests {

	private static final int PARALLEL = 20;

	private static final int LIMIT = 5;

	private static final String RIGHT_CODE = "246810";

	private static final String WRONG_CODE = "135790";

	private static final SimulatedUser ALICE = SimulatedUser.of("alice", "Alice", "+8613800000011",
			"alice@example.com");

	private static final SimulatedUser BOB = SimulatedUser.of("bob", "Bob", "+8613800000012", "bob@example.com");

	private static final SimulatedUser CAROL = SimulatedUser.of("carol", "Carol", "+8613800000013",
			"carol@example.com");

	private static final SimulatedUser DAVE = SimulatedUser.of("dave", "Dave", "+8613800000014", "dave@example.com");

	private static RedisServerProcess redis;

	private static IdaasSimulator idaas;

	private static ConfigurableApplicationContext nodeA;

	private static ConfigurableApplicationContext nodeB;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	@BeforeAll
	static void start() throws Exception {
		redis = RedisServerProcess.start();
		idaas = new IdaasSimulator().verificationCode(RIGHT_CODE)
			.registerUser(ALICE)
			.registerUser(BOB)
			.registerUser(CAROL)
			.registerUser(DAVE)
			.start();
		nodeA = startNode();
		nodeB = startNode();
	}

	@AfterAll
	static void stop() {
		if (nodeB != null) {
			nodeB.close();
		}
		if (nodeA != null) {
			nodeA.close();
		}
		if (idaas != null) {
			idaas.close();
		}
		if (redis != null) {
			redis.close();
		}
	}

	@BeforeEach
	void clearLimits() {
		// every test starts with fresh windows (all requests come from 127.0.0.1)
		StringRedisTemplate redisTemplate = nodeA.getBean(StringRedisTemplate.class);
		Set<String> keys = redisTemplate.keys(RedisVerificationRateLimiter.DEFAULT_KEY_PREFIX + "*");
		if (!keys.isEmpty()) {
			redisTemplate.delete(keys);
		}
	}

	@Test
	void nodesWhenRedisThenEveryNodeCountsInRedis() {
		assertThat(nodeA.getBean(VerificationRateLimiter.class)).isInstanceOf(RedisVerificationRateLimiter.class);
		assertThat(nodeB.getBean(VerificationRateLimiter.class)).isInstanceOf(RedisVerificationRateLimiter.class);
	}

	@Test
	void sendWhenTwentyParallelOnOneFlowAcrossNodesThenAtMostLimitReachIdaas() throws Exception {
		String phone = ALICE.mobile();
		String session = startBindFlow(nodeA);
		int x = captcha(nodeB, session);
		String send = sendBody(phone, x);

		List<Answer> answers = parallel((i) -> post(node(i), session, "/idaas/bind/code", send));

		System.out.println("[limits] " + PARALLEL + " parallel sends on one flow: statuses "
				+ answers.stream().map(Answer::status).toList() + ", captcha verifies at IDaaS "
				+ idaas.captchaVerifyRequestCount(phone) + ", sends at IDaaS " + idaas.sendRequestCount(phone));
		// each request was refused by the limits (429), or found the flow's one puzzle spent
		// (400, before the limits), or was counted and then failed the slide (400) or sent (200).
		// How many get past the puzzle check to the limits is up to timing: what must hold is
		// what reached IDaaS, and the top-up below, which meets the limit every time.
		assertThat(answers).extracting(Answer::status).containsOnly(200, 400, 429);
		assertThat(answers).filteredOn((answer) -> answer.status() == 429)
			.allSatisfy(VerificationLimitsClusterRedisTests::isTooManyCodes);
		assertThat(answers).filteredOn((answer) -> answer.status() == 200).hasSize(1);
		int verifies = idaas.captchaVerifyRequestCount(phone);
		assertThat(verifies).isBetween(1, LIMIT);
		assertThat(idaas.sendRequestCount(phone)).isEqualTo(1);
		// every counted send went to IDaaS, and only those
		assertThat(counter("code-send", phone)).isEqualTo(verifies);

		// new, correctly solved puzzles fill the window, then reach nobody
		int sent = 1;
		Answer answer;
		while ((answer = post(node(sent), session, "/idaas/bind/code", sendBody(phone, captcha(node(sent), session))))
			.status() == 200) {
			sent++;
			assertThat(sent).isLessThanOrEqualTo(LIMIT);
		}
		isTooManyCodes(answer);
		assertThat(idaas.captchaVerifyRequestCount(phone)).isEqualTo(LIMIT);
		assertThat(idaas.sendRequestCount(phone)).isEqualTo(sent).isEqualTo(1 + LIMIT - verifies);
	}

	@Test
	void finishWhenTwentyParallelWrongCodesAcrossNodesThenAtMostLimitReachIdaasAndRightCodeRefused()
			throws Exception {
		String phone = BOB.mobile();
		String session = startBindFlow(nodeB);
		Answer sent = post(nodeA, session, "/idaas/bind/code", sendBody(phone, captcha(nodeA, session)));
		assertThat(sent.status()).isEqualTo(200);
		assertThat(sent.body()).contains("\"CODE_SENT\"");
		String wrong = finishBody(phone, WRONG_CODE);

		List<Answer> answers = parallel((i) -> post(node(i), session, "/idaas/bind", wrong));

		System.out.println("[limits] " + PARALLEL + " parallel wrong codes on one flow: statuses "
				+ answers.stream().map(Answer::status).toList() + ", bind calls at IDaaS "
				+ idaas.finishRequestCount(phone));
		assertThat(answers).extracting(Answer::status).containsOnly(400, 429);
		assertThat(answers).filteredOn((answer) -> answer.status() == 429)
			.hasSizeGreaterThanOrEqualTo(PARALLEL - LIMIT)
			.allSatisfy(VerificationLimitsClusterRedisTests::isTooManyCodes);
		int finishes = idaas.finishRequestCount(phone);
		assertThat(finishes).isBetween(1, LIMIT);
		assertThat(counter("code-check", phone)).isEqualTo(finishes);

		// guesses fill the window; after that even the right code is refused before IDaaS
		Answer answer;
		while ((answer = post(nodeA, session, "/idaas/bind", wrong)).status() == 400) {
			assertThat(idaas.finishRequestCount(phone)).isLessThanOrEqualTo(LIMIT);
		}
		isTooManyCodes(answer);
		assertThat(idaas.finishRequestCount(phone)).isEqualTo(LIMIT);
		Answer right = post(nodeB, session, "/idaas/bind", finishBody(phone, RIGHT_CODE));
		isTooManyCodes(right);
		assertThat(idaas.finishRequestCount(phone)).isEqualTo(LIMIT);
		assertThat(get(nodeA, session, "/me").status()).isEqualTo(401);
		assertThat(get(nodeB, session, "/me").status()).isEqualTo(401);
	}

	@Test
	void flowsWhenThreeForOneTargetThenLimitsShared() throws Exception {
		String phone = CAROL.mobile();
		String first = startBindFlow(nodeA);
		String second = startBindFlow(nodeB);
		String third = startBindFlow(nodeA);
		assertThat(Set.of(first, second, third)).hasSize(3);

		// five codes to one number from three sign-ins, then none
		for (String session : List.of(first, first, second, second, third)) {
			ConfigurableApplicationContext node = (session.equals(second)) ? nodeB : nodeA;
			Answer sent = post(node, session, "/idaas/bind/code", sendBody(phone, captcha(node, session)));
			assertThat(sent.status()).as(sent.body()).isEqualTo(200);
		}
		assertThat(idaas.sendRequestCount(phone)).isEqualTo(LIMIT);
		Answer sixth = post(nodeB, third, "/idaas/bind/code", sendBody(phone, captcha(nodeB, third)));
		assertThat(sixth.status()).isEqualTo(429);
		isTooManyCodes(sixth);
		assertThat(idaas.sendRequestCount(phone)).isEqualTo(LIMIT);
		assertThat(idaas.captchaVerifyRequestCount(phone)).isEqualTo(LIMIT);

		// five guesses at the number's code from three sign-ins, then the right code is refused
		for (String session : List.of(first, second, first, second, third)) {
			Answer wrong = post((session.equals(second)) ? nodeA : nodeB, session, "/idaas/bind",
					finishBody(phone, WRONG_CODE));
			assertThat(wrong.status()).as(wrong.body()).isEqualTo(400);
		}
		assertThat(idaas.finishRequestCount(phone)).isEqualTo(LIMIT);
		Answer right = post(nodeA, third, "/idaas/bind", finishBody(phone, RIGHT_CODE));
		assertThat(right.status()).isEqualTo(429);
		isTooManyCodes(right);
		assertThat(idaas.finishRequestCount(phone)).isEqualTo(LIMIT);
		assertThat(get(nodeA, third, "/me").status()).isEqualTo(401);
	}

	@Test
	void finishWhenRightCodeAfterWrongOnesThenSignedInAndCheckCountsCleared() throws Exception {
		String phone = DAVE.mobile();
		String session = startBindFlow(nodeA);
		assertThat(post(nodeB, session, "/idaas/bind/code", sendBody(phone, captcha(nodeB, session))).status())
			.isEqualTo(200);
		for (int i = 0; i < LIMIT - 1; i++) {
			assertThat(post(node(i), session, "/idaas/bind", finishBody(phone, WRONG_CODE)).status()).isEqualTo(400);
		}
		String checkKey = "idaas:limit:{code-check}:"
				+ VerificationLimitKeys.of(phone, "any-sign-in", "127.0.0.1").get(0);
		StringRedisTemplate redisTemplate = nodeA.getBean(StringRedisTemplate.class);
		assertThat(redisTemplate.opsForValue().get(checkKey)).isEqualTo(Integer.toString(LIMIT - 1));

		HttpResponse<String> signedIn = this.http.send(HttpRequest.newBuilder(ClusterNodes.uri(nodeB, "/idaas/bind"))
			.header("Cookie", session)
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(finishBody(phone, RIGHT_CODE)))
			.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
		assertThat(idaas.finishRequestCount(phone)).isEqualTo(LIMIT);
		// the user proved the code: the next sign-in for this number starts from zero checks
		assertThat(redisTemplate.hasKey(checkKey)).isFalse();
		String newSession = ClusterNodes.sessionCookie(signedIn)
			.orElse(session);
		assertThat(get(nodeA, newSession, "/me").status()).isEqualTo(200);
	}

	/** The value of a target's counter in Redis, 0 when none. */
	private static int counter(String action, String target) {
		String value = nodeA.getBean(StringRedisTemplate.class)
			.opsForValue()
			.get("idaas:limit:{" + action + "}:" + VerificationLimitKeys.of(target, "any", "127.0.0.1").get(0));
		return (value != null) ? Integer.parseInt(value) : 0;
	}

	private static void isTooManyCodes(Answer answer) {
		assertThat(answer.status()).isEqualTo(429);
		assertThat(answer.body()).contains("IDAAS.STARTER.TOO_MANY_CODES");
		assertThat(answer.retryAfter()).isPresent();
		long seconds = Long.parseLong(answer.retryAfter().get());
		assertThat(seconds).isBetween(1L, Duration.ofHours(1).toSeconds());
	}

	private String startBindFlow(ConfigurableApplicationContext node) throws Exception {
		HttpRequest login = HttpRequest.newBuilder(ClusterNodes.uri(node, "/login/idaas/apple"))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"" + idaas.issueSocialBindCode() + "\"}"))
			.build();
		HttpResponse<String> response = this.http.send(login, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.body()).contains("\"SOCIAL_BIND\"");
		return ClusterNodes.sessionCookie(response)
			.orElseThrow();
	}

	/** Fetches a new puzzle for the flow and answers where its solution is. */
	private int captcha(ConfigurableApplicationContext node, String session) throws Exception {
		Answer puzzle = get(node, session, "/idaas/bind/captcha");
		assertThat(puzzle.status()).as(puzzle.body()).isEqualTo(200);
		assertThat(puzzle.body()).contains("\"background\"");
		return idaas.captchaSolutionX();
	}

	private static String sendBody(String phone, int x) {
		return "{\"method\":\"VERIFY_PHONE\",\"target\":\"" + phone + "\",\"captcha_x\":" + x + "}";
	}

	private static String finishBody(String phone, String code) {
		return "{\"method\":\"VERIFY_PHONE\",\"target\":\"" + phone + "\",\"verify_code\":\"" + code + "\"}";
	}

	private List<Answer> parallel(Call call) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(PARALLEL);
		try {
			CountDownLatch go = new CountDownLatch(1);
			List<Future<Answer>> futures = new ArrayList<>();
			for (int i = 0; i < PARALLEL; i++) {
				int index = i;
				futures.add(executor.submit(() -> {
					go.await();
					return call.send(index);
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

	private static ConfigurableApplicationContext node(int index) {
		return (index % 2 == 0) ? nodeA : nodeB;
	}

	private Answer post(ConfigurableApplicationContext node, String session, String path, String json)
			throws Exception {
		HttpRequest request = HttpRequest.newBuilder(ClusterNodes.uri(node, path))
			.header("Cookie", session)
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build();
		return answer(this.http.send(request, HttpResponse.BodyHandlers.ofString()));
	}

	private Answer get(ConfigurableApplicationContext node, String session, String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(ClusterNodes.uri(node, path))
			.header("Cookie", session)
			.header("Accept", "application/json")
			.GET()
			.build();
		return answer(this.http.send(request, HttpResponse.BodyHandlers.ofString()));
	}

	private static Answer answer(HttpResponse<String> response) {
		return new Answer(response.statusCode(), response.body(), response.headers().firstValue("Retry-After"));
	}

	private static ConfigurableApplicationContext startNode() {
		// only the abuse limits stand between the requests and IDaaS
		return ClusterNodes.start(LimitsNodeApplication.class, idaas, redis, "idaas-test:limits",
				"idaas.login.code-resend-interval=0s");
	}

	@FunctionalInterface
	interface Call {

		Answer send(int index) throws Exception;

	}

	record Answer(int status, String body, Optional<String> retryAfter) {
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(MeController.class)
	static class LimitsNodeApplication {

	}

	@RestController
	static class MeController {

		@GetMapping("/me")
		String me(Authentication authentication) {
			return authentication.getName();
		}

	}

}

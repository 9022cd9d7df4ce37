package dev.idaas.spring.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.idaas.spring.authentication.IdaasAuthenticationException;
import dev.idaas.spring.client.IdaasErrorCategory;
import dev.idaas.spring.client.IdaasErrorCodes;
import dev.idaas.spring.web.flow.RedisVerificationRateLimiter;
import dev.idaas.spring.web.flow.TooManyVerificationCodesException;
import dev.idaas.spring.web.flow.VerificationAction;
import dev.idaas.spring.web.flow.VerificationLimitKeys;
import dev.idaas.spring.web.flow.VerificationLimits;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RedisVerificationRateLimiter} against a real {@code redis-server}: two
 * limiter instances ("nodes") sharing one Redis, parallel acquires, time to live on every
 * counter, hashed keys.
 */
class RedisVerificationRateLimiterRedisTests {

	private static final String PHONE = "+8613800000001";

	private static final String EMAIL = "Victim@Example.com";

	private static final String SUBJECT = "apple-sign-in-000123";

	private static final String IP = "203.0.113.7";

	private static RedisServerProcess redis;

	private static LettuceConnectionFactory connectionFactory;

	private static StringRedisTemplate redisTemplate;

	private final RedisVerificationRateLimiter nodeA = new RedisVerificationRateLimiter(redisTemplate);

	private final RedisVerificationRateLimiter nodeB = new RedisVerificationRateLimiter(redisTemplate);

	@BeforeAll
	static void startRedis() throws Exception {
		redis = RedisServerProcess.start();
		connectionFactory = redis.connectionFactory();
		redisTemplate = new StringRedisTemplate(connectionFactory);
	}

	@AfterAll
	static void stopRedis() {
		if (connectionFactory != null) {
			connectionFactory.destroy();
		}
		if (redis != null) {
			redis.close();
		}
	}

	@BeforeEach
	void flush() {
		redisTemplate.execute((RedisCallback<Void>) (connection) -> {
			connection.serverCommands().flushAll();
			return null;
		});
	}

	@Test
	void acquireWhenTwentyParallelOnTwoNodesThenExactlyLimitPass() throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(20);
		try {
			for (int trial = 0; trial < 10; trial++) {
				flush();
				List<String> keys = VerificationLimitKeys.of(PHONE, SUBJECT + trial, IP);
				CountDownLatch go = new CountDownLatch(1);
				List<Future<Boolean>> futures = new ArrayList<>();
				for (int i = 0; i < 20; i++) {
					RedisVerificationRateLimiter node = (i % 2 == 0) ? this.nodeA : this.nodeB;
					futures.add(executor.submit(() -> {
						go.await();
						try {
							node.acquire(VerificationAction.CODE_CHECK, keys);
							return true;
						}
						catch (TooManyVerificationCodesException ex) {
							return false;
						}
					}));
				}
				go.countDown();
				int passed = 0;
				for (Future<Boolean> future : futures) {
					passed += future.get(10, TimeUnit.SECONDS) ? 1 : 0;
				}
				assertThat(passed).as("trial " + trial).isEqualTo(5);
				// refused attempts counted nothing: every counter stopped at the limit
				for (String key : keys) {
					assertThat(redisTemplate.opsForValue().get(redisKey("code-check", key)))
						.isEqualTo("5");
				}
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void acquireWhenLimitReachedThenRetryAfterIsTimeToLive() {
		List<String> keys = VerificationLimitKeys.of(PHONE, SUBJECT, IP);
		for (int i = 0; i < 5; i++) {
			this.nodeA.acquire(VerificationAction.CODE_SEND, keys);
		}
		TooManyVerificationCodesException ex = catchThrowableOfType(TooManyVerificationCodesException.class,
				() -> this.nodeB.acquire(VerificationAction.CODE_SEND, keys));
		assertThat(ex).isNotNull();
		assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.TOO_MANY_CODES);
		assertThat(ex.getRetryAfter()).isBetween(Duration.ofMinutes(59), Duration.ofHours(1));
		assertThat(ex.getMessage()).doesNotContain("8613800000001").doesNotContain(SUBJECT).doesNotContain(IP);
		// checks have counters of their own
		assertThatNoException().isThrownBy(() -> this.nodeB.acquire(VerificationAction.CODE_CHECK, keys));
	}

	@Test
	void acquireWhenCountedThenEveryKeyHasTimeToLiveAndIsHashed() {
		this.nodeA.acquire(VerificationAction.CODE_SEND, VerificationLimitKeys.of(EMAIL, SUBJECT, IP));
		this.nodeA.acquire(VerificationAction.CODE_CHECK, VerificationLimitKeys.of(PHONE, SUBJECT, IP));
		Set<String> stored = redisTemplate.keys("*");
		assertThat(stored).hasSize(6);
		for (String key : stored) {
			assertThat(key).matches("idaas:limit:\\{code-(send|check)\\}:(target|subject|ip):[0-9a-f]{64}");
			assertThat(redisTemplate.getExpire(key, TimeUnit.MILLISECONDS)).as(key)
				.isBetween(Duration.ofMinutes(59).toMillis(), Duration.ofHours(1).toMillis());
			assertThat(key).doesNotContainIgnoringCase("victim").doesNotContain("8613800000001")
				.doesNotContain(SUBJECT).doesNotContain(IP);
			assertThat(redisTemplate.opsForValue().get(key)).isEqualTo("1");
		}
	}

	@Test
	void acquireWhenCounterLostItsTimeToLiveThenWindowGetsOneAgain() {
		List<String> keys = VerificationLimitKeys.of(PHONE, SUBJECT, IP);
		// a counter left without expiry (e.g. written by hand) must not block the target forever
		String target = redisKey("code-send", keys.get(0));
		redisTemplate.opsForValue().set(target, "5");
		assertThat(redisTemplate.getExpire(target)).isEqualTo(-1);
		TooManyVerificationCodesException ex = catchThrowableOfType(TooManyVerificationCodesException.class,
				() -> this.nodeA.acquire(VerificationAction.CODE_SEND, keys));
		assertThat(ex).isNotNull();
		assertThat(redisTemplate.getExpire(target, TimeUnit.SECONDS)).isBetween(3590L, 3600L);
		redisTemplate.opsForValue().set(redisKey("code-send", keys.get(1)), "1");
		redisTemplate.delete(target);
		this.nodeA.acquire(VerificationAction.CODE_SEND, keys);
		assertThat(redisTemplate.getExpire(redisKey("code-send", keys.get(1)), TimeUnit.SECONDS)).isBetween(3590L,
				3600L);
	}

	@Test
	void acquireWhenWindowExpiresThenCountsFromZero() {
		this.nodeA.setLimits(new VerificationLimits(2, 2, 2, 2, 2, 2, Duration.ofSeconds(1)));
		List<String> keys = VerificationLimitKeys.of(PHONE, SUBJECT, IP);
		this.nodeA.acquire(VerificationAction.CODE_CHECK, keys);
		this.nodeA.acquire(VerificationAction.CODE_CHECK, keys);
		TooManyVerificationCodesException ex = catchThrowableOfType(TooManyVerificationCodesException.class,
				() -> this.nodeA.acquire(VerificationAction.CODE_CHECK, keys));
		assertThat(ex.getRetryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1));
		await()
			.atMost(Duration.ofSeconds(5))
			.until(() -> redisTemplate.keys("*").isEmpty());
		assertThatNoException().isThrownBy(() -> this.nodeA.acquire(VerificationAction.CODE_CHECK, keys));
	}

	@Test
	void resetWhenCodeChecksThenOnlyTheirCountersCleared() {
		List<String> keys = VerificationLimitKeys.of(PHONE, SUBJECT, IP);
		for (int i = 0; i < 5; i++) {
			this.nodeA.acquire(VerificationAction.CODE_SEND, keys);
			this.nodeA.acquire(VerificationAction.CODE_CHECK, keys);
		}
		this.nodeB.reset(VerificationAction.CODE_CHECK, keys);
		assertThat(redisTemplate.keys("idaas:limit:{code-check}:*")).isEmpty();
		assertThat(redisTemplate.keys("idaas:limit:{code-send}:*")).hasSize(3);
		assertThatNoException().isThrownBy(() -> this.nodeA.acquire(VerificationAction.CODE_CHECK, keys));
		assertThat(catchThrowableOfType(TooManyVerificationCodesException.class,
				() -> this.nodeA.acquire(VerificationAction.CODE_SEND, keys)))
			.isNotNull();
	}

	@Test
	void acquireWhenKeyPrefixThenKeysUnderIt() {
		this.nodeA.setKeyPrefix("shop:limits:");
		this.nodeA.acquire(VerificationAction.CODE_SEND, VerificationLimitKeys.of(PHONE, SUBJECT, IP));
		assertThat(redisTemplate.keys("*")).hasSize(3).allMatch((key) -> key.startsWith("shop:limits:{code-send}:"));
	}

	@Test
	void acquireWhenRedisUnreachableThenRefusedAsUnavailable() {
		LettuceConnectionFactory unreachable = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", 1));
		unreachable.afterPropertiesSet();
		unreachable.start();
		try {
			RedisVerificationRateLimiter limiter = new RedisVerificationRateLimiter(
					new StringRedisTemplate(unreachable));
			IdaasAuthenticationException ex = catchThrowableOfType(IdaasAuthenticationException.class,
					() -> limiter.acquire(VerificationAction.CODE_SEND, VerificationLimitKeys.of(PHONE, SUBJECT, IP)));
			assertThat(ex).isNotNull().isNotInstanceOf(TooManyVerificationCodesException.class);
			assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.UPSTREAM_UNAVAILABLE);
			assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.TRANSIENT);
		}
		finally {
			unreachable.destroy();
		}
	}

	private static String redisKey(String action, String key) {
		return "idaas:limit:{" + action + "}:" + key;
	}

}

package dev.idaas.spring.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import dev.idaas.spring.web.session.IdTokenRefreshLock;
import dev.idaas.spring.web.session.RedisIdTokenRefreshLock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RedisIdTokenRefreshLock} against a real {@code redis-server}: the
 * {@link IdTokenRefreshLock} contract across two "nodes" (two lock instances sharing one
 * Redis).
 */
class RedisIdTokenRefreshLockRedisTests {

	private static final String SESSION_ID = "5f0c9a4e-session-id";

	private static RedisServerProcess redis;

	private static LettuceConnectionFactory connectionFactory;

	private static StringRedisTemplate redisTemplate;

	private final RedisIdTokenRefreshLock nodeA = new RedisIdTokenRefreshLock(redisTemplate);

	private final RedisIdTokenRefreshLock nodeB = new RedisIdTokenRefreshLock(redisTemplate);

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
	void tryLockWhenFreeThenTakenOnceAcrossNodes() {
		IdTokenRefreshLock.Handle held = this.nodeA.tryLock(SESSION_ID);
		assertThat(held).isNotNull();
		assertThat(this.nodeA.tryLock(SESSION_ID)).isNull();
		assertThat(this.nodeB.tryLock(SESSION_ID)).isNull();
		assertThat(this.nodeB.tryLock("another-session")).isNotNull();
		held.release();
		assertThat(this.nodeB.tryLock(SESSION_ID)).isNotNull();
	}

	@Test
	void tryLockWhenTakenThenKeyIsHashOfSessionIdWithLockTimeout() throws Exception {
		this.nodeA.setLockTimeout(Duration.ofSeconds(7));
		this.nodeA.tryLock(SESSION_ID);
		String expectedKey = "idaas:refresh-lock:" + HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-256").digest(SESSION_ID.getBytes(StandardCharsets.UTF_8)));
		Set<String> keys = redisTemplate.keys("*");
		assertThat(keys).containsExactly(expectedKey);
		assertThat(keys).noneMatch((key) -> key.contains(SESSION_ID));
		assertThat(redisTemplate.opsForValue().get(expectedKey)).doesNotContain(SESSION_ID);
		Long ttl = redisTemplate.getExpire(expectedKey, TimeUnit.MILLISECONDS);
		assertThat(ttl).isBetween(1L, 7000L);
	}

	@Test
	void releaseWhenOwnerThenKeyDeleted() {
		IdTokenRefreshLock.Handle held = this.nodeA.tryLock(SESSION_ID);
		held.release();
		assertThat(redisTemplate.keys("idaas:refresh-lock:*")).isEmpty();
		held.release();
		assertThat(redisTemplate.keys("idaas:refresh-lock:*")).isEmpty();
	}

	@Test
	void releaseWhenLockExpiredAndTakenByOtherNodeThenOtherNodesLockKept() {
		this.nodeA.setLockTimeout(Duration.ofMillis(200));
		IdTokenRefreshLock.Handle stale = this.nodeA.tryLock(SESSION_ID);
		assertThat(stale).isNotNull();
		IdTokenRefreshLock.Handle[] taken = new IdTokenRefreshLock.Handle[1];
		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> (taken[0] = this.nodeB.tryLock(SESSION_ID)) != null);
		// compare-and-delete: node A's late release must not free node B's lock
		stale.release();
		assertThat(redisTemplate.keys("idaas:refresh-lock:*")).hasSize(1);
		assertThat(new RedisIdTokenRefreshLock(redisTemplate).tryLock(SESSION_ID)).isNull();
		taken[0].release();
		assertThat(redisTemplate.keys("idaas:refresh-lock:*")).isEmpty();
	}

	@Test
	void tryLockWhenHolderNeverReleasesThenFreeAfterLockTimeout() {
		this.nodeA.setLockTimeout(Duration.ofMillis(300));
		long start = System.nanoTime();
		assertThat(this.nodeA.tryLock(SESSION_ID)).isNotNull();
		assertThat(this.nodeB.tryLock(SESSION_ID)).isNull();
		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> redisTemplate.keys("idaas:refresh-lock:*").isEmpty());
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
		assertThat(this.nodeB.tryLock(SESSION_ID)).isNotNull();
	}

	@Test
	void awaitUnlockedWhenFreeThenTrueAtOnce() throws Exception {
		assertThat(this.nodeB.awaitUnlocked(SESSION_ID, Duration.ZERO)).isTrue();
	}

	@Test
	void awaitUnlockedWhenHeldByOtherNodePastTimeoutThenFalse() throws Exception {
		this.nodeA.tryLock(SESSION_ID);
		assertThat(this.nodeB.awaitUnlocked(SESSION_ID, Duration.ofMillis(120))).isFalse();
	}

	@Test
	void awaitUnlockedWhenOtherNodeReleasesThenTrue() throws Exception {
		this.nodeB.setPollInterval(Duration.ofMillis(10));
		IdTokenRefreshLock.Handle held = this.nodeA.tryLock(SESSION_ID);
		CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
			try {
				return this.nodeB.awaitUnlocked(SESSION_ID, Duration.ofSeconds(10));
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		await().during(Duration.ofMillis(150)).atMost(Duration.ofSeconds(1)).until(() -> !waiter.isDone());
		held.release();
		assertThat(waiter.get(5, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void awaitUnlockedWhenSameNodeReleasesThenTrue() throws Exception {
		IdTokenRefreshLock.Handle held = this.nodeA.tryLock(SESSION_ID);
		CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
			try {
				return this.nodeA.awaitUnlocked(SESSION_ID, Duration.ofSeconds(10));
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		held.release();
		assertThat(waiter.get(5, TimeUnit.SECONDS)).isTrue();
	}

}

package dev.idaas.spring.web.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.Assert;

/**
 * An {@link IdTokenRefreshLock} for a cluster whose nodes share their sessions (Spring
 * Session Data Redis): the requests of one node are first coordinated in memory, then the
 * node takes a short Redis lock ({@code SET key value NX PX}) before calling IDaaS, and
 * releases it with a compare-and-delete script so it never deletes a lock another node took
 * after this one's expired. After taking the lock, {@link IdTokenRefresher} re-reads the
 * session, so a refresh another node already stored is used without calling IDaaS.
 * <p>
 * Keys are {@code idaas:refresh-lock:} followed by the SHA-256 of the session key, so session
 * ids never appear in Redis.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see InMemoryIdTokenRefreshLock
 */
public final class RedisIdTokenRefreshLock implements IdTokenRefreshLock {

	private static final Log logger = LogFactory.getLog(RedisIdTokenRefreshLock.class);

	private static final RedisScript<Long> RELEASE_SCRIPT = new DefaultRedisScript<>(
			"if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end",
			Long.class);

	private final StringRedisTemplate redisTemplate;

	private final InMemoryIdTokenRefreshLock localLock = new InMemoryIdTokenRefreshLock();

	private String keyPrefix = "idaas:refresh-lock:";

	private Duration lockTimeout = Duration.ofSeconds(10);

	private Duration pollInterval = Duration.ofMillis(50);

	private Clock clock = Clock.systemUTC();

	/**
	 * Creates the lock.
	 * @param redisTemplate the template of the Redis holding the shared sessions
	 * @since 0.1
	 */
	public RedisIdTokenRefreshLock(StringRedisTemplate redisTemplate) {
		Assert.notNull(redisTemplate, "redisTemplate cannot be null");
		this.redisTemplate = redisTemplate;
	}

	/**
	 * Sets how long a lock lives at most when its holder dies without releasing it
	 * ({@code idaas.session.cluster-lock-timeout}, default 10 s). Longer than the IDaaS read
	 * timeout.
	 * @param lockTimeout the lock's time to live
	 * @since 0.1
	 */
	public void setLockTimeout(Duration lockTimeout) {
		Assert.notNull(lockTimeout, "lockTimeout cannot be null");
		Assert.isTrue(lockTimeout.toMillis() > 0, "lockTimeout must be positive");
		this.lockTimeout = lockTimeout;
	}

	/**
	 * Sets how often a waiting node checks whether another node released the lock (default
	 * 50 ms).
	 * @param pollInterval the interval
	 * @since 0.1
	 */
	public void setPollInterval(Duration pollInterval) {
		Assert.notNull(pollInterval, "pollInterval cannot be null");
		Assert.isTrue(pollInterval.toMillis() > 0, "pollInterval must be positive");
		this.pollInterval = pollInterval;
	}

	/**
	 * Sets the prefix of the Redis keys (default {@code idaas:refresh-lock:}).
	 * @param keyPrefix the prefix
	 * @since 0.1
	 */
	public void setKeyPrefix(String keyPrefix) {
		Assert.notNull(keyPrefix, "keyPrefix cannot be null");
		this.keyPrefix = keyPrefix;
	}

	/**
	 * Sets the clock measuring wait timeouts (default: system UTC).
	 * @param clock the clock
	 * @since 0.1
	 */
	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	@Override
	public @Nullable Handle tryLock(String sessionKey) {
		Assert.notNull(sessionKey, "sessionKey cannot be null");
		Handle local = this.localLock.tryLock(sessionKey);
		if (local == null) {
			return null;
		}
		String key = redisKey(sessionKey);
		String owner = UUID.randomUUID().toString();
		boolean acquired;
		try {
			acquired = Boolean.TRUE.equals(this.redisTemplate.opsForValue().setIfAbsent(key, owner, this.lockTimeout));
		}
		catch (RuntimeException ex) {
			local.release();
			throw ex;
		}
		if (!acquired) {
			local.release();
			return null;
		}
		return new RedisHandle(key, owner, local);
	}

	@Override
	public boolean awaitUnlocked(String sessionKey, Duration timeout) throws InterruptedException {
		Assert.notNull(sessionKey, "sessionKey cannot be null");
		Assert.notNull(timeout, "timeout cannot be null");
		long deadline = this.clock.millis() + timeout.toMillis();
		if (!this.localLock.awaitUnlocked(sessionKey, timeout)) {
			return false;
		}
		String key = redisKey(sessionKey);
		while (Boolean.TRUE.equals(this.redisTemplate.hasKey(key))) {
			long remaining = deadline - this.clock.millis();
			if (remaining <= 0) {
				return false;
			}
			// Another node holds the lock; Redis has no cheap blocking wait for a key's deletion
			Thread.sleep(Math.min(remaining, this.pollInterval.toMillis()));
		}
		return true;
	}

	private String redisKey(String sessionKey) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(sessionKey.getBytes(StandardCharsets.UTF_8));
			return this.keyPrefix + HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	private final class RedisHandle implements Handle {

		private final String key;

		private final String owner;

		private final Handle local;

		private volatile boolean released;

		RedisHandle(String key, String owner, Handle local) {
			this.key = key;
			this.owner = owner;
			this.local = local;
		}

		@Override
		public void release() {
			if (this.released) {
				return;
			}
			this.released = true;
			try {
				RedisIdTokenRefreshLock.this.redisTemplate.execute(RELEASE_SCRIPT, List.of(this.key), this.owner);
			}
			catch (RuntimeException ex) {
				// The lock expires by itself; other nodes wait at most its time to live
				logger.warn("Could not release the id_token refresh lock in Redis", ex);
			}
			finally {
				this.local.release();
			}
		}

	}

}

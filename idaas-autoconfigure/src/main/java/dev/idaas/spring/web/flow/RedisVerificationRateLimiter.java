package dev.idaas.spring.web.flow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.idaas.spring.authentication.IdaasAuthenticationException;
import dev.idaas.spring.client.IdaasErrorCategory;
import dev.idaas.spring.client.IdaasErrorCodes;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.Assert;

/**
 * A {@link VerificationRateLimiter} whose windows live in Redis, shared by every node of a
 * cluster. One Lua script checks every key and then counts every key, so parallel requests on
 * any node cannot both pass the last free slot, and every counter gets its time to live in the
 * same step as its first increment (a window can never be left without one).
 * <p>
 * Keys are {@code idaas:limit:{code-send}:target:<sha-256>} and the like: the prefix is
 * {@link #setKeyPrefix(String) configurable}, the hash tag keeps one call's keys in one Redis
 * Cluster slot, and targets, subjects and addresses appear only hashed.
 * <p>
 * When Redis cannot be reached nothing is sent or checked (fail closed: an open limiter is what
 * SMS pumping needs); the caller gets {@link IdaasErrorCodes#UPSTREAM_UNAVAILABLE}.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see InMemoryVerificationRateLimiter
 */
public final class RedisVerificationRateLimiter implements VerificationRateLimiter {

	/**
	 * The default prefix of the Redis keys.
	 */
	public static final String DEFAULT_KEY_PREFIX = "idaas:limit:";

	private static final Log logger = LogFactory.getLog(RedisVerificationRateLimiter.class);

	/**
	 * KEYS: the counters; ARGV[1]: the window in ms; ARGV[1 + i]: the limit of KEYS[i]. Returns 0
	 * when every key was counted, else the ms until the last exhausted window ends (nothing
	 * counted).
	 */
	private static final RedisScript<Long> ACQUIRE_SCRIPT = new DefaultRedisScript<>("""
			local window = tonumber(ARGV[1])
			local wait = 0
			for i, key in ipairs(KEYS) do
			  local count = tonumber(redis.call('GET', key) or '0')
			  if count >= tonumber(ARGV[i + 1]) then
			    local ttl = redis.call('PTTL', key)
			    if ttl < 0 then
			      redis.call('PEXPIRE', key, window)
			      ttl = window
			    end
			    if ttl > wait then wait = ttl end
			  end
			end
			if wait > 0 then return wait end
			for i, key in ipairs(KEYS) do
			  redis.call('INCR', key)
			  if redis.call('PTTL', key) < 0 then redis.call('PEXPIRE', key, window) end
			end
			return 0
			""", Long.class);

	private final StringRedisTemplate redisTemplate;

	private VerificationLimits limits = VerificationLimits.defaults();

	private String keyPrefix = DEFAULT_KEY_PREFIX;

	/**
	 * Creates the limiter.
	 * @param redisTemplate the template of the Redis shared by the nodes
	 * @since 0.1
	 */
	public RedisVerificationRateLimiter(StringRedisTemplate redisTemplate) {
		Assert.notNull(redisTemplate, "redisTemplate cannot be null");
		this.redisTemplate = redisTemplate;
	}

	/**
	 * Sets the limits and the window.
	 * @param limits the limits; defaults to {@link VerificationLimits#defaults()}
	 * @since 0.1
	 */
	public void setLimits(VerificationLimits limits) {
		Assert.notNull(limits, "limits cannot be null");
		this.limits = limits;
	}

	/**
	 * Sets the prefix of the Redis keys.
	 * @param keyPrefix the prefix; defaults to {@value #DEFAULT_KEY_PREFIX}
	 * @since 0.1
	 */
	public void setKeyPrefix(String keyPrefix) {
		Assert.hasText(keyPrefix, "keyPrefix cannot be empty");
		this.keyPrefix = keyPrefix;
	}

	@Override
	public void acquire(VerificationAction action, List<String> keys) {
		Assert.notNull(action, "action cannot be null");
		Assert.notNull(keys, "keys cannot be null");
		Set<String> distinct = new LinkedHashSet<>(keys);
		if (distinct.isEmpty()) {
			return;
		}
		VerificationLimits limits = this.limits;
		List<String> redisKeys = new ArrayList<>(distinct.size());
		List<String> args = new ArrayList<>(distinct.size() + 1);
		args.add(Long.toString(limits.window().toMillis()));
		for (String key : distinct) {
			args.add(Integer.toString(limits.limit(action, key)));
			redisKeys.add(redisKey(action, key));
		}
		Long wait;
		try {
			wait = this.redisTemplate.execute(ACQUIRE_SCRIPT, redisKeys, args.toArray());
		}
		catch (RuntimeException ex) {
			throw unavailable(ex);
		}
		if (wait != null && wait > 0) {
			throw new TooManyVerificationCodesException(InMemoryVerificationRateLimiter.describe(action),
					Duration.ofMillis(wait));
		}
	}

	@Override
	public void reset(VerificationAction action, List<String> keys) {
		Assert.notNull(action, "action cannot be null");
		Assert.notNull(keys, "keys cannot be null");
		if (keys.isEmpty()) {
			return;
		}
		List<String> redisKeys = keys.stream().map((key) -> redisKey(action, key)).toList();
		try {
			this.redisTemplate.delete(redisKeys);
		}
		catch (RuntimeException ex) {
			// the counters expire with their window; a user who just signed in is not failed for this
			logger.warn("Could not reset the verification limits in Redis", ex);
		}
	}

	/**
	 * The Redis key of a limiter key.
	 * @param action the action
	 * @param key a key from {@link VerificationLimitKeys#of}
	 * @return e.g. {@code idaas:limit:{code-send}:target:ab12...}
	 */
	String redisKey(VerificationAction action, String key) {
		VerificationLimitKeys.scopeOf(key);
		return this.keyPrefix + "{" + action.name().toLowerCase(Locale.ROOT).replace('_', '-') + "}:" + key;
	}

	private static IdaasAuthenticationException unavailable(RuntimeException ex) {
		logger.warn("Could not check the verification limits in Redis; refusing the request", ex);
		return new IdaasAuthenticationException(IdaasErrorCodes.UPSTREAM_UNAVAILABLE,
				"The verification limits could not be checked", IdaasErrorCategory.TRANSIENT, ex);
	}

}

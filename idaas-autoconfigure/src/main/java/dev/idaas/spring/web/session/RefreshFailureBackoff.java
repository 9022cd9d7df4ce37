package dev.idaas.spring.web.session;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.util.Assert;

/**
 * Per-session back-off after a transient refresh failure: a session whose refresh failed is not
 * tried again for {@link #getBackoff() the back-off}. The map is bounded: past
 * {@link #getMaxEntries() max-entries} sessions, elapsed entries are dropped first, then
 * arbitrary ones (a dropped session may only retry sooner). Keys are the refresher's session
 * keys, never tokens.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdTokenRefresher#setRefreshFailureBackoff(Duration)
 */
public final class RefreshFailureBackoff {

	/**
	 * The default bound.
	 */
	static final int DEFAULT_MAX_ENTRIES = 1024;

	private final ConcurrentHashMap<String, Long> retryAt = new ConcurrentHashMap<>();

	private final long backoffMillis;

	private final int maxEntries;

	/**
	 * Creates a back-off.
	 * @param backoff how long a failed session is not tried again, positive
	 * @param maxEntries the most sessions remembered, positive
	 * @since 0.1
	 */
	public RefreshFailureBackoff(Duration backoff, int maxEntries) {
		Assert.notNull(backoff, "backoff cannot be null");
		Assert.isTrue(backoff.toMillis() > 0, "backoff must be positive");
		Assert.isTrue(maxEntries > 0, "maxEntries must be positive");
		this.backoffMillis = backoff.toMillis();
		this.maxEntries = maxEntries;
	}

	/**
	 * The back-off after a failure.
	 * @return the duration
	 * @since 0.1
	 */
	public Duration getBackoff() {
		return Duration.ofMillis(this.backoffMillis);
	}

	/**
	 * The most sessions remembered.
	 * @return the bound
	 * @since 0.1
	 */
	public int getMaxEntries() {
		return this.maxEntries;
	}

	/**
	 * How long the session must still wait before its next refresh attempt.
	 * @param sessionKey the session
	 * @param now epoch milliseconds
	 * @return the remaining milliseconds, zero when it may try now
	 * @since 0.1
	 */
	public long remainingMillis(String sessionKey, long now) {
		Assert.notNull(sessionKey, "sessionKey cannot be null");
		Long until = this.retryAt.get(sessionKey);
		return (until != null && until > now) ? until - now : 0;
	}

	/**
	 * Records a failure: the session waits the back-off from {@code now}.
	 * @param sessionKey the session
	 * @param now epoch milliseconds
	 * @since 0.1
	 */
	public void failed(String sessionKey, long now) {
		Assert.notNull(sessionKey, "sessionKey cannot be null");
		if (this.retryAt.size() >= this.maxEntries && !this.retryAt.containsKey(sessionKey)) {
			this.retryAt.values().removeIf((until) -> until <= now);
			Iterator<String> keys = this.retryAt.keySet().iterator();
			while (this.retryAt.size() >= this.maxEntries && keys.hasNext()) {
				keys.next();
				keys.remove();
			}
		}
		this.retryAt.put(sessionKey, now + this.backoffMillis);
	}

	/**
	 * Forgets the session: after a successful refresh or a sign-out.
	 * @param sessionKey the session
	 * @since 0.1
	 */
	public void clear(String sessionKey) {
		Assert.notNull(sessionKey, "sessionKey cannot be null");
		this.retryAt.remove(sessionKey);
	}

	/**
	 * How many sessions are remembered now.
	 * @return the count
	 * @since 0.1
	 */
	public int size() {
		return this.retryAt.size();
	}

}

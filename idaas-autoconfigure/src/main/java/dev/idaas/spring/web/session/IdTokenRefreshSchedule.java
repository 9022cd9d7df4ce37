package dev.idaas.spring.web.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.authentication.IdaasSessionState;

import org.springframework.util.Assert;

/**
 * When the id_token of a sign-in is refreshed, when it has expired and when the sign-in is
 * over: pure arithmetic on the token's times and a {@link Clock}, without locks, I/O or
 * allocation.
 * <ul>
 * <li>Refresh at {@code exp - refreshAhead + jitter}: {@code refreshAhead} is clamped to half
 * the token's lifetime (so a short-lived token is not refreshed on every request), and the
 * per-session jitter (derived from the session token, at most {@code refreshJitter} and a
 * quarter of the effective refresh-ahead) keeps sessions signed in together from refreshing
 * together.</li>
 * <li>Expired at {@code exp} exactly and after.</li>
 * <li>Over at the session token's expiry, or {@code absoluteTimeout} after sign-in.</li>
 * </ul>
 *
 * @param clock the clock
 * @param refreshAhead how long before its expiry an id_token is refreshed
 * @param refreshJitter the largest per-session delay added to the refresh time
 * @param absoluteTimeout the longest a sign-in lasts, or {@code null} for no limit
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdTokenRefresher
 */
public record IdTokenRefreshSchedule(Clock clock, Duration refreshAhead, Duration refreshJitter,
		@Nullable Duration absoluteTimeout) {

	/**
	 * The defaults: system UTC clock, 60 s ahead, 5 s jitter, no absolute timeout.
	 */
	static final IdTokenRefreshSchedule DEFAULT = new IdTokenRefreshSchedule(Clock.systemUTC(),
			Duration.ofSeconds(60), Duration.ofSeconds(5), null);

	/**
	 * Creates the schedule.
	 */
	public IdTokenRefreshSchedule {
		Assert.notNull(clock, "clock cannot be null");
		Assert.notNull(refreshAhead, "refreshAhead cannot be null");
		Assert.isTrue(!refreshAhead.isNegative(), "refreshAhead cannot be negative");
		Assert.notNull(refreshJitter, "refreshJitter cannot be null");
		Assert.isTrue(!refreshJitter.isNegative(), "refreshJitter cannot be negative");
		Assert.isTrue(absoluteTimeout == null || !absoluteTimeout.isNegative(), "absoluteTimeout cannot be negative");
	}

	/**
	 * The current time of the clock.
	 * @return epoch milliseconds
	 * @since 0.1
	 */
	public long now() {
		return this.clock.millis();
	}

	/**
	 * When the authentication's id_token is due for a refresh.
	 * @param authentication the authentication
	 * @return epoch milliseconds, {@link Long#MAX_VALUE} for an id_token without {@code exp}
	 * @since 0.1
	 */
	public long refreshAt(IdaasAuthenticationToken authentication) {
		Assert.notNull(authentication, "authentication cannot be null");
		// the token's own copies of exp and iat: a token read back from a session is not parsed here
		Instant expiresAt = authentication.getIdTokenExpiresAt();
		if (expiresAt == null) {
			return Long.MAX_VALUE;
		}
		long exp = expiresAt.toEpochMilli();
		long ahead = this.refreshAhead.toMillis();
		Instant issuedAt = authentication.getIdTokenIssuedAt();
		if (issuedAt != null) {
			long halfLifetime = Math.max(0, (exp - issuedAt.toEpochMilli()) / 2);
			ahead = Math.min(ahead, halfLifetime);
		}
		long jitterRange = Math.min(this.refreshJitter.toMillis(), ahead / 4);
		long jitter = 0;
		if (jitterRange > 0) {
			int hash = authentication.getSessionState().sessionToken().hashCode();
			jitter = Math.floorMod(hash ^ (hash >>> 16), jitterRange);
		}
		return exp - ahead + jitter;
	}

	/**
	 * Whether the id_token is due for a refresh at {@code now}.
	 * @param authentication the authentication
	 * @param now epoch milliseconds
	 * @return {@code true} from {@link #refreshAt} on
	 * @since 0.1
	 */
	public boolean isDue(IdaasAuthenticationToken authentication, long now) {
		return now >= refreshAt(authentication);
	}

	/**
	 * Whether the id_token has expired at {@code now}: at its {@code exp} exactly and after.
	 * @param authentication the authentication
	 * @param now epoch milliseconds
	 * @return {@code true} when expired
	 * @since 0.1
	 */
	public boolean isExpired(IdaasAuthenticationToken authentication, long now) {
		Assert.notNull(authentication, "authentication cannot be null");
		Instant expiresAt = authentication.getIdTokenExpiresAt();
		return expiresAt != null && now >= expiresAt.toEpochMilli();
	}

	/**
	 * Whether the sign-in is over at {@code now}: its session token has expired or the
	 * absolute timeout has passed. IDaaS is not asked then.
	 * @param state the session state
	 * @param now epoch milliseconds
	 * @return {@code true} when over
	 * @since 0.1
	 */
	public boolean isSessionOver(IdaasSessionState state, long now) {
		Assert.notNull(state, "state cannot be null");
		if (now >= state.sessionTokenExpiresAt().toEpochMilli()) {
			return true;
		}
		Duration timeout = this.absoluteTimeout;
		return timeout != null && now >= state.signedInAt().toEpochMilli() + timeout.toMillis();
	}

	/**
	 * A copy with another clock.
	 * @param clock the clock
	 * @return the copy
	 * @since 0.1
	 */
	public IdTokenRefreshSchedule withClock(Clock clock) {
		return new IdTokenRefreshSchedule(clock, this.refreshAhead, this.refreshJitter, this.absoluteTimeout);
	}

	/**
	 * A copy with another refresh-ahead.
	 * @param refreshAhead the duration, zero or positive
	 * @return the copy
	 * @since 0.1
	 */
	public IdTokenRefreshSchedule withRefreshAhead(Duration refreshAhead) {
		return new IdTokenRefreshSchedule(this.clock, refreshAhead, this.refreshJitter, this.absoluteTimeout);
	}

	/**
	 * A copy with another largest jitter.
	 * @param refreshJitter the duration, zero or positive
	 * @return the copy
	 * @since 0.1
	 */
	public IdTokenRefreshSchedule withRefreshJitter(Duration refreshJitter) {
		return new IdTokenRefreshSchedule(this.clock, this.refreshAhead, refreshJitter, this.absoluteTimeout);
	}

	/**
	 * A copy with another absolute timeout.
	 * @param absoluteTimeout the timeout, or {@code null} for none
	 * @return the copy
	 * @since 0.1
	 */
	public IdTokenRefreshSchedule withAbsoluteTimeout(@Nullable Duration absoluteTimeout) {
		return new IdTokenRefreshSchedule(this.clock, this.refreshAhead, this.refreshJitter, absoluteTimeout);
	}

}

package dev.idaas.spring.web.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.idaas.spring.authentication.IdaasAuthenticationException;
import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.authentication.IdaasAuthenticationTokenFactory;
import dev.idaas.spring.authentication.IdaasSessionState;
import dev.idaas.spring.client.DeviceContext;
import dev.idaas.spring.client.IdaasApiException;
import dev.idaas.spring.client.IdaasClient;
import dev.idaas.spring.client.IdaasErrorCodes;
import dev.idaas.spring.client.TokenRefreshResult;
import dev.idaas.spring.web.DeviceContextResolver;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.util.Assert;

/**
 * Keeps the id_token of a signed-in IDaaS session fresh: refreshes it shortly before it
 * expires, stores the new authentication (and a rotated session token) in one step, and
 * applies the failure policy. Shared by {@link IdTokenRefreshFilter} (incoming requests) and
 * {@link IdaasBearerTokenInterceptor} (outgoing calls).
 * <p>
 * When: an id_token is refreshed once it expires within {@link #setRefreshAhead refresh-ahead}
 * (clamped to half its lifetime, so a short-lived token is not refreshed on every request),
 * moved later by a per-session jitter of up to {@link #setRefreshJitter refresh-jitter} so
 * sessions signed in together do not refresh together.
 * <p>
 * Single flight: the refresh of one session runs under its {@link IdTokenRefreshLock}. A
 * request that finds a refresh in flight goes on at once with its still-valid id_token; only a
 * request whose id_token has already expired waits (at most {@link #setWaitTimeout
 * wait-timeout}) and then re-reads the session. The lock holder also re-reads the session
 * first: another request or node may have refreshed already.
 * <p>
 * Failures:
 * <ul>
 * <li>past the session token's expiry or the absolute timeout: sign-out without calling
 * IDaaS ({@code IDAAS.STARTER.SESSION_EXPIRED});</li>
 * <li>invalid session token ({@code PARAM.0022/0023}): if the session meanwhile holds a newer
 * session token, one retry with it; otherwise sign-out;</li>
 * <li>a refreshed id_token of another user: sign-out ({@code IDAAS.STARTER.SUBJECT_CHANGED});
 * </li>
 * <li>anything else (busy, unreachable, read timeout, unreadable answer): never a sign-out.
 * The session is not tried again for {@link #setRefreshFailureBackoff refresh-failure-backoff};
 * a still-valid id_token keeps serving, an expired one gives
 * {@link IdTokenRefreshUnavailableException}.</li>
 * </ul>
 * Sign-out means: security context cleared and saved empty, HTTP session invalidated,
 * {@link IdaasSessionEndedEvent} published, {@link IdaasSessionExpiredException} thrown. The
 * HTTP session id is never changed by a refresh.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdTokenRefreshFilter
 * @see IdaasBearerTokenInterceptor
 */
public class IdTokenRefresher {

	private static final Log logger = LogFactory.getLog(IdTokenRefresher.class);

	private static final int BACKOFF_PURGE_THRESHOLD = 1024;

	private static final long ROTATED_TOKEN_POLL_MILLIS = 25;

	private final IdaasClient idaasClient;

	private final IdaasAuthenticationTokenFactory authenticationTokenFactory;

	private final DeviceContextResolver deviceContextResolver;

	private final ConcurrentHashMap<String, Long> backoffUntil = new ConcurrentHashMap<>();

	private SecurityContextRepository securityContextRepository = new HttpSessionSecurityContextRepository();

	private SecurityContextHolderStrategy securityContextHolderStrategy = SecurityContextHolder
		.getContextHolderStrategy();

	private IdTokenRefreshLock refreshLock = new InMemoryIdTokenRefreshLock();

	private @Nullable ApplicationEventPublisher eventPublisher;

	private Clock clock = Clock.systemUTC();

	private long refreshAheadMillis = 60_000;

	private long refreshJitterMillis = 5_000;

	private long refreshFailureBackoffMillis = 5_000;

	private long absoluteTimeoutMillis = -1;

	private Duration waitTimeout = Duration.ofSeconds(5);

	private Duration rotatedSessionTokenWait = Duration.ZERO;

	/**
	 * Creates a refresher.
	 * @param idaasClient calls the IDaaS refresh endpoint
	 * @param authenticationTokenFactory verifies the new id_token and builds the new
	 * authentication
	 * @param deviceContextResolver resolves the user's device facts sent to IDaaS
	 * @since 0.1
	 */
	public IdTokenRefresher(IdaasClient idaasClient, IdaasAuthenticationTokenFactory authenticationTokenFactory,
			DeviceContextResolver deviceContextResolver) {
		Assert.notNull(idaasClient, "idaasClient cannot be null");
		Assert.notNull(authenticationTokenFactory, "authenticationTokenFactory cannot be null");
		Assert.notNull(deviceContextResolver, "deviceContextResolver cannot be null");
		this.idaasClient = idaasClient;
		this.authenticationTokenFactory = authenticationTokenFactory;
		this.deviceContextResolver = deviceContextResolver;
	}

	/**
	 * Sets where the refreshed security context is saved and re-read from (default
	 * {@link HttpSessionSecurityContextRepository}). Use the same repository as the rest of the
	 * filter chain.
	 * @param securityContextRepository the repository
	 * @since 0.1
	 */
	public void setSecurityContextRepository(SecurityContextRepository securityContextRepository) {
		Assert.notNull(securityContextRepository, "securityContextRepository cannot be null");
		this.securityContextRepository = securityContextRepository;
	}

	/**
	 * Sets the {@link SecurityContextHolderStrategy} (default: the global one).
	 * @param securityContextHolderStrategy the strategy
	 * @since 0.1
	 */
	public void setSecurityContextHolderStrategy(SecurityContextHolderStrategy securityContextHolderStrategy) {
		Assert.notNull(securityContextHolderStrategy, "securityContextHolderStrategy cannot be null");
		this.securityContextHolderStrategy = securityContextHolderStrategy;
	}

	/**
	 * Sets the lock that makes the refresh of one session single-flight (default
	 * {@link InMemoryIdTokenRefreshLock}; {@link RedisIdTokenRefreshLock} for a cluster).
	 * @param refreshLock the lock
	 * @since 0.1
	 */
	public void setRefreshLock(IdTokenRefreshLock refreshLock) {
		Assert.notNull(refreshLock, "refreshLock cannot be null");
		this.refreshLock = refreshLock;
	}

	/**
	 * Sets the publisher of {@link IdTokenRefreshedEvent} and {@link IdaasSessionEndedEvent}
	 * (default: none, no events).
	 * @param eventPublisher the publisher
	 * @since 0.1
	 */
	public void setApplicationEventPublisher(ApplicationEventPublisher eventPublisher) {
		Assert.notNull(eventPublisher, "eventPublisher cannot be null");
		this.eventPublisher = eventPublisher;
	}

	/**
	 * Sets the clock (default: system UTC).
	 * @param clock the clock
	 * @since 0.1
	 */
	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	/**
	 * Sets how long before its expiry an id_token is refreshed
	 * ({@code idaas.id-token.refresh-ahead}, default 60 s). Clamped to half the token's
	 * lifetime.
	 * @param refreshAhead the duration, zero or positive
	 * @since 0.1
	 */
	public void setRefreshAhead(Duration refreshAhead) {
		Assert.notNull(refreshAhead, "refreshAhead cannot be null");
		Assert.isTrue(!refreshAhead.isNegative(), "refreshAhead cannot be negative");
		this.refreshAheadMillis = refreshAhead.toMillis();
	}

	/**
	 * Sets the largest per-session delay added to the refresh time (default 5 s), itself
	 * capped at a quarter of the effective refresh-ahead. Zero disables it.
	 * @param refreshJitter the largest jitter, zero or positive
	 * @since 0.1
	 */
	public void setRefreshJitter(Duration refreshJitter) {
		Assert.notNull(refreshJitter, "refreshJitter cannot be null");
		Assert.isTrue(!refreshJitter.isNegative(), "refreshJitter cannot be negative");
		this.refreshJitterMillis = refreshJitter.toMillis();
	}

	/**
	 * Sets how long a session is not tried again after a refresh failed transiently
	 * ({@code idaas.id-token.refresh-failure-backoff}, default 5 s). Also the
	 * {@code Retry-After} of a {@code 503}.
	 * @param refreshFailureBackoff the duration, positive
	 * @since 0.1
	 */
	public void setRefreshFailureBackoff(Duration refreshFailureBackoff) {
		Assert.notNull(refreshFailureBackoff, "refreshFailureBackoff cannot be null");
		Assert.isTrue(refreshFailureBackoff.toMillis() > 0, "refreshFailureBackoff must be positive");
		this.refreshFailureBackoffMillis = refreshFailureBackoff.toMillis();
	}

	/**
	 * Sets the longest a sign-in lasts regardless of session token renewal
	 * ({@code idaas.session.absolute-timeout}, default none).
	 * @param absoluteTimeout the timeout, or {@code null} for none
	 * @since 0.1
	 */
	public void setAbsoluteTimeout(@Nullable Duration absoluteTimeout) {
		Assert.isTrue(absoluteTimeout == null || !absoluteTimeout.isNegative(), "absoluteTimeout cannot be negative");
		this.absoluteTimeoutMillis = (absoluteTimeout != null) ? absoluteTimeout.toMillis() : -1;
	}

	/**
	 * Sets how long a request whose id_token has expired waits for the refresh in flight
	 * (default 5 s; set it to {@code idaas.http.read-timeout}).
	 * @param waitTimeout the timeout
	 * @since 0.1
	 */
	public void setWaitTimeout(Duration waitTimeout) {
		Assert.notNull(waitTimeout, "waitTimeout cannot be null");
		Assert.isTrue(!waitTimeout.isNegative(), "waitTimeout cannot be negative");
		this.waitTimeout = waitTimeout;
	}

	/**
	 * Sets how long a refresh that IDaaS rejected for an invalid session token keeps re-reading
	 * the session for a rotated token before signing the user out (default zero: sign out at
	 * once). Nodes that share sessions without a cluster-wide {@link IdTokenRefreshLock} can
	 * call IDaaS together with the same token; rotation then rejects the later call while the
	 * earlier one is still storing the new token. Useless on a single node, where the lock
	 * makes such calls impossible.
	 * @param rotatedSessionTokenWait the longest wait, zero or positive
	 * @since 0.1
	 * @see SpringSessionSecurityContextRepository
	 */
	public void setRotatedSessionTokenWait(Duration rotatedSessionTokenWait) {
		Assert.notNull(rotatedSessionTokenWait, "rotatedSessionTokenWait cannot be null");
		Assert.isTrue(!rotatedSessionTokenWait.isNegative(), "rotatedSessionTokenWait cannot be negative");
		this.rotatedSessionTokenWait = rotatedSessionTokenWait;
	}

	/**
	 * Whether the authentication needs {@link #refresh}: its id_token is due for a refresh or
	 * its session is over. Allocation-free and lock-free; called on every request.
	 * @param authentication the current authentication
	 * @return {@code true} when {@link #refresh} has something to do
	 * @since 0.1
	 */
	public boolean requiresRefresh(IdaasAuthenticationToken authentication) {
		long now = this.clock.millis();
		return now >= refreshAt(authentication) || isSessionOver(authentication.getSessionState(), now);
	}

	/**
	 * Returns the authentication the request should use, refreshing the id_token first when it
	 * is due. A refreshed authentication is set in the {@link SecurityContextHolderStrategy} and
	 * saved through the {@link SecurityContextRepository}.
	 * @param current the request's current authentication
	 * @param request the request
	 * @param response the response
	 * @return the authentication to use: {@code current}, or a refreshed one
	 * @throws IdaasSessionExpiredException when the session has ended and the user was signed
	 * out
	 * @throws IdTokenRefreshUnavailableException when the id_token has expired and could not be
	 * refreshed for now; the user stays signed in
	 * @since 0.1
	 */
	public IdaasAuthenticationToken refresh(IdaasAuthenticationToken current, HttpServletRequest request,
			HttpServletResponse response) {
		Assert.notNull(current, "current cannot be null");
		Assert.notNull(request, "request cannot be null");
		Assert.notNull(response, "response cannot be null");
		long now = this.clock.millis();
		String sessionKey = sessionKey(request, current);
		if (isSessionOver(current.getSessionState(), now)) {
			throw endSession(current, sessionKey, request, response, IdaasSessionEndReason.ABSOLUTE_EXPIRY,
					IdaasErrorCodes.SESSION_EXPIRED, null);
		}
		if (now < refreshAt(current)) {
			return current;
		}
		boolean expired = isExpired(current, now);
		Long retryAt = this.backoffUntil.get(sessionKey);
		if (retryAt != null && now < retryAt) {
			if (!expired) {
				return current;
			}
			throw new IdTokenRefreshUnavailableException(IdaasErrorCodes.UPSTREAM_UNAVAILABLE,
					Duration.ofMillis(retryAt - now), null);
		}
		IdTokenRefreshLock.Handle lock = this.refreshLock.tryLock(sessionKey);
		if (lock == null) {
			if (!expired) {
				// Another request is refreshing; this one goes on with its still-valid id_token
				return current;
			}
			return awaitOtherRefresh(current, sessionKey, request);
		}
		try {
			IdaasAuthenticationToken stored = reload(request);
			if (stored != null && isNewer(stored, current)) {
				// Another request or node refreshed while this one was getting the lock
				setInHolder(stored);
				if (this.clock.millis() < refreshAt(stored)) {
					return stored;
				}
				current = stored;
			}
			return callIdaas(current, sessionKey, request, response, true);
		}
		finally {
			lock.release();
		}
	}

	private IdaasAuthenticationToken awaitOtherRefresh(IdaasAuthenticationToken current, String sessionKey,
			HttpServletRequest request) {
		boolean released;
		try {
			released = this.refreshLock.awaitUnlocked(sessionKey, this.waitTimeout);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			released = false;
		}
		long now = this.clock.millis();
		if (released) {
			IdaasAuthenticationToken stored = reload(request);
			if (stored == null) {
				if (request.getSession(false) == null) {
					// The refresh in flight signed the user out
					this.securityContextHolderStrategy.clearContext();
					throw new IdaasSessionExpiredException(IdaasErrorCodes.SESSION_EXPIRED,
							IdaasSessionEndReason.INVALID_SESSION_TOKEN, null);
				}
			}
			else if (isSameUser(stored, current) && !isExpired(stored, now)) {
				setInHolder(stored);
				return stored;
			}
		}
		Long retryAt = this.backoffUntil.get(sessionKey);
		long retryAfter = (retryAt != null && retryAt > now) ? retryAt - now : this.refreshFailureBackoffMillis;
		throw new IdTokenRefreshUnavailableException(
				released ? IdaasErrorCodes.UPSTREAM_UNAVAILABLE : IdaasErrorCodes.UPSTREAM_TIMEOUT,
				Duration.ofMillis(retryAfter), null);
	}

	private IdaasAuthenticationToken callIdaas(IdaasAuthenticationToken current, String sessionKey,
			HttpServletRequest request, HttpServletResponse response, boolean mayRetry) {
		DeviceContext device = this.deviceContextResolver.resolve(request, response);
		IdaasSessionState state = current.getSessionState();
		TokenRefreshResult result;
		try {
			result = this.idaasClient.refreshIdToken(state.sessionToken(), device);
		}
		catch (IdaasApiException ex) {
			return onIdaasError(current, sessionKey, request, response, ex, mayRetry);
		}
		boolean rotated = !state.sessionToken().equals(result.sessionToken());
		IdaasAuthenticationToken refreshed;
		try {
			refreshed = this.authenticationTokenFactory.refreshed(current, result);
		}
		catch (IdaasAuthenticationException ex) {
			if (IdaasAuthenticationTokenFactory.SUBJECT_CHANGED.equals(ex.getErrorCode())) {
				throw endSession(current, sessionKey, request, response, IdaasSessionEndReason.SUBJECT_CHANGED,
						ex.getErrorCode(), ex);
			}
			IdaasAuthenticationToken kept = current;
			if (rotated) {
				// The old session token is dead now: keep the new one even though its id_token
				// is not usable, or the next refresh would sign the user out
				IdaasSessionState renewed = state.refreshed(result.sessionToken(),
						this.clock.instant().plus(result.sessionExpiresIn()));
				kept = current.withRefreshed(current.getPrincipal(), current.getAuthorities(), renewed);
				store(kept, request, response);
			}
			return onTransientFailure(kept, sessionKey, ex.getErrorCode(), ex);
		}
		store(refreshed, request, response);
		this.backoffUntil.remove(sessionKey);
		if (logger.isDebugEnabled()) {
			logger.debug("Refreshed the id_token of " + refreshed.getName() + " (session token rotated: " + rotated
					+ ")");
		}
		publish(new IdTokenRefreshedEvent(refreshed.getName(), rotated, refreshed.getSessionState().refreshCount(),
				refreshed.getIdToken().getExpiresAt(), this.clock));
		return refreshed;
	}

	private IdaasAuthenticationToken onIdaasError(IdaasAuthenticationToken current, String sessionKey,
			HttpServletRequest request, HttpServletResponse response, IdaasApiException ex, boolean mayRetry) {
		switch (ex.getCategory()) {
			case INVALID_SESSION, USER_DISABLED -> {
				if (mayRetry) {
					IdaasAuthenticationToken stored = reloadRotated(current, request);
					if (stored != null) {
						// Another request or node rotated the session token meanwhile
						setInHolder(stored);
						if (this.clock.millis() < refreshAt(stored)) {
							return stored;
						}
						return callIdaas(stored, sessionKey, request, response, false);
					}
				}
				throw endSession(current, sessionKey, request, response, IdaasSessionEndReason.INVALID_SESSION_TOKEN,
						ex.getErrorCode(), ex);
			}
			default -> {
				return onTransientFailure(current, sessionKey, ex.getErrorCode(), ex);
			}
		}
	}

	private IdaasAuthenticationToken onTransientFailure(IdaasAuthenticationToken current, String sessionKey,
			String errorCode, RuntimeException ex) {
		long now = this.clock.millis();
		if (this.backoffUntil.size() > BACKOFF_PURGE_THRESHOLD) {
			this.backoffUntil.values().removeIf((until) -> until <= now);
		}
		this.backoffUntil.put(sessionKey, now + this.refreshFailureBackoffMillis);
		boolean expired = isExpired(current, now);
		logger.warn("Could not refresh the id_token of " + current.getName() + " (" + errorCode + "); "
				+ (expired ? "it has expired, answering 503" : "serving the still-valid one") + " and not trying again for "
				+ this.refreshFailureBackoffMillis + " ms");
		if (!expired) {
			return current;
		}
		throw new IdTokenRefreshUnavailableException(errorCode, Duration.ofMillis(this.refreshFailureBackoffMillis),
				ex);
	}

	private IdaasSessionExpiredException endSession(IdaasAuthenticationToken current, String sessionKey,
			HttpServletRequest request, HttpServletResponse response, IdaasSessionEndReason reason, String errorCode,
			@Nullable Throwable cause) {
		this.securityContextHolderStrategy.clearContext();
		this.securityContextRepository.saveContext(this.securityContextHolderStrategy.createEmptyContext(), request,
				response);
		HttpSession session = request.getSession(false);
		if (session != null) {
			try {
				session.invalidate();
			}
			catch (IllegalStateException ex) {
				// already invalidated by a concurrent request
			}
		}
		this.backoffUntil.remove(sessionKey);
		logger.info("Signed out " + current.getName() + ": the IDaaS session ended (" + reason + ", " + errorCode + ")");
		publish(new IdaasSessionEndedEvent(current.getName(), current.getIdToken().getSubject(), reason, errorCode,
				this.clock));
		return new IdaasSessionExpiredException(errorCode, reason, cause);
	}

	private void store(IdaasAuthenticationToken authentication, HttpServletRequest request,
			HttpServletResponse response) {
		SecurityContext context = this.securityContextHolderStrategy.createEmptyContext();
		context.setAuthentication(authentication);
		this.securityContextHolderStrategy.setContext(context);
		this.securityContextRepository.saveContext(context, request, response);
	}

	private void setInHolder(IdaasAuthenticationToken authentication) {
		SecurityContext context = this.securityContextHolderStrategy.createEmptyContext();
		context.setAuthentication(authentication);
		this.securityContextHolderStrategy.setContext(context);
	}

	private @Nullable IdaasAuthenticationToken reload(HttpServletRequest request) {
		SecurityContext context = this.securityContextRepository.loadDeferredContext(request).get();
		Authentication authentication = (context != null) ? context.getAuthentication() : null;
		return (authentication instanceof IdaasAuthenticationToken idaas) ? idaas : null;
	}

	/**
	 * The stored authentication of the same user with another session token, re-read for up to
	 * {@link #setRotatedSessionTokenWait rotated-session-token-wait}; {@code null} when none
	 * appears.
	 */
	private @Nullable IdaasAuthenticationToken reloadRotated(IdaasAuthenticationToken current,
			HttpServletRequest request) {
		// Wall time, not this.clock: the wait is for another node's write, not for token expiry
		long deadline = System.nanoTime() + this.rotatedSessionTokenWait.toNanos();
		while (true) {
			IdaasAuthenticationToken stored = reload(request);
			if (stored != null && isSameUser(stored, current)
					&& !stored.getSessionState().sessionToken().equals(current.getSessionState().sessionToken())) {
				return stored;
			}
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				return null;
			}
			try {
				Thread.sleep(Math.min(TimeUnit.NANOSECONDS.toMillis(remaining) + 1, ROTATED_TOKEN_POLL_MILLIS));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return null;
			}
		}
	}

	private void publish(ApplicationEvent event) {
		ApplicationEventPublisher publisher = this.eventPublisher;
		if (publisher != null) {
			publisher.publishEvent(event);
		}
	}

	private long refreshAt(IdaasAuthenticationToken authentication) {
		OidcIdToken idToken = authentication.getIdToken();
		Instant expiresAt = idToken.getExpiresAt();
		if (expiresAt == null) {
			return Long.MAX_VALUE;
		}
		long exp = expiresAt.toEpochMilli();
		long ahead = this.refreshAheadMillis;
		Instant issuedAt = idToken.getIssuedAt();
		if (issuedAt != null) {
			long halfLifetime = Math.max(0, (exp - issuedAt.toEpochMilli()) / 2);
			ahead = Math.min(ahead, halfLifetime);
		}
		long jitterRange = Math.min(this.refreshJitterMillis, ahead / 4);
		long jitter = 0;
		if (jitterRange > 0) {
			int hash = authentication.getSessionState().sessionToken().hashCode();
			jitter = Math.floorMod(hash ^ (hash >>> 16), jitterRange);
		}
		return exp - ahead + jitter;
	}

	private boolean isSessionOver(IdaasSessionState state, long now) {
		if (now >= state.sessionTokenExpiresAt().toEpochMilli()) {
			return true;
		}
		return this.absoluteTimeoutMillis >= 0 && now >= state.signedInAt().toEpochMilli() + this.absoluteTimeoutMillis;
	}

	private static boolean isExpired(IdaasAuthenticationToken authentication, long now) {
		Instant expiresAt = authentication.getIdToken().getExpiresAt();
		return expiresAt != null && now >= expiresAt.toEpochMilli();
	}

	private static boolean isNewer(IdaasAuthenticationToken stored, IdaasAuthenticationToken current) {
		return stored != current && isSameUser(stored, current)
				&& (!stored.getSessionState().sessionToken().equals(current.getSessionState().sessionToken())
						|| !stored.getIdToken().getTokenValue().equals(current.getIdToken().getTokenValue()));
	}

	private static boolean isSameUser(IdaasAuthenticationToken one, IdaasAuthenticationToken other) {
		// iss as a string: URL#equals would resolve host names
		return Objects.equals(one.getIdToken().getSubject(), other.getIdToken().getSubject())
				&& Objects.equals(one.getIdToken().getClaimAsString(IdTokenClaimNames.ISS),
						other.getIdToken().getClaimAsString(IdTokenClaimNames.ISS));
	}

	/**
	 * The key of the session in the lock and the back-off map: the HTTP session id when there
	 * is a session (stable, since a refresh never changes it), else the sign-in itself.
	 */
	private static String sessionKey(HttpServletRequest request, IdaasAuthenticationToken authentication) {
		HttpSession session = request.getSession(false);
		if (session != null) {
			return session.getId();
		}
		return authentication.getName() + "@" + authentication.getSessionState().signedInAt().toEpochMilli();
	}

}

package dev.idaas.spring.web.session;

import java.time.Clock;
import java.time.Duration;

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
import dev.idaas.spring.client.IdaasErrorCategory;
import dev.idaas.spring.client.IdaasErrorCodes;
import dev.idaas.spring.client.TokenRefreshResult;
import dev.idaas.spring.web.DeviceContextResolver;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
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
 * Failures, by what they mean ({@link IdaasErrorCategory}):
 * <table>
 * <caption>What a failed refresh leads to</caption>
 * <tr><th>failure</th><th>outcome</th><th>user sees</th></tr>
 * <tr><td>past the session token's expiry or the absolute timeout (IDaaS not called)</td>
 * <td>sign-out, {@link IdaasSessionEndReason#ABSOLUTE_EXPIRY}</td>
 * <td>{@code IDAAS.STARTER.SESSION_EXPIRED}</td></tr>
 * <tr><td>{@link IdaasErrorCategory#INVALID_SESSION INVALID_SESSION} ({@code PARAM.0022/0023}),
 * {@link IdaasErrorCategory#USER_DISABLED USER_DISABLED} ({@code USER.0039})</td>
 * <td>if the session meanwhile holds a newer session token, one retry with it; otherwise sign-out,
 * {@link IdaasSessionEndReason#INVALID_SESSION_TOKEN}</td>
 * <td>the code's bundled text</td></tr>
 * <tr><td>{@link IdaasErrorCategory#VENDOR_REFUSED VENDOR_REFUSED} (a well-formed code the
 * starter does not know, HTTP 4xx, e.g. {@code IDAAS.SDK.RISK.0001})</td>
 * <td>as an invalid session token: one retry with a newer session token if the session holds
 * one, otherwise sign-out, {@link IdaasSessionEndReason#VENDOR_REFUSED}; neither the session's
 * back-off nor the node's circuit counts it</td>
 * <td>the vendor's {@code error_msg}, with the vendor's code</td></tr>
 * <tr><td>a refreshed id_token of another user</td>
 * <td>sign-out, {@link IdaasSessionEndReason#SUBJECT_CHANGED}</td>
 * <td>{@code IDAAS.STARTER.SUBJECT_CHANGED}</td></tr>
 * <tr><td>{@link IdaasErrorCategory#TRANSIENT TRANSIENT} (busy, 5xx, unreachable),
 * {@link IdaasErrorCategory#UNKNOWN_OUTCOME UNKNOWN_OUTCOME} (read timeout),
 * {@link IdaasErrorCategory#PROTOCOL PROTOCOL} (unreadable answer),
 * {@link IdaasErrorCategory#CLIENT_CONFIGURATION CLIENT_CONFIGURATION} ({@code PARAM.0001-0003},
 * the operator's to fix), every other category, a refreshed id_token that fails
 * verification</td>
 * <td>never a sign-out. The {@link RefreshFailureBackoff} decides when to try again: the session
 * backs off exponentially with jitter, and the node lets only one refresh per probe interval
 * through until one succeeds</td>
 * <td>a still-valid id_token keeps serving; an expired one gives
 * {@link IdTokenRefreshUnavailableException} ({@code 503}) with the session's remaining
 * wait</td></tr>
 * </table>
 * Sign-out means: security context cleared and saved empty, HTTP session invalidated,
 * {@link IdaasSessionEndedEvent} published, {@link IdaasSessionExpiredException} thrown (see
 * {@link IdaasSessionTerminator}). The HTTP session id is never changed by a refresh.
 * <p>
 * Storing: a refreshed authentication is stored only into the HTTP session the refresh started
 * in, and never creates a session. If that session was invalidated (a logout) or replaced
 * meanwhile, nothing is stored and the request is answered as signed out
 * ({@link IdaasSessionEndReason#LOGOUT}). Under the lock the stored authentication is re-read
 * first: a store never replaces a newer {@link IdaasSessionState#generation() generation} of the
 * same sign-in. A request without an HTTP session keeps the refreshed authentication for itself
 * only.
 * <p>
 * Roles: {@link IdTokenRefreshSchedule} (when), {@link RefreshFailureBackoff} (transient
 * failures), {@link IdaasSessionTerminator} (sign-out); this class calls IDaaS and stores.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdTokenRefreshFilter
 * @see IdaasBearerTokenInterceptor
 */
public class IdTokenRefresher {

	private static final Log logger = LogFactory.getLog(IdTokenRefresher.class);

	private final IdaasClient idaasClient;

	private final IdaasAuthenticationTokenFactory authenticationTokenFactory;

	private final DeviceContextResolver deviceContextResolver;

	private final IdaasSessionTerminator terminator = new IdaasSessionTerminator();

	private final RefreshedAuthenticationStore store = new RefreshedAuthenticationStore(this.terminator);

	private volatile IdTokenRefreshSchedule schedule = IdTokenRefreshSchedule.DEFAULT;

	private volatile RefreshFailureBackoff backoff = new RefreshFailureBackoff(Duration.ofSeconds(5));

	private SecurityContextHolderStrategy securityContextHolderStrategy = SecurityContextHolder
		.getContextHolderStrategy();

	private IdTokenRefreshLock refreshLock = new InMemoryIdTokenRefreshLock();

	private @Nullable ApplicationEventPublisher eventPublisher;

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
		this.store.setSecurityContextRepository(securityContextRepository);
		this.terminator.setSecurityContextRepository(securityContextRepository);
	}

	/**
	 * Sets the {@link SecurityContextHolderStrategy} (default: the global one).
	 * @param securityContextHolderStrategy the strategy
	 * @since 0.1
	 */
	public void setSecurityContextHolderStrategy(SecurityContextHolderStrategy securityContextHolderStrategy) {
		Assert.notNull(securityContextHolderStrategy, "securityContextHolderStrategy cannot be null");
		this.securityContextHolderStrategy = securityContextHolderStrategy;
		this.store.setSecurityContextHolderStrategy(securityContextHolderStrategy);
		this.terminator.setSecurityContextHolderStrategy(securityContextHolderStrategy);
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
		this.terminator.setApplicationEventPublisher(eventPublisher);
	}

	/**
	 * Sets the clock (default: system UTC).
	 * @param clock the clock
	 * @since 0.1
	 */
	public void setClock(Clock clock) {
		// the schedule refuses null ("clock cannot be null") before anything changes
		this.schedule = this.schedule.withClock(clock);
		this.terminator.setClock(clock);
	}

	/**
	 * Sets how long before its expiry an id_token is refreshed
	 * ({@code idaas.id-token.refresh-ahead}, default 60 s). Clamped to half the token's
	 * lifetime.
	 * @param refreshAhead the duration, zero or positive
	 * @since 0.1
	 */
	public void setRefreshAhead(Duration refreshAhead) {
		// the schedule refuses null and negative ("refreshAhead cannot be ...")
		this.schedule = this.schedule.withRefreshAhead(refreshAhead);
	}

	/**
	 * Sets the largest per-session delay added to the refresh time (default 5 s), itself
	 * capped at a quarter of the effective refresh-ahead. Zero disables it.
	 * @param refreshJitter the largest jitter, zero or positive
	 * @since 0.1
	 */
	public void setRefreshJitter(Duration refreshJitter) {
		// the schedule refuses null and negative ("refreshJitter cannot be ...")
		this.schedule = this.schedule.withRefreshJitter(refreshJitter);
	}

	/**
	 * Sets how long a session is not tried again after its first transient refresh failure
	 * ({@code idaas.id-token.refresh-failure-backoff}, default 5 s), with the defaults of
	 * {@link RefreshFailureBackoff#RefreshFailureBackoff(Duration)} for the rest. Also the
	 * {@code Retry-After} of the first {@code 503}.
	 * @param refreshFailureBackoff the duration, positive
	 * @since 0.1
	 */
	public void setRefreshFailureBackoff(Duration refreshFailureBackoff) {
		Assert.notNull(refreshFailureBackoff, "refreshFailureBackoff cannot be null");
		Assert.isTrue(refreshFailureBackoff.toMillis() > 0, "refreshFailureBackoff must be positive");
		this.backoff = new RefreshFailureBackoff(refreshFailureBackoff);
	}

	/**
	 * Sets the policy for retrying after transient refresh failures: per-session exponential
	 * back-off with jitter, and the node's circuit (default: 5 s, up to 30 s, one probe a
	 * second).
	 * @param refreshFailureBackoff the policy
	 * @since 0.1
	 */
	public void setRefreshFailureBackoff(RefreshFailureBackoff refreshFailureBackoff) {
		Assert.notNull(refreshFailureBackoff, "refreshFailureBackoff cannot be null");
		this.backoff = refreshFailureBackoff;
	}

	/**
	 * Sets the longest a sign-in lasts regardless of session token renewal
	 * ({@code idaas.session.absolute-timeout}, default none).
	 * @param absoluteTimeout the timeout, or {@code null} for none
	 * @since 0.1
	 */
	public void setAbsoluteTimeout(@Nullable Duration absoluteTimeout) {
		// the schedule refuses a negative one ("absoluteTimeout cannot be negative")
		this.schedule = this.schedule.withAbsoluteTimeout(absoluteTimeout);
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
	 * once). Since stores are ordered by {@link IdaasSessionState#generation() generation}, a
	 * stale copy no longer overwrites a rotated token; what this wait still covers is two nodes
	 * that share sessions <em>without</em> a cluster-wide {@link IdTokenRefreshLock} (or whose
	 * lock timed out) calling IDaaS together with the same token: rotation then rejects the later
	 * call while the earlier one is still storing the new token. Useless on a single node, where
	 * the lock makes such calls impossible.
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
		IdTokenRefreshSchedule schedule = this.schedule;
		long now = schedule.now();
		return schedule.isDue(authentication, now) || schedule.isSessionOver(authentication.getSessionState(), now);
	}

	/**
	 * Returns the authentication the request should use, refreshing the id_token first when it
	 * is due. A refreshed authentication is set in the {@link SecurityContextHolderStrategy} and
	 * saved through the {@link SecurityContextRepository} into the HTTP session the refresh
	 * started in (never a new one).
	 * @param current the request's current authentication
	 * @param request the request
	 * @param response the response
	 * @return the authentication to use: {@code current}, or a refreshed one
	 * @throws IdaasSessionExpiredException when the session has ended and the user was signed
	 * out, or the HTTP session was invalidated (a logout) while refreshing
	 * @throws IdTokenRefreshUnavailableException when the id_token has expired and could not be
	 * refreshed for now; the user stays signed in
	 * @since 0.1
	 */
	public IdaasAuthenticationToken refresh(IdaasAuthenticationToken current, HttpServletRequest request,
			HttpServletResponse response) {
		Assert.notNull(current, "current cannot be null");
		Assert.notNull(request, "request cannot be null");
		Assert.notNull(response, "response cannot be null");
		IdTokenRefreshSchedule schedule = this.schedule;
		long now = schedule.now();
		HttpSession session = request.getSession(false);
		Refresh refresh = new Refresh(request, response, (session != null) ? session.getId() : null,
				sessionKey(session, current), schedule);
		if (schedule.isSessionOver(current.getSessionState(), now)) {
			throw endSession(current, refresh, IdaasSessionEndReason.ABSOLUTE_EXPIRY, IdaasErrorCodes.SESSION_EXPIRED,
					null);
		}
		if (!schedule.isDue(current, now)) {
			return current;
		}
		boolean expired = schedule.isExpired(current, now);
		// Held back by the session's own back-off or by the node's open circuit
		long wait = this.backoff.acquire(refresh.sessionKey(), now);
		if (wait > 0) {
			if (!expired) {
				return current;
			}
			throw new IdTokenRefreshUnavailableException(IdaasErrorCodes.UPSTREAM_UNAVAILABLE, Duration.ofMillis(wait),
					null);
		}
		IdTokenRefreshLock.Handle lock = this.refreshLock.tryLock(refresh.sessionKey());
		if (lock == null) {
			if (!expired) {
				// Another request is refreshing; this one goes on with its still-valid id_token
				return current;
			}
			return awaitOtherRefresh(current, refresh);
		}
		try {
			IdaasAuthenticationToken stored = this.store.load(request);
			if (stored == null && refresh.sessionEnded()) {
				throw this.terminator.signedOutMeanwhile(current);
			}
			if (stored != null && isNewer(stored, current)) {
				// Another request or node refreshed while this one was getting the lock
				this.store.use(stored);
				if (!schedule.isDue(stored, schedule.now())) {
					return stored;
				}
				current = stored;
			}
			return callIdaas(current, refresh, true);
		}
		finally {
			lock.release();
		}
	}

	private IdaasAuthenticationToken awaitOtherRefresh(IdaasAuthenticationToken current, Refresh refresh) {
		boolean released;
		try {
			released = this.refreshLock.awaitUnlocked(refresh.sessionKey(), this.waitTimeout);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			released = false;
		}
		long now = refresh.schedule().now();
		if (released) {
			IdaasAuthenticationToken stored = this.store.load(refresh.request());
			if (stored == null) {
				if (refresh.request().getSession(false) == null) {
					// The refresh in flight signed the user out
					this.securityContextHolderStrategy.clearContext();
					throw new IdaasSessionExpiredException(IdaasErrorCodes.SESSION_EXPIRED,
							IdaasSessionEndReason.INVALID_SESSION_TOKEN, null);
				}
			}
			else if (RefreshedAuthenticationStore.isSameUser(stored, current) && !refresh.schedule().isExpired(stored, now)) {
				this.store.use(stored);
				return stored;
			}
		}
		long retryAfter = this.backoff.remainingMillis(refresh.sessionKey(), now);
		if (retryAfter == 0) {
			retryAfter = this.backoff.getBackoff().toMillis();
		}
		throw new IdTokenRefreshUnavailableException(
				released ? IdaasErrorCodes.UPSTREAM_UNAVAILABLE : IdaasErrorCodes.UPSTREAM_TIMEOUT,
				Duration.ofMillis(retryAfter), null);
	}

	private IdaasAuthenticationToken callIdaas(IdaasAuthenticationToken current, Refresh refresh, boolean mayRetry) {
		DeviceContext device = this.deviceContextResolver.resolve(refresh.request(), refresh.response());
		IdaasSessionState state = current.getSessionState();
		TokenRefreshResult result;
		try {
			result = this.idaasClient.refreshIdToken(state.sessionToken(), device);
		}
		catch (IdaasApiException ex) {
			return onIdaasError(current, refresh, ex, mayRetry);
		}
		boolean rotated = !state.sessionToken().equals(result.sessionToken());
		IdaasAuthenticationToken refreshed;
		try {
			refreshed = this.authenticationTokenFactory.refreshed(current, result);
		}
		catch (IdaasAuthenticationException ex) {
			if (IdaasAuthenticationTokenFactory.SUBJECT_CHANGED.equals(ex.getErrorCode())) {
				throw endSession(current, refresh, IdaasSessionEndReason.SUBJECT_CHANGED, ex.getErrorCode(), ex);
			}
			IdaasAuthenticationToken kept = current;
			if (rotated) {
				// The old session token is dead now: keep the new one even though its id_token
				// is not usable, or the next refresh would sign the user out
				IdaasSessionState renewed = state.refreshed(result.sessionToken(),
						refresh.schedule().clock().instant().plus(result.sessionExpiresIn()));
				kept = this.store.store(
						current.withRefreshed(current.getPrincipal(), current.getAuthorities(), renewed), current,
						refresh.request(), refresh.response(), refresh.sessionId());
			}
			return onTransientFailure(kept, refresh, ex.getErrorCode(), ex);
		}
		IdaasAuthenticationToken kept = this.store.store(refreshed, current, refresh.request(), refresh.response(),
				refresh.sessionId());
		this.backoff.succeeded(refresh.sessionKey(), refresh.schedule().now());
		if (logger.isDebugEnabled()) {
			logger.debug("Refreshed the id_token of " + refreshed.getName() + " (session token rotated: " + rotated
					+ ")");
		}
		publish(new IdTokenRefreshedEvent(refreshed.getName(), rotated, refreshed.getSessionState().refreshCount(),
				refreshed.getIdToken().getExpiresAt(), refresh.schedule().clock()));
		return kept;
	}

	private IdaasAuthenticationToken onIdaasError(IdaasAuthenticationToken current, Refresh refresh,
			IdaasApiException ex, boolean mayRetry) {
		switch (ex.getCategory()) {
			case INVALID_SESSION, USER_DISABLED -> {
				return onSessionRefused(current, refresh, ex, mayRetry, IdaasSessionEndReason.INVALID_SESSION_TOKEN);
			}
			case VENDOR_REFUSED -> {
				// The vendor's answer about this session, not an outage: no back-off, no circuit
				return onSessionRefused(current, refresh, ex, mayRetry, IdaasSessionEndReason.VENDOR_REFUSED);
			}
			default -> {
				return onTransientFailure(current, refresh, ex.getErrorCode(), ex);
			}
		}
	}

	/**
	 * IDaaS said no to this session token. A token another request or node rotated meanwhile is
	 * tried once first: the refusal may be about the old token only.
	 */
	private IdaasAuthenticationToken onSessionRefused(IdaasAuthenticationToken current, Refresh refresh,
			IdaasApiException ex, boolean mayRetry, IdaasSessionEndReason reason) {
		if (mayRetry) {
			IdaasAuthenticationToken stored = this.store.awaitRotated(current, refresh.request(),
					this.rotatedSessionTokenWait);
			if (stored != null) {
				// Another request or node rotated the session token meanwhile
				this.store.use(stored);
				if (!refresh.schedule().isDue(stored, refresh.schedule().now())) {
					return stored;
				}
				return callIdaas(stored, refresh, false);
			}
		}
		throw endSession(current, refresh, reason, ex.getErrorCode(), ex);
	}

	private IdaasAuthenticationToken onTransientFailure(IdaasAuthenticationToken current, Refresh refresh,
			String errorCode, RuntimeException ex) {
		long now = refresh.schedule().now();
		long backoffMillis = this.backoff.failed(refresh.sessionKey(), now);
		if (!refresh.schedule().isExpired(current, now)) {
			logger.warn("Could not refresh the id_token of " + current.getName() + " (" + errorCode
					+ "); serving the still-valid one and not trying again for " + backoffMillis + " ms");
			return current;
		}
		logger.warn("Could not refresh the id_token of " + current.getName() + " (" + errorCode
				+ "); it has expired, answering 503 and not trying again for " + backoffMillis + " ms");
		throw new IdTokenRefreshUnavailableException(errorCode, Duration.ofMillis(backoffMillis), ex);
	}

	private IdaasSessionExpiredException endSession(IdaasAuthenticationToken current, Refresh refresh,
			IdaasSessionEndReason reason, String errorCode, @Nullable Throwable cause) {
		this.backoff.clear(refresh.sessionKey());
		return this.terminator.endSession(current, refresh.request(), refresh.response(), reason, errorCode, cause);
	}

	private void publish(ApplicationEvent event) {
		ApplicationEventPublisher publisher = this.eventPublisher;
		if (publisher != null) {
			publisher.publishEvent(event);
		}
	}

	private static boolean isNewer(IdaasAuthenticationToken stored, IdaasAuthenticationToken current) {
		return stored != current && RefreshedAuthenticationStore.isSameUser(stored, current)
				&& !current.getSessionState().supersedes(stored.getSessionState())
				&& (!stored.getSessionState().sessionToken().equals(current.getSessionState().sessionToken())
						|| !stored.getIdToken().getTokenValue().equals(current.getIdToken().getTokenValue()));
	}

	/**
	 * The key of the session in the lock and the back-off map: the HTTP session id when there
	 * is a session (stable, since a refresh never changes it), else the sign-in itself.
	 */
	private static String sessionKey(@Nullable HttpSession session, IdaasAuthenticationToken authentication) {
		if (session != null) {
			return session.getId();
		}
		return authentication.getName() + "@" + authentication.getSessionState().signedInAt().toEpochMilli();
	}

	/**
	 * One refresh: the request, and the HTTP session it started in.
	 */
	private record Refresh(HttpServletRequest request, HttpServletResponse response, @Nullable String sessionId,
			String sessionKey, IdTokenRefreshSchedule schedule) {

		/**
		 * Whether the HTTP session the refresh started in is gone or replaced.
		 */
		boolean sessionEnded() {
			return RefreshedAuthenticationStore.sessionEnded(this.request, this.sessionId);
		}

	}

}

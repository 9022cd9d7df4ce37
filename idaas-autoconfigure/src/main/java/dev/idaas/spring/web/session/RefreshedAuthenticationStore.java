package dev.idaas.spring.web.session;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.util.Assert;

/**
 * Reads and writes the authentication of a refresh for {@link IdTokenRefresher}, under its
 * lock:
 * <ul>
 * <li>stores only into the HTTP session the refresh started in, and never creates one (the
 * repository sees a request whose {@code getSession(true)} does not create);</li>
 * <li>re-reads before writing, and never replaces a newer
 * {@link dev.idaas.spring.authentication.IdaasSessionState#generation() generation} of the same
 * sign-in;</li>
 * <li>when that session ended meanwhile (a logout), stores nothing and has the
 * {@link IdaasSessionTerminator} answer the request as signed out.</li>
 * </ul>
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
final class RefreshedAuthenticationStore {

	private static final long ROTATED_TOKEN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

	private final IdaasSessionTerminator terminator;

	private SecurityContextRepository securityContextRepository = new HttpSessionSecurityContextRepository();

	private SecurityContextHolderStrategy securityContextHolderStrategy = SecurityContextHolder
		.getContextHolderStrategy();

	RefreshedAuthenticationStore(IdaasSessionTerminator terminator) {
		Assert.notNull(terminator, "terminator cannot be null");
		this.terminator = terminator;
	}

	void setSecurityContextRepository(SecurityContextRepository securityContextRepository) {
		// asserted by the caller (IdTokenRefresher), before any of its parts changes
		this.securityContextRepository = securityContextRepository;
	}

	void setSecurityContextHolderStrategy(SecurityContextHolderStrategy securityContextHolderStrategy) {
		// asserted by the caller (IdTokenRefresher), before any of its parts changes
		this.securityContextHolderStrategy = securityContextHolderStrategy;
	}

	/**
	 * Stores a refreshed authentication.
	 * @param refreshed the refreshed authentication
	 * @param current the authentication the refresh started from
	 * @param request the request
	 * @param response the response
	 * @param sessionId the id of the HTTP session the refresh started in, {@code null} for none
	 * @return what the request goes on with: {@code refreshed}, or the newer stored one
	 * @throws IdaasSessionExpiredException when the session ended meanwhile
	 */
	IdaasAuthenticationToken store(IdaasAuthenticationToken refreshed, IdaasAuthenticationToken current,
			HttpServletRequest request, HttpServletResponse response, @Nullable String sessionId) {
		if (sessionId == null) {
			// No HTTP session: this request keeps the refreshed authentication, none is created
			use(refreshed);
			return refreshed;
		}
		if (sessionEnded(request, sessionId)) {
			throw this.terminator.signedOutMeanwhile(current);
		}
		IdaasAuthenticationToken stored = load(request);
		if (stored == null && sessionEnded(request, sessionId)) {
			throw this.terminator.signedOutMeanwhile(current);
		}
		if (stored != null && stored.getSessionState().supersedes(refreshed.getSessionState())) {
			// A newer copy is stored already; writing this one would bring back a retired token
			use(stored);
			return stored;
		}
		SecurityContext context = this.securityContextHolderStrategy.createEmptyContext();
		context.setAuthentication(refreshed);
		try {
			this.securityContextRepository.saveContext(context, new ExistingSessionRequest(request), response);
		}
		catch (IllegalStateException ex) {
			// The session was invalidated between the check and the write
			throw this.terminator.signedOutMeanwhile(current);
		}
		if (sessionEnded(request, sessionId)) {
			throw this.terminator.signedOutMeanwhile(current);
		}
		this.securityContextHolderStrategy.setContext(context);
		return refreshed;
	}

	/**
	 * Sets the authentication in this request's security context only.
	 * @param authentication the authentication
	 */
	void use(IdaasAuthenticationToken authentication) {
		SecurityContext context = this.securityContextHolderStrategy.createEmptyContext();
		context.setAuthentication(authentication);
		this.securityContextHolderStrategy.setContext(context);
	}

	/**
	 * The stored IDaaS authentication, as the repository has it now.
	 * @param request the request
	 * @return the authentication, or {@code null}
	 */
	@Nullable IdaasAuthenticationToken load(HttpServletRequest request) {
		SecurityContext context = this.securityContextRepository
			.loadDeferredContext(new ExistingSessionRequest(request))
			.get();
		Authentication authentication = (context != null) ? context.getAuthentication() : null;
		return (authentication instanceof IdaasAuthenticationToken idaas) ? idaas : null;
	}

	/**
	 * The stored authentication of the same user with another session token, re-read for up to
	 * {@code wait}; {@code null} when none appears.
	 * @param current the authentication whose token IDaaS rejected
	 * @param request the request
	 * @param wait the longest wait
	 * @return the rotated authentication, or {@code null}
	 */
	@Nullable IdaasAuthenticationToken awaitRotated(IdaasAuthenticationToken current, HttpServletRequest request,
			Duration wait) {
		// Wall time, not the clock: the wait is for another node's write, not for token expiry
		long deadline = System.nanoTime() + wait.toNanos();
		while (true) {
			IdaasAuthenticationToken stored = load(request);
			if (stored != null && isSameUser(stored, current)
					&& !stored.getSessionState().sessionToken().equals(current.getSessionState().sessionToken())) {
				return stored;
			}
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				return null;
			}
			// parks keep the interrupt flag: an interrupted request stops waiting and keeps it
			LockSupport.parkNanos(Math.min(remaining, ROTATED_TOKEN_POLL_NANOS));
			if (Thread.currentThread().isInterrupted()) {
				return null;
			}
		}
	}

	/**
	 * Whether the HTTP session a refresh started in is gone or replaced.
	 * @param request the request
	 * @param sessionId the id at the start, {@code null} for none
	 * @return {@code true} when it had one and it is gone or replaced
	 */
	static boolean sessionEnded(HttpServletRequest request, @Nullable String sessionId) {
		if (sessionId == null) {
			return false;
		}
		HttpSession session = request.getSession(false);
		return session == null || !sessionId.equals(session.getId());
	}

	static boolean isSameUser(IdaasAuthenticationToken one, IdaasAuthenticationToken other) {
		// iss as a string: URL#equals would resolve host names
		return Objects.equals(one.getIdToken().getSubject(), other.getIdToken().getSubject())
				&& Objects.equals(one.getIdToken().getClaimAsString(IdTokenClaimNames.ISS),
						other.getIdToken().getClaimAsString(IdTokenClaimNames.ISS));
	}

	/**
	 * The request as the repository sees it: {@code getSession(true)} never creates a session
	 * (a logout may have invalidated it a moment ago).
	 */
	private static final class ExistingSessionRequest extends HttpServletRequestWrapper {

		ExistingSessionRequest(HttpServletRequest request) {
			super(request);
		}

		@Override
		public @Nullable HttpSession getSession(boolean create) {
			return super.getSession(false);
		}

		@Override
		public @Nullable HttpSession getSession() {
			return super.getSession(false);
		}

	}

}

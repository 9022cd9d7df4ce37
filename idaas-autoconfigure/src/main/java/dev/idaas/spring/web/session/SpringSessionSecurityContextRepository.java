package dev.idaas.spring.web.session;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.authentication.IdaasSessionState;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.DeferredSecurityContext;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.HttpRequestResponseHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.util.Assert;

/**
 * The {@link SecurityContextRepository} of {@link IdTokenRefresher} when sessions are shared
 * through Spring Session: reads and writes the security context in the
 * {@link SessionRepository} itself rather than in the request's copy of the session.
 * <p>
 * {@link SessionRepositoryFilter} loads a session once per request and writes it back when
 * the response completes. Under the refresh lock, that copy is too old to show another node's
 * refresh, and the refreshed context it holds would reach the store only after the lock is
 * released, so the next node would call IDaaS again with a session token that rotation has
 * already invalidated. Worse, a slow request's copy written back at its end would put an old
 * session token back over a newer one (a lost update, spring-session #508). This repository
 * therefore
 * <ul>
 * <li>loads the context from {@link SessionRepository#findById(String)};</li>
 * <li>saves it only into the stored session, at once, before the refresher releases its lock,
 * and never into the request's copy, so the copy's end-of-request write does not carry it
 * (Spring Session writes back only the attributes a request set, by default);</li>
 * <li>never replaces a stored authentication of a newer
 * {@link IdaasSessionState#generation() generation} of the same sign-in;</li>
 * <li>never re-creates a session that is no longer stored (signed out or expired on another
 * node): it invalidates the request's copy instead, so the end of the request does not write it
 * back either.</li>
 * </ul>
 * Meant for the refresher, which reads and writes only under the lock or after a refresh; the
 * filter chain keeps its usual repository. Not covered: a {@code SaveMode} other than
 * {@code ON_SET_ATTRIBUTE}, where every request writes back the context it read.
 *
 * <pre class="code">
 * refresher.setSecurityContextRepository(new SpringSessionSecurityContextRepository(sessionRepository));
 * </pre>
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdTokenRefresher#setSecurityContextRepository(SecurityContextRepository)
 * @see RedisIdTokenRefreshLock
 */
public final class SpringSessionSecurityContextRepository implements SecurityContextRepository {

	private final SessionRepository<? extends Session> sessionRepository;

	private SecurityContextHolderStrategy securityContextHolderStrategy = SecurityContextHolder
		.getContextHolderStrategy();

	private String springSecurityContextKey = HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY;

	/**
	 * Creates the repository.
	 * @param sessionRepository the Spring Session repository shared by every node
	 * @since 0.1
	 */
	public SpringSessionSecurityContextRepository(SessionRepository<? extends Session> sessionRepository) {
		Assert.notNull(sessionRepository, "sessionRepository cannot be null");
		this.sessionRepository = sessionRepository;
	}

	/**
	 * Sets the session attribute holding the context (default
	 * {@link HttpSessionSecurityContextRepository#SPRING_SECURITY_CONTEXT_KEY}); the same as the
	 * filter chain's {@link HttpSessionSecurityContextRepository}.
	 * @param springSecurityContextKey the attribute name
	 * @since 0.1
	 */
	public void setSpringSecurityContextKey(String springSecurityContextKey) {
		Assert.hasText(springSecurityContextKey, "springSecurityContextKey cannot be empty");
		this.springSecurityContextKey = springSecurityContextKey;
	}

	/**
	 * Sets the {@link SecurityContextHolderStrategy} that creates empty contexts (default: the
	 * global one).
	 * @param securityContextHolderStrategy the strategy
	 * @since 0.1
	 */
	public void setSecurityContextHolderStrategy(SecurityContextHolderStrategy securityContextHolderStrategy) {
		Assert.notNull(securityContextHolderStrategy, "securityContextHolderStrategy cannot be null");
		this.securityContextHolderStrategy = securityContextHolderStrategy;
	}

	/**
	 * Loads the context as currently stored, ignoring the request's copy of the session.
	 * @param request the request
	 * @return the stored context, or a generated empty one when the session holds none or is
	 * gone
	 * @since 0.1
	 */
	@Override
	public DeferredSecurityContext loadDeferredContext(HttpServletRequest request) {
		Assert.notNull(request, "request cannot be null");
		return new StoredSecurityContext(request);
	}

	/**
	 * Loads the context as currently stored.
	 * @param requestResponseHolder the request
	 * @return the stored context, or an empty one
	 * @deprecated use {@link #loadDeferredContext(HttpServletRequest)}
	 */
	@Override
	@Deprecated
	public SecurityContext loadContext(HttpRequestResponseHolder requestResponseHolder) {
		return loadDeferredContext(requestResponseHolder.getRequest()).get();
	}

	/**
	 * Saves the context into the stored session (not the request's copy), unless the stored
	 * one holds a newer generation of the same sign-in. When the session is no longer stored,
	 * nothing is saved and the request's copy is invalidated.
	 * @param context the context; an empty one removes the stored authentication
	 * @param request the request
	 * @param response the response
	 * @since 0.1
	 */
	@Override
	public void saveContext(SecurityContext context, HttpServletRequest request, HttpServletResponse response) {
		Assert.notNull(context, "context cannot be null");
		HttpSession session = request.getSession(false);
		if (session == null) {
			return;
		}
		if (!writeThrough(this.sessionRepository, session.getId(), context)) {
			try {
				session.invalidate();
			}
			catch (IllegalStateException ex) {
				// already invalidated
			}
		}
	}

	@Override
	public boolean containsContext(HttpServletRequest request) {
		return findStoredContext(request) != null;
	}

	/**
	 * Writes the context into the stored session.
	 * @return {@code false} when the session is no longer stored
	 */
	private <S extends Session> boolean writeThrough(SessionRepository<S> repository, String sessionId,
			SecurityContext context) {
		S stored = repository.findById(sessionId);
		if (stored == null) {
			return false;
		}
		Authentication authentication = context.getAuthentication();
		if (authentication != null) {
			Object current = stored.getAttribute(this.springSecurityContextKey);
			if (authentication instanceof IdaasAuthenticationToken saving
					&& current instanceof SecurityContext currentContext
					&& currentContext.getAuthentication() instanceof IdaasAuthenticationToken newer
					&& newer.getSessionState().supersedes(saving.getSessionState())) {
				// An older copy of this sign-in: writing it would bring back a retired token
				return true;
			}
			stored.setAttribute(this.springSecurityContextKey, context);
		}
		else {
			stored.removeAttribute(this.springSecurityContextKey);
		}
		repository.save(stored);
		return true;
	}

	private @Nullable SecurityContext findStoredContext(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		if (session == null) {
			return null;
		}
		Session stored = this.sessionRepository.findById(session.getId());
		Object context = (stored != null) ? stored.getAttribute(this.springSecurityContextKey) : null;
		return (context instanceof SecurityContext securityContext) ? securityContext : null;
	}

	private final class StoredSecurityContext implements DeferredSecurityContext {

		private final HttpServletRequest request;

		private @Nullable SecurityContext context;

		private boolean generated;

		StoredSecurityContext(HttpServletRequest request) {
			this.request = request;
		}

		@Override
		public SecurityContext get() {
			SecurityContext context = this.context;
			if (context == null) {
				context = findStoredContext(this.request);
				if (context == null) {
					context = SpringSessionSecurityContextRepository.this.securityContextHolderStrategy
						.createEmptyContext();
					this.generated = true;
				}
				this.context = context;
			}
			return context;
		}

		@Override
		public boolean isGenerated() {
			get();
			return this.generated;
		}

	}

}

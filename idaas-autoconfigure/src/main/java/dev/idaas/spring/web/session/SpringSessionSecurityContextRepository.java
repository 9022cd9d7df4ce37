package dev.idaas.spring.web.session;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

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
 * already invalidated. This repository therefore
 * <ul>
 * <li>loads the context from {@link SessionRepository#findById(String)}, and</li>
 * <li>saves it into the request's session (so the end-of-request write agrees) and at once
 * into the stored session, before the refresher releases its lock.</li>
 * </ul>
 * A session that is no longer stored (signed out or expired on another node) is never
 * re-created. Meant for the refresher, which reads and writes only under the lock or after a
 * refresh; the filter chain keeps its usual repository.
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

	private final HttpSessionSecurityContextRepository requestSessionRepository = new HttpSessionSecurityContextRepository();

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
		this.requestSessionRepository.setSpringSecurityContextKey(springSecurityContextKey);
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
		this.requestSessionRepository.setSecurityContextHolderStrategy(securityContextHolderStrategy);
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
	 * Saves the context in the request's session and writes it through to the stored session.
	 * @param context the context; an empty one removes the stored authentication
	 * @param request the request
	 * @param response the response
	 * @since 0.1
	 */
	@Override
	public void saveContext(SecurityContext context, HttpServletRequest request, HttpServletResponse response) {
		Assert.notNull(context, "context cannot be null");
		this.requestSessionRepository.saveContext(context, request, response);
		HttpSession session = request.getSession(false);
		if (session != null) {
			writeThrough(this.sessionRepository, session.getId(), context);
		}
	}

	@Override
	public boolean containsContext(HttpServletRequest request) {
		return findStoredContext(request) != null;
	}

	private <S extends Session> void writeThrough(SessionRepository<S> repository, String sessionId,
			SecurityContext context) {
		S stored = repository.findById(sessionId);
		if (stored == null) {
			return;
		}
		if (context.getAuthentication() != null) {
			stored.setAttribute(this.springSecurityContextKey, context);
		}
		else {
			stored.removeAttribute(this.springSecurityContextKey);
		}
		repository.save(stored);
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

package dev.idaas.spring.web.session;

import java.time.Clock;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.client.IdaasErrorCodes;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.util.Assert;

/**
 * Ends signed-in IDaaS sessions for {@link IdTokenRefresher}: the one place that signs a user
 * out when the IDaaS session is over.
 * <ul>
 * <li>{@link #endSession}: the IDaaS session ended (expired, rejected, another subject). The
 * security context is cleared and saved empty, the HTTP session invalidated, an
 * {@link IdaasSessionEndedEvent} published, and the exception to throw returned.</li>
 * <li>{@link #signedOutMeanwhile}: the HTTP session the request started with was invalidated
 * (a logout) or replaced while the request was refreshing. Only this request's security
 * context is cleared; nothing is saved, so no session is created or revived, and no event is
 * published (the logout has its own).</li>
 * </ul>
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdTokenRefresher
 */
public final class IdaasSessionTerminator {

	private static final Log logger = LogFactory.getLog(IdaasSessionTerminator.class);

	private SecurityContextRepository securityContextRepository = new HttpSessionSecurityContextRepository();

	private SecurityContextHolderStrategy securityContextHolderStrategy = SecurityContextHolder
		.getContextHolderStrategy();

	private @Nullable ApplicationEventPublisher eventPublisher;

	private Clock clock = Clock.systemUTC();

	/**
	 * Creates a terminator with the default strategies.
	 * @since 0.1
	 */
	public IdaasSessionTerminator() {
	}

	/**
	 * Sets where the empty security context is saved (default
	 * {@link HttpSessionSecurityContextRepository}).
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
	 * Sets the publisher of {@link IdaasSessionEndedEvent} (default: none).
	 * @param eventPublisher the publisher
	 * @since 0.1
	 */
	public void setApplicationEventPublisher(ApplicationEventPublisher eventPublisher) {
		Assert.notNull(eventPublisher, "eventPublisher cannot be null");
		this.eventPublisher = eventPublisher;
	}

	/**
	 * Sets the clock of the events (default: system UTC).
	 * @param clock the clock
	 * @since 0.1
	 */
	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	/**
	 * Signs the user out because the IDaaS session ended.
	 * @param current the authentication of the ended session
	 * @param request the request
	 * @param response the response
	 * @param reason why it ended
	 * @param errorCode the IDaaS or starter error code
	 * @param cause the failure, if any
	 * @return the exception to throw
	 * @since 0.1
	 */
	public IdaasSessionExpiredException endSession(IdaasAuthenticationToken current, HttpServletRequest request,
			HttpServletResponse response, IdaasSessionEndReason reason, String errorCode, @Nullable Throwable cause) {
		Assert.notNull(current, "current cannot be null");
		Assert.notNull(request, "request cannot be null");
		Assert.notNull(response, "response cannot be null");
		Assert.notNull(reason, "reason cannot be null");
		Assert.hasText(errorCode, "errorCode cannot be empty");
		this.securityContextHolderStrategy.clearContext();
		HttpSession session = request.getSession(false);
		if (session != null) {
			this.securityContextRepository.saveContext(this.securityContextHolderStrategy.createEmptyContext(),
					request, response);
			try {
				session.invalidate();
			}
			catch (IllegalStateException ex) {
				// already invalidated by a concurrent request
			}
		}
		logger.info("Signed out " + current.getName() + ": the IDaaS session ended (" + reason + ", " + errorCode + ")");
		ApplicationEventPublisher publisher = this.eventPublisher;
		if (publisher != null) {
			publisher.publishEvent(new IdaasSessionEndedEvent(current.getName(), current.getIdToken().getSubject(),
					reason, errorCode, this.clock));
		}
		return new IdaasSessionExpiredException(errorCode, reason, cause);
	}

	/**
	 * Treats the request as signed out because its HTTP session ended (or was replaced) while it
	 * was refreshing: clears this request's security context, saves nothing.
	 * @param current the authentication the request started with
	 * @return the exception to throw ({@code IDAAS.STARTER.SESSION_EXPIRED}, reason
	 * {@link IdaasSessionEndReason#LOGOUT})
	 * @since 0.1
	 */
	public IdaasSessionExpiredException signedOutMeanwhile(IdaasAuthenticationToken current) {
		Assert.notNull(current, "current cannot be null");
		this.securityContextHolderStrategy.clearContext();
		if (logger.isDebugEnabled()) {
			logger.debug("Not storing the refreshed id_token of " + current.getName()
					+ ": the HTTP session ended while refreshing");
		}
		return new IdaasSessionExpiredException(IdaasErrorCodes.SESSION_EXPIRED, IdaasSessionEndReason.LOGOUT, null);
	}

}

package dev.idaas.spring.authentication;

import java.io.Serial;

import dev.idaas.spring.client.AppleLoginResult.PendingSocialFlow;

import org.springframework.security.core.AuthenticationException;
import org.springframework.util.Assert;

/**
 * Signals that IDaaS answered an Apple login with {@code SOCIAL_BIND} or
 * {@code USER_REGISTER}: the user is not signed in yet and must finish a bind or register
 * flow. Handled by the branch handler, which keeps the pending flow in the session.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public class IdaasSocialFlowRequiredException extends AuthenticationException {

	@Serial
	private static final long serialVersionUID = 1L;

	private final transient PendingSocialFlow pendingFlow;

	private final transient AppleAuthorizationCodeAuthenticationToken request;

	/**
	 * Creates the exception.
	 * @param pendingFlow the pending flow (holds the state token)
	 * @param request the login request that led to it
	 */
	public IdaasSocialFlowRequiredException(PendingSocialFlow pendingFlow,
			AppleAuthorizationCodeAuthenticationToken request) {
		super("IDaaS requires a " + pendingFlow.branch() + " flow");
		Assert.notNull(request, "request cannot be null");
		this.pendingFlow = pendingFlow;
		this.request = request;
	}

	/**
	 * The pending flow.
	 * @return the pending flow
	 */
	public PendingSocialFlow getPendingFlow() {
		return this.pendingFlow;
	}

	/**
	 * The login request that led to the flow.
	 * @return the request
	 */
	public AppleAuthorizationCodeAuthenticationToken getLoginRequest() {
		return this.request;
	}

}

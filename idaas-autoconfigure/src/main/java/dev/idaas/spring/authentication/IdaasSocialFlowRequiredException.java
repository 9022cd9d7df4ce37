package dev.idaas.spring.authentication;

import java.io.Serial;

import org.jspecify.annotations.Nullable;

import dev.idaas.spring.client.AppleLoginResult.PendingSocialFlow;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.util.Assert;

/**
 * Signals that IDaaS answered with {@code SOCIAL_BIND}, {@code USER_REGISTER} or
 * {@code MFA_AUTH}: the user is not signed in yet and must finish a flow. Thrown by an Apple
 * login, or by a bind or register that needs a second factor. Handled by the branch handler,
 * which keeps the pending flow in the session.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public class IdaasSocialFlowRequiredException extends AuthenticationException {

	@Serial
	private static final long serialVersionUID = 1L;

	private final transient PendingSocialFlow pendingFlow;

	private final transient Authentication request;

	/**
	 * Creates the exception for an Apple login.
	 * @param pendingFlow the pending flow (holds the state token)
	 * @param request the login request that led to it
	 */
	public IdaasSocialFlowRequiredException(PendingSocialFlow pendingFlow,
			AppleAuthorizationCodeAuthenticationToken request) {
		this(pendingFlow, (Authentication) request);
	}

	/**
	 * Creates the exception for a bind or register that needs a second factor.
	 * @param pendingFlow the pending flow (holds the new state token)
	 * @param request the finish request that led to it
	 * @since 0.1
	 */
	public IdaasSocialFlowRequiredException(PendingSocialFlow pendingFlow, IdaasSocialFlowAuthenticationToken request) {
		this(pendingFlow, (Authentication) request);
	}

	private IdaasSocialFlowRequiredException(PendingSocialFlow pendingFlow, Authentication request) {
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
	 * The request that led to the flow: an {@link AppleAuthorizationCodeAuthenticationToken}
	 * or an {@link IdaasSocialFlowAuthenticationToken}.
	 * @return the request
	 * @since 0.1
	 */
	public Authentication getRequest() {
		return this.request;
	}

	/**
	 * The Apple login request that led to the flow.
	 * @return the request, or {@code null} when a bind or register led to it
	 */
	public @Nullable AppleAuthorizationCodeAuthenticationToken getLoginRequest() {
		return (this.request instanceof AppleAuthorizationCodeAuthenticationToken login) ? login : null;
	}

	/**
	 * The name Apple sent on the first sign-in.
	 * @return the name, or {@code null}
	 * @since 0.1
	 */
	public @Nullable AppleUserName getAppleUserName() {
		if (this.request instanceof AppleAuthorizationCodeAuthenticationToken login) {
			return login.getAppleUserName();
		}
		return (this.request instanceof IdaasSocialFlowAuthenticationToken flow) ? flow.getAppleUserName() : null;
	}

}

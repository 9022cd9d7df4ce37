package dev.idaas.spring.authentication;

import java.io.Serial;

import org.jspecify.annotations.Nullable;

import dev.idaas.spring.client.IdaasErrorCategory;

/**
 * A failed finish of a bind, register or second-factor flow after which the flow cannot go on:
 * IDaaS reported the state token unknown or expired ({@code COMMON.1007}), denied access, or
 * accepted the code but the sign-in could not be completed (the state token is spent). The web
 * layer forgets the pending flow; the user must sign in with Apple again.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSocialFlowAuthenticationProvider
 */
public class IdaasSocialFlowEndedException extends IdaasAuthenticationException {

	@Serial
	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param errorCode the IDaaS or starter error code
	 * @param description an English description (never a token)
	 * @param category what the error means for the caller
	 * @param cause the cause, or {@code null}
	 */
	public IdaasSocialFlowEndedException(String errorCode, String description, IdaasErrorCategory category,
			@Nullable Throwable cause) {
		super(errorCode, description, category, cause);
	}

}

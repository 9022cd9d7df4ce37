package dev.idaas.spring.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.idaas.spring.client.IdaasErrorCodes;
import dev.idaas.spring.client.IdaasErrorMessages;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.util.Assert;

/**
 * Answers an unauthenticated JSON request with {@code 401} and
 * {@code {"error_code":IdaasErrorCodes.UNAUTHENTICATED,"error_msg":..}} in the request's
 * language, instead of redirecting to a login page.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public final class IdaasJsonAuthenticationEntryPoint implements AuthenticationEntryPoint {

	/**
	 * Error code of a request that needs a signed-in user.
	 */
	public static final String UNAUTHENTICATED = IdaasErrorCodes.UNAUTHENTICATED;

	private final IdaasErrorMessages messages;

	/**
	 * Creates an entry point.
	 * @param messages the localized error texts
	 */
	public IdaasJsonAuthenticationEntryPoint(IdaasErrorMessages messages) {
		Assert.notNull(messages, "messages cannot be null");
		this.messages = messages;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException authException) throws IOException {
		JsonResponseWriter.writeError(response, HttpServletResponse.SC_UNAUTHORIZED, UNAUTHENTICATED,
				this.messages.getMessage(UNAUTHENTICATED, request.getLocale()));
	}

}

package dev.idaas.spring.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import dev.idaas.spring.client.IdaasErrorCodes;
import dev.idaas.spring.authentication.IdaasAuthenticationException;
import dev.idaas.spring.client.IdaasErrorMessages;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.Assert;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Answers a failed IDaaS login. A browser is redirected to the failure URL (default
 * {@code /login?error}) with the error code appended as {@code code}, so the page can show
 * the localized message; the exception is also kept under
 * {@link WebAttributes#AUTHENTICATION_EXCEPTION} as Spring Security does, by
 * {@link LastAuthenticationFailure}, so the page can show the vendor's own words for a code the
 * starter does not know. A JSON request gets
 * {@code {"error_code":..,"error_msg":..}} in its language with a status that says what went
 * wrong: 401 denied or invalid token, 403 disabled, 400 bad request, 502 unintelligible
 * upstream answer, 503 upstream busy or unreachable.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public final class IdaasAuthenticationFailureHandler implements AuthenticationFailureHandler {

	/**
	 * Error code of a failure that is not an IDaaS error.
	 */
	public static final String UNKNOWN_ERROR = IdaasErrorCodes.UNKNOWN_ERROR;

	private final String failureUrl;

	private final IdaasErrorMessages messages;

	private RequestMatcher jsonRequestMatcher = JsonRequestMatcher.INSTANCE;

	private RedirectStrategy redirectStrategy = new DefaultRedirectStrategy();

	/**
	 * Creates a handler.
	 * @param failureUrl where browsers go, e.g. {@code /login?error}
	 * @param messages the localized error texts
	 */
	public IdaasAuthenticationFailureHandler(String failureUrl, IdaasErrorMessages messages) {
		Assert.isTrue(LocalRedirects.isLocal(failureUrl), "failureUrl must be a local path");
		Assert.notNull(messages, "messages cannot be null");
		this.failureUrl = failureUrl;
		this.messages = messages;
	}

	/**
	 * Sets which requests get JSON answers.
	 * @param jsonRequestMatcher the matcher
	 */
	public void setJsonRequestMatcher(RequestMatcher jsonRequestMatcher) {
		Assert.notNull(jsonRequestMatcher, "jsonRequestMatcher cannot be null");
		this.jsonRequestMatcher = jsonRequestMatcher;
	}

	/**
	 * Sets the redirect strategy.
	 * @param redirectStrategy the strategy
	 */
	public void setRedirectStrategy(RedirectStrategy redirectStrategy) {
		Assert.notNull(redirectStrategy, "redirectStrategy cannot be null");
		this.redirectStrategy = redirectStrategy;
	}

	@Override
	public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException {
		String errorCode = errorCode(exception);
		if (this.jsonRequestMatcher.matches(request)) {
			JsonResponseWriter.writeError(response, ErrorStatuses.of(exception).value(), errorCode,
					this.messages.getMessage(errorCode, vendorMessage(exception), request.getLocale()));
			return;
		}
		LastAuthenticationFailure.save(request, exception);
		String target = UriComponentsBuilder.fromUriString(this.failureUrl)
			.queryParam("code", errorCode)
			.encode()
			.build()
			.toUriString();
		this.redirectStrategy.sendRedirect(request, response, target);
	}

	/**
	 * The vendor's own words for a code the starter does not know; bundled texts win for known
	 * codes.
	 */
	static @Nullable String vendorMessage(@Nullable Object exception) {
		return (exception instanceof IdaasAuthenticationException idaas) ? idaas.getVendorMessage() : null;
	}

	static String errorCode(AuthenticationException exception) {
		return (exception instanceof IdaasAuthenticationException idaas) ? idaas.getErrorCode() : UNKNOWN_ERROR;
	}

}

package dev.idaas.spring.web.flow;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.idaas.spring.authentication.IdaasAuthenticationException;
import dev.idaas.spring.client.IdaasErrorCodes;
import dev.idaas.spring.client.IdaasErrorMessages;
import dev.idaas.spring.web.ErrorStatuses;
import dev.idaas.spring.web.JsonRequestMatcher;
import dev.idaas.spring.web.JsonResponseWriter;
import dev.idaas.spring.web.LastAuthenticationFailure;
import dev.idaas.spring.web.LocalRedirects;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.Assert;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Answers a failed step of a bind, register or second-factor flow: a JSON request gets
 * {@code {"error_code":..,"error_msg":..}} in the request's language (the vendor's own
 * {@code error_msg} for a code the starter does not know) with the status of
 * {@link ErrorStatuses} and, when a limit was hit, a {@code Retry-After}; a browser is
 * redirected to the flow's page with {@code ?error&code=..}, the failure kept by
 * {@link LastAuthenticationFailure} so that the page shows the vendor's own words once: only the
 * code travels in the URL.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSocialFlowFilter
 * @see IdaasSocialFlowAuthenticationFilter
 */
public final class IdaasSocialFlowFailureHandler implements AuthenticationFailureHandler {

	private static final Log logger = LogFactory.getLog(IdaasSocialFlowFailureHandler.class);

	private final List<String> flowUrls;

	private final IdaasErrorMessages errorMessages;

	private RequestMatcher jsonRequestMatcher = JsonRequestMatcher.INSTANCE;

	private RedirectStrategy redirectStrategy = new DefaultRedirectStrategy();

	/**
	 * Creates a handler.
	 * @param flowUrls the flow pages (bind, register, second factor); a browser goes back to
	 * the one whose endpoint failed
	 * @param errorMessages the localized error texts
	 */
	public IdaasSocialFlowFailureHandler(List<String> flowUrls, IdaasErrorMessages errorMessages) {
		Assert.notEmpty(flowUrls, "flowUrls cannot be empty");
		for (String url : flowUrls) {
			Assert.isTrue(LocalRedirects.isLocal(url) && url.indexOf('?') < 0,
					"flowUrls must be local paths without a query");
		}
		Assert.notNull(errorMessages, "errorMessages cannot be null");
		this.flowUrls = List.copyOf(flowUrls);
		this.errorMessages = errorMessages;
	}

	/**
	 * Sets which requests get JSON answers.
	 * @param jsonRequestMatcher the matcher; defaults to {@link JsonRequestMatcher#INSTANCE}
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
		String errorCode = (exception instanceof IdaasAuthenticationException idaas) ? idaas.getErrorCode()
				: IdaasErrorCodes.UNKNOWN_ERROR;
		if (logger.isDebugEnabled()) {
			logger.debug("Flow step failed: " + errorCode);
		}
		if (this.jsonRequestMatcher.matches(request)) {
			if (exception instanceof TooManyVerificationCodesException tooMany) {
				response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(tooMany.getRetryAfterSeconds()));
			}
			String vendorMessage = (exception instanceof IdaasAuthenticationException idaas)
					? idaas.getVendorMessage() : null;
			JsonResponseWriter.writeError(response, ErrorStatuses.of(exception).value(), errorCode,
					this.errorMessages.getMessage(errorCode, vendorMessage, request.getLocale()));
			return;
		}
		LastAuthenticationFailure.save(request, exception);
		String target = UriComponentsBuilder.fromPath(flowUrl(request))
			.queryParam("error")
			.queryParam("code", errorCode)
			.encode()
			.build()
			.toUriString();
		this.redirectStrategy.sendRedirect(request, response, target);
	}

	private String flowUrl(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		for (String url : this.flowUrls) {
			if (path.equals(url) || path.startsWith(url + "/")) {
				return url;
			}
		}
		return this.flowUrls.get(0);
	}

}

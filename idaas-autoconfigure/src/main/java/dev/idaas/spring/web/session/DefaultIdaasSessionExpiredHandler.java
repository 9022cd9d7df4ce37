package dev.idaas.spring.web.session;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.idaas.spring.client.IdaasErrorMessages;
import dev.idaas.spring.web.IdaasLoginDefaults;
import dev.idaas.spring.web.JsonRequestMatcher;
import dev.idaas.spring.web.JsonResponseWriter;

import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.util.UrlUtils;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.Assert;

/**
 * Answers a request whose IDaaS session ended: a browser is redirected to the login page
 * ({@code /login?expired} by default); an API client or page script (JSON {@code Accept} or
 * {@code X-Requested-With: XMLHttpRequest}) gets {@code 401} with
 * {@code {"error_code":"IDAAS.SDK.PARAM.0023","error_msg":"<text in the request's locale>"}}.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdTokenRefreshFilter
 */
public final class DefaultIdaasSessionExpiredHandler implements IdaasSessionExpiredHandler {

	private String expiredUrl = IdaasLoginDefaults.LOGIN_PAGE + "?expired";

	private RedirectStrategy redirectStrategy = new DefaultRedirectStrategy();

	private RequestMatcher jsonRequestMatcher = JsonRequestMatcher.INSTANCE;

	private IdaasErrorMessages errorMessages = new IdaasErrorMessages();

	/**
	 * Creates the handler.
	 * @since 0.1
	 */
	public DefaultIdaasSessionExpiredHandler() {
	}

	/**
	 * Sets where browsers are redirected (default {@code /login?expired}).
	 * @param expiredUrl a context-relative path or an absolute URL
	 * @since 0.1
	 */
	public void setExpiredUrl(String expiredUrl) {
		Assert.isTrue(UrlUtils.isValidRedirectUrl(expiredUrl), "expiredUrl must be a valid redirect URL");
		this.expiredUrl = expiredUrl;
	}

	/**
	 * Sets the redirect strategy (default {@link DefaultRedirectStrategy}).
	 * @param redirectStrategy the strategy
	 * @since 0.1
	 */
	public void setRedirectStrategy(RedirectStrategy redirectStrategy) {
		Assert.notNull(redirectStrategy, "redirectStrategy cannot be null");
		this.redirectStrategy = redirectStrategy;
	}

	/**
	 * Sets which requests get the JSON answer (default: {@code Accept} naming JSON and not
	 * HTML, or {@code X-Requested-With: XMLHttpRequest}).
	 * @param jsonRequestMatcher the matcher
	 * @since 0.1
	 */
	public void setJsonRequestMatcher(RequestMatcher jsonRequestMatcher) {
		Assert.notNull(jsonRequestMatcher, "jsonRequestMatcher cannot be null");
		this.jsonRequestMatcher = jsonRequestMatcher;
	}

	/**
	 * Sets the source of the localized {@code error_msg} texts.
	 * @param errorMessages the texts
	 * @since 0.1
	 */
	public void setErrorMessages(IdaasErrorMessages errorMessages) {
		Assert.notNull(errorMessages, "errorMessages cannot be null");
		this.errorMessages = errorMessages;
	}

	@Override
	public void onSessionExpired(HttpServletRequest request, HttpServletResponse response,
			IdaasSessionExpiredException exception) throws IOException {
		if (response.isCommitted()) {
			return;
		}
		if (this.jsonRequestMatcher.matches(request)) {
			String code = exception.getErrorCode();
			JsonResponseWriter.writeError(response, HttpServletResponse.SC_UNAUTHORIZED, code,
					this.errorMessages.getMessage(code, request.getLocale()));
			return;
		}
		this.redirectStrategy.sendRedirect(request, response, this.expiredUrl);
	}

}

package dev.idaas.spring.web.session;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.idaas.spring.authentication.IdaasAuthenticationException;
import dev.idaas.spring.client.IdaasErrorCategory;
import dev.idaas.spring.client.IdaasErrorMessages;
import dev.idaas.spring.web.IdaasLoginDefaults;
import dev.idaas.spring.web.JsonRequestMatcher;
import dev.idaas.spring.web.JsonResponseWriter;
import dev.idaas.spring.web.LastAuthenticationFailure;

import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.util.UrlUtils;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.Assert;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Answers a request whose IDaaS session ended: a browser is redirected to the login page
 * ({@code /login?expired} by default); an API client or page script (JSON {@code Accept} or
 * {@code X-Requested-With: XMLHttpRequest}) gets {@code 401} with
 * {@code {"error_code":"IDAAS.SDK.PARAM.0023","error_msg":"<text in the request's locale>"}}.
 * <p>
 * When IDaaS refused the session with a code the starter does not know
 * ({@link IdaasSessionEndReason#VENDOR_REFUSED}), the vendor's own {@code error_msg} is the text:
 * in the JSON body, and for a browser on the login page, which is sent the code
 * ({@code /login?expired&code=IDAAS.SDK.RISK.0001}) while a new, empty HTTP session keeps the
 * failure under {@link WebAttributes#AUTHENTICATION_EXCEPTION}, as a failed sign-in does.
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
	 * Sets where browsers are redirected (default {@code /login?expired}); a
	 * {@link IdaasSessionEndReason#VENDOR_REFUSED} end adds the vendor's code as {@code code}.
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
		String code = exception.getErrorCode();
		if (this.jsonRequestMatcher.matches(request)) {
			JsonResponseWriter.writeError(response, HttpServletResponse.SC_UNAUTHORIZED, code,
					this.errorMessages.getMessage(code, exception.getVendorMessage(), request.getLocale()));
			return;
		}
		if (exception.getReason() != IdaasSessionEndReason.VENDOR_REFUSED) {
			this.redirectStrategy.sendRedirect(request, response, this.expiredUrl);
			return;
		}
		// The signed-in session is gone; a new one carries the vendor's words to the login page
		LastAuthenticationFailure.save(request, new IdaasAuthenticationException(code, "IDaaS refused the session",
				IdaasErrorCategory.VENDOR_REFUSED, exception.getVendorMessage(), null));
		String target = UriComponentsBuilder.fromUriString(this.expiredUrl)
			.queryParam("code", code)
			.encode()
			.build()
			.toUriString();
		this.redirectStrategy.sendRedirect(request, response, target);
	}

}

package dev.idaas.spring.web;

import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import dev.idaas.spring.authentication.IdaasAuthenticationException;
import dev.idaas.spring.client.IdaasErrorMessages;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.WebAttributes;
import org.springframework.util.Assert;

/**
 * Carries a browser's failed sign-in step over the redirect to the page that tells the user why.
 * Only the error code travels in the URL ({@code ?error&code=..}); the vendor's own
 * {@code error_msg} (already in the user's language) stays in the HTTP session under
 * {@link WebAttributes#AUTHENTICATION_EXCEPTION}, as Spring Security keeps a failure, until a page
 * shows it: it is taken out then, so it is shown once, and a text in the URL is never shown.
 * <p>
 * The failure handlers save; the login, bind, register and second-factor pages (the generated ones
 * and an application's own) take.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasAuthenticationFailureHandler
 * @see dev.idaas.spring.web.flow.IdaasSocialFlowFailureHandler
 * @see dev.idaas.spring.client.IdaasErrorMessages#getMessage(String, String, java.util.Locale)
 */
public final class LastAuthenticationFailure {

	private LastAuthenticationFailure() {
	}

	/**
	 * Keeps a failure in the request's session (created when there is none) for the page the
	 * browser is sent to. An IDaaS failure is kept without its cause, which can be large, is not
	 * meant for a page and cannot be read back from a JSON session.
	 * @param request the failed request
	 * @param exception the failure
	 */
	public static void save(HttpServletRequest request, AuthenticationException exception) {
		Assert.notNull(request, "request cannot be null");
		Assert.notNull(exception, "exception cannot be null");
		request.getSession().setAttribute(WebAttributes.AUTHENTICATION_EXCEPTION, forSession(exception));
	}

	/**
	 * Takes the vendor's words for the kept failure when it is the one a page was told about (the
	 * {@code code} of its URL): the failure is removed from the session, so a second view of the
	 * page shows the starter's own text for the code. A failure with another code stays.
	 * @param request the page request
	 * @param errorCode the well-formed code of the page's URL
	 * @return the vendor's {@code error_msg}, or {@code null} when none was kept for this code
	 */
	public static @Nullable String takeVendorMessage(HttpServletRequest request, String errorCode) {
		Assert.notNull(request, "request cannot be null");
		Assert.notNull(errorCode, "errorCode cannot be null");
		HttpSession session = request.getSession(false);
		if (session == null) {
			return null;
		}
		Object exception = session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
		if (!(exception instanceof AuthenticationException failure)
				|| !errorCode.equals(IdaasAuthenticationFailureHandler.errorCode(failure))) {
			return null;
		}
		session.removeAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
		return (failure instanceof IdaasAuthenticationException idaas) ? idaas.getVendorMessage() : null;
	}

	/**
	 * The text a page shows for the code of its URL: the vendor's words kept for that code, taken
	 * once as by {@link #takeVendorMessage}, else the starter's text for the code.
	 * @param request the page request
	 * @param errorCode the well-formed code of the page's URL
	 * @param messages the starter's texts
	 * @param locale the page's locale
	 * @return the text to show (not escaped)
	 */
	public static String takeMessage(HttpServletRequest request, String errorCode, IdaasErrorMessages messages,
			Locale locale) {
		Assert.notNull(messages, "messages cannot be null");
		Assert.notNull(locale, "locale cannot be null");
		return messages.getMessage(errorCode, takeVendorMessage(request, errorCode), locale);
	}

	private static AuthenticationException forSession(AuthenticationException exception) {
		if (exception instanceof IdaasAuthenticationException idaas) {
			return new IdaasAuthenticationException(idaas.getErrorCode(), String.valueOf(idaas.getDescription()),
					idaas.getCategory(), idaas.getVendorMessage(), null);
		}
		return exception;
	}

}

package dev.idaas.spring.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import dev.idaas.spring.client.IdaasErrorCodes;
import dev.idaas.spring.client.IdaasErrorMessages;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.Assert;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.HtmlUtils;

/**
 * Serves a minimal login page with a "Sign in with Apple" button for applications that have
 * no login page of their own. It shows the localized message of a failed login
 * ({@code ?error&code=..}; for a code the starter does not know, once, the vendor's own words kept
 * by {@link LastAuthenticationFailure}), of a sign-out ({@code ?logout}) and of an expired session
 * ({@code ?expired}); a session IDaaS ended with its own answer ({@code ?expired&code=..}) shows
 * that answer instead, in the vendor's words likewise. No script, no inline style.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public final class IdaasLoginPageGeneratingFilter extends OncePerRequestFilter {

	private final String processingUrl;

	private final @Nullable String appleAuthorizationUrl;

	private final IdaasErrorMessages messages;

	private final RequestMatcher loginPage;

	/**
	 * Creates a filter.
	 * @param loginPage the login page path
	 * @param processingUrl the path that accepts codes from native apps
	 * @param appleAuthorizationUrl the path that starts the Apple web flow, or {@code null}
	 * when it is not configured
	 * @param messages the localized error texts
	 */
	public IdaasLoginPageGeneratingFilter(String loginPage, String processingUrl,
			@Nullable String appleAuthorizationUrl, IdaasErrorMessages messages) {
		Assert.hasText(loginPage, "loginPage cannot be empty");
		Assert.hasText(processingUrl, "processingUrl cannot be empty");
		Assert.notNull(messages, "messages cannot be null");
		this.processingUrl = processingUrl;
		this.appleAuthorizationUrl = appleAuthorizationUrl;
		this.messages = messages;
		String path = loginPage;
		int query = path.indexOf('?');
		this.loginPage = PathPatternRequestMatcher.withDefaults()
			.matcher(HttpMethod.GET, (query >= 0) ? path.substring(0, query) : path);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!this.loginPage.matches(request)) {
			chain.doFilter(request, response);
			return;
		}
		byte[] html = page(request).getBytes(StandardCharsets.UTF_8);
		response.setContentType(MediaType.TEXT_HTML_VALUE + ";charset=UTF-8");
		response.setHeader("Cache-Control", "no-store");
		response.setContentLength(html.length);
		response.getOutputStream().write(html);
	}

	private void appendError(StringBuilder html, HttpServletRequest request, String errorCode) {
		html.append("<p class=\"error\" role=\"alert\">")
			.append(HtmlUtils.htmlEscape(
					LastAuthenticationFailure.takeMessage(request, errorCode, this.messages, request.getLocale())))
			.append(" <code>")
			.append(HtmlUtils.htmlEscape(errorCode))
			.append("</code></p>\n");
	}

	private String page(HttpServletRequest request) {
		StringBuilder html = new StringBuilder(1024);
		html.append("<!DOCTYPE html>\n<html lang=\"")
			.append(HtmlUtils.htmlEscape(request.getLocale().getLanguage()))
			.append("\">\n<head><meta charset=\"utf-8\"><title>Sign in</title></head>\n<body>\n<main>\n<h1>Sign in</h1>\n");
		String code = request.getParameter("code");
		boolean validCode = code != null && IdaasErrorCodes.isWellFormed(code);
		if (request.getParameter("error") != null) {
			appendError(html, request, validCode ? code : IdaasErrorCodes.UNKNOWN_ERROR);
		}
		if (request.getParameter("logout") != null) {
			html.append("<p class=\"info\" role=\"status\">You have been signed out.</p>\n");
		}
		if (request.getParameter("expired") != null) {
			if (validCode && request.getParameter("error") == null) {
				// IDaaS ended the session with its own answer (e.g. a risk control): show it
				appendError(html, request, code);
			}
			else {
				html.append("<p class=\"info\" role=\"status\">Your session has expired. Please sign in again.</p>\n");
			}
		}
		if (this.appleAuthorizationUrl != null) {
			html.append("<p><a class=\"apple\" href=\"")
				.append(HtmlUtils.htmlEscape(request.getContextPath() + this.appleAuthorizationUrl))
				.append("\">Sign in with Apple</a></p>\n");
		}
		else {
			html.append("<p>Sign in with Apple on the web is not configured (idaas.apple.client-id). ")
				.append("Native apps post their Apple code to <code>")
				.append(HtmlUtils.htmlEscape(this.processingUrl))
				.append("</code>.</p>\n");
		}
		html.append("</main>\n</body>\n</html>\n");
		return html.toString();
	}

}

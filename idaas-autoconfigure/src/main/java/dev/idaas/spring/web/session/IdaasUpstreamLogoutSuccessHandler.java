package dev.idaas.spring.web.session;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.jspecify.annotations.Nullable;

import dev.idaas.spring.web.JsonRequestMatcher;

import org.springframework.security.core.Authentication;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.authentication.logout.LogoutSuccessHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.Assert;

/**
 * A {@link LogoutSuccessHandler} that ends the user's IDaaS web session too: after the local
 * sign-out, a browser goes to IDaaS's {@code GET {base}/api/v1/logout?redirect_url=..}, which
 * ends the IDaaS web session and sends it back to {@code redirect_url}.
 * <p>
 * It decorates the application's own success handler: that handler runs as usual, and where
 * it would redirect the browser (e.g. to {@code /login?logout}), the browser goes to IDaaS
 * instead, with that URL made absolute against the request as {@code redirect_url}
 * (form-encoded). Requests matched by {@link #setJsonRequestMatcher(RequestMatcher)} (JSON and
 * XHR clients by default), and answers that are not a redirect, are left to the application's
 * handler untouched.
 * <p>
 * IDaaS redirects only to URLs registered for the application: register the absolute logout
 * success URL (behind a proxy, let the application see the public scheme and host, e.g.
 * {@code server.forward-headers-strategy=framework}).
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSessionTokenUpstreamLogout
 */
public final class IdaasUpstreamLogoutSuccessHandler implements LogoutSuccessHandler {

	private final URI logoutEndpoint;

	private final LogoutSuccessHandler delegate;

	private RequestMatcher jsonRequestMatcher = JsonRequestMatcher.INSTANCE;

	private RedirectStrategy redirectStrategy = new DefaultRedirectStrategy();

	/**
	 * Creates the handler.
	 * @param logoutEndpoint IDaaS's browser logout endpoint, e.g.
	 * {@code https://example.idaas.cloud/api/v1/logout}
	 * @param delegate the application's own logout success handler
	 * @since 0.1
	 */
	public IdaasUpstreamLogoutSuccessHandler(URI logoutEndpoint, LogoutSuccessHandler delegate) {
		Assert.notNull(logoutEndpoint, "logoutEndpoint cannot be null");
		Assert.notNull(delegate, "delegate cannot be null");
		Assert.isTrue(logoutEndpoint.isAbsolute() && logoutEndpoint.getHost() != null,
				"logoutEndpoint must be an absolute URL");
		this.logoutEndpoint = logoutEndpoint;
		this.delegate = delegate;
	}

	/**
	 * Sets which requests keep the application's answer (default: {@link JsonRequestMatcher}).
	 * @param jsonRequestMatcher the matcher
	 * @since 0.1
	 */
	public void setJsonRequestMatcher(RequestMatcher jsonRequestMatcher) {
		Assert.notNull(jsonRequestMatcher, "jsonRequestMatcher cannot be null");
		this.jsonRequestMatcher = jsonRequestMatcher;
	}

	/**
	 * Sets how the browser is sent to IDaaS (default: {@link DefaultRedirectStrategy}, a 302).
	 * @param redirectStrategy the strategy
	 * @since 0.1
	 */
	public void setRedirectStrategy(RedirectStrategy redirectStrategy) {
		Assert.notNull(redirectStrategy, "redirectStrategy cannot be null");
		this.redirectStrategy = redirectStrategy;
	}

	@Override
	public void onLogoutSuccess(HttpServletRequest request, HttpServletResponse response,
			@Nullable Authentication authentication) throws IOException, ServletException {
		if (this.jsonRequestMatcher.matches(request)) {
			this.delegate.onLogoutSuccess(request, response, authentication);
			return;
		}
		RedirectCapturingResponse capturing = new RedirectCapturingResponse(response);
		this.delegate.onLogoutSuccess(request, capturing, authentication);
		String location = capturing.location;
		if (location == null) {
			return;
		}
		String redirectUrl = absolute(request, location);
		String endpoint = this.logoutEndpoint.toString();
		String target = endpoint + ((endpoint.indexOf('?') >= 0) ? "&" : "?") + "redirect_url="
				+ URLEncoder.encode(redirectUrl, StandardCharsets.UTF_8);
		this.redirectStrategy.sendRedirect(request, response, target);
	}

	/**
	 * The location made absolute against the request, without parsing it as a URI (a location
	 * that is not a valid URI must not break the sign-out).
	 */
	static String absolute(HttpServletRequest request, String location) {
		if (location.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
			return location;
		}
		String requestUrl = request.getRequestURL().toString();
		int schemeEnd = requestUrl.indexOf("://");
		int pathStart = requestUrl.indexOf('/', schemeEnd + 3);
		String origin = (pathStart >= 0) ? requestUrl.substring(0, pathStart) : requestUrl;
		if (location.startsWith("//")) {
			return requestUrl.substring(0, schemeEnd + 1) + location;
		}
		if (location.startsWith("/")) {
			return origin + location;
		}
		String directory = (pathStart >= 0) ? requestUrl.substring(0, requestUrl.lastIndexOf('/') + 1) : origin + "/";
		return directory + location;
	}

	/**
	 * Holds back the redirect of the application's handler; everything else passes through.
	 */
	private static final class RedirectCapturingResponse extends HttpServletResponseWrapper {

		private @Nullable String location;

		RedirectCapturingResponse(HttpServletResponse response) {
			super(response);
		}

		@Override
		public void sendRedirect(String location) {
			this.location = location;
		}

		@Override
		public void sendRedirect(String location, int sc) {
			this.location = location;
		}

		@Override
		public void sendRedirect(String location, boolean clearBuffer) {
			this.location = location;
		}

		@Override
		public void sendRedirect(String location, int sc, boolean clearBuffer) {
			this.location = location;
		}

	}

}

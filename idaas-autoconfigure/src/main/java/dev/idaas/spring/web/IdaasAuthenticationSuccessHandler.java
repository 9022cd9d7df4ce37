package dev.idaas.spring.web;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.Assert;

/**
 * Answers a successful IDaaS login: a browser goes to the saved request or the default
 * success URL (never to a URL taken from request parameters); a JSON request gets
 * {@code {"status":"SUCCESS","user":{"sub":..,"name":..,"email":..}}}. (A pending bind,
 * register or second-factor flow is cleared by the session strategy, before this runs.)
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public final class IdaasAuthenticationSuccessHandler implements AuthenticationSuccessHandler {

	private final AuthenticationSuccessHandler browserHandler;

	private RequestMatcher jsonRequestMatcher = JsonRequestMatcher.INSTANCE;

	/**
	 * Creates a handler that sends browsers to the saved request or the given URL.
	 * @param defaultSuccessUrl the local URL used when no request was saved
	 */
	public IdaasAuthenticationSuccessHandler(String defaultSuccessUrl) {
		this(savedRequestAware(defaultSuccessUrl));
	}

	/**
	 * Creates a handler.
	 * @param browserHandler answers browser requests
	 */
	public IdaasAuthenticationSuccessHandler(AuthenticationSuccessHandler browserHandler) {
		Assert.notNull(browserHandler, "browserHandler cannot be null");
		this.browserHandler = browserHandler;
	}

	private static AuthenticationSuccessHandler savedRequestAware(String defaultSuccessUrl) {
		Assert.isTrue(LocalRedirects.isLocal(defaultSuccessUrl), "defaultSuccessUrl must be a local path");
		SavedRequestAwareAuthenticationSuccessHandler handler = new SavedRequestAwareAuthenticationSuccessHandler();
		handler.setDefaultTargetUrl(defaultSuccessUrl);
		return handler;
	}

	/**
	 * Sets which requests get JSON answers.
	 * @param jsonRequestMatcher the matcher
	 */
	public void setJsonRequestMatcher(RequestMatcher jsonRequestMatcher) {
		Assert.notNull(jsonRequestMatcher, "jsonRequestMatcher cannot be null");
		this.jsonRequestMatcher = jsonRequestMatcher;
	}

	@Override
	public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
			Authentication authentication) throws IOException, ServletException {
		if (!this.jsonRequestMatcher.matches(request)) {
			this.browserHandler.onAuthenticationSuccess(request, response, authentication);
			return;
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("status", "SUCCESS");
		body.put("user", userJson(authentication));
		JsonResponseWriter.write(response, HttpServletResponse.SC_OK, body);
	}

	static Map<String, Object> userJson(Authentication authentication) {
		Map<String, Object> user = new LinkedHashMap<>();
		if (authentication.getPrincipal() instanceof OidcUser oidcUser) {
			user.put("sub", oidcUser.getSubject());
			user.put("name", oidcUser.getFullName());
			user.put("email", oidcUser.getEmail());
			user.put("id_token_expires_at", oidcUser.getIdToken().getExpiresAt());
		}
		else {
			user.put("name", authentication.getName());
		}
		return user;
	}

}

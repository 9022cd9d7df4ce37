package dev.idaas.spring.web.apple;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriComponents;
import org.springframework.web.util.UriComponentsBuilder;
import dev.idaas.spring.web.DefaultDeviceContextResolver;
import dev.idaas.spring.web.DeviceContextResolver;
import dev.idaas.spring.web.LocalRedirects;
import dev.idaas.spring.web.IdaasLoginDefaults;

/**
 * Starts Sign in with Apple on the web: {@code GET /login/idaas/apple/authorize} redirects
 * the browser to Apple's authorize endpoint with {@code client_id}, {@code redirect_uri},
 * {@code response_type=code}, {@code response_mode=form_post}, {@code scope} and a fresh
 * random {@code state}, kept in its own cookie for the callback and bound to this browser. The
 * cookie also keeps this browser's device fingerprint, resolved here, where the browser still
 * sends its {@code SameSite=Lax} device cookie: Apple's cross-site callback does not, and
 * presents the recorded fingerprint to IDaaS instead of a new one. The
 * {@code redirect_uri} is the {@link #setRedirectUri(URI) configured one}; without one, only a
 * loopback host is served (local development), never a URI built from an arbitrary
 * {@code Host} header.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see AppleCallbackAuthenticationFilter
 */
public final class AppleAuthorizationRequestRedirectFilter extends OncePerRequestFilter {

	/**
	 * The body of the {@code 400} answer to a request for a host that is not loopback when no
	 * redirect URI is set.
	 */
	public static final String UNSET_REDIRECT_URI_MESSAGE = "Sign in with Apple is not available on this host: "
			+ "its redirect URI is not configured (idaas.apple.redirect-uri).";

	private final URI authorizeUri;

	private final String clientId;

	private final AppleAuthorizationStateCookieRepository stateRepository;

	private final AtomicBoolean unsetRedirectUriLogged = new AtomicBoolean();

	private RequestMatcher requestMatcher = PathPatternRequestMatcher.withDefaults()
		.matcher(HttpMethod.GET, IdaasLoginDefaults.APPLE_AUTHORIZATION_URL);

	private @Nullable URI redirectUri;

	private String callbackPath = IdaasLoginDefaults.APPLE_CALLBACK_URL;

	private String scope = IdaasLoginDefaults.APPLE_SCOPE;

	private RequestCache requestCache = new HttpSessionRequestCache();

	private DeviceContextResolver deviceContextResolver = new DefaultDeviceContextResolver();

	/**
	 * Creates a filter.
	 * @param authorizeUri Apple's authorize endpoint
	 * @param clientId the Apple Services ID
	 * @param stateRepository keeps the state for the callback
	 */
	public AppleAuthorizationRequestRedirectFilter(URI authorizeUri, String clientId,
			AppleAuthorizationStateCookieRepository stateRepository) {
		Assert.notNull(authorizeUri, "authorizeUri cannot be null");
		Assert.hasText(clientId, "clientId cannot be empty");
		Assert.notNull(stateRepository, "stateRepository cannot be null");
		this.authorizeUri = authorizeUri;
		this.clientId = clientId;
		this.stateRepository = stateRepository;
	}

	/**
	 * Sets the path that starts the flow (a {@code GET}).
	 * @param authorizationUrl the path
	 */
	public void setAuthorizationUrl(String authorizationUrl) {
		Assert.hasText(authorizationUrl, "authorizationUrl cannot be empty");
		this.requestMatcher = PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, authorizationUrl);
	}

	/**
	 * Sets the redirect URI registered with Apple. Set it in production. When it is
	 * {@code null} (the default) the filter serves local development only: it builds
	 * {@code {scheme}://{host}{context}{callbackPath}} from a request whose host is loopback
	 * ({@code localhost}, {@code 127.0.0.0/8}, {@code [::1]}) and answers any other host with
	 * {@code 400 Bad Request}, so a forged {@code Host} header never chooses where Apple sends
	 * the code.
	 * @param redirectUri the redirect URI, or {@code null} for the loopback-only default
	 */
	public void setRedirectUri(@Nullable URI redirectUri) {
		this.redirectUri = redirectUri;
	}

	/**
	 * Sets the callback path used to build the default redirect URI.
	 * @param callbackPath the path
	 */
	public void setCallbackPath(String callbackPath) {
		Assert.isTrue(LocalRedirects.isLocal(callbackPath), "callbackPath must be a local path");
		this.callbackPath = callbackPath;
	}

	/**
	 * Sets the scopes asked from Apple (default {@code name email}).
	 * @param scope the scopes, space separated; empty for none
	 */
	public void setScope(String scope) {
		Assert.notNull(scope, "scope cannot be null");
		this.scope = scope;
	}

	/**
	 * Sets the request cache that holds the page the user wanted before signing in.
	 * @param requestCache the request cache
	 */
	public void setRequestCache(RequestCache requestCache) {
		Assert.notNull(requestCache, "requestCache cannot be null");
		this.requestCache = requestCache;
	}

	/**
	 * Sets the resolver whose fingerprint of the browser is recorded in the state for the
	 * callback (default a {@link DefaultDeviceContextResolver}): use the one the callback uses.
	 * @param deviceContextResolver the resolver
	 */
	public void setDeviceContextResolver(DeviceContextResolver deviceContextResolver) {
		Assert.notNull(deviceContextResolver, "deviceContextResolver cannot be null");
		this.deviceContextResolver = deviceContextResolver;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!this.requestMatcher.matches(request)) {
			chain.doFilter(request, response);
			return;
		}
		URI redirectUri = redirectUri(request);
		if (redirectUri == null) {
			if (this.unsetRedirectUriLogged.compareAndSet(false, true)) {
				logger.warn("Refused to start Sign in with Apple for a request to a host that is not loopback: "
						+ "set idaas.apple.redirect-uri (AppleAuthorizationRequestRedirectFilter.setRedirectUri) "
						+ "to the redirect URI registered with Apple; without it only localhost is served");
			}
			// written here rather than sendError: an error dispatch may meet the application's own security rules
			response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
			response.setHeader("Cache-Control", "no-store");
			response.setContentType("text/plain;charset=UTF-8");
			response.getWriter().write(UNSET_REDIRECT_URI_MESSAGE);
			return;
		}
		// same-site GET: the browser's Lax device cookie is here, not on Apple's cross-site callback
		String fingerprint = this.deviceContextResolver.resolve(request, response).fingerprint();
		AppleAuthorizationState state = this.stateRepository.create(savedTargetPath(request, response), fingerprint,
				request, response);
		UriComponentsBuilder authorize = UriComponentsBuilder.fromUri(this.authorizeUri)
			.queryParam("client_id", this.clientId)
			.queryParam("redirect_uri", redirectUri.toString())
			.queryParam("response_type", "code")
			.queryParam("state", state.state());
		if (StringUtils.hasText(this.scope)) {
			// Apple requires form_post whenever scopes are asked for
			authorize.queryParam("scope", this.scope).queryParam("response_mode", "form_post");
		}
		response.setHeader("Cache-Control", "no-store");
		response.sendRedirect(authorize.encode().build().toUriString());
	}

	private @Nullable URI redirectUri(HttpServletRequest request) {
		if (this.redirectUri != null) {
			return this.redirectUri;
		}
		if (!isLoopbackHost(request.getServerName())) {
			return null;
		}
		return UriComponentsBuilder.newInstance()
			.scheme(request.getScheme())
			.host(request.getServerName())
			.port(defaultPort(request) ? -1 : request.getServerPort())
			.path(request.getContextPath() + this.callbackPath)
			.build()
			.toUri();
	}

	/**
	 * Whether a host name is loopback by its text alone, never resolved: {@code localhost},
	 * an IPv4 address in {@code 127.0.0.0/8} or the IPv6 {@code ::1}.
	 */
	static boolean isLoopbackHost(@Nullable String host) {
		if (host == null) {
			return false;
		}
		String name = host.toLowerCase(Locale.ROOT);
		if (name.equals("localhost") || name.equals("[::1]") || name.equals("::1")
				|| name.equals("[0:0:0:0:0:0:0:1]") || name.equals("0:0:0:0:0:0:0:1")) {
			return true;
		}
		String[] octets = name.split("\\.", -1);
		if (octets.length != 4 || !octets[0].equals("127")) {
			return false;
		}
		for (String octet : octets) {
			if (!octet.matches("[0-9]{1,3}") || Integer.parseInt(octet) > 255) {
				return false;
			}
		}
		return true;
	}

	private static boolean defaultPort(HttpServletRequest request) {
		int port = request.getServerPort();
		return ("http".equals(request.getScheme()) && port == 80)
				|| ("https".equals(request.getScheme()) && port == 443);
	}

	private @Nullable String savedTargetPath(HttpServletRequest request, HttpServletResponse response) {
		SavedRequest saved = this.requestCache.getRequest(request, response);
		if (saved == null) {
			return null;
		}
		UriComponents target = UriComponentsBuilder.fromUriString(saved.getRedirectUrl()).build();
		if (!request.getServerName().equalsIgnoreCase(target.getHost())) {
			return null;
		}
		String path = target.getPath();
		String query = target.getQuery();
		String local = ((path != null) ? path : "/") + ((query != null) ? "?" + query : "");
		String context = request.getContextPath();
		return local.startsWith(context) ? local.substring(context.length()) : null;
	}

}

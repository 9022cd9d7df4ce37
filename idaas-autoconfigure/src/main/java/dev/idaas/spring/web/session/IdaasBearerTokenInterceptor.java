package dev.idaas.spring.web.session;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;

import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.util.Assert;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Adds {@code Authorization: Bearer <id_token>} of the signed-in IDaaS user to the calls of an
 * application's {@code RestClient}, refreshing the id_token first when it is due (through the
 * same {@link IdTokenRefresher} as {@link IdTokenRefreshFilter}). Opt-in:
 *
 * <pre class="code">
 * RestClient api = builder.requestInterceptor(
 *         new IdaasBearerTokenInterceptor(refresher, List.of(URI.create("https://api.example.com"))))
 *     .build();
 * </pre>
 *
 * The token is only ever sent to an allowed origin: exact scheme, host and port (default ports
 * made explicit); with an empty allowlist it is never sent. A call made without an IDaaS
 * authentication, or outside a servlet request (no refresh possible) with an expired id_token,
 * goes without the header. When the session ended, {@link IdaasSessionExpiredException}
 * propagates (Spring Security then starts a new sign-in); when the id_token has expired and
 * cannot be refreshed for now, {@link IdTokenRefreshUnavailableException} propagates.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public final class IdaasBearerTokenInterceptor implements ClientHttpRequestInterceptor {

	private final IdTokenRefresher refresher;

	private final Set<String> allowedOrigins;

	private SecurityContextHolderStrategy securityContextHolderStrategy = SecurityContextHolder
		.getContextHolderStrategy();

	private Clock clock = Clock.systemUTC();

	/**
	 * Creates the interceptor.
	 * @param refresher refreshes the id_token when it is due
	 * @param allowedOrigins the origins ({@code scheme://host[:port]}) the id_token may be sent
	 * to; empty means none
	 * @since 0.1
	 */
	public IdaasBearerTokenInterceptor(IdTokenRefresher refresher, Collection<URI> allowedOrigins) {
		Assert.notNull(refresher, "refresher cannot be null");
		Assert.notNull(allowedOrigins, "allowedOrigins cannot be null");
		this.refresher = refresher;
		this.allowedOrigins = allowedOrigins.stream().map((origin) -> {
			Assert.notNull(origin, "allowedOrigins cannot contain null");
			String key = origin(origin);
			Assert.notNull(key, () -> "allowedOrigins must be absolute http or https URIs with a host");
			return key;
		}).collect(Collectors.toUnmodifiableSet());
	}

	/**
	 * Sets the {@link SecurityContextHolderStrategy} (default: the global one).
	 * @param securityContextHolderStrategy the strategy
	 * @since 0.1
	 */
	public void setSecurityContextHolderStrategy(SecurityContextHolderStrategy securityContextHolderStrategy) {
		Assert.notNull(securityContextHolderStrategy, "securityContextHolderStrategy cannot be null");
		this.securityContextHolderStrategy = securityContextHolderStrategy;
	}

	/**
	 * Sets the clock telling whether an id_token has expired (default: system UTC).
	 * @param clock the clock
	 * @since 0.1
	 */
	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		String origin = origin(request.getURI());
		if (origin == null || !this.allowedOrigins.contains(origin)) {
			return execution.execute(request, body);
		}
		Authentication authentication = this.securityContextHolderStrategy.getContext().getAuthentication();
		if (!(authentication instanceof IdaasAuthenticationToken current)) {
			return execution.execute(request, body);
		}
		IdaasAuthenticationToken usable = current;
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		if (attributes instanceof ServletRequestAttributes servlet && servlet.getResponse() != null
				&& this.refresher.requiresRefresh(current)) {
			HttpServletRequest servletRequest = servlet.getRequest();
			HttpServletResponse servletResponse = servlet.getResponse();
			usable = this.refresher.refresh(current, servletRequest, servletResponse);
		}
		Instant expiresAt = usable.getIdToken().getExpiresAt();
		if (expiresAt == null || this.clock.instant().isBefore(expiresAt)) {
			request.getHeaders().setBearerAuth(usable.getIdToken().getTokenValue());
		}
		return execution.execute(request, body);
	}

	private static @Nullable String origin(URI uri) {
		String scheme = uri.getScheme();
		String host = uri.getHost();
		if (scheme == null || host == null) {
			return null;
		}
		scheme = scheme.toLowerCase(Locale.ROOT);
		int port = uri.getPort();
		if (port == -1) {
			port = switch (scheme) {
				case "http" -> 80;
				case "https" -> 443;
				default -> -1;
			};
		}
		if (port == -1) {
			return null;
		}
		return scheme + "://" + host.toLowerCase(Locale.ROOT) + ":" + port;
	}

}

package dev.idaas.spring.autoconfigure;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import dev.idaas.spring.web.apple.AppleAuthorizationStateCookieRepository;

import org.springframework.util.StringUtils;

/**
 * Checks {@link IdaasProperties} at startup.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
final class IdaasPropertiesValidator {

	private IdaasPropertiesValidator() {
	}

	static void validate(IdaasProperties properties) {
		URI baseUrl = properties.getBaseUrl();
		if (baseUrl == null) {
			throw new IdaasConfigurationException("idaas.base-url", "the tenant base URL is not set",
					"Set idaas.base-url to your IDaaS tenant, e.g. https://example.idaas.cloud, "
							+ "or set idaas.enabled=false to turn IDaaS login off.");
		}
		checkUrl("idaas.base-url", baseUrl);
		if (!StringUtils.hasText(properties.getClientId())) {
			throw new IdaasConfigurationException("idaas.client-id", "the client id is not set",
					"Set idaas.client-id to the application's client id from the IDaaS console.");
		}
		URI jwkSetUri = properties.getIdToken().getJwkSetUri();
		if (jwkSetUri != null) {
			checkUrl("idaas.id-token.jwk-set-uri", jwkSetUri);
		}
		if (properties.getIdToken().getAlgorithms().isEmpty()
				|| properties.getIdToken().getAlgorithms().stream().anyMatch(IdaasPropertiesValidator::unsafeAlgorithm)) {
			throw new IdaasConfigurationException("idaas.id-token.algorithms",
					"only asymmetric JWS algorithms (RS256, RS384, RS512) are allowed",
					"Set idaas.id-token.algorithms to RS256 (the default).");
		}
		positive("idaas.http.connect-timeout", properties.getHttp().getConnectTimeout());
		positive("idaas.http.read-timeout", properties.getHttp().getReadTimeout());
		if (properties.getHttp().getMaxAttempts() < 1) {
			throw new IdaasConfigurationException("idaas.http.max-attempts", "must be at least 1",
					"Set idaas.http.max-attempts to 1 (no retries) or more.");
		}
		positive("idaas.login.pending-flow-timeout", properties.getLogin().getPendingFlowTimeout());
		Integer maxCodeSends = properties.getLogin().getMaxCodeSends();
		if (maxCodeSends != null && maxCodeSends < 1) {
			throw new IdaasConfigurationException("idaas.login.max-code-sends", "must be at least 1",
					"Set idaas.login.max-code-sends to 1 or more (default 5).");
		}
		Duration resendInterval = properties.getLogin().getCodeResendInterval();
		if (resendInterval == null || resendInterval.isNegative()) {
			throw new IdaasConfigurationException("idaas.login.code-resend-interval", "must not be negative",
					"Set idaas.login.code-resend-interval to a duration such as 30s, or 0s for none.");
		}
		validateLimits(properties.getLogin().getLimits());
		IdaasProperties.Apple apple = properties.getApple();
		if (apple.getRedirectUri() != null && !"https".equalsIgnoreCase(apple.getRedirectUri().getScheme())
				&& !isLoopback(apple.getRedirectUri())) {
			throw new IdaasConfigurationException("idaas.apple.redirect-uri", "Apple requires an HTTPS redirect URI",
					"Set idaas.apple.redirect-uri to the https:// URL registered with Apple.");
		}
		if (apple.getStateSecret() != null
				&& apple.getStateSecret().length() < AppleAuthorizationStateCookieRepository.MIN_SECRET_LENGTH) {
			// never echo the secret itself
			throw new IdaasConfigurationException("idaas.apple.state-secret",
					"must be at least " + AppleAuthorizationStateCookieRepository.MIN_SECRET_LENGTH + " characters",
					"Set idaas.apple.state-secret to the same random value of at least "
							+ AppleAuthorizationStateCookieRepository.MIN_SECRET_LENGTH
							+ " characters on every node (e.g. openssl rand -base64 32), or remove it to use a random key per node.");
		}
	}

	private static void validateLimits(IdaasProperties.Limits limits) {
		atLeastOne("idaas.login.limits.code-sends-per-target", limits.getCodeSendsPerTarget(), 5);
		atLeastOne("idaas.login.limits.code-sends-per-subject", limits.getCodeSendsPerSubject(), 5);
		atLeastOne("idaas.login.limits.code-sends-per-ip", limits.getCodeSendsPerIp(), 20);
		atLeastOne("idaas.login.limits.code-checks-per-target", limits.getCodeChecksPerTarget(), 5);
		atLeastOne("idaas.login.limits.code-checks-per-subject", limits.getCodeChecksPerSubject(), 5);
		atLeastOne("idaas.login.limits.code-checks-per-ip", limits.getCodeChecksPerIp(), 50);
		Duration window = limits.getWindow();
		if (window == null || window.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IdaasConfigurationException("idaas.login.limits.window", "must be at least one second",
					"Set idaas.login.limits.window to a duration such as 1h (the default).");
		}
		if (!StringUtils.hasText(limits.getRedisKeyPrefix())) {
			throw new IdaasConfigurationException("idaas.login.limits.redis-key-prefix", "must not be empty",
					"Set idaas.login.limits.redis-key-prefix to a prefix such as idaas:limit: (the default).");
		}
	}

	private static void atLeastOne(String property, int value, int defaultValue) {
		if (value < 1) {
			throw new IdaasConfigurationException(property, "must be at least 1",
					"Set " + property + " to 1 or more (default " + defaultValue + ").");
		}
	}

	private static boolean unsafeAlgorithm(String algorithm) {
		return !(algorithm.equals("RS256") || algorithm.equals("RS384") || algorithm.equals("RS512"));
	}

	private static void positive(String property, @Nullable Duration duration) {
		if (duration == null || duration.isNegative() || duration.isZero()) {
			throw new IdaasConfigurationException(property, "must be a positive duration",
					"Set " + property + " to a positive duration, e.g. 5s.");
		}
	}

	private static void checkUrl(String property, URI url) {
		String scheme = url.getScheme();
		if (!url.isAbsolute() || url.getHost() == null
				|| !("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))) {
			throw new IdaasConfigurationException(property, "'" + url + "' is not an absolute http(s) URL",
					"Set " + property + " to an absolute URL such as https://example.idaas.cloud.");
		}
		if ("http".equalsIgnoreCase(scheme) && !isLoopback(url)) {
			throw new IdaasConfigurationException(property,
					"'" + url + "' uses http:// for a host that is not loopback",
					"Use https:// (http:// is accepted only for localhost, e.g. a local simulator).");
		}
	}

	private static boolean isLoopback(URI url) {
		String host = url.getHost();
		if (host == null) {
			return false;
		}
		if ("localhost".equalsIgnoreCase(host)) {
			return true;
		}
		if (!host.matches("[0-9.]+|\\[[0-9a-fA-F:]+\\]")) {
			// never resolve names at startup; only literal addresses
			return false;
		}
		try {
			return InetAddress.getByName(host).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

}

package dev.idaas.spring.config;

import java.net.URI;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The login paths and Apple settings of the {@code idaas.*} properties, as Spring Boot's
 * auto-configuration resolves them: its {@link IdaasLoginConfigurerCustomizer} applies them to
 * every {@link IdaasLoginConfigurer}, and its default filter chain permits these paths.
 * Declare a bean of this type to replace them. The defaults themselves are in
 * {@link dev.idaas.spring.web.IdaasLoginDefaults}.
 *
 * @param processingUrl path that accepts an Apple code
 * @param loginPage the login page
 * @param failureUrl where browsers go after a failed login
 * @param defaultSuccessUrl where browsers go after login without a saved request
 * @param bindUrl page that finishes a bind flow
 * @param registerUrl page that finishes a register flow
 * @param mfaUrl page that finishes a second-factor ({@code MFA_AUTH}) flow
 * @param apple the Apple web flow, or {@code null} when only posted codes are accepted
 * @param upstreamLogoutUri IDaaS's browser logout endpoint ({@code {base}/api/v1/logout}) that
 * browsers are sent to after a sign-out, or {@code null} to end at the application's logout
 * success URL
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public record IdaasLoginSettings(String processingUrl, String loginPage, String failureUrl, String defaultSuccessUrl,
		String bindUrl, String registerUrl, String mfaUrl, @Nullable Apple apple, @Nullable URI upstreamLogoutUri) {

	/**
	 * Creates settings.
	 */
	public IdaasLoginSettings {
		Assert.hasText(processingUrl, "processingUrl cannot be empty");
		Assert.hasText(loginPage, "loginPage cannot be empty");
		Assert.hasText(failureUrl, "failureUrl cannot be empty");
		Assert.hasText(defaultSuccessUrl, "defaultSuccessUrl cannot be empty");
		Assert.hasText(bindUrl, "bindUrl cannot be empty");
		Assert.hasText(registerUrl, "registerUrl cannot be empty");
		Assert.hasText(mfaUrl, "mfaUrl cannot be empty");
		Assert.isTrue(upstreamLogoutUri == null || (upstreamLogoutUri.isAbsolute() && upstreamLogoutUri.getHost() != null),
				"upstreamLogoutUri must be an absolute URL");
	}

	/**
	 * The Apple web flow.
	 *
	 * @param clientId the Apple Services ID
	 * @param authorizeUri Apple's authorize endpoint
	 * @param redirectUri the registered redirect URI, or {@code null} (local development only)
	 * to derive it from a request whose host is loopback; other hosts are refused
	 * @param scope the scopes asked from Apple
	 * @param authorizationUrl path that starts the flow
	 * @param callbackUrl path Apple posts to
	 * @param stateTimeout lifetime of the state
	 * @param stateSecret the secret the state cookie is signed with, shared by every node, or
	 * {@code null} for a random key per node
	 */
	public record Apple(String clientId, URI authorizeUri, @Nullable URI redirectUri, String scope,
			String authorizationUrl, String callbackUrl, Duration stateTimeout, @Nullable String stateSecret) {

		/**
		 * Creates Apple settings.
		 */
		public Apple {
			Assert.hasText(clientId, "clientId cannot be empty");
			Assert.notNull(authorizeUri, "authorizeUri cannot be null");
			Assert.notNull(scope, "scope cannot be null");
			Assert.hasText(authorizationUrl, "authorizationUrl cannot be empty");
			Assert.hasText(callbackUrl, "callbackUrl cannot be empty");
			Assert.notNull(stateTimeout, "stateTimeout cannot be null");
		}

		/**
		 * Creates Apple settings whose state cookie is signed with a random key per node.
		 * @param clientId the Apple Services ID
		 * @param authorizeUri Apple's authorize endpoint
		 * @param redirectUri the registered redirect URI, or {@code null} (local development
		 * only) to derive it from a request whose host is loopback; other hosts are refused
		 * @param scope the scopes asked from Apple
		 * @param authorizationUrl path that starts the flow
		 * @param callbackUrl path Apple posts to
		 * @param stateTimeout lifetime of the state
		 */
		public Apple(String clientId, URI authorizeUri, @Nullable URI redirectUri, String scope,
				String authorizationUrl, String callbackUrl, Duration stateTimeout) {
			this(clientId, authorizeUri, redirectUri, scope, authorizationUrl, callbackUrl, stateTimeout, null);
		}

		@Override
		public String toString() {
			return "Apple[clientId=" + this.clientId + ", authorizeUri=" + this.authorizeUri + ", redirectUri="
					+ this.redirectUri + ", scope=" + this.scope + ", authorizationUrl=" + this.authorizationUrl
					+ ", callbackUrl=" + this.callbackUrl + ", stateTimeout=" + this.stateTimeout + ", stateSecret="
					+ ((this.stateSecret != null) ? "***" : null) + "]";
		}

	}

}

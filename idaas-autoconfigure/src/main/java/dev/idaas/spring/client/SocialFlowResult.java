package dev.idaas.spring.client;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The answer of a finished bind or register flow: the user's new IDaaS session.
 * {@code social/bind} answers no id_token (obtain one with
 * {@link IdaasClient#refreshIdToken(String, DeviceContext)}); {@code social/register-bind}
 * usually does.
 *
 * @param sessionToken the session token
 * @param sessionExpiresIn how long the session token stays valid
 * @param idToken the id_token JWT (not yet verified), or {@code null} when none was answered
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSocialFlowClient
 */
public record SocialFlowResult(String sessionToken, Duration sessionExpiresIn, @Nullable String idToken) {

	/**
	 * Creates the result.
	 */
	public SocialFlowResult {
		Assert.hasText(sessionToken, "sessionToken cannot be empty");
		Assert.notNull(sessionExpiresIn, "sessionExpiresIn cannot be null");
		if (idToken != null && idToken.isBlank()) {
			idToken = null;
		}
	}

	@Override
	public String toString() {
		return "SocialFlowResult[sessionToken=***, sessionExpiresIn=" + this.sessionExpiresIn + ", idToken="
				+ ((this.idToken != null) ? "***" : "null") + "]";
	}

}

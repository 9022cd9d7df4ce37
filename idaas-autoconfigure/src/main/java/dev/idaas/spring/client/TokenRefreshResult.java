package dev.idaas.spring.client;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * A new id_token for a session token, with the (possibly renewed) session token.
 *
 * @param sessionToken the session token to keep from now on; equal to the one sent unless the
 * tenant renews session tokens
 * @param sessionExpiresIn how long that session token stays valid
 * @param idToken the new id_token JWT (not yet verified)
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasClient#refreshIdToken(String, DeviceContext)
 */
public record TokenRefreshResult(String sessionToken, Duration sessionExpiresIn, String idToken) {

	/**
	 * Creates the result.
	 */
	public TokenRefreshResult {
		Assert.hasText(sessionToken, "sessionToken cannot be empty");
		Assert.notNull(sessionExpiresIn, "sessionExpiresIn cannot be null");
		Assert.hasText(idToken, "idToken cannot be empty");
	}

	@Override
	public String toString() {
		return "TokenRefreshResult[sessionToken=***, sessionExpiresIn=" + this.sessionExpiresIn + ", idToken=***]";
	}

}

package dev.idaas.spring.client;

/**
 * The IDaaS SDK API: Apple login and id_token refresh.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see RestClientIdaasClient
 */
public interface IdaasClient {

	/**
	 * Exchanges an Apple authorization code for an IDaaS login result
	 * ({@code POST /api/v2/sdk/login/apple}). Retried only on
	 * {@link IdaasErrorCategory#TRANSIENT} failures; never when the request may have reached IDaaS
	 * without an answer coming back ({@link IdaasErrorCategory#UNKNOWN_OUTCOME}): an Apple code is
	 * single-use.
	 * @param code the Apple authorization code
	 * @param device the end user's device facts
	 * @return the login result
	 * @throws IdaasApiException when IDaaS answers with an error or cannot be reached
	 */
	AppleLoginResult loginWithApple(String code, DeviceContext device);

	/**
	 * Obtains a new id_token for a session token
	 * ({@code POST /api/v2/sdk/sso/session-token/id-token}).
	 * @param sessionToken the current session token
	 * @param device the end user's device facts
	 * @return the new id_token and the session token to keep
	 * @throws IdaasApiException when IDaaS answers with an error or cannot be reached
	 */
	TokenRefreshResult refreshIdToken(String sessionToken, DeviceContext device);

}

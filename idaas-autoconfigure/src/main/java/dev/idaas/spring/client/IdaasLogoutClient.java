package dev.idaas.spring.client;

/**
 * Ends a session token at IDaaS, for the editions that publish a signed logout call
 * ({@code GET /api/v2/sdk/logout} with an {@code X-signature} header). The contract of the
 * Apple login and refresh calls has no logout: a session token simply stops being used. Where the
 * call exists, it revokes the session token at once, so a stolen copy cannot obtain id_tokens any
 * more.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see RestClientIdaasLogoutClient
 */
@FunctionalInterface
public interface IdaasLogoutClient {

	/**
	 * Ends the session token at IDaaS.
	 * @param sessionToken the session token to end; it never appears in a log line or an
	 * exception message
	 * @param device the end user's device facts
	 * @throws IdaasApiException when the session token cannot be signed (nothing sent), IDaaS
	 * answers with an error ({@link IdaasErrorCategory#INVALID_SESSION}: the token had already
	 * ended) or cannot be reached
	 * @since 0.1
	 */
	void logout(String sessionToken, DeviceContext device);

}

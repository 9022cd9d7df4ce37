package dev.idaas.spring.jwt;

import org.springframework.security.oauth2.core.oidc.OidcIdToken;

/**
 * Verifies an IDaaS id_token: signature against the tenant's JSON Web Key Set, algorithm
 * allowlist, issuer, audience and time claims.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see JwksIdTokenVerifier
 */
@FunctionalInterface
public interface IdTokenVerifier {

	/**
	 * Verifies the token and returns its claims.
	 * @param idToken the compact JWS
	 * @return the verified token
	 * @throws InvalidIdTokenException when the token is not acceptable, for any reason
	 */
	OidcIdToken verify(String idToken);

}

package dev.idaas.spring.jwt;

import java.io.Serial;

/**
 * An id_token could not be checked because the tenant's key set has never been loaded (the
 * JWKS endpoint is down or unreachable). Unlike other {@link InvalidIdTokenException}s this
 * says nothing about the token: callers treat it as a transient upstream failure.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public class JwkSetUnavailableException extends InvalidIdTokenException {

	@Serial
	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 */
	public JwkSetUnavailableException() {
		super("the key set could not be loaded");
	}

}

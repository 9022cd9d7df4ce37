package dev.idaas.spring.jwt;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Thrown by an {@link IdTokenVerifier} when an id_token is not acceptable: malformed, badly
 * signed, signed with a key or algorithm that is not trusted, expired, or issued for another
 * issuer or client.
 * <p>
 * The {@link #getReason() reason} is a short, fixed phrase such as {@code "expired"} or
 * {@code "issuer mismatch"}; it never contains the token, any part of it, or a claim value, so
 * the exception may be logged as is.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see JwksIdTokenVerifier
 */
public class InvalidIdTokenException extends RuntimeException {

	/**
	 * The error code of every id_token verification failure.
	 * @since 0.1
	 */
	public static final String ERROR_CODE = "IDAAS.STARTER.INVALID_ID_TOKEN";

	private static final long serialVersionUID = 1L;

	private final String reason;

	/**
	 * Creates the exception.
	 * @param reason a short phrase saying why the token was rejected; must not contain the token
	 * @since 0.1
	 */
	public InvalidIdTokenException(String reason) {
		this(reason, null);
	}

	/**
	 * Creates the exception with a cause.
	 * @param reason a short phrase saying why the token was rejected; must not contain the token
	 * @param cause the underlying failure, whose message must not contain the token either
	 * (may be {@code null})
	 * @since 0.1
	 */
	public InvalidIdTokenException(String reason, @Nullable Throwable cause) {
		super("Invalid id_token: " + reason, cause);
		Assert.hasText(reason, "reason cannot be empty");
		this.reason = reason;
	}

	/**
	 * Returns the error code, always {@value #ERROR_CODE}.
	 * @return the error code
	 * @since 0.1
	 */
	public String getErrorCode() {
		return ERROR_CODE;
	}

	/**
	 * Returns why the token was rejected, e.g. {@code "expired"} or {@code "issuer mismatch"}.
	 * @return the reason, never containing the token
	 * @since 0.1
	 */
	public String getReason() {
		return this.reason;
	}

}

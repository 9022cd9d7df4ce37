package dev.idaas.spring.web.session;

import java.io.Serial;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Thrown by {@link IdTokenRefresher} when the id_token has expired and could not be refreshed
 * because IDaaS is busy, unreachable or did not answer in time. The user stays signed in; the
 * request should be answered with {@code 503 Service Unavailable} and a {@code Retry-After}.
 * The message never contains a token.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdTokenRefreshFilter
 */
public class IdTokenRefreshUnavailableException extends RuntimeException {

	@Serial
	private static final long serialVersionUID = 1L;

	private final String errorCode;

	private final Duration retryAfter;

	/**
	 * Creates the exception.
	 * @param errorCode the IDaaS or starter error code, e.g. {@code IDAAS.SDK.COM.0002}
	 * @param retryAfter when the client may try again
	 * @param cause the cause, or {@code null}
	 * @since 0.1
	 */
	public IdTokenRefreshUnavailableException(String errorCode, Duration retryAfter, @Nullable Throwable cause) {
		super(errorCode + ": the id_token expired and could not be refreshed", cause);
		Assert.hasText(errorCode, "errorCode cannot be empty");
		Assert.notNull(retryAfter, "retryAfter cannot be null");
		this.errorCode = errorCode;
		this.retryAfter = retryAfter;
	}

	/**
	 * The IDaaS or starter error code.
	 * @return the code
	 * @since 0.1
	 */
	public String getErrorCode() {
		return this.errorCode;
	}

	/**
	 * When the client may try again.
	 * @return the delay
	 * @since 0.1
	 */
	public Duration getRetryAfter() {
		return this.retryAfter;
	}

	/**
	 * {@link #getRetryAfter()} in whole seconds, rounded up, at least 1, as the
	 * {@code Retry-After} header wants it.
	 * @return the seconds
	 * @since 0.1
	 */
	public long getRetryAfterSeconds() {
		long millis = this.retryAfter.toMillis();
		return Math.max(1, (millis + 999) / 1000);
	}

}

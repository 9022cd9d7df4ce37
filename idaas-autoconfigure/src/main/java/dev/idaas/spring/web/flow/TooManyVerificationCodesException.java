package dev.idaas.spring.web.flow;

import java.io.Serial;
import java.time.Duration;

import dev.idaas.spring.authentication.IdaasAuthenticationException;
import dev.idaas.spring.client.IdaasErrorCategory;
import dev.idaas.spring.client.IdaasErrorCodes;

import org.springframework.util.Assert;

/**
 * Thrown when a verification code send or check is refused because a
 * {@link VerificationRateLimiter} limit is reached or the flow's last code was sent too recently
 * ({@link IdaasErrorCodes#TOO_MANY_CODES}). Nothing was sent. JSON clients get
 * {@code 429 Too Many Requests} with a {@code Retry-After} of {@link #getRetryAfterSeconds()}.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see VerificationRateLimiter
 * @see DefaultIdaasSocialFlowService#setCodeResendInterval(Duration)
 */
public class TooManyVerificationCodesException extends IdaasAuthenticationException {

	@Serial
	private static final long serialVersionUID = 1L;

	private final Duration retryAfter;

	/**
	 * Creates the exception.
	 * @param description an English description (never a phone number, email address or token)
	 * @param retryAfter when a code may be sent again: the rest of the interval, or the rest of the
	 * flow's lifetime once no more codes may be sent
	 * @since 0.1
	 */
	public TooManyVerificationCodesException(String description, Duration retryAfter) {
		super(IdaasErrorCodes.TOO_MANY_CODES, description, IdaasErrorCategory.INVALID_REQUEST, null);
		Assert.notNull(retryAfter, "retryAfter cannot be null");
		this.retryAfter = retryAfter;
	}

	/**
	 * When a code may be sent again.
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
		long seconds = this.retryAfter.getSeconds() + ((this.retryAfter.getNano() > 0) ? 1 : 0);
		return Math.max(1, seconds);
	}

}

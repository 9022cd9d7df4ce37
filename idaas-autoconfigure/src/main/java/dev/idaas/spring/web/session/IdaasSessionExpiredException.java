package dev.idaas.spring.web.session;

import java.io.Serial;

import org.jspecify.annotations.Nullable;

import dev.idaas.spring.client.IdaasApiException;

import org.springframework.security.core.AuthenticationException;
import org.springframework.util.Assert;

/**
 * Thrown by {@link IdTokenRefresher} when the signed-in session has ended and the user was
 * signed out (HTTP session invalidated, security context cleared). Being an
 * {@link AuthenticationException}, it makes Spring Security's {@code ExceptionTranslationFilter}
 * start a new sign-in when it escapes from application code (for example from
 * {@link IdaasBearerTokenInterceptor}). The message never contains a token.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSessionExpiredHandler
 */
public class IdaasSessionExpiredException extends AuthenticationException {

	@Serial
	private static final long serialVersionUID = 1L;

	private final String errorCode;

	private final IdaasSessionEndReason reason;

	private final @Nullable String vendorMessage;

	/**
	 * Creates the exception. The vendor's message is taken from the cause when it is an
	 * {@link IdaasApiException}.
	 * @param errorCode the IDaaS or starter error code, e.g. {@code IDAAS.SDK.PARAM.0023}
	 * @param reason why the session ended
	 * @param cause the cause, or {@code null}
	 * @since 0.1
	 */
	public IdaasSessionExpiredException(String errorCode, IdaasSessionEndReason reason, @Nullable Throwable cause) {
		this(errorCode, reason, (cause instanceof IdaasApiException api) ? api.getVendorMessage() : null, cause);
	}

	/**
	 * Creates the exception.
	 * @param errorCode the IDaaS or starter error code, e.g. {@code IDAAS.SDK.RISK.0001}
	 * @param reason why the session ended
	 * @param vendorMessage the vendor's {@code error_msg}, already sanitized (see
	 * {@link IdaasApiException#getVendorMessage()}), or {@code null}
	 * @param cause the cause, or {@code null}
	 * @since 0.1
	 */
	public IdaasSessionExpiredException(String errorCode, IdaasSessionEndReason reason, @Nullable String vendorMessage,
			@Nullable Throwable cause) {
		super(errorCode + ": the IDaaS session ended (" + reason + ")", cause);
		Assert.hasText(errorCode, "errorCode cannot be empty");
		Assert.notNull(reason, "reason cannot be null");
		this.errorCode = errorCode;
		this.reason = reason;
		this.vendorMessage = vendorMessage;
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
	 * Why the session ended.
	 * @return the reason
	 * @since 0.1
	 */
	public IdaasSessionEndReason getReason() {
		return this.reason;
	}

	/**
	 * The vendor's {@code error_msg} behind the end, already in the user's language (IDaaS
	 * chose it from {@code X-L}): the text to show for a code the starter does not know
	 * ({@link IdaasSessionEndReason#VENDOR_REFUSED}); bundled texts win for known codes.
	 * @return the vendor's message, or {@code null}
	 * @since 0.1
	 * @see dev.idaas.spring.client.IdaasErrorMessages#getMessage(String, String, java.util.Locale)
	 */
	public @Nullable String getVendorMessage() {
		return this.vendorMessage;
	}

}

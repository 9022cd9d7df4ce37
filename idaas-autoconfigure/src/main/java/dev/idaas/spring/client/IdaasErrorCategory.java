package dev.idaas.spring.client;

/**
 * What an IDaaS error means for the caller, independent of the exact error code.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasApiException#getCategory()
 */
public enum IdaasErrorCategory {

	/**
	 * The session token is missing, invalid or expired ({@code PARAM.0022}, {@code PARAM.0023}):
	 * the user must sign in again.
	 */
	INVALID_SESSION,

	/**
	 * IDaaS is busy or unreachable ({@code COM.0002} whatever its HTTP status, 5xx, connection
	 * refused): safe to retry.
	 */
	TRANSIENT,

	/**
	 * The request was sent but no answer came (read timeout): it may or may not have taken
	 * effect, so it is never retried.
	 */
	UNKNOWN_OUTCOME,

	/**
	 * The application is misconfigured ({@code PARAM.0001}, {@code 0002}, {@code 0003}).
	 */
	CLIENT_CONFIGURATION,

	/**
	 * The user is disabled ({@code USER.0039}).
	 */
	USER_DISABLED,

	/**
	 * IDaaS answered {@code ACCESS_DENIED}.
	 */
	ACCESS_DENIED,

	/**
	 * The request itself was wrong ({@code PARAM.0011} and other parameter errors), or the user's
	 * answer was: a failed slider check ({@code CAPTCHA.0002}), a wrong verification code
	 * ({@code CAPTCHA.0007}), a code IDaaS could not send ({@code CAPTCHA.0006}), a state token
	 * IDaaS no longer knows ({@code COMMON.1007}: the flow is over, sign in again).
	 */
	INVALID_REQUEST,

	/**
	 * The answer could not be understood: HTML, truncated or non-JSON body, unknown status, an
	 * oversized body.
	 */
	PROTOCOL,

	/**
	 * IDaaS refused the request with a well-formed error ({@code {error_code, error_msg}}, HTTP
	 * 4xx) whose code this starter does not know. The vendor has more codes than it publishes:
	 * the answer is still the vendor's word to the user, so the raw code is kept and the
	 * vendor's {@code error_msg} (already in the user's language through {@code X-L}; control
	 * characters replaced, at most 200 characters) is the text shown. Not retried; the web layer
	 * answers 400.
	 * @see IdaasApiException#getVendorMessage()
	 */
	VENDOR_REFUSED,

	/**
	 * An error answer whose code is not even shaped like an IDaaS code (control characters,
	 * blanks, longer than 64 characters); the raw code is kept, sanitized.
	 */
	UNKNOWN

}

package dev.idaas.spring.client;

import org.jspecify.annotations.Nullable;

/**
 * The error codes this starter knows: the IDaaS SDK codes of the upstream contract
 * ({@code IDAAS.SDK.*}) and the starter's own codes ({@code IDAAS.STARTER.*}) for failures that
 * IDaaS did not report itself. Any other code IDaaS sends is kept raw: with category
 * {@link IdaasErrorCategory#VENDOR_REFUSED} (the vendor's {@code error_msg} is the text shown)
 * when it is well formed and came with a 4xx, {@link IdaasErrorCategory#TRANSIENT} with a 5xx.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasApiException#getErrorCode()
 * @see IdaasErrorMessages
 */
public final class IdaasErrorCodes {

	/**
	 * {@code IDAAS.SDK.PARAM.0001}: device information is incomplete.
	 */
	public static final String DEVICE_INFO_INCOMPLETE = "IDAAS.SDK.PARAM.0001";

	/**
	 * {@code IDAAS.SDK.PARAM.0002}: the client id is empty.
	 */
	public static final String CLIENT_ID_EMPTY = "IDAAS.SDK.PARAM.0002";

	/**
	 * {@code IDAAS.SDK.PARAM.0003}: the application is not registered.
	 */
	public static final String APP_NOT_REGISTERED = "IDAAS.SDK.PARAM.0003";

	/**
	 * {@code IDAAS.SDK.PARAM.0011}: the Apple authorization code is empty.
	 */
	public static final String APPLE_CODE_EMPTY = "IDAAS.SDK.PARAM.0011";

	/**
	 * {@code IDAAS.SDK.PARAM.0004}: a request parameter is invalid (e.g. a phone number, an
	 * email address or a verification type).
	 */
	public static final String INVALID_PARAMETER = "IDAAS.SDK.PARAM.0004";

	/**
	 * {@code IDAAS.SDK.PARAM.0016}: "IdToken is invalid or expired", about an id_token sent to
	 * IDaaS. (An unknown or expired state token is {@link #STATE_TOKEN_INVALID}.)
	 */
	public static final String ID_TOKEN_INVALID = "IDAAS.SDK.PARAM.0016";

	/**
	 * {@code IDAAS.SDK.PARAM.0017}: the verification code is incorrect or expired.
	 */
	public static final String VERIFY_CODE_INVALID = "IDAAS.SDK.PARAM.0017";

	/**
	 * {@code IDAAS.SDK.CAPTCHA.0002}: the slider captcha check failed (wrong slide, or an
	 * unknown, used or expired puzzle or {@code captcha_token}); a new puzzle is needed.
	 */
	public static final String CAPTCHA_INVALID = "IDAAS.SDK.CAPTCHA.0002";

	/**
	 * {@code IDAAS.SDK.CAPTCHA.0006}: the verification code could not be sent.
	 */
	public static final String CODE_NOT_SENT = "IDAAS.SDK.CAPTCHA.0006";

	/**
	 * {@code IDAAS.SDK.CAPTCHA.0007}: "Incorrect verification code", the answer of
	 * {@code social/bind}, {@code social/register-bind} and {@code mfa/*} to a wrong code.
	 */
	public static final String VERIFY_CODE_INCORRECT = "IDAAS.SDK.CAPTCHA.0007";

	/**
	 * {@code IDAAS.SDK.COMMON.1007}: "state_token parameter error", the state token is unknown
	 * or expired; the flow is over and the user must sign in again.
	 */
	public static final String STATE_TOKEN_INVALID = "IDAAS.SDK.COMMON.1007";

	/**
	 * {@code IDAAS.SDK.PARAM.0022}: the session token is empty.
	 */
	public static final String SESSION_TOKEN_EMPTY = "IDAAS.SDK.PARAM.0022";

	/**
	 * {@code IDAAS.SDK.PARAM.0023}: the session token is invalid or expired.
	 */
	public static final String SESSION_TOKEN_INVALID = "IDAAS.SDK.PARAM.0023";

	/**
	 * {@code IDAAS.SDK.COM.0002}: the system is busy (sent as HTTP 400 or 500).
	 */
	public static final String SYSTEM_BUSY = "IDAAS.SDK.COM.0002";

	/**
	 * {@code IDAAS.SDK.USER.0001}: no user has this phone number or email address (bind).
	 */
	public static final String USER_NOT_FOUND = "IDAAS.SDK.USER.0001";

	/**
	 * {@code IDAAS.SDK.USER.0002}: a user with this phone number or email address already
	 * exists (register).
	 */
	public static final String USER_ALREADY_EXISTS = "IDAAS.SDK.USER.0002";

	/**
	 * {@code IDAAS.SDK.USER.0039}: the user is disabled.
	 */
	public static final String USER_DISABLED = "IDAAS.SDK.USER.0039";

	/**
	 * IDaaS could not be reached (connection refused, connect timeout, unknown host) or answered
	 * with a 5xx without an error code. The request was not processed; safe to retry.
	 */
	public static final String UPSTREAM_UNAVAILABLE = "IDAAS.STARTER.UPSTREAM_UNAVAILABLE";

	/**
	 * The request was sent but no complete answer came (read timeout, connection dropped): the
	 * outcome is unknown.
	 */
	public static final String UPSTREAM_TIMEOUT = "IDAAS.STARTER.UPSTREAM_TIMEOUT";

	/**
	 * The answer could not be understood: not JSON, truncated, empty, oversized, missing fields or
	 * an unknown {@code status}.
	 */
	public static final String MALFORMED_RESPONSE = "IDAAS.STARTER.MALFORMED_RESPONSE";

	/**
	 * A header value (device fact, client id, session token) is not a printable ASCII value of an
	 * acceptable length; nothing was sent.
	 */
	public static final String INVALID_HEADER = "IDAAS.STARTER.INVALID_HEADER";

	/**
	 * The Apple authorization code is empty, too long or contains control characters; nothing was
	 * sent.
	 */
	public static final String INVALID_CODE = "IDAAS.STARTER.INVALID_CODE";

	/**
	 * A verification target (phone number, email address), verification code or state token is
	 * empty, too long or malformed; nothing was sent.
	 */
	public static final String INVALID_VERIFICATION = "IDAAS.STARTER.INVALID_VERIFICATION";

	/**
	 * The tenant does not allow this verification method for the pending flow
	 * ({@code socialBindOrRegisterFlow}); nothing was sent.
	 */
	public static final String METHOD_NOT_ALLOWED = "IDAAS.STARTER.METHOD_NOT_ALLOWED";

	/**
	 * The pending bind or register flow has expired; the user must sign in again.
	 */
	public static final String FLOW_EXPIRED = "IDAAS.STARTER.FLOW_EXPIRED";

	/**
	 * IDaaS took the verification code (the state token is spent) but its answer, or the
	 * id_token refresh that follows it, could not be understood: the pending flow was ended and
	 * the user must sign in again. The unintelligible answer is kept as the cause.
	 */
	public static final String FLOW_ENDED = "IDAAS.STARTER.FLOW_ENDED";

	/**
	 * There is no pending bind or register flow for this browser, or it is of the other branch.
	 */
	public static final String NO_PENDING_FLOW = "IDAAS.STARTER.NO_PENDING_FLOW";

	/**
	 * Too many wrong verification codes: the pending flow was ended; the user must sign in
	 * again.
	 */
	public static final String TOO_MANY_ATTEMPTS = "IDAAS.STARTER.TOO_MANY_ATTEMPTS";

	/**
	 * A verification code was refused for the pending bind or register flow: it already had the
	 * most codes allowed, or the last one was sent too recently; nothing was sent.
	 */
	public static final String TOO_MANY_CODES = "IDAAS.STARTER.TOO_MANY_CODES";

	/**
	 * IDaaS answered {@code status: ACCESS_DENIED}.
	 */
	public static final String ACCESS_DENIED = "IDAAS.STARTER.ACCESS_DENIED";

	/**
	 * The id_token failed verification.
	 */
	public static final String INVALID_ID_TOKEN = "IDAAS.STARTER.INVALID_ID_TOKEN";

	/**
	 * The sign-in {@code state} is missing, does not match or has expired.
	 */
	public static final String INVALID_STATE = "IDAAS.STARTER.INVALID_STATE";

	/**
	 * The user's session with IDaaS has expired.
	 */
	public static final String SESSION_EXPIRED = "IDAAS.STARTER.SESSION_EXPIRED";

	/**
	 * The request needs a signed-in user.
	 */
	public static final String UNAUTHENTICATED = "IDAAS.STARTER.UNAUTHENTICATED";

	/**
	 * A refreshed id_token belongs to another user than the one it replaces.
	 */
	public static final String SUBJECT_CHANGED = "IDAAS.STARTER.SUBJECT_CHANGED";

	/**
	 * An unexpected failure.
	 */
	public static final String UNKNOWN_ERROR = "IDAAS.STARTER.UNKNOWN_ERROR";

	/**
	 * The longest error code taken as one: longer is not a vendor code.
	 */
	private static final int MAX_LENGTH = 64;

	private IdaasErrorCodes() {
	}

	/**
	 * Whether a value has the shape of an error code: 1 to 64 ASCII letters, digits, dots,
	 * underscores and dashes, nothing else (no blank, no markup). A well-formed code IDaaS sends
	 * that this class does not know is still the vendor's answer to the user
	 * ({@link IdaasErrorCategory#VENDOR_REFUSED}); a page reading a code from its URL shows it
	 * only when it is well formed. The one definition for the client and the pages.
	 * @param errorCode the candidate, e.g. {@code IDAAS.SDK.RISK-0001}, or {@code null}
	 * @return {@code true} when it is well formed
	 * @since 0.1
	 */
	public static boolean isWellFormed(@Nullable String errorCode) {
		if (errorCode == null || errorCode.isEmpty() || errorCode.length() > MAX_LENGTH) {
			return false;
		}
		for (int i = 0; i < errorCode.length(); i++) {
			char c = errorCode.charAt(i);
			boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
					|| c == '_' || c == '-';
			if (!allowed) {
				return false;
			}
		}
		return true;
	}

}

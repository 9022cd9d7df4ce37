package dev.idaas.spring.test.simulator;

/**
 * The error answers of the simulator: {@code {"error_code": ..., "error_msg": ...}} with the
 * English message, or the Chinese one when the request carries {@code X-L: zh}.
 * <p>
 * Codes marked "contract" are the vendor's, with the vendor's messages. The others are the
 * simulator's own choice for situations the contract does not spell out (the follow-up bind and
 * register calls); they use the vendor's naming scheme so a client treats them as it must treat
 * any unknown code: as an error, with the raw code kept.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSimulator
 */
public enum IdaasSimulatorError {

	/**
	 * Contract: a device header ({@code X-operating-sys-version}, {@code X-device-fingerprint},
	 * {@code X-agent}) is missing or blank.
	 */
	DEVICE_INFO_INCOMPLETE("IDAAS.SDK.PARAM.0001", 400, "Device information is incomplete", "设备信息不完整"),

	/**
	 * Contract: {@code X-client-id} is missing or blank.
	 */
	CLIENT_ID_EMPTY("IDAAS.SDK.PARAM.0002", 400, "clientId cannot be empty", "clientId不能为空"),

	/**
	 * Contract: {@code X-client-id} is not the simulator's client id.
	 */
	APP_NOT_REGISTERED("IDAAS.SDK.PARAM.0003", 400, "The app is not registered, please register the app first",
			"应用未注册,请先注册应用"),

	/**
	 * Contract: the Apple code is missing or empty. The simulator also answers it for a code that
	 * is unknown, already used (codes are single-use) or older than the Apple code lifetime,
	 * because the contract has no other code for a bad Apple code.
	 */
	APPLE_CODE_EMPTY("IDAAS.SDK.PARAM.0011", 400, "Apple authorization code cannot be empty", "Apple授权码不能为空"),

	/**
	 * Contract (follow-up calls, "state_token parameter error"): the simulator answers it for a
	 * missing, unknown, used or expired {@code X-state-token}, or one whose flow does not match the
	 * call ({@code social/bind} needs a {@code SOCIAL_BIND} state token,
	 * {@code social/register-bind} a {@code USER_REGISTER} one, {@code mobile-by-token} and
	 * {@code mfa/*} an {@code MFA_AUTH} one).
	 */
	STATE_TOKEN_INVALID("IDAAS.SDK.COMMON.1007", 400, "state_token parameter error", "state_token参数错误"),

	/**
	 * Contract: the id_token is invalid or expired. Not answered by the simulator's calls (it
	 * answered unknown state tokens with it before the vendor's follow-up pages were known).
	 */
	ID_TOKEN_INVALID("IDAAS.SDK.PARAM.0016", 400, "IdToken is invalid or expired", "IdToken无效或已过期"),

	/**
	 * Contract (follow-up calls): the slider check failed: the slide is more than the tolerance
	 * off the notch, or the puzzle is unknown, already answered or expired; also the answer of a
	 * code send whose {@code captcha_token} is missing, unknown, used, expired or issued for
	 * another sender.
	 */
	CAPTCHA_INVALID("IDAAS.SDK.CAPTCHA.0002", 400, "Graphic verification code verification failed",
			"图形验证码校验失败"),

	/**
	 * Contract (follow-up calls): the code could not be sent (see
	 * {@link IdaasSimulator#failNextSends(int)}).
	 */
	CODE_NOT_SENT("IDAAS.SDK.CAPTCHA.0006", 400, "Failed to send the verification code", "验证码发送失败"),

	/**
	 * Contract (follow-up calls): the verification code of a bind, register-and-bind or second
	 * factor is wrong, expired, already used, or not the latest one sent for that purpose.
	 */
	VERIFY_CODE_INCORRECT("IDAAS.SDK.CAPTCHA.0007", 400, "Incorrect verification code", "验证码错误"),

	/**
	 * Contract: the session token header is missing or blank.
	 */
	SESSION_TOKEN_EMPTY("IDAAS.SDK.PARAM.0022", 400, "Session token cannot be empty", "会话令牌不能为空"),

	/**
	 * Contract: the session token is unknown, expired, replaced by rotation, or its user was
	 * disabled.
	 */
	SESSION_TOKEN_INVALID("IDAAS.SDK.PARAM.0023", 400, "Invalid or expired session token", "会话令牌无效或已过期"),

	/**
	 * Contract: transient failure, injected with {@link IdaasSimulator#failNext(int, int)} (as
	 * 400 or 500; the status given there wins over this default).
	 */
	SYSTEM_BUSY("IDAAS.SDK.COM.0002", 500, "System busy, please try again later", "系统繁忙,请稍后再试"),

	/**
	 * Contract: the user is disabled.
	 */
	USER_DISABLED("IDAAS.SDK.USER.0039", 400, "User is disabled", "用户已被禁用"),

	/**
	 * Simulator's choice: a request field is missing or has an unsupported value (no mobile nor
	 * email, an unknown code {@code type}, a verification method the tenant's flow does not
	 * allow).
	 */
	INVALID_PARAMETER("IDAAS.SDK.PARAM.0004", 400, "Invalid request parameter", "请求参数无效"),

	/**
	 * Simulator's former choice for a wrong verification code, before the vendor's follow-up
	 * pages were known; wrong codes are now {@link #VERIFY_CODE_INCORRECT}. Not answered any more.
	 */
	VERIFY_CODE_INVALID("IDAAS.SDK.PARAM.0017", 400, "Verification code is incorrect or expired",
			"验证码错误或已过期"),

	/**
	 * Simulator's choice: {@code social/bind} found no account with that mobile or email.
	 */
	USER_NOT_FOUND("IDAAS.SDK.USER.0001", 400, "User does not exist", "用户不存在"),

	/**
	 * Simulator's choice: {@code social/register-bind} with a mobile or email that already
	 * belongs to an account (it must be bound instead).
	 */
	USER_ALREADY_EXISTS("IDAAS.SDK.USER.0002", 400, "User already exists", "用户已存在");

	private final String code;

	private final int httpStatus;

	private final String englishMessage;

	private final String chineseMessage;

	IdaasSimulatorError(String code, int httpStatus, String englishMessage, String chineseMessage) {
		this.code = code;
		this.httpStatus = httpStatus;
		this.englishMessage = englishMessage;
		this.chineseMessage = chineseMessage;
	}

	/**
	 * The {@code error_code}, e.g. {@code IDAAS.SDK.PARAM.0001}.
	 * @return the code
	 * @since 0.1
	 */
	public String code() {
		return this.code;
	}

	/**
	 * The HTTP status the simulator answers with.
	 * @return the status
	 * @since 0.1
	 */
	public int httpStatus() {
		return this.httpStatus;
	}

	/**
	 * The English {@code error_msg}.
	 * @return the message
	 * @since 0.1
	 */
	public String englishMessage() {
		return this.englishMessage;
	}

	/**
	 * The Chinese {@code error_msg} (answered for {@code X-L: zh}).
	 * @return the message
	 * @since 0.1
	 */
	public String chineseMessage() {
		return this.chineseMessage;
	}

}

package dev.idaas.spring.client;

/**
 * The IDaaS SDK calls that follow a {@code state_token}: the slider captcha the vendor demands
 * before any code is sent, the code sends, and the calls that finish a {@code SOCIAL_BIND},
 * {@code USER_REGISTER} or {@code MFA_AUTH} flow. Every call carries the common device headers;
 * every documented error is HTTP 400 {@code {error_code, error_msg}}, thrown as
 * {@link IdaasApiException}.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see RestClientIdaasSocialFlowClient
 * @see IdaasClient
 */
public interface IdaasSocialFlowClient {

	/**
	 * Gets a new slider puzzle ({@code GET /api/v2/sdk/captcha}).
	 * @param device the end user's device facts
	 * @return the puzzle
	 * @throws IdaasApiException when IDaaS answers with an error or cannot be reached
	 */
	CaptchaChallenge getCaptcha(DeviceContext device);

	/**
	 * Checks where the user dropped the piece ({@code POST /api/v2/sdk/captcha/verify}, body
	 * {@code {"point_json":"{\"x\":..,\"y\":5.0}","token":..,"sender":..}}). A puzzle is
	 * answered once: after a failure a new one is needed.
	 * @param captchaToken the puzzle's {@link CaptchaChallenge#token() token}
	 * @param x where the piece was dropped, in background-image pixels
	 * @param sender the phone number or email address the code will be sent to
	 * @param device the end user's device facts
	 * @return the {@code captcha_token} that a send of a code to {@code sender} requires
	 * (single-use, short-lived)
	 * @throws IdaasApiException {@code CAPTCHA.0002} when the slide is wrong; when IDaaS answers
	 * with another error or cannot be reached
	 */
	String verifyCaptcha(String captchaToken, double x, String sender, DeviceContext device);

	/**
	 * Sends a verification code ({@code POST /api/v2/sdk/sms/send} or
	 * {@code /api/v2/sdk/email/send}, body
	 * {@code {"mobile"|"email":..,"type":..,"captcha_token":..}}). IDaaS answers a code that went
	 * out with 200 and an empty body; any 2xx whose body is not a JSON {@code error_code} (e.g.
	 * {@code {}} or {@code OK}) counts as sent too.
	 * @param channel SMS or email
	 * @param target the phone number or email address
	 * @param purpose the {@code type}; its channel must be {@code channel}
	 * @param captchaToken what {@link #verifyCaptcha} answered for this target
	 * @param device the end user's device facts
	 * @throws IdaasApiException when the input is malformed (nothing sent), IDaaS answers with an
	 * error ({@code CAPTCHA.0006}: the code could not be sent) or cannot be reached
	 */
	void sendVerificationCode(VerificationChannel channel, String target, VerificationPurpose purpose,
			String captchaToken, DeviceContext device);

	/**
	 * Binds the Apple account of a pending {@code SOCIAL_BIND} flow to the existing account that
	 * owns the target ({@code POST /api/v2/sdk/social/bind}, header {@code X-state-token}). Never
	 * repeated once sent: the code and the state token may be consumed.
	 * @param stateToken the flow's state token
	 * @param channel how the code was sent
	 * @param target the phone number or email address the code was sent to
	 * @param verifyCode the code the user entered
	 * @param device the end user's device facts
	 * @return signed in (with or without an id_token and its lifetime), a second factor required, or denied
	 * @throws IdaasApiException when the input is malformed (nothing sent), IDaaS answers with an
	 * error ({@code CAPTCHA.0007} wrong code, {@code COMMON.1007} unknown or expired state token)
	 * or cannot be reached
	 */
	SocialFlowResult bind(String stateToken, VerificationChannel channel, String target, String verifyCode,
			DeviceContext device);

	/**
	 * Registers a new account with the target and binds the Apple account of a pending
	 * {@code USER_REGISTER} flow to it ({@code POST /api/v2/sdk/social/register-bind}, header
	 * {@code X-state-token}). Never repeated once sent.
	 * @param stateToken the flow's state token
	 * @param channel how the code was sent
	 * @param target the phone number or email address the code was sent to
	 * @param verifyCode the code the user entered
	 * @param device the end user's device facts
	 * @return signed in (with or without an id_token and its lifetime), a second factor required, or denied
	 * @throws IdaasApiException when the input is malformed (nothing sent), IDaaS answers with an
	 * error or cannot be reached
	 */
	SocialFlowResult registerAndBind(String stateToken, VerificationChannel channel, String target,
			String verifyCode, DeviceContext device);

	/**
	 * Returns the phone number on file for the user of an {@code MFA_AUTH} flow
	 * ({@code GET /api/v2/sdk/mobile-by-token}, header {@code X-state-token}). The second-factor
	 * code goes to this number only; show it masked.
	 * @param stateToken the flow's state token
	 * @param device the end user's device facts
	 * @return the phone number, unmasked
	 * @throws IdaasApiException when IDaaS answers with an error ({@code COMMON.1007}) or
	 * cannot be reached
	 */
	String getMobileOnFile(String stateToken, DeviceContext device);

	/**
	 * Finishes an {@code MFA_AUTH} flow ({@code POST /api/v2/sdk/mfa/sms} or
	 * {@code /api/v2/sdk/mfa/email}, header {@code X-state-token}, body
	 * {@code {"mobile"|"email":..,"verify_code":..}}). Never repeated once sent.
	 * @param stateToken the flow's state token
	 * @param channel how the code was sent
	 * @param target the phone number or email address on file the code was sent to
	 * @param verifyCode the code the user entered
	 * @param device the end user's device facts
	 * @return signed in, or denied
	 * @throws IdaasApiException when the input is malformed (nothing sent), IDaaS answers with an
	 * error or cannot be reached
	 */
	SocialFlowResult verifySecondFactor(String stateToken, VerificationChannel channel, String target,
			String verifyCode, DeviceContext device);

}

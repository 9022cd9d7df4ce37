package dev.idaas.spring.client;

/**
 * The IDaaS SDK calls that finish a {@code SOCIAL_BIND} or {@code USER_REGISTER} answer of an
 * Apple login: send a verification code to a phone number or email address, then bind the
 * Apple account to the existing account that owns it, or register a new account with it.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see RestClientIdaasSocialFlowClient
 * @see IdaasClient
 */
public interface IdaasSocialFlowClient {

	/**
	 * Sends a verification code ({@code POST /api/v2/sdk/sms/send} or
	 * {@code /api/v2/sdk/email/send}, body {@code {"mobile"|"email":..,"type":..}}).
	 * @param channel SMS or email
	 * @param target the phone number or email address
	 * @param purpose the {@code type}; its channel must be {@code channel}
	 * @param device the end user's device facts
	 * @throws IdaasApiException when the input is malformed (nothing sent), IDaaS answers with an
	 * error or cannot be reached
	 */
	void sendVerificationCode(VerificationChannel channel, String target, VerificationPurpose purpose,
			DeviceContext device);

	/**
	 * Binds the Apple account of a pending {@code SOCIAL_BIND} flow to the existing account that
	 * owns the target ({@code POST /api/v2/sdk/social/bind}, header {@code X-state-token}). Never
	 * repeated once sent: the code and the state token may be consumed.
	 * @param stateToken the flow's state token
	 * @param channel how the code was sent
	 * @param target the phone number or email address the code was sent to
	 * @param verifyCode the code the user entered
	 * @param device the end user's device facts
	 * @return the new session
	 * @throws IdaasApiException when the input is malformed (nothing sent), IDaaS answers with an
	 * error ({@code PARAM.0016}: state token invalid or expired) or cannot be reached
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
	 * @return the new session
	 * @throws IdaasApiException when the input is malformed (nothing sent), IDaaS answers with an
	 * error or cannot be reached
	 */
	SocialFlowResult registerAndBind(String stateToken, VerificationChannel channel, String target,
			String verifyCode, DeviceContext device);

}

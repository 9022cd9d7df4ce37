package dev.idaas.spring.observation;

import io.micrometer.observation.ObservationRegistry;

import dev.idaas.spring.client.CaptchaChallenge;
import dev.idaas.spring.client.DeviceContext;
import dev.idaas.spring.client.IdaasSocialFlowClient;
import dev.idaas.spring.client.SocialFlowResult;
import dev.idaas.spring.client.VerificationChannel;
import dev.idaas.spring.client.VerificationPurpose;

import org.springframework.util.Assert;

/**
 * An {@link IdaasSocialFlowClient} that wraps every call in the
 * {@value ObservedIdaasClient#OBSERVATION_NAME} observation, with {@code endpoint}
 * {@code captcha}, {@code captcha-verify}, {@code send-code}, {@code bind},
 * {@code register-bind}, {@code mobile-by-token} or {@code mfa} and {@code outcome}
 * {@code CAPTCHA_ISSUED}, {@code CAPTCHA_PASSED}, {@code CODE_SENT}, {@code SUCCESS},
 * {@code MFA_AUTH}, {@code ACCESS_DENIED} or the error category.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see ObservedIdaasClient
 */
public final class ObservedIdaasSocialFlowClient implements IdaasSocialFlowClient {

	private final IdaasSocialFlowClient delegate;

	private final ObservationRegistry registry;

	/**
	 * Creates the client.
	 * @param delegate the client that calls IDaaS
	 * @param registry the observation registry
	 */
	public ObservedIdaasSocialFlowClient(IdaasSocialFlowClient delegate, ObservationRegistry registry) {
		Assert.notNull(delegate, "delegate cannot be null");
		Assert.notNull(registry, "registry cannot be null");
		this.delegate = delegate;
		this.registry = registry;
	}

	@Override
	public CaptchaChallenge getCaptcha(DeviceContext device) {
		return IdaasClientObservation.observe(this.registry, "captcha", () -> this.delegate.getCaptcha(device),
				(challenge) -> "CAPTCHA_ISSUED");
	}

	@Override
	public String verifyCaptcha(String captchaToken, double x, String sender, DeviceContext device) {
		return IdaasClientObservation.observe(this.registry, "captcha-verify",
				() -> this.delegate.verifyCaptcha(captchaToken, x, sender, device), (token) -> "CAPTCHA_PASSED");
	}

	@Override
	public void sendVerificationCode(VerificationChannel channel, String target, VerificationPurpose purpose,
			String captchaToken, DeviceContext device) {
		IdaasClientObservation.observe(this.registry, "send-code", () -> {
			this.delegate.sendVerificationCode(channel, target, purpose, captchaToken, device);
			return Boolean.TRUE;
		}, (sent) -> "CODE_SENT");
	}

	@Override
	public SocialFlowResult bind(String stateToken, VerificationChannel channel, String target, String verifyCode,
			DeviceContext device) {
		return IdaasClientObservation.observe(this.registry, "bind",
				() -> this.delegate.bind(stateToken, channel, target, verifyCode, device),
				ObservedIdaasSocialFlowClient::outcome);
	}

	@Override
	public SocialFlowResult registerAndBind(String stateToken, VerificationChannel channel, String target,
			String verifyCode, DeviceContext device) {
		return IdaasClientObservation.observe(this.registry, "register-bind",
				() -> this.delegate.registerAndBind(stateToken, channel, target, verifyCode, device),
				ObservedIdaasSocialFlowClient::outcome);
	}

	@Override
	public String getMobileOnFile(String stateToken, DeviceContext device) {
		return IdaasClientObservation.observe(this.registry, "mobile-by-token",
				() -> this.delegate.getMobileOnFile(stateToken, device), (mobile) -> "SUCCESS");
	}

	@Override
	public SocialFlowResult verifySecondFactor(String stateToken, VerificationChannel channel, String target,
			String verifyCode, DeviceContext device) {
		return IdaasClientObservation.observe(this.registry, "mfa",
				() -> this.delegate.verifySecondFactor(stateToken, channel, target, verifyCode, device),
				ObservedIdaasSocialFlowClient::outcome);
	}

	static String outcome(SocialFlowResult result) {
		if (result instanceof SocialFlowResult.Authenticated) {
			return "SUCCESS";
		}
		if (result instanceof SocialFlowResult.SecondFactorRequired) {
			return "MFA_AUTH";
		}
		return "ACCESS_DENIED";
	}

}

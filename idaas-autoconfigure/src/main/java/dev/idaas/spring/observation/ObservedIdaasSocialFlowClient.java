package dev.idaas.spring.observation;

import io.micrometer.observation.ObservationRegistry;

import dev.idaas.spring.client.DeviceContext;
import dev.idaas.spring.client.IdaasSocialFlowClient;
import dev.idaas.spring.client.SocialFlowResult;
import dev.idaas.spring.client.VerificationChannel;
import dev.idaas.spring.client.VerificationPurpose;

import org.springframework.util.Assert;

/**
 * An {@link IdaasSocialFlowClient} that wraps every call in the
 * {@value ObservedIdaasClient#OBSERVATION_NAME} observation, with {@code endpoint}
 * {@code send-code}, {@code bind} or {@code register-bind} and {@code outcome}
 * {@code CODE_SENT}, {@code SUCCESS} or the error category.
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
	public void sendVerificationCode(VerificationChannel channel, String target, VerificationPurpose purpose,
			DeviceContext device) {
		IdaasClientObservation.observe(this.registry, "send-code", () -> {
			this.delegate.sendVerificationCode(channel, target, purpose, device);
			return Boolean.TRUE;
		}, (sent) -> "CODE_SENT");
	}

	@Override
	public SocialFlowResult bind(String stateToken, VerificationChannel channel, String target, String verifyCode,
			DeviceContext device) {
		return IdaasClientObservation.observe(this.registry, "bind",
				() -> this.delegate.bind(stateToken, channel, target, verifyCode, device), (result) -> "SUCCESS");
	}

	@Override
	public SocialFlowResult registerAndBind(String stateToken, VerificationChannel channel, String target,
			String verifyCode, DeviceContext device) {
		return IdaasClientObservation.observe(this.registry, "register-bind",
				() -> this.delegate.registerAndBind(stateToken, channel, target, verifyCode, device),
				(result) -> "SUCCESS");
	}

}

package dev.idaas.spring.observation;

import io.micrometer.observation.ObservationRegistry;

import dev.idaas.spring.client.AppleLoginResult;
import dev.idaas.spring.client.DeviceContext;
import dev.idaas.spring.client.IdaasClient;
import dev.idaas.spring.client.TokenRefreshResult;

import org.springframework.util.Assert;

/**
 * An {@link IdaasClient} that wraps every call in an {@link Observation} named
 * {@value #OBSERVATION_NAME}, with the low-cardinality tags {@code endpoint}
 * ({@code login}, {@code refresh}), {@code outcome} ({@code SUCCESS}, {@code SOCIAL_BIND},
 * {@code USER_REGISTER}, {@code MFA_AUTH}, {@code ACCESS_DENIED}, {@code REFRESHED}, or the error category) and
 * {@code error_code} ({@code none} or the IDaaS code). With Micrometer and Actuator this gives
 * timers, counters and tracing spans; a user or a token is never a tag.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public final class ObservedIdaasClient implements IdaasClient {

	/**
	 * The name of the observation.
	 */
	public static final String OBSERVATION_NAME = IdaasClientObservation.NAME;

	private final IdaasClient delegate;

	private final ObservationRegistry registry;

	/**
	 * Creates the client.
	 * @param delegate the client that calls IDaaS
	 * @param registry the observation registry
	 */
	public ObservedIdaasClient(IdaasClient delegate, ObservationRegistry registry) {
		Assert.notNull(delegate, "delegate cannot be null");
		Assert.notNull(registry, "registry cannot be null");
		this.delegate = delegate;
		this.registry = registry;
	}

	@Override
	public AppleLoginResult loginWithApple(String code, DeviceContext device) {
		return IdaasClientObservation.observe(this.registry, "login", () -> this.delegate.loginWithApple(code, device),
				ObservedIdaasClient::outcome);
	}

	@Override
	public TokenRefreshResult refreshIdToken(String sessionToken, DeviceContext device) {
		return IdaasClientObservation.observe(this.registry, "refresh",
				() -> this.delegate.refreshIdToken(sessionToken, device), (result) -> "REFRESHED");
	}

	static String outcome(AppleLoginResult result) {
		if (result instanceof AppleLoginResult.Authenticated) {
			return "SUCCESS";
		}
		if (result instanceof AppleLoginResult.PendingSocialFlow pending) {
			return pending.branch().name();
		}
		if (result instanceof AppleLoginResult.SecondFactorRequired) {
			return "MFA_AUTH";
		}
		return "ACCESS_DENIED";
	}

}

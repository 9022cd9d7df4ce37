package dev.idaas.spring.observation;

import io.micrometer.observation.ObservationRegistry;

import dev.idaas.spring.client.DeviceContext;
import dev.idaas.spring.client.IdaasLogoutClient;

import org.springframework.util.Assert;

/**
 * An {@link IdaasLogoutClient} that wraps every logout (with the key and server time fetches
 * it may need) in the {@value ObservedIdaasClient#OBSERVATION_NAME} observation, with
 * {@code endpoint} {@code logout} and {@code outcome} {@code LOGGED_OUT} or the error category.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see ObservedIdaasClient
 */
public final class ObservedIdaasLogoutClient implements IdaasLogoutClient {

	private final IdaasLogoutClient delegate;

	private final ObservationRegistry registry;

	/**
	 * Creates the client.
	 * @param delegate the client that calls IDaaS
	 * @param registry the observation registry
	 * @since 0.1
	 */
	public ObservedIdaasLogoutClient(IdaasLogoutClient delegate, ObservationRegistry registry) {
		Assert.notNull(delegate, "delegate cannot be null");
		Assert.notNull(registry, "registry cannot be null");
		this.delegate = delegate;
		this.registry = registry;
	}

	@Override
	public void logout(String sessionToken, DeviceContext device) {
		IdaasClientObservation.observe(this.registry, "logout", () -> {
			this.delegate.logout(sessionToken, device);
			return Boolean.TRUE;
		}, (done) -> "LOGGED_OUT");
	}

}

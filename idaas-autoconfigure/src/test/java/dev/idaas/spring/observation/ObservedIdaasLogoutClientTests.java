package dev.idaas.spring.observation;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.idaas.spring.client.DeviceContext;
import dev.idaas.spring.client.IdaasApiException;
import dev.idaas.spring.client.RestClientIdaasClient;
import dev.idaas.spring.client.RestClientIdaasLogoutClient;
import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.SimulatedUser;

import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ObservedIdaasLogoutClient} against the IDaaS simulator.
 */
class ObservedIdaasLogoutClientTests {

	private static final DeviceContext DEVICE = new DeviceContext("ios17.5", "device-1234567890", null, "JUnit",
			Locale.ENGLISH);

	private final SimulatedUser alice = SimulatedUser.of("alice", "Alice Liddell", null, "alice@example.com");

	private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

	private IdaasSimulator simulator;

	private ObservedIdaasLogoutClient client;

	@BeforeEach
	void setUp() {
		this.simulator = new IdaasSimulator().start().registerUser(this.alice);
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

			@Override
			public void onStop(Observation.Context context) {
				ObservedIdaasLogoutClientTests.this.stopped.add(context);
			}

		});
		this.client = new ObservedIdaasLogoutClient(new RestClientIdaasLogoutClient(RestClientIdaasClient
			.createRestClient(RestClient.builder(), this.simulator.baseUrl(), Duration.ofSeconds(2), Duration.ofSeconds(5)),
				this.simulator.clientId()), registry);
	}

	@AfterEach
	void tearDown() {
		this.simulator.close();
	}

	@Test
	void logoutWhenSuccessThenOneObservationForKeyTimeAndLogoutWithoutToken() {
		String sessionToken = this.simulator.issueSessionToken(this.alice);
		this.client.logout(sessionToken, DEVICE);
		assertThat(this.simulator.isSessionTokenValid(sessionToken)).isFalse();
		assertThat(this.stopped).hasSize(1);
		assertThat(tags(this.stopped.get(0))).containsExactlyInAnyOrderEntriesOf(
				Map.of("endpoint", "logout", "outcome", "LOGGED_OUT", "error_code", "none"));
		assertThat(this.stopped.get(0).toString() + tags(this.stopped.get(0))).doesNotContain(sessionToken);
	}

	@Test
	void logoutWhenTokenAlreadyEndedThenInvalidSessionTagged() {
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.logout("no-such-session-token", DEVICE));
		assertThat(tags(this.stopped.get(0))).containsEntry("outcome", "INVALID_SESSION")
			.containsEntry("error_code", "IDAAS.SDK.PARAM.0023");
	}

	private static Map<String, String> tags(Observation.Context context) {
		return context.getLowCardinalityKeyValues()
			.stream()
			.collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
	}

}

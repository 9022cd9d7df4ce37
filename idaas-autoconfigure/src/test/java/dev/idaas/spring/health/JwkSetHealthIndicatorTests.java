package dev.idaas.spring.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.idaas.spring.client.RestClientIdaasClient;
import dev.idaas.spring.jwt.JwkSetKeySource;
import dev.idaas.spring.test.simulator.IdaasSimulator;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JwkSetHealthIndicator} against the IDaaS simulator's JWKS.
 */
class JwkSetHealthIndicatorTests {

	private IdaasSimulator simulator;

	private JwkSetKeySource keySource;

	private JwkSetHealthIndicator indicator;

	@BeforeEach
	void setUp() {
		this.simulator = new IdaasSimulator().start();
		this.keySource = new JwkSetKeySource(RestClientIdaasClient.createRestClient(RestClient.builder(),
				this.simulator.jwksUri(), Duration.ofSeconds(2), Duration.ofSeconds(5)), this.simulator.jwksUri());
		this.keySource.setMinRefetchInterval(Duration.ofMillis(1));
		this.indicator = new JwkSetHealthIndicator(this.keySource);
		this.indicator.setClock(Clock.fixed(Instant.now().plusSeconds(90), ZoneOffset.UTC));
	}

	@AfterEach
	void tearDown() {
		this.simulator.close();
	}

	@Test
	void healthWhenNothingFetchedThenUnknownAndNoUpstreamCall() {
		Health health = this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
		assertThat(health.getDetails()).containsEntry("keys", 0).containsEntry("fetches", 0L);
		assertThat(this.simulator.jwksRequestCount()).isZero();
	}

	@Test
	void healthWhenKeysLoadedThenUpWithDetailsAndProbesDoNotFetch() {
		assertThat(this.keySource.refresh()).isTrue();
		Health health = this.indicator.health();
		this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("keys", 1)
			.containsEntry("fetches", 1L)
			.containsEntry("lastFetch", "success")
			.containsEntry("jwkSetUri", this.simulator.jwksUri().toString())
			.containsKey("lastFetchAge");
		assertThat(this.simulator.jwksRequestCount()).isEqualTo(1);
	}

	@Test
	void healthWhenRefetchFailsAfterSuccessThenStillUpWithFailure() {
		this.keySource.refresh();
		this.simulator.failNextJwks(1, 503);
		this.keySource.refresh();
		Health health = this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("lastFetch", "failure").containsKey("lastFailure");
	}

	@Test
	void healthWhenJwksDownFromStartThenDown() {
		this.simulator.failNextJwks(1, 503);
		this.keySource.refresh();
		Health health = this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("keys", 0).containsEntry("lastFetch", "failure");
	}

}

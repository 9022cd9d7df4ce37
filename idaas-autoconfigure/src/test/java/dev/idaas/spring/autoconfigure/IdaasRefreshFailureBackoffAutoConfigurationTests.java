package dev.idaas.spring.autoconfigure;

import java.time.Duration;

import dev.idaas.spring.web.session.IdTokenRefresher;
import dev.idaas.spring.web.session.RefreshFailureBackoff;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the {@code idaas.id-token.refresh-failure-*} properties: the refresher's
 * {@link RefreshFailureBackoff} is built from them.
 */
class IdaasRefreshFailureBackoffAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IdaasAutoConfiguration.class,
				IdaasWebSecurityAutoConfiguration.class, IdaasVerificationRateLimiterAutoConfiguration.class,
				SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class))
		.withPropertyValues("idaas.base-url=https://tenant.example.com", "idaas.client-id=client-1");

	@Test
	void refresherWhenDefaultsThenFiveSecondsUpToThirtyAndOneProbeASecond() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			RefreshFailureBackoff backoff = backoff(context.getBean(IdTokenRefresher.class));
			assertThat(backoff.getBackoff()).isEqualTo(Duration.ofSeconds(5));
			assertThat(backoff.getMaxBackoff()).isEqualTo(Duration.ofSeconds(30));
			assertThat(backoff.getProbeInterval()).isEqualTo(Duration.ofSeconds(1));
			assertThat(backoff.getMaxEntries()).isEqualTo(RefreshFailureBackoff.DEFAULT_MAX_ENTRIES);
		});
	}

	@Test
	void refresherWhenPropertiesSetThenBackoffFromThem() {
		this.contextRunner
			.withPropertyValues("idaas.id-token.refresh-failure-backoff=2s",
					"idaas.id-token.refresh-failure-backoff-max=1m",
					"idaas.id-token.refresh-failure-probe-interval=250ms")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				RefreshFailureBackoff backoff = backoff(context.getBean(IdTokenRefresher.class));
				assertThat(backoff.getBackoff()).isEqualTo(Duration.ofSeconds(2));
				assertThat(backoff.getMaxBackoff()).isEqualTo(Duration.ofMinutes(1));
				assertThat(backoff.getProbeInterval()).isEqualTo(Duration.ofMillis(250));
			});
	}

	@Test
	void contextWhenMaxBackoffShorterThanBackoffThenFailsAtStartup() {
		this.contextRunner.withPropertyValues("idaas.id-token.refresh-failure-backoff-max=1s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessage("maxBackoff cannot be less than backoff");
		});
	}

	private static RefreshFailureBackoff backoff(IdTokenRefresher refresher) {
		Object backoff = org.springframework.test.util.ReflectionTestUtils.getField(refresher, "backoff");
		assertThat(backoff).isInstanceOf(RefreshFailureBackoff.class);
		return (RefreshFailureBackoff) backoff;
	}

}

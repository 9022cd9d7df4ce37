package dev.idaas.spring.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.idaas.spring.jwt.JwkSetFetchResult;
import dev.idaas.spring.jwt.JwkSetKeySource;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.util.Assert;

/**
 * Reports the id_token key cache without calling the tenant: {@code UP} while keys are
 * loaded (even if the last refetch failed, since the loaded keys still verify tokens),
 * {@code DOWN} when no key could ever be loaded, {@code UNKNOWN} before the first fetch.
 * Details: the JWKS URI, keys loaded, fetches made, the last fetch's result and age.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public final class JwkSetHealthIndicator implements HealthIndicator {

	private final JwkSetKeySource keySource;

	private Clock clock = Clock.systemUTC();

	/**
	 * Creates the indicator.
	 * @param keySource the key cache to report on
	 */
	public JwkSetHealthIndicator(JwkSetKeySource keySource) {
		Assert.notNull(keySource, "keySource cannot be null");
		this.keySource = keySource;
	}

	/**
	 * Sets the clock used to compute ages.
	 * @param clock the clock
	 */
	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	@Override
	public Health health() {
		int keys = this.keySource.getKeyCount();
		JwkSetFetchResult last = this.keySource.getLastFetch();
		Health.Builder builder = (last == null) ? Health.unknown() : (keys > 0) ? Health.up() : Health.down();
		builder.withDetail("jwkSetUri", this.keySource.getJwkSetUri().toString())
			.withDetail("keys", keys)
			.withDetail("fetches", this.keySource.getFetchCount());
		if (last != null) {
			builder.withDetail("lastFetch", last.successful() ? "success" : "failure")
				.withDetail("lastFetchAge", age(last.time()).toString());
			if (!last.successful() && last.failure() != null) {
				builder.withDetail("lastFailure", last.failure());
			}
		}
		Instant lastSuccess = this.keySource.getLastSuccessfulFetchTime();
		if (lastSuccess != null) {
			builder.withDetail("lastSuccessAge", age(lastSuccess).toString());
		}
		return builder.build();
	}

	private Duration age(Instant time) {
		Duration age = Duration.between(time, this.clock.instant());
		return age.isNegative() ? Duration.ZERO : age.withNanos(0);
	}

}

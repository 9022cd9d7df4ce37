package dev.idaas.spring.autoconfigure;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.idaas.spring.health.JwkSetHealthIndicator;
import dev.idaas.spring.jwt.JwkSetKeySource;
import dev.idaas.spring.observation.IdaasSessionMetrics;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health and meters of the starter, each only when its library is present: a
 * {@code idaasJwks} health indicator (Actuator's {@code health} endpoint), the
 * {@code idaas.jwks.fetches} and {@code idaas.jwks.keys} meters, and the session counters of
 * {@link IdaasSessionMetrics}.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
@AutoConfiguration(after = IdaasAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnBean(JwkSetKeySource.class)
public final class IdaasObservabilityAutoConfiguration {

	/**
	 * The health indicator, when Spring Boot's health support is present.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthIndicator.class)
	@ConditionalOnEnabledHealthIndicator("idaas")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "idaasJwksHealthIndicator")
		JwkSetHealthIndicator idaasJwksHealthIndicator(JwkSetKeySource keySource) {
			return new JwkSetHealthIndicator(keySource);
		}

	}

	/**
	 * The JWKS meters, when Micrometer is present.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "idaasJwksMeterBinder")
		MeterBinder idaasJwksMeterBinder(JwkSetKeySource keySource) {
			return (MeterRegistry registry) -> {
				FunctionCounter.builder("idaas.jwks.fetches", keySource, JwkSetKeySource::getFetchCount)
					.description("Fetches of the tenant's JSON Web Key Set")
					.register(registry);
				registry.gauge("idaas.jwks.keys", keySource, JwkSetKeySource::getKeyCount);
			};
		}

		@Bean
		@ConditionalOnBean(MeterRegistry.class)
		@ConditionalOnMissingBean
		IdaasSessionMetrics idaasSessionMetrics(MeterRegistry registry) {
			return new IdaasSessionMetrics(registry);
		}

	}

}

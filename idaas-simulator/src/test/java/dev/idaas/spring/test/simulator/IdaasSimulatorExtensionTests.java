package dev.idaas.spring.test.simulator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import static org.assertj.core.api.Assertions.assertThat;

class IdaasSimulatorExtensionTests {

	@Nested
	@ExtendWith(IdaasSimulatorExtension.class)
	class ParameterInjection {

		@Test
		void resolveParameterWhenSimulatorParameterThenStartedSimulator(IdaasSimulator simulator) {
			assertThat(simulator.isStarted()).isTrue();
			assertThat(new IdaasHttp(simulator).get(IdaasSimulator.JWKS_PATH).status()).isEqualTo(200);
		}

		@Test
		void beforeEachWhenNewTestThenCountersStartAtZero(IdaasSimulator simulator) {
			assertThat(simulator.recordedRequests()).isEmpty();
			new IdaasHttp(simulator).get(IdaasSimulator.JWKS_PATH);
			assertThat(simulator.jwksRequestCount()).isEqualTo(1);
		}

	}

	@Nested
	class StaticField {

		@RegisterExtension
		static IdaasSimulatorExtension idaas = new IdaasSimulatorExtension(
				new IdaasSimulator("static-client").withSamplePeople());

		@Test
		void simulatorWhenRegisteredThenStartedWithItsConfiguration() {
			assertThat(idaas.simulator().isStarted()).isTrue();
			assertThat(idaas.simulator().clientId()).isEqualTo("static-client");
			assertThat(idaas.simulator().samplePeople()).hasSize(6);
		}

		@Test
		void registerPropertiesWhenCalledThenBaseUrlAndClientId() {
			Map<String, Supplier<Object>> properties = new LinkedHashMap<>();
			DynamicPropertyRegistry registry = properties::put;
			idaas.simulator().registerProperties(registry);
			assertThat(properties).containsOnlyKeys("idaas.base-url", "idaas.client-id");
			assertThat(properties.get("idaas.base-url").get()).isEqualTo(idaas.simulator().baseUrl().toString());
			assertThat(properties.get("idaas.client-id").get()).isEqualTo("static-client");
		}

	}

	@Nested
	@SpringJUnitConfig(SpringTest.Config.class)
	class SpringTest {

		@RegisterExtension
		static IdaasSimulatorExtension idaas = new IdaasSimulatorExtension();

		@DynamicPropertySource
		static void idaasProperties(DynamicPropertyRegistry registry) {
			idaas.simulator().registerProperties(registry);
		}

		@Value("${idaas.base-url}")
		String baseUrl;

		@Value("${idaas.client-id}")
		String clientId;

		@Test
		void dynamicPropertySourceWhenRegisteredThenSpringSeesTheSimulator() {
			assertThat(this.baseUrl).isEqualTo(idaas.simulator().baseUrl().toString()).startsWith("http://");
			assertThat(this.clientId).isEqualTo(idaas.simulator().clientId());
		}

		@Configuration(proxyBeanMethods = false)
		static class Config {

		}

	}

}

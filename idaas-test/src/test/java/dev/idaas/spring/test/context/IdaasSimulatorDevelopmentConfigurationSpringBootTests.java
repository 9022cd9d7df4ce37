package dev.idaas.spring.test.context;

import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.SamplePeople;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.support.DynamicPropertyRegistrarBeanInitializer;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@link IdaasSimulatorDevelopmentConfiguration} imported into a {@code @SpringBootTest}, where
 * the Spring TestContext Framework applies the property registrar with its own initializer.
 */
@SpringBootTest
@AutoConfigureMockMvc
@Import(IdaasSimulatorDevelopmentConfiguration.class)
class IdaasSimulatorDevelopmentConfigurationSpringBootTests {

	@Autowired
	IdaasSimulator simulator;

	@Autowired
	MockMvc mvc;

	@Autowired
	ConfigurableApplicationContext context;

	@BeforeEach
	void resetSimulator() {
		this.simulator.resetRecordsAndFaults();
	}

	@Test
	void importWhenSpringBootTestThenTestContextInitializerAppliesTheProperties() {
		assertThat(this.context.getBeanNamesForType(DynamicPropertyRegistrarBeanInitializer.class))
			.containsExactly("org.springframework.test.context.support.internalDynamicPropertyRegistrarBeanInitializer");
		assertThat(this.context.getEnvironment().getProperty("idaas.base-url"))
			.isEqualTo(this.simulator.baseUrl().toString());
		assertThat(this.context.getEnvironment().getProperty("idaas.client-id")).isEqualTo(this.simulator.clientId());
	}

	@Test
	void authorizeWhenImportedThenRedirectedToTheSimulatedApplePage() throws Exception {
		this.mvc.perform(get("/login/idaas/apple/authorize"))
			.andExpect(status().isFound())
			.andExpect(header().string("Location",
					startsWith("http://127.0.0.1:" + this.simulator.baseUrl().getPort() + "/auth/authorize?")))
			.andExpect(header().string("Location", containsString(
					"client_id=" + IdaasSimulatorDevelopmentConfiguration.APPLE_CLIENT_ID)));
		assertThat(this.simulator.loginRequestCount()).isZero();
	}

	@Test
	void loginWhenSamplePersonCodeThenSignedInThroughTheSimulator() throws Exception {
		String code = this.simulator.issueAppleCode(SamplePeople.ALICE_PERSON);
		this.mvc
			.perform(post("/login/idaas/apple").contentType(MediaType.APPLICATION_JSON)
				.content("{\"code\":\"" + code + "\"}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("SUCCESS"))
			.andExpect(jsonPath("$.user.sub").value(SamplePeople.ALICE.sub()));
		assertThat(this.simulator.loginRequestCount()).isEqualTo(1);
		assertThat(this.simulator.refreshRequestCount()).isZero();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class TestApplication {

	}

}

package dev.idaas.spring.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.idaas.spring.autoconfigure.IdaasAutoConfiguration;
import dev.idaas.spring.autoconfigure.IdaasVerificationRateLimiterAutoConfiguration;
import dev.idaas.spring.autoconfigure.IdaasWebSecurityAutoConfiguration;
import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.IdaasSimulatorExtension;
import dev.idaas.spring.test.simulator.SimulatedUser;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Tests for {@link IdaasLoginConfigurer} in an application's own {@link SecurityFilterChain}.
 */
class IdaasLoginConfigurerTests {

	@RegisterExtension
	static IdaasSimulatorExtension extension = new IdaasSimulatorExtension();

	private final IdaasSimulator idaas = extension.simulator();

	private SimulatedUser alice;

	private WebApplicationContextRunner runner;

	@BeforeEach
	void setUp() {
		this.alice = SimulatedUser.of("alice", "Alice Liddell", null, "alice@example.com");
		this.idaas.registerUser(this.alice);
		this.runner = new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(IdaasAutoConfiguration.class,
					IdaasWebSecurityAutoConfiguration.class, IdaasVerificationRateLimiterAutoConfiguration.class,
					SecurityAutoConfiguration.class,
					ServletWebSecurityAutoConfiguration.class))
			.withPropertyValues("idaas.base-url=" + this.idaas.baseUrl(), "idaas.client-id=" + this.idaas.clientId())
			.withUserConfiguration(CustomChainConfiguration.class);
	}

	@Test
	void loginProcessingUrlWhenCustomThenJsonLoginThere() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean("idaasSecurityFilterChain");
			MockMvc mvc = mockMvc(context);
			String code = this.idaas.issueAppleCode(this.alice);
			mvc.perform(post("/custom").contentType(MediaType.APPLICATION_JSON).content("{\"code\":\"" + code + "\"}"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.status").value("SUCCESS"))
				.andExpect(jsonPath("$.user.sub").value("alice"));
			assertThat(this.idaas.loginRequestCount()).isEqualTo(1);
		});
	}

	@Test
	void loginProcessingUrlWhenCustomThenDefaultUrlNotProcessed() {
		this.runner.run((context) -> {
			MockMvc mvc = mockMvc(context);
			String code = this.idaas.issueAppleCode(this.alice);
			mvc.perform(post("/login/idaas/apple").contentType(MediaType.APPLICATION_JSON)
				.content("{\"code\":\"" + code + "\"}")).andExpect(status().isForbidden());
			assertThat(this.idaas.loginRequestCount()).isZero();
		});
	}

	@Test
	void loginProcessingUrlWhenCustomFormWithoutCsrfThenForbidden() {
		this.runner.run((context) -> {
			MockMvc mvc = mockMvc(context);
			String code = this.idaas.issueAppleCode(this.alice);
			mvc.perform(post("/custom").param("code", code)).andExpect(status().isForbidden());
			assertThat(this.idaas.loginRequestCount()).isZero();
		});
	}

	@Test
	void entryPointWhenUserChainThenBrowserRedirectedAndJsonGets401() {
		this.runner.run((context) -> {
			MockMvc mvc = mockMvc(context);
			mvc.perform(get("/private").accept(MediaType.TEXT_HTML))
				.andExpect(status().isFound())
				.andExpect((result) -> assertThat(result.getResponse().getRedirectedUrl()).endsWith("/login"));
			mvc.perform(get("/private").accept(MediaType.APPLICATION_JSON))
				.andExpect(status().isUnauthorized())
				.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.UNAUTHENTICATED"));
		});
	}

	private static MockMvc mockMvc(WebApplicationContext context) {
		return MockMvcBuilders.webAppContextSetup(context).apply(springSecurity()).build();
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomChainConfiguration {

		@Bean
		SecurityFilterChain userChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.requestMatchers("/custom").permitAll()
				.anyRequest()
				.authenticated());
			http.with(IdaasLoginConfigurer.idaasLogin(), (login) -> login.loginProcessingUrl("/custom"));
			return http.build();
		}

	}

}

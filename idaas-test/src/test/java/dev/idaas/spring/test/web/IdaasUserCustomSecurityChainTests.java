package dev.idaas.spring.test.web;

import java.util.Map;

import dev.idaas.spring.test.simulator.IdaasSimulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static dev.idaas.spring.config.IdaasLoginConfigurer.idaasLogin;
import static dev.idaas.spring.test.web.IdaasMockMvcRequestPostProcessors.idaasUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code idaasUser()} beside the DSL's {@code idaasLogin()} in one source file, both statically
 * imported, against an application's own {@code SecurityFilterChain}: the two names no longer
 * clash (with the old {@code idaasLogin()} of the test kit, this class did not compile).
 */
@SpringBootTest
@AutoConfigureMockMvc
class IdaasUserCustomSecurityChainTests {

	@RegisterExtension
	static IdaasSimulatorExtension idaas = new IdaasSimulatorExtension();

	@DynamicPropertySource
	static void idaasProperties(DynamicPropertyRegistry registry) {
		idaas.simulator().registerProperties(registry);
	}

	@Autowired
	MockMvc mvc;

	@Test
	void idaasUserWhenAdminAuthorityThenAdminPageOk() throws Exception {
		this.mvc.perform(get("/admin").with(idaasUser().subject("alice").authorities("ROLE_ADMIN")))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.sub").value("alice"));
		assertThat(idaas.simulator().loginRequestCount()).isZero();
		assertThat(idaas.simulator().refreshRequestCount()).isZero();
	}

	@Test
	void idaasUserWhenNoAdminAuthorityThenForbidden() throws Exception {
		this.mvc.perform(get("/admin").with(idaasUser().subject("bob"))).andExpect(status().isForbidden());
	}

	@Test
	void requestWhenNotSignedInThenCustomLoginPage() throws Exception {
		this.mvc.perform(get("/admin")).andExpect(status().isFound()).andExpect(redirectedUrl("/login"));
	}

	@Test
	@WithIdaasUser(subject = "carol", authorities = "ROLE_ADMIN")
	void withIdaasUserWhenAdminAuthorityThenAdminPageOk() throws Exception {
		this.mvc.perform(get("/admin")).andExpect(status().isOk()).andExpect(jsonPath("$.sub").value("carol"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(AdminController.class)
	static class TestApplication {

		@Bean
		SecurityFilterChain security(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests
				.requestMatchers("/login", "/login/idaas/**", "/idaas/**")
				.permitAll()
				.requestMatchers("/admin")
				.hasRole("ADMIN")
				.anyRequest()
				.authenticated())
				.with(idaasLogin(), (login) -> login.failureUrl("/login?error"));
			return http.build();
		}

	}

	@RestController
	static class AdminController {

		@GetMapping("/admin")
		Map<String, Object> admin(@AuthenticationPrincipal OidcUser user) {
			return Map.of("sub", user.getSubject());
		}

	}

}

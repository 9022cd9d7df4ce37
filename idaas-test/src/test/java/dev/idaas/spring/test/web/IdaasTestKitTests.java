package dev.idaas.spring.test.web;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.IdaasSimulatorExtension;
import dev.idaas.spring.test.simulator.SimulatedUser;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static dev.idaas.spring.test.web.IdaasMockMvcRequestPostProcessors.idaasUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The test kit as a user would use it: an application with the starter's default security,
 * tested with {@code idaasUser()} and {@code @WithIdaasUser}, the simulator standing in for
 * the tenant.
 */
@SpringBootTest
@AutoConfigureMockMvc
class IdaasTestKitTests {

	@RegisterExtension
	static IdaasSimulatorExtension idaas = new IdaasSimulatorExtension();

	@DynamicPropertySource
	static void idaasProperties(DynamicPropertyRegistry registry) {
		idaas.simulator().registerProperties(registry);
	}

	@Autowired
	MockMvc mvc;

	@Test
	void idaasUserWhenDefaultsThenSignedInWithoutUpstreamCall() throws Exception {
		this.mvc.perform(get("/api/me").with(idaasUser().subject("alice").claims((c) -> c.put("email", "a@example.com"))))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.sub").value("alice"))
			.andExpect(jsonPath("$.email").value("a@example.com"))
			.andExpect(jsonPath("$.authorities[0]").value("OIDC_USER"));
		assertThat(idaas.simulator().refreshRequestCount()).isZero();
		assertThat(idaas.simulator().loginRequestCount()).isZero();
	}

	@Test
	void requestWhenNotSignedInThenRedirectedToLogin() throws Exception {
		this.mvc.perform(get("/api/me")).andExpect(status().isFound());
	}

	@Test
	@WithIdaasUser(subject = "bob", email = "bob@example.com", authorities = "ROLE_ADMIN")
	void withIdaasUserWhenAnnotatedThenSignedIn() throws Exception {
		this.mvc.perform(get("/api/me"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.sub").value("bob"))
			.andExpect(jsonPath("$.email").value("bob@example.com"))
			.andExpect(jsonPath("$.authorities[1]").value("ROLE_ADMIN"));
	}

	@Test
	void idaasUserWhenIdTokenExpiredThenRefreshedThroughTheSimulatorAsInProduction() throws Exception {
		IdaasSimulator simulator = idaas.simulator();
		SimulatedUser carol = SimulatedUser.of("carol", "Carol", null, "carol@example.com");
		simulator.registerUser(carol);
		MvcResult result = this.mvc
			.perform(get("/api/me").with(idaasUser().subject("carol").claims((claims) -> {
				claims.put("iss", simulator.issuer());
				claims.put("aud", simulator.clientId());
			}).sessionToken(simulator.issueSessionToken(carol)).idTokenExpiresIn(Duration.ofSeconds(-10))))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.sub").value("carol"))
			.andReturn();
		assertThat(simulator.refreshRequestCount()).isEqualTo(1);
		assertThat(result.getResponse().getContentAsString()).contains("\"refreshed\":true");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(MeController.class)
	static class TestApplication {

	}

	@RestController
	static class MeController {

		@GetMapping("/api/me")
		Map<String, Object> me(@AuthenticationPrincipal OidcUser user) {
			return Map.of("sub", user.getSubject(), "email", user.getEmail(), "authorities",
					user.getAuthorities().stream().map((a) -> a.getAuthority()).sorted((a, b) -> a.equals("OIDC_USER") ? -1
							: b.equals("OIDC_USER") ? 1 : a.compareTo(b)).toList(),
					"refreshed", user.getIdToken().getExpiresAt().isAfter(java.time.Instant.now()));
		}

	}

}

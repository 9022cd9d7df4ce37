package dev.idaas.spring.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.idaas.spring.autoconfigure.IdaasAutoConfiguration;
import dev.idaas.spring.autoconfigure.IdaasVerificationRateLimiterAutoConfiguration;
import dev.idaas.spring.autoconfigure.IdaasWebSecurityAutoConfiguration;
import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.IdaasSimulatorExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The default bind, register and second-factor pages and the slider assets, as the DSL adds them
 * to an application's own chain and to Boot's default one.
 */
class IdaasLoginConfigurerPagesTests {

	@RegisterExtension
	static IdaasSimulatorExtension extension = new IdaasSimulatorExtension();

	private final IdaasSimulator idaas = extension.simulator();

	private WebApplicationContextRunner runner;

	@BeforeEach
	void setUp() {
		this.runner = new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(IdaasAutoConfiguration.class,
					IdaasWebSecurityAutoConfiguration.class, IdaasVerificationRateLimiterAutoConfiguration.class,
					SecurityAutoConfiguration.class,
					ServletWebSecurityAutoConfiguration.class))
			.withPropertyValues("idaas.base-url=" + this.idaas.baseUrl(), "idaas.client-id=" + this.idaas.clientId());
	}

	@Test
	void getWhenApplicationMapsBindPageThenItsOwnAndDefaultRegisterPage() {
		this.runner.withUserConfiguration(CustomChainConfiguration.class, OwnBindPage.class).run((context) -> {
			MockMvc mvc = mockMvc(context);
			mvc.perform(get("/idaas/bind")).andExpect(status().isOk()).andExpect(content().string("my bind page"));
			mvc.perform(get("/idaas/register"))
				.andExpect(status().isOk())
				.andExpect(content().contentType("text/html;charset=UTF-8"))
				.andExpect(content().string(org.hamcrest.Matchers.containsString(
						"<main id=\"idaas-register-page\">\n<h1>Create your account</h1>")))
				.andExpect(content().string(org.hamcrest.Matchers.containsString(
						"<a id=\"idaas-sign-in\" href=\"/login\">")));
		});
	}

	@Test
	void getWhenCustomChainRequiresSignInEverywhereThenSliderAssetsStillServed() {
		this.runner.withUserConfiguration(CustomChainConfiguration.class, OwnBindPage.class).run((context) -> {
			MockMvc mvc = mockMvc(context);
			mvc.perform(get("/idaas/assets/slider.js"))
				.andExpect(status().isOk())
				.andExpect(header().string("Content-Type", "text/javascript;charset=UTF-8"));
			mvc.perform(get("/idaas/assets/slider.css")).andExpect(status().isOk());
			// the chain still protects the rest
			mvc.perform(get("/idaas/assets/nothing.js")).andExpect(status().isFound());
		});
	}

	@Test
	void getWhenDefaultChainAndNoPagesThenDefaultPagesAndAssets() {
		this.runner
			.withConfiguration(AutoConfigurations.of(DispatcherServletAutoConfiguration.class,
					WebMvcAutoConfiguration.class))
			.run((context) -> {
			MockMvc mvc = mockMvc(context);
			mvc.perform(get("/idaas/bind").header("Accept-Language", "zh"))
				.andExpect(status().isOk())
				.andExpect(content().string(org.hamcrest.Matchers.containsString("<h1>绑定您的 Apple ID</h1>")));
			mvc.perform(get("/idaas/register")).andExpect(status().isOk())
				.andExpect(content().string(org.hamcrest.Matchers.containsString("idaas-register-page")));
			mvc.perform(get("/idaas/assets/page.css")).andExpect(status().isOk());
			// unknown asset: permitted, but nothing there
			mvc.perform(get("/idaas/assets/nothing.js")).andExpect(status().isNotFound());
		});
	}

	private static MockMvc mockMvc(WebApplicationContext context) {
		return MockMvcBuilders.webAppContextSetup(context).apply(springSecurity()).build();
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomChainConfiguration {

		@Bean
		SecurityFilterChain custom(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((r) -> r.requestMatchers("/login", "/idaas/bind", "/idaas/register")
				.permitAll()
				.anyRequest()
				.authenticated()).with(IdaasLoginConfigurer.idaasLogin(), (login) -> login.loginPage("/login"));
			return http.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebMvc
	static class OwnBindPage {

		@Bean
		BindController bindController() {
			return new BindController();
		}

	}

	@RestController
	static class BindController {

		@GetMapping("/idaas/bind")
		String bind() {
			return "my bind page";
		}

	}

}

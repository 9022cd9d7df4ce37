package dev.idaas.spring.config;

import java.net.URI;
import java.time.Duration;

import jakarta.servlet.http.Cookie;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.idaas.spring.autoconfigure.IdaasAutoConfiguration;
import dev.idaas.spring.autoconfigure.IdaasVerificationRateLimiterAutoConfiguration;
import dev.idaas.spring.autoconfigure.IdaasWebSecurityAutoConfiguration;
import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.IdaasSimulatorExtension;
import dev.idaas.spring.test.simulator.SimulatedUser;
import dev.idaas.spring.client.DeviceContext;
import dev.idaas.spring.web.DeviceContextResolver;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * How {@link IdaasLoginConfigurerCustomizer} beans (Spring Boot's, built from {@code idaas.*},
 * and the application's) reach every {@link IdaasLoginConfigurer}, in order, and how a chain
 * overrides them; and the sub-configurers on a chain of the application's own.
 */
class IdaasLoginConfigurerCustomizerTests {

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
					SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class))
			.withPropertyValues("idaas.base-url=" + this.idaas.baseUrl(), "idaas.client-id=" + this.idaas.clientId());
	}

	@Test
	void customChainWhenIdaasPropertiesSetThenAppliedWithoutPassingThem() {
		this.runner.withUserConfiguration(PlainChain.class)
			.withPropertyValues("idaas.login.processing-url=/props/apple", "idaas.login.bind-url=/props/bind")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.doesNotHaveBean("idaasSecurityFilterChain")
					.hasBean("idaasLoginConfigurerCustomizer");
				MockMvc mvc = mockMvc(context);
				mvc.perform(jsonLogin("/props/apple", this.idaas.issueSocialBindCode()))
					.andExpect(status().isOk())
					.andExpect(jsonPath("$.status").value("SOCIAL_BIND"))
					.andExpect(jsonPath("$.next").value("/props/bind"));
				mvc.perform(jsonLogin("/login/idaas/apple", this.idaas.issueAppleCode(this.alice)))
					.andExpect(status().isForbidden());
				assertThat(this.idaas.loginRequestCount()).isEqualTo(1);
			});
	}

	@Test
	void customChainWhenItSetsValuesThenTheyWinOverPropertiesAndCustomizerBeans() {
		this.runner.withUserConfiguration(OverridingChain.class, BindUrlCustomizer.class)
			.withPropertyValues("idaas.login.processing-url=/props/apple", "idaas.login.bind-url=/props/bind")
			.run((context) -> {
				MockMvc mvc = mockMvc(context);
				// the chain's processing URL beats the bean's and the property; the bean's bind URL the property's
				mvc.perform(jsonLogin("/chain/apple", this.idaas.issueSocialBindCode()))
					.andExpect(status().isOk())
					.andExpect(jsonPath("$.status").value("SOCIAL_BIND"))
					.andExpect(jsonPath("$.next").value("/bean/bind"));
				mvc.perform(jsonLogin("/bean/apple", this.idaas.issueAppleCode(this.alice)))
					.andExpect(status().isForbidden());
				mvc.perform(jsonLogin("/props/apple", this.idaas.issueAppleCode(this.alice)))
					.andExpect(status().isForbidden());
				assertThat(this.idaas.loginRequestCount()).isEqualTo(1);
			});
	}

	@Test
	void customChainWhenIdaasLoginSettingsBeanThenSpringBootsCustomizerAppliesIt() {
		this.runner.withUserConfiguration(PlainChain.class, OwnSettings.class).run((context) -> {
			assertThat(context).hasSingleBean(IdaasLoginSettings.class);
			assertThat(context.getBean("idaasLoginConfigurerCustomizer", Ordered.class).getOrder()).isZero();
			MockMvc mvc = mockMvc(context);
			mvc.perform(jsonLogin("/settings/apple", this.idaas.issueUserRegisterCode()))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.status").value("USER_REGISTER"))
				.andExpect(jsonPath("$.next").value("/settings/register"));
			mvc.perform(jsonLogin("/login/idaas/apple", this.idaas.issueAppleCode(this.alice)))
				.andExpect(status().isForbidden());
			assertThat(this.idaas.loginRequestCount()).isEqualTo(1);
		});
	}

	@Test
	void customizerBeansWhenOrderedThenAppliedInOrderAfterSpringBoots() {
		this.runner.withUserConfiguration(PlainChain.class, OrderedLoginPageCustomizers.class)
			.withPropertyValues("idaas.login.login-page=/props/login")
			.run((context) -> {
				MockMvc mvc = mockMvc(context);
				mvc.perform(get("/private").accept(MediaType.TEXT_HTML))
					.andExpect(status().isFound())
					.andExpect((result) -> assertThat(result.getResponse().getRedirectedUrl())
						.isEqualTo("/second"));
				// the starter's page is generated where the last customizer put it, and only there
				mvc.perform(get("/second").accept(MediaType.TEXT_HTML))
					.andExpect(status().isOk())
					.andExpect(content().string(containsString("Sign in with Apple")));
				mvc.perform(get("/first").accept(MediaType.TEXT_HTML)).andExpect(status().isFound());
				mvc.perform(get("/props/login").accept(MediaType.TEXT_HTML)).andExpect(status().isFound());
			});
	}

	@Test
	void defaultChainWhenCustomizerBeanThenApplied() {
		this.runner.withUserConfiguration(SignInPageCustomizer.class)
			.withConfiguration(AutoConfigurations.of(DispatcherServletAutoConfiguration.class,
					WebMvcAutoConfiguration.class))
			.run((context) -> {
			assertThat(context).hasBean("idaasSecurityFilterChain");
			MockMvc mvc = mockMvc(context);
			mvc.perform(get("/private").accept(MediaType.TEXT_HTML))
				.andExpect(status().isFound())
				.andExpect((result) -> assertThat(result.getResponse().getRedirectedUrl())
					.isEqualTo("/signin"));
			mvc.perform(get("/signin").accept(MediaType.TEXT_HTML))
				.andExpect(status().isOk())
				.andExpect(content().string(containsString("Sign in with Apple")));
		});
	}

	@Test
	void appleWebFlowWhenConfiguredOnChainThenRedirectsToAppleFromItsOwnPath() {
		this.runner.withUserConfiguration(AppleWebFlowChain.class).run((context) -> {
			MockMvc mvc = mockMvc(context);
			String location = mvc.perform(get("/go/apple").accept(MediaType.TEXT_HTML))
				.andExpect(status().isFound())
				.andReturn()
				.getResponse()
				.getRedirectedUrl();
			assertThat(location).startsWith("https://apple.example/auth?")
				.contains("client_id=com.example.chain")
				.contains("redirect_uri=https://app.example.com/back/apple&")
				.contains("scope=email&")
				.doesNotContain("name");
			// the default path starts nothing: it is just a protected page
			mvc.perform(get("/login/idaas/apple/authorize").accept(MediaType.TEXT_HTML))
				.andExpect(status().isFound())
				.andExpect((result) -> assertThat(result.getResponse().getRedirectedUrl())
					.isEqualTo("/login"));
			// Apple's cross-site post reaches the callback at its own path, without a CSRF token,
			// and a state that was never issued is refused before any upstream call
			mvc.perform(post("/back/apple").param("code", "c").param("state", "never-issued"))
				.andExpect(status().isFound())
				.andExpect((result) -> assertThat(result.getResponse().getRedirectedUrl())
					.isEqualTo("/login?error&code=IDAAS.STARTER.INVALID_STATE"));
			assertThat(this.idaas.loginRequestCount()).isZero();
		});
	}

	@Test
	void appleWebFlowWhenApplicationsDeviceResolverThenCallbackPresentsFingerprintResolvedAtAuthorize() {
		this.runner.withUserConfiguration(AppleWebFlowChain.class, HeaderDeviceResolver.class).run((context) -> {
			MockMvc mvc = mockMvc(context);
			MvcResult started = mvc
				.perform(get("/go/apple").header("X-Test-Device", "device-of-the-app").accept(MediaType.TEXT_HTML))
				.andExpect(status().isFound())
				.andReturn();
			Cookie state = started.getResponse().getCookie("__Secure-IDAAS_APPLE_STATE");
			Cookie nonce = started.getResponse().getCookie("__Host-IDAAS_APPLE_NONCE");
			String stateValue = state.getValue().substring(0, state.getValue().indexOf('.'));
			// the callback has no such header: its own resolution would say "no-device"
			mvc.perform(post("/back/apple").cookie(state, nonce)
				.param("code", this.idaas.issueAppleCode(this.alice))
				.param("state", stateValue))
				.andExpect(status().isFound())
				.andExpect((result) -> assertThat(result.getResponse().getRedirectedUrl()).isEqualTo("/"));
			assertThat(this.idaas.recordedRequests(IdaasSimulator.LOGIN_PATH)).singleElement()
				.satisfies((request) -> assertThat(request.header("X-device-fingerprint"))
					.isEqualTo("device-of-the-app"));
		});
	}

	@Test
	void appleWebFlowWhenNoClientIdThenOff() {
		this.runner.withUserConfiguration(PlainChain.class).run((context) -> {
			MockMvc mvc = mockMvc(context);
			mvc.perform(get("/login/idaas/apple/authorize").accept(MediaType.TEXT_HTML))
				.andExpect(status().isFound())
				.andExpect((result) -> assertThat(result.getResponse().getRedirectedUrl())
					.isEqualTo("/login"));
		});
	}

	@Test
	void refreshWhenSessionEndsThenBrowserSentToTheChainsLoginPage() {
		this.idaas.idTokenTtl(Duration.ofSeconds(2));
		try {
			this.runner.withUserConfiguration(SignInPageChain.class).run((context) -> {
				MockMvc mvc = mockMvc(context);
				MvcResult login = mvc.perform(jsonLogin("/login/idaas/apple", this.idaas.issueAppleCode(this.alice)))
					.andExpect(status().isOk())
					.andReturn();
				MockHttpSession session = (MockHttpSession) login.getRequest().getSession(false);
				assertThat(session).isNotNull();
				this.idaas.disableUser(this.alice); // the refresh answers PARAM.0023
				await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
					MockHttpServletResponse response = mvc
						.perform(get("/private").session(session).accept(MediaType.TEXT_HTML))
						.andReturn()
						.getResponse();
					assertThat(response.getStatus()).isEqualTo(302);
					assertThat(response.getRedirectedUrl()).isEqualTo("/signin?expired");
				});
				assertThat(this.idaas.refreshRequestCount()).isEqualTo(1);
			});
		}
		finally {
			this.idaas.enableUser(this.alice);
			this.idaas.idTokenTtl(Duration.ofMinutes(5));
		}
	}

	private static org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder jsonLogin(String path,
			String code) {
		return post(path).contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.APPLICATION_JSON)
			.content("{\"code\":\"" + code + "\"}");
	}

	private static MockMvc mockMvc(WebApplicationContext context) {
		return MockMvcBuilders.webAppContextSetup(context).apply(springSecurity()).build();
	}

	@Configuration(proxyBeanMethods = false)
	static class PlainChain {

		@Bean
		SecurityFilterChain plainChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
			http.with(IdaasLoginConfigurer.idaasLogin(), Customizer.withDefaults());
			return http.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnSettings {

		@Bean
		IdaasLoginSettings ownSettings() {
			return new IdaasLoginSettings("/settings/apple", "/login", "/login?error", "/", "/settings/bind",
					"/settings/register", "/settings/mfa", null, null);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OverridingChain {

		@Bean
		SecurityFilterChain overridingChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
			http.with(IdaasLoginConfigurer.idaasLogin(), (login) -> login.loginProcessingUrl("/chain/apple"));
			return http.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BindUrlCustomizer {

		@Bean
		IdaasLoginConfigurerCustomizer bindUrlCustomizer() {
			return (login) -> login.loginProcessingUrl("/bean/apple")
				.socialFlows((flows) -> flows.bindUrl("/bean/bind"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OrderedLoginPageCustomizers {

		// declared last-first: the order comes from @Order, not from declaration
		@Bean
		@Order(2)
		IdaasLoginConfigurerCustomizer secondLoginPage() {
			return (login) -> login.defaultLoginPage("/second");
		}

		@Bean
		@Order(1)
		IdaasLoginConfigurerCustomizer firstLoginPage() {
			return (login) -> login.defaultLoginPage("/first");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SignInPageCustomizer {

		@Bean
		IdaasLoginConfigurerCustomizer signInPage() {
			return (login) -> login.defaultLoginPage("/signin");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class HeaderDeviceResolver {

		@Bean
		DeviceContextResolver headerDeviceResolver() {
			return (request, response) -> new DeviceContext("ios17.5",
					(request.getHeader("X-Test-Device") != null) ? request.getHeader("X-Test-Device") : "no-device",
					null, "App/1.0", null);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class AppleWebFlowChain {

		@Bean
		SecurityFilterChain appleChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
			http.with(IdaasLoginConfigurer.idaasLogin(), (login) -> login.appleWebFlow((apple) -> apple
				.clientId("com.example.chain")
				.authorizeUri(URI.create("https://apple.example/auth"))
				.redirectUri(URI.create("https://app.example.com/back/apple"))
				.scope("email")
				.authorizationUrl("/go/apple")
				.callbackUrl("/back/apple")));
			return http.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SignInPageChain {

		@Bean
		SecurityFilterChain signInPageChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
			http.with(IdaasLoginConfigurer.idaasLogin(), (login) -> login.loginPage("/signin"));
			return http.build();
		}

	}

}

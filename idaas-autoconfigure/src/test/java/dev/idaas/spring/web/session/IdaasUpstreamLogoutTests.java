package dev.idaas.spring.web.session;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.autoconfigure.IdaasAutoConfiguration;
import dev.idaas.spring.autoconfigure.IdaasWebSecurityAutoConfiguration;
import dev.idaas.spring.client.DeviceContext;
import dev.idaas.spring.client.IdaasApiException;
import dev.idaas.spring.client.IdaasClient;
import dev.idaas.spring.client.IdaasErrorCategory;
import dev.idaas.spring.client.IdaasLogoutClient;
import dev.idaas.spring.config.IdaasLoginConfigurer;
import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.IdaasSimulatorExtension;
import dev.idaas.spring.test.simulator.SimulatedUser;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Signing out upstream, end to end: the auto-configured chain (or the DSL in a chain of the
 * application's own), the real logout client over HTTP, and the IDaaS simulator playing the
 * white-labelled edition's logout endpoints. Whatever IDaaS does, the local sign-out happens and
 * the answer is the normal one.
 */
@ExtendWith(OutputCaptureExtension.class)
class IdaasUpstreamLogoutTests {

	@RegisterExtension
	static final IdaasSimulatorExtension extension = new IdaasSimulatorExtension();

	private static final String UA = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5)";

	private static final DeviceContext DEVICE = new DeviceContext("macos14.5", "device-fingerprint-9", null, UA,
			Locale.ENGLISH);

	private final IdaasSimulator idaas = extension.simulator();

	private SimulatedUser alice;

	@BeforeEach
	void setUp() {
		String suffix = Long.toString(System.nanoTime() % 100_000_000L);
		this.alice = SimulatedUser.of("alice" + suffix, "Alice", null, "alice" + suffix + "@example.com");
		this.idaas.registerUser(this.alice);
	}

	private WebApplicationContextRunner runner(IdaasSimulator simulator) {
		return new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(IdaasAutoConfiguration.class,
					IdaasWebSecurityAutoConfiguration.class, SecurityAutoConfiguration.class,
					ServletWebSecurityAutoConfiguration.class))
			.withPropertyValues("idaas.base-url=" + simulator.baseUrl(), "idaas.client-id=" + simulator.clientId(),
					"idaas.http.connect-timeout=2s", "idaas.http.read-timeout=4s");
	}

	private WebApplicationContextRunner runner() {
		return runner(this.idaas);
	}

	@Test
	void logoutWhenUpstreamEnabledThenSessionTokenRevokedAtIdaasAndLaterRefreshFails() {
		runner().withPropertyValues("idaas.logout.upstream.enabled=true").run((context) -> {
			MockMvc mvc = mockMvc(context);
			MockHttpSession session = signIn(mvc, this.idaas);
			String sessionToken = sessionToken(session);
			assertThat(this.idaas.isSessionTokenValid(sessionToken)).isTrue();

			MockHttpServletResponse response = logout(mvc, session, MediaType.TEXT_HTML);

			assertThat(response.getStatus()).isEqualTo(302);
			assertThat(response.getRedirectedUrl()).isEqualTo("/login?logout");
			assertThat(session.isInvalid()).isTrue();
			assertThat(this.idaas.requestCount(IdaasSimulator.PUBLIC_KEY_PATH)).isEqualTo(1);
			assertThat(this.idaas.requestCount(IdaasSimulator.SERVER_DATE_PATH)).isEqualTo(1);
			assertThat(this.idaas.requestCount(IdaasSimulator.LOGOUT_PATH)).isEqualTo(1);
			assertThat(this.idaas.lastRequest(IdaasSimulator.LOGOUT_PATH).header("X-agent")).isEqualTo(UA);
			assertThat(this.idaas.requestCount(IdaasSimulator.WEB_LOGOUT_PATH)).isZero();
			assertThat(this.idaas.isSessionTokenValid(sessionToken)).isFalse();
			IdaasClient client = context.getBean(IdaasClient.class);
			assertThatExceptionOfType(IdaasApiException.class)
				.isThrownBy(() -> client.refreshIdToken(sessionToken, DEVICE))
				.satisfies((ex) -> {
					assertThat(ex.getErrorCode()).isEqualTo("IDAAS.SDK.PARAM.0023");
					assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.INVALID_SESSION);
				});
		});
	}

	@Test
	void logoutWhenDefaultsThenNoUpstreamCallAtAll() {
		runner().run((context) -> {
			assertThat(context).doesNotHaveBean(IdaasLogoutClient.class).doesNotHaveBean(IdaasUpstreamLogout.class);
			MockMvc mvc = mockMvc(context);
			MockHttpSession session = signIn(mvc, this.idaas);
			String sessionToken = sessionToken(session);
			this.idaas.resetRecordsAndFaults();

			MockHttpServletResponse response = logout(mvc, session, MediaType.TEXT_HTML);

			assertThat(response.getStatus()).isEqualTo(302);
			assertThat(response.getRedirectedUrl()).isEqualTo("/login?logout");
			assertThat(session.isInvalid()).isTrue();
			assertThat(this.idaas.recordedRequests()).isEmpty();
			assertThat(this.idaas.isSessionTokenValid(sessionToken)).isTrue();
		});
	}

	@Test
	void logoutWhenUpstreamAnswers500ThenSignedOutLocallyWithTheNormalAnswerAndNoTokenInLogs(CapturedOutput output) {
		runner().withPropertyValues("idaas.logout.upstream.enabled=true").run((context) -> {
			MockMvc mvc = mockMvc(context);
			MockHttpSession session = signIn(mvc, this.idaas);
			String sessionToken = sessionToken(session);
			this.idaas.failNext(1, 500);

			MockHttpServletResponse response = logout(mvc, session, MediaType.TEXT_HTML);

			assertThat(response.getStatus()).isEqualTo(302);
			assertThat(response.getRedirectedUrl()).isEqualTo("/login?logout");
			assertThat(session.isInvalid()).isTrue();
			// the key fetch failed: nothing else was tried, the token stays valid upstream
			assertThat(this.idaas.requestCount(IdaasSimulator.PUBLIC_KEY_PATH)).isEqualTo(1);
			assertThat(this.idaas.requestCount(IdaasSimulator.LOGOUT_PATH)).isZero();
			assertThat(this.idaas.isSessionTokenValid(sessionToken)).isTrue();
			assertThat(output.getAll())
				.contains("Could not end the session token at IDaaS (IDAAS.SDK.COM.0002, TRANSIENT, HTTP 500)")
				.doesNotContain(sessionToken);
		});
	}

	@Test
	void logoutWhenUpstreamSlowThenSignedOutLocallyWithinTheReadTimeout() {
		runner().withPropertyValues("idaas.logout.upstream.enabled=true").run((context) -> {
			MockMvc mvc = mockMvc(context);
			MockHttpSession session = signIn(mvc, this.idaas);
			this.idaas.delayNext(Duration.ofSeconds(60));

			long start = System.nanoTime();
			MockHttpServletResponse response = logout(mvc, session, MediaType.TEXT_HTML);
			Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

			assertThat(response.getStatus()).isEqualTo(302);
			assertThat(response.getRedirectedUrl()).isEqualTo("/login?logout");
			assertThat(session.isInvalid()).isTrue();
			// one read timeout (4 s), not the 60 s answer, and no retry
			assertThat(elapsed).isLessThan(Duration.ofSeconds(30));
			assertThat(this.idaas.requestCount(IdaasSimulator.PUBLIC_KEY_PATH)).isEqualTo(1);
			assertThat(this.idaas.requestCount(IdaasSimulator.LOGOUT_PATH)).isZero();
		});
	}

	@Test
	void logoutWhenUpstreamDownThenSignedOutLocally() {
		IdaasSimulator doomed = new IdaasSimulator().start();
		doomed.registerUser(this.alice);
		try {
			runner(doomed).withPropertyValues("idaas.logout.upstream.enabled=true").run((context) -> {
				MockMvc mvc = mockMvc(context);
				MockHttpSession session = signIn(mvc, doomed);
				doomed.close();

				MockHttpServletResponse response = logout(mvc, session, MediaType.TEXT_HTML);

				assertThat(response.getStatus()).isEqualTo(302);
				assertThat(response.getRedirectedUrl()).isEqualTo("/login?logout");
				assertThat(session.isInvalid()).isTrue();
			});
		}
		finally {
			doomed.close();
		}
	}

	@Test
	void logoutWhenBrowserRedirectThenIdaasWebLogoutWithEncodedAbsoluteLogoutSuccessUrl() throws Exception {
		runner().withPropertyValues("idaas.logout.upstream.enabled=true", "idaas.logout.upstream.browser-redirect=true")
			.run((context) -> {
				MockMvc mvc = mockMvc(context);
				MockHttpSession session = signIn(mvc, this.idaas);
				String sessionToken = sessionToken(session);

				MockHttpServletResponse response = logout(mvc, session, MediaType.TEXT_HTML);

				assertThat(response.getStatus()).isEqualTo(302);
				assertThat(response.getRedirectedUrl()).isEqualTo(this.idaas.baseUrl() + "/api/v1/logout"
						+ "?redirect_url=http%3A%2F%2Flocalhost%2Flogin%3Flogout");
				assertThat(session.isInvalid()).isTrue();
				assertThat(this.idaas.isSessionTokenValid(sessionToken)).isFalse();
				// the browser's next hop: IDaaS ends its web session and comes back, if the URL is registered
				assertThat(follow(response.getRedirectedUrl()).statusCode()).isEqualTo(400);
				this.idaas.allowLogoutRedirect("http://localhost/login?logout");
				HttpResponse<String> back = follow(response.getRedirectedUrl());
				assertThat(back.statusCode()).isEqualTo(302);
				assertThat(back.headers().firstValue("Location")).hasValue("http://localhost/login?logout");
			});
	}

	@Test
	void logoutWhenBrowserRedirectAndJsonRequestThenApplicationAnswerKept() {
		runner().withPropertyValues("idaas.logout.upstream.browser-redirect=true").run((context) -> {
			MockMvc mvc = mockMvc(context);
			MockHttpSession session = signIn(mvc, this.idaas);
			this.idaas.resetRecordsAndFaults();

			MockHttpServletResponse response = logout(mvc, session, MediaType.APPLICATION_JSON);

			assertThat(response.getStatus()).isEqualTo(302);
			assertThat(response.getRedirectedUrl()).isEqualTo("/login?logout");
			assertThat(session.isInvalid()).isTrue();
			// browser redirect alone: no SDK logout either
			assertThat(this.idaas.recordedRequests()).isEmpty();
		});
	}

	@Test
	void logoutWhenDslRedirectInOwnChainThenItsSuccessUrlAndContextPathGoToIdaas() {
		runner().withUserConfiguration(OwnChainConfiguration.class).run((context) -> {
			assertThat(context).doesNotHaveBean("idaasSecurityFilterChain");
			MockMvc mvc = mockMvc(context);
			MockHttpSession session = signIn(mvc, this.idaas);

			MockHttpServletResponse response = mvc
				.perform(post("/app/logout").contextPath("/app")
					.session(session)
					.with(csrf())
					.accept(MediaType.TEXT_HTML)
					.header("User-Agent", UA))
				.andReturn()
				.getResponse();

			assertThat(response.getRedirectedUrl()).isEqualTo("https://idaas.example/api/v1/logout?redirect_url="
					+ URLEncoder.encode("http://localhost/app/bye?from=app&x=1", StandardCharsets.UTF_8));
			assertThat(response.getRedirectedUrl()).endsWith("%2Fapp%2Fbye%3Ffrom%3Dapp%26x%3D1");
			assertThat(session.isInvalid()).isTrue();
		});
	}

	// ---- helpers

	private static MockMvc mockMvc(WebApplicationContext context) {
		return MockMvcBuilders.webAppContextSetup(context).apply(springSecurity()).build();
	}

	private MockHttpSession signIn(MockMvc mvc, IdaasSimulator simulator) throws Exception {
		String code = simulator.issueAppleCode(this.alice);
		MvcResult result = mvc
			.perform(post("/login/idaas/apple").contentType(MediaType.APPLICATION_JSON)
				.header("User-Agent", UA)
				.content("{\"code\":\"" + code + "\"}"))
			.andReturn();
		assertThat(result.getResponse().getStatus()).isEqualTo(200);
		MockHttpSession session = (MockHttpSession) result.getRequest().getSession(false);
		assertThat(session).isNotNull();
		return session;
	}

	private static MockHttpServletResponse logout(MockMvc mvc, MockHttpSession session, MediaType accept)
			throws Exception {
		return mvc.perform(post("/logout").session(session).with(csrf()).accept(accept).header("User-Agent", UA))
			.andReturn()
			.getResponse();
	}

	private static String sessionToken(MockHttpSession session) {
		SecurityContext context = (SecurityContext) session
			.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
		return ((IdaasAuthenticationToken) context.getAuthentication()).getSessionState().sessionToken();
	}

	private static HttpResponse<String> follow(String url) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnChainConfiguration {

		@Bean
		SecurityFilterChain ownChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
			http.with(IdaasLoginConfigurer.idaasLogin(), (login) -> login
				.logout((logout) -> logout.upstreamRedirect(URI.create("https://idaas.example/api/v1/logout"))));
			http.logout((logout) -> logout.logoutSuccessUrl("/bye?from=app&x=1"));
			return http.build();
		}

	}

}

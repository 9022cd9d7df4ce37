package dev.idaas.spring.web.session;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.authentication.IdaasAuthenticationTokenFactory;
import dev.idaas.spring.jwt.JwkSetKeySource;
import dev.idaas.spring.jwt.JwksIdTokenVerifier;
import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.IdaasSimulatorExtension;
import dev.idaas.spring.test.simulator.MutableClock;
import dev.idaas.spring.test.simulator.SimulatedUser;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * A refresh that IDaaS refuses with a code the starter does not know (a risk control's
 * {@code IDAAS.SDK.RISK.0001}), end to end through Boot's default chain: the user is signed
 * out and reads the vendor's own words (JSON {@code 401}, or the login page), never a
 * {@code 503} with a generic text, and the node keeps refreshing everybody else.
 */
@SpringBootTest
@AutoConfigureMockMvc
@RecordApplicationEvents
class IdTokenRefreshVendorRefusalTests {

	private static final String LOGIN = "/login/idaas/apple";

	private static final String RISK = "IDAAS.SDK.RISK.0001";

	@RegisterExtension
	static IdaasSimulatorExtension extension = new IdaasSimulatorExtension();

	@DynamicPropertySource
	static void idaasProperties(DynamicPropertyRegistry registry) {
		extension.simulator().registerProperties(registry);
		registry.add("idaas.http.initial-backoff", () -> "1ms");
		registry.add("idaas.http.max-backoff", () -> "1ms");
	}

	@Autowired
	private MockMvc mvc;

	@Autowired
	private ApplicationEvents events;

	@Autowired
	private ApplicationContext context;

	private final IdaasSimulator idaas = extension.simulator();

	private final MutableClock clock = new MutableClock(Instant.now());

	private final SimulatedUser alice = SimulatedUser.of("alice", "Alice", "+8613800000001", "alice@example.com");

	private final SimulatedUser bob = SimulatedUser.of("bob", "Bob", "+8613800000002", "bob@example.com");

	@BeforeEach
	void everyoneOnOneClock() {
		// the id_token expires by moving the clock, not by waiting
		this.idaas.clock(this.clock);
		this.context.getBean(IdTokenRefresher.class).setClock(this.clock);
		this.context.getBean(IdaasAuthenticationTokenFactory.class).setClock(this.clock);
		this.context.getBean(JwksIdTokenVerifier.class).setClock(this.clock);
		this.context.getBean(JwkSetKeySource.class).setClock(this.clock);
		this.idaas.registerUser(this.alice);
		this.idaas.registerUser(this.bob);
	}

	@Test
	void refreshWhenVendorRefusesAndJsonThen401WithVendorsCodeAndMessage() throws Exception {
		MockHttpSession session = signIn(this.alice);
		this.clock.advance(Duration.ofMinutes(6)); // the id_token has expired
		this.idaas.failNextWith(400, RISK, "Account frozen");

		MockHttpServletResponse response = this.mvc
			.perform(get("/private").session(session).accept(MediaType.APPLICATION_JSON))
			.andReturn()
			.getResponse();

		assertThat(response.getStatus()).isEqualTo(401);
		assertThat(response.getHeader("Retry-After")).isNull();
		assertThat(response.getContentAsString(StandardCharsets.UTF_8))
			.isEqualTo("{\"error_code\":\"IDAAS.SDK.RISK.0001\",\"error_msg\":\"Account frozen\"}");
		assertThat(session.isInvalid()).isTrue();
		assertThat(this.idaas.refreshRequestCount()).isEqualTo(1);
		assertThat(this.events.stream(IdaasSessionEndedEvent.class)).singleElement().satisfies((event) -> {
			assertThat(event.getReason()).isEqualTo(IdaasSessionEndReason.VENDOR_REFUSED);
			assertThat(event.getErrorCode()).isEqualTo(RISK);
			assertThat(event.getPrincipalName()).isEqualTo("alice");
		});
	}

	@Test
	void refreshWhenVendorRefusesInChineseThen401WithVendorsOwnTextUnchanged() throws Exception {
		MockHttpSession session = signIn(this.alice);
		this.clock.advance(Duration.ofMinutes(6));
		this.idaas.failNextWith(400, RISK, "账户已被冻结,请联系客服");

		MockHttpServletResponse response = this.mvc
			.perform(get("/private").session(session)
				.header("X-Requested-With", "XMLHttpRequest")
				.header("Accept-Language", "zh"))
			.andReturn()
			.getResponse();

		assertThat(response.getStatus()).isEqualTo(401);
		assertThat(response.getContentAsString(StandardCharsets.UTF_8))
			.isEqualTo("{\"error_code\":\"IDAAS.SDK.RISK.0001\",\"error_msg\":\"账户已被冻结,请联系客服\"}");
		// the vendor chose the language of its message from X-L
		assertThat(this.idaas.lastRequest(IdaasSimulator.REFRESH_PATH).header("X-L")).isEqualTo("zh");
		assertThat(session.isInvalid()).isTrue();
	}

	@Test
	void refreshWhenVendorRefusesAndBrowserThenLoginPageShowsVendorsMessage() throws Exception {
		MockHttpSession session = signIn(this.alice);
		this.clock.advance(Duration.ofMinutes(6));
		this.idaas.failNextWith(400, RISK, "Account frozen");

		MvcResult refused = this.mvc.perform(get("/private").session(session).accept(MediaType.TEXT_HTML)).andReturn();

		assertThat(refused.getResponse().getStatus()).isEqualTo(302);
		assertThat(refused.getResponse().getRedirectedUrl()).isEqualTo("/login?expired&code=IDAAS.SDK.RISK.0001");
		assertThat(session.isInvalid()).isTrue();
		// a new, signed-out session carries the vendor's words to the page
		MockHttpSession next = (MockHttpSession) refused.getRequest().getSession(false);
		assertThat(next).isNotNull().isNotSameAs(session);
		assertThat(next.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY)).isNull();
		String page = this.mvc.perform(get("/login").param("expired", "").param("code", RISK).session(next))
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);
		assertThat(page).contains(
				"<p class=\"error\" role=\"alert\">Account frozen <code>IDAAS.SDK.RISK.0001</code></p>")
			.doesNotContain("Identity service error")
			.doesNotContain("Your session has expired");
		// the page's session is not signed in
		MockHttpServletResponse after = this.mvc
			.perform(get("/private").session(next).accept(MediaType.APPLICATION_JSON))
			.andReturn()
			.getResponse();
		assertThat(after.getStatus()).isEqualTo(401);
		// shown once: the page took the vendor's words out of the session
		assertThat(next.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION)).isNull();
		assertThat(this.idaas.refreshRequestCount()).isEqualTo(1);
	}

	@Test
	void refreshWhenOneUserRefusedThenAnotherUsersRefreshGoesThroughAtOnce() throws Exception {
		MockHttpSession aliceSession = signIn(this.alice);
		MockHttpSession bobSession = signIn(this.bob);
		IdaasAuthenticationToken bobBefore = stored(bobSession);
		this.clock.advance(Duration.ofMinutes(6));
		this.idaas.failNextWith(400, RISK, "Account frozen");
		int aliceStatus = this.mvc.perform(get("/private").session(aliceSession).accept(MediaType.APPLICATION_JSON))
			.andReturn()
			.getResponse()
			.getStatus();

		// same instant: a node circuit opened by alice's answer would give bob a 503
		MockHttpServletResponse response = this.mvc
			.perform(get("/private").session(bobSession).accept(MediaType.APPLICATION_JSON))
			.andReturn()
			.getResponse();

		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentAsString()).isEqualTo("private bob");
		assertThat(aliceStatus).isEqualTo(401);
		assertThat(this.idaas.refreshRequestCount()).isEqualTo(2);
		assertThat(stored(bobSession).getSessionState().refreshCount()).isEqualTo(1);
		assertThat(stored(bobSession).getIdToken().getTokenValue()).isNotEqualTo(bobBefore.getIdToken().getTokenValue());
		assertThat(this.events.stream(IdaasSessionEndedEvent.class)).singleElement()
			.satisfies((event) -> assertThat(event.getPrincipalName()).isEqualTo("alice"));
	}

	private MockHttpSession signIn(SimulatedUser user) throws Exception {
		String code = this.idaas.issueAppleCode(user);
		MvcResult result = this.mvc
			.perform(post(LOGIN).contentType(MediaType.APPLICATION_JSON).content("{\"code\":\"" + code + "\"}"))
			.andReturn();
		assertThat(result.getResponse().getStatus()).isEqualTo(200);
		return (MockHttpSession) result.getRequest().getSession(false);
	}

	private static IdaasAuthenticationToken stored(MockHttpSession session) {
		SecurityContext context = (SecurityContext) session
			.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
		return (IdaasAuthenticationToken) context.getAuthentication();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(PrivateController.class)
	static class RefusalApplication {

	}

	@RestController
	static class PrivateController {

		@GetMapping("/private")
		String secret(Authentication authentication) {
			return "private " + authentication.getName();
		}

	}

}

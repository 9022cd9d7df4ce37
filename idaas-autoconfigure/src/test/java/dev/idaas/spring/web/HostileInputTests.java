package dev.idaas.spring.web;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.IdaasSimulatorExtension;
import dev.idaas.spring.test.simulator.SimulatedUser;
import dev.idaas.spring.web.flow.HttpSessionPendingSocialFlowRepository;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Hostile input the other web suites do not cover: header-bound device facts with CR/LF or
 * non-ASCII, over-long and control-character codes on the form login, bind/register with no
 * pending flow. Each: a clear error, nothing stored in the session, no upstream call.
 */
@SpringBootTest(classes = HostileInputTests.TestApplication.class)
@AutoConfigureMockMvc
class HostileInputTests {

	@RegisterExtension
	static final IdaasSimulatorExtension extension = new IdaasSimulatorExtension();

	@DynamicPropertySource
	static void idaasProperties(DynamicPropertyRegistry registry) {
		extension.simulator().registerProperties(registry);
	}

	@Autowired
	private MockMvc mvc;

	private final IdaasSimulator idaas = extension.simulator();

	private SimulatedUser alice;

	@BeforeEach
	void setUp() {
		String suffix = Long.toString(System.nanoTime() % 100_000_000L);
		this.alice = SimulatedUser.of("alice" + suffix, "Alice", "+86138" + suffix, "alice" + suffix + "@example.com");
		this.idaas.registerUser(this.alice);
	}

	/**
	 * Decision: real in-app browsers (WeChat, for one) send non-ASCII User-Agents, so the device
	 * resolver forwards them with each non-ASCII character replaced by {@code ?} rather than
	 * refusing the sign-in; the header sent upstream is plain ASCII.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "Mozilla/5.0 (iPhone) \u5fae\u4fe1/8.0", "Mozilla/5.0 caf\u00e9" })
	void jsonLoginWhenUserAgentNotAsciiThenSanitizedAndSignedIn(String userAgent) throws Exception {
		String code = this.idaas.issueAppleCode(this.alice);
		this.idaas.resetRecordsAndFaults();
		MockHttpSession session = new MockHttpSession();
		this.mvc
			.perform(post("/login/idaas/apple").session(session)
				.contentType(MediaType.APPLICATION_JSON)
				.header("User-Agent", userAgent)
				.content("{\"code\":\"" + code + "\"}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("SUCCESS"));
		String sent = this.idaas.lastRequest(IdaasSimulator.LOGIN_PATH).header("X-agent");
		assertThat(sent).isEqualTo(userAgent.replaceAll("[^\\x20-\\x7e]", "?"));
		assertThat(sent.chars()).allMatch((c) -> c >= 0x20 && c <= 0x7e);
	}

	/**
	 * CR/LF and other controls in User-Agent never reach the starter: Spring Security's
	 * {@code StrictHttpFirewall} rejects the request with 400 first.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "Mozilla/5.0\r\nX-client-id: evil", "Mozilla/5.0\nX-Injected: 1", "Mozilla/5.0 \u0000" })
	void jsonLoginWhenUserAgentHasControlCharactersThen400AndNoUpstreamCall(String userAgent) throws Exception {
		String code = this.idaas.issueAppleCode(this.alice);
		this.idaas.resetRecordsAndFaults();
		MockHttpSession session = new MockHttpSession();
		this.mvc
			.perform(post("/login/idaas/apple").session(session)
				.contentType(MediaType.APPLICATION_JSON)
				.header("User-Agent", userAgent)
				.content("{\"code\":\"" + code + "\"}"))
			.andExpect(status().isBadRequest());
		assertThat(session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY)).isNull();
		assertNoUpstreamCall();
	}

	@ParameterizedTest
	@ValueSource(ints = { 4097, 65536 })
	void formLoginWhenCodeOverLongThenRedirectWithInvalidCodeAndNoUpstreamCall(int length) throws Exception {
		this.idaas.resetRecordsAndFaults();
		MockHttpSession session = new MockHttpSession();
		this.mvc.perform(post("/login/idaas/apple").session(session).with(csrf()).param("code", "a".repeat(length)))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/login?error&code=IDAAS.STARTER.INVALID_CODE"));
		assertThat(session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY)).isNull();
		assertNoUpstreamCall();
	}

	@ParameterizedTest
	@ValueSource(strings = { "abc\r\ndef", "abc\u0000def", "abc\u001bdef", "\u007f" })
	void formLoginWhenCodeHasControlCharactersThenRedirectWithInvalidCodeAndNoUpstreamCall(String code)
			throws Exception {
		this.idaas.resetRecordsAndFaults();
		this.mvc.perform(post("/login/idaas/apple").with(csrf()).param("code", code))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/login?error&code=IDAAS.STARTER.INVALID_CODE"));
		assertNoUpstreamCall();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/idaas/bind", "/idaas/register", "/idaas/mfa" })
	void finishWhenNoPendingFlowThenConflictAndNoUpstreamCall(String url) throws Exception {
		this.idaas.resetRecordsAndFaults();
		MockHttpSession session = new MockHttpSession();
		MvcResult result = this.mvc
			.perform(post(url).session(session)
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"method\":\"VERIFY_PHONE\",\"target\":\"" + this.alice.mobile()
						+ "\",\"verify_code\":\"123456\"}"))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.NO_PENDING_FLOW"))
			.andReturn();
		assertThat(result.getRequest().getSession(false) == null
				|| result.getRequest().getSession(false).getAttribute(HttpSessionPendingSocialFlowRepository.ATTRIBUTE) == null)
			.isTrue();
		assertNoUpstreamCall();
	}

	@Test
	void bindWhenOtherSessionsFlowThenConflictAndOwnerFlowUntouched() throws Exception {
		MockHttpSession owner = new MockHttpSession();
		this.mvc
			.perform(post("/login/idaas/apple").session(owner)
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"code\":\"" + this.idaas.issueSocialBindCode() + "\"}"))
			.andExpect(jsonPath("$.status").value("SOCIAL_BIND"));
		Object pending = owner.getAttribute(HttpSessionPendingSocialFlowRepository.ATTRIBUTE);
		assertThat(pending).isNotNull();
		this.idaas.resetRecordsAndFaults();
		this.mvc
			.perform(post("/idaas/bind").session(new MockHttpSession())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"method\":\"VERIFY_PHONE\",\"target\":\"" + this.alice.mobile()
						+ "\",\"verify_code\":\"123456\"}"))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.NO_PENDING_FLOW"));
		assertNoUpstreamCall();
		assertThat(owner.getAttribute(HttpSessionPendingSocialFlowRepository.ATTRIBUTE)).isEqualTo(pending);
	}

	private void assertNoUpstreamCall() {
		assertThat(this.idaas.recordedRequests()).filteredOn((request) -> request.path().startsWith("/api/v2/sdk/"))
			.isEmpty();
	}

	@SpringBootConfiguration
	// a plain single-node app: no Redis (Spring Session and the cluster lock are on the test classpath)
	@EnableAutoConfiguration(excludeName = {
			"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
			"org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration" })
	static class TestApplication {

	}

}

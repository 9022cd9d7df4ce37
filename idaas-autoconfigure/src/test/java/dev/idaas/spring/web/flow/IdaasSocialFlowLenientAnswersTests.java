package dev.idaas.spring.web.flow;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.IdaasSimulatorExtension;
import dev.idaas.spring.test.simulator.Malformation;
import dev.idaas.spring.test.simulator.SimulatedUser;
import dev.idaas.spring.test.simulator.SocialFinishAnswer;
import dev.idaas.spring.test.simulator.SocialFlowData;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The second-step flows accept what the vendor's contract says IDaaS may send (parse
 * leniently, send strictly), end to end through the auto-configured filter chain against the
 * simulator playing the contract's quirks: {@code data} absent, empty or not JSON, a status
 * {@code " Social_Bind"}, phone numbers as people write them, a finish without {@code expire}
 * or with an unreadable answer.
 */
@SpringBootTest(classes = IdaasSocialFlowLenientAnswersTests.TestApplication.class,
		properties = { "idaas.http.initial-backoff=1ms", "idaas.http.max-backoff=1ms",
				"idaas.login.code-resend-interval=0s", "idaas.login.limits.code-sends-per-ip=100" })
@AutoConfigureMockMvc
class IdaasSocialFlowLenientAnswersTests {

	@RegisterExtension
	static final IdaasSimulatorExtension extension = new IdaasSimulatorExtension();

	private static final String UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)";

	private static final List<String> BOTH = List.of("VERIFY_PHONE", "VERIFY_EMAIL");

	@DynamicPropertySource
	static void idaasProperties(DynamicPropertyRegistry registry) {
		extension.simulator().registerProperties(registry);
	}

	@Autowired
	private MockMvc mvc;

	private IdaasSimulator idaas;

	private SimulatedUser alice;

	private String digits;

	@BeforeEach
	void setUp() {
		this.idaas = extension.simulator();
		this.idaas.socialFinishAnswer(SocialFinishAnswer.PER_FLOW);
		this.digits = String.format("%08d", System.nanoTime() % 100_000_000L);
		this.alice = SimulatedUser.of("alice" + this.digits, "Alice", "+86139" + this.digits,
				"alice" + this.digits + "@example.com");
		this.idaas.registerUser(this.alice);
	}

	@AfterEach
	void tearDown() {
		this.idaas.socialFlowData(SocialFlowData.JSON_STRING).oddBranchStatus(false);
		this.idaas.socialFinishAnswer(SocialFinishAnswer.PER_FLOW);
	}

	@ParameterizedTest
	@EnumSource(value = SocialFlowData.class, names = { "ABSENT", "EMPTY", "NOT_JSON" })
	void bindWhenDataUnusableAndStatusOddThenBothMethodsOfferedAndPhoneBindSignsIn(SocialFlowData data)
			throws Exception {
		this.idaas.socialFlowData(data).oddBranchStatus(true);
		MockHttpSession session = new MockHttpSession();
		this.mvc.perform(json(post("/login/idaas/apple"), session, "{\"code\":\"" + this.idaas.issueSocialBindCode() + "\"}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("SOCIAL_BIND"))
			.andExpect(jsonPath("$.flows", contains("VERIFY_PHONE", "VERIFY_EMAIL")))
			.andExpect(jsonPath("$.next").value("/idaas/bind"));
		assertThat(stored(session).flows()).isEqualTo(BOTH);
		String page = this.mvc.perform(get("/idaas/bind").session(session).with(requestedSession(session)).header("User-Agent", UA))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains("id=\"idaas-method-VERIFY_PHONE\"").contains("id=\"idaas-method-VERIFY_EMAIL\"");
		sendCode(session, "/idaas/bind", "VERIFY_PHONE", this.alice.mobile());
		this.mvc.perform(finish(session, "/idaas/bind", "VERIFY_PHONE", this.alice.mobile()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("SUCCESS"))
			.andExpect(jsonPath("$.user.sub").value(this.alice.sub()));
		assertThat(this.idaas.requestCount(IdaasSimulator.BIND_PATH)).isEqualTo(1);
	}

	@Test
	void registerWhenDataAbsentAndStatusOddThenEmailSendAllowedAndSignsIn() throws Exception {
		this.idaas.socialFlowData(SocialFlowData.ABSENT).oddBranchStatus(true);
		MockHttpSession session = login(this.idaas.issueUserRegisterCode(), "USER_REGISTER");
		String email = "new" + this.digits + "@example.com";
		sendCode(session, "/idaas/register", "VERIFY_EMAIL", email);
		assertThat(this.idaas.lastVerificationCode(email)).isEqualTo(IdaasSimulator.DEFAULT_VERIFICATION_CODE);
		this.mvc.perform(finish(session, "/idaas/register", "VERIFY_EMAIL", email))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("SUCCESS"));
	}

	@Test
	void bindWhenDataAbsentAndTenantAllowsOnlyEmailThenPhoneGoesUpstreamAndIdaasRefusalIsKept() throws Exception {
		this.idaas.socialFlowData(SocialFlowData.ABSENT);
		MockHttpSession session = login(this.idaas.issueSocialBindCode(List.of("VERIFY_EMAIL")), "SOCIAL_BIND");
		sendCode(session, "/idaas/bind", "VERIFY_PHONE", this.alice.mobile());
		this.mvc.perform(finish(session, "/idaas/bind", "VERIFY_PHONE", this.alice.mobile()))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error_code").value("IDAAS.SDK.PARAM.0004"))
			.andExpect(jsonPath("$.error_msg").value("Invalid request parameter"));
		assertThat(stored(session)).as("the flow goes on: the user may choose email").isNotNull();
		sendCode(session, "/idaas/bind", "VERIFY_EMAIL", this.alice.email());
		this.mvc.perform(finish(session, "/idaas/bind", "VERIFY_EMAIL", this.alice.email()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.user.sub").value(this.alice.sub()));
	}

	@Test
	void sendCodeWhenTenantListNamesMethodsThenStillRestricted() throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(List.of("VERIFY_EMAIL")), "SOCIAL_BIND");
		fetchPuzzle(session, "/idaas/bind");
		this.idaas.resetRecordsAndFaults();
		this.mvc.perform(json(post("/idaas/bind/code"), session, "{\"method\":\"VERIFY_PHONE\",\"target\":\""
				+ this.alice.mobile() + "\",\"captcha_x\":" + this.idaas.captchaSolutionX() + "}"))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.METHOD_NOT_ALLOWED"));
		assertThat(this.idaas.recordedRequests()).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "+86 139 %s", "+86-139-%s", "+86 (139) %s", "+86.139.%s", "+86(139)%s" })
	void bindWhenPhoneWrittenWithSeparatorsThenSentNormalisedAndFinishedWithAnotherSpelling(String format)
			throws Exception {
		String written = format.formatted(this.digits.substring(0, 4) + " " + this.digits.substring(4));
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		sendCode(session, "/idaas/bind", "VERIFY_PHONE", written);
		assertThat(this.idaas.lastRequest(IdaasSimulator.SMS_SEND_PATH).body())
			.startsWith("{\"mobile\":\"" + this.alice.mobile() + "\",");
		assertThat(this.idaas.lastRequest(IdaasSimulator.CAPTCHA_VERIFY_PATH).body())
			.contains("\"sender\":\"" + this.alice.mobile() + "\"");
		assertThat(stored(session).codeTarget()).isEqualTo(this.alice.mobile());
		// the code went to +86139..: finishing with "86139.." (no +) names another number
		this.mvc.perform(finish(session, "/idaas/bind", "VERIFY_PHONE", this.alice.mobile().substring(1)))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.INVALID_VERIFICATION"));
		assertThat(this.idaas.requestCount(IdaasSimulator.BIND_PATH)).isZero();
		String otherSpelling = "+86 139-" + this.digits.substring(0, 4) + "." + this.digits.substring(4);
		this.mvc.perform(finish(session, "/idaas/bind", "VERIFY_PHONE", otherSpelling))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.user.sub").value(this.alice.sub()));
		assertThat(this.idaas.lastRequest(IdaasSimulator.BIND_PATH).body())
			.isEqualTo("{\"mobile\":\"" + this.alice.mobile() + "\",\"verify_code\":\"123456\"}");
	}

	@ParameterizedTest
	@ValueSource(strings = { "+86 139 abcd 0000", "139_0013_8000", "1-2-3-4", "-13900138000", "13900138000-",
			"(139 0013 8000", "139) 0013 8000", "()13900138000", "139((0))0013", "+ 8613900138000",
			"++8613900138000", "123456789012345678901", "１３９００１３８０００" })
	void sendCodeWhenPhoneMalformedThenBadRequestWithoutUpstreamCall(String target) throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		fetchPuzzle(session, "/idaas/bind");
		this.idaas.resetRecordsAndFaults();
		this.mvc.perform(json(post("/idaas/bind/code"), session, "{\"method\":\"VERIFY_PHONE\",\"target\":\""
				+ target + "\",\"captcha_x\":" + this.idaas.captchaSolutionX() + "}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.INVALID_VERIFICATION"));
		assertThat(this.idaas.recordedRequests()).isEmpty();
		assertThat(stored(session).puzzleToken()).as("the puzzle is not spent").isNotNull();
	}

	@Test
	void bindWhenFinishAnswersNoExpireThenOneRefreshGivesTheSessionLifetimeAndSignsIn() throws Exception {
		this.idaas.socialFinishAnswer(SocialFinishAnswer.WITHOUT_EXPIRE);
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		sendCode(session, "/idaas/bind", "VERIFY_PHONE", this.alice.mobile());
		Instant before = Instant.now();
		this.mvc.perform(finish(session, "/idaas/bind", "VERIFY_PHONE", this.alice.mobile()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("SUCCESS"))
			.andExpect(jsonPath("$.user.sub").value(this.alice.sub()));
		assertThat(this.idaas.requestCount(IdaasSimulator.BIND_PATH)).isEqualTo(1);
		assertThat(this.idaas.refreshRequestCount()).as("the refresh answer carries expire").isEqualTo(1);
		SecurityContext context = (SecurityContext) session
			.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
		IdaasAuthenticationToken signedIn = (IdaasAuthenticationToken) context.getAuthentication();
		assertThat(signedIn.getSessionState().sessionTokenExpiresAt())
			.isBetween(before.plus(Duration.ofSeconds(432000 - 60)), Instant.now().plus(Duration.ofSeconds(432000)));
		assertThat(stored(session)).isNull();
	}

	@Test
	void bindWhenFinishAnswerUnreadableThenFlowEndedGoneAndNoRetryUpstream() throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		sendCode(session, "/idaas/bind", "VERIFY_PHONE", this.alice.mobile());
		// IDaaS takes the code and spends the state token; the answer arrives cut in half
		this.idaas.malformedNext(Malformation.TRUNCATED_JSON);
		this.mvc.perform(finish(session, "/idaas/bind", "VERIFY_PHONE", this.alice.mobile()))
			.andExpect(status().isGone())
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.FLOW_ENDED"))
			.andExpect(jsonPath("$.error_msg").value("The sign-in could not be completed, please sign in again"));
		assertThat(stored(session)).isNull();
		this.mvc.perform(finish(session, "/idaas/bind", "VERIFY_PHONE", this.alice.mobile()))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.NO_PENDING_FLOW"));
		assertThat(this.idaas.requestCount(IdaasSimulator.BIND_PATH)).isEqualTo(1);
		assertThat(this.idaas.refreshRequestCount()).isZero();
	}

	private MockHttpSession login(String appleCode, String expectedStatus) throws Exception {
		MockHttpSession session = new MockHttpSession();
		this.mvc.perform(json(post("/login/idaas/apple"), session, "{\"code\":\"" + appleCode + "\"}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value(expectedStatus));
		assertThat(stored(session)).isNotNull();
		this.idaas.resetRecordsAndFaults();
		return session;
	}

	private void fetchPuzzle(MockHttpSession session, String url) throws Exception {
		this.mvc.perform(get(url + "/captcha").session(session).with(requestedSession(session)).accept(MediaType.APPLICATION_JSON).header("User-Agent", UA))
			.andExpect(status().isOk());
	}

	private void sendCode(MockHttpSession session, String url, String method, String target) throws Exception {
		fetchPuzzle(session, url);
		this.mvc.perform(json(post(url + "/code"), session, "{\"method\":\"" + method + "\",\"target\":\"" + target
				+ "\",\"captcha_x\":" + this.idaas.captchaSolutionX() + "}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("CODE_SENT"));
	}

	private static MockHttpServletRequestBuilder finish(MockHttpSession session, String url, String method,
			String target) {
		return json(post(url), session, "{\"method\":\"" + method + "\",\"target\":\"" + target
				+ "\",\"verify_code\":\"" + IdaasSimulator.DEFAULT_VERIFICATION_CODE + "\"}");
	}

	private static MockHttpServletRequestBuilder json(MockHttpServletRequestBuilder request, MockHttpSession session,
			String body) {
		return request.session(session).with(requestedSession(session)).contentType(MediaType.APPLICATION_JSON)
			.header("User-Agent", UA).content(body);
	}

	/**
	 * Presents the session's id as a browser's cookie would, so the session counts as requested.
	 */
	private static RequestPostProcessor requestedSession(MockHttpSession session) {
		return (request) -> {
			request.setRequestedSessionId(session.getId());
			return request;
		};
	}

	private static PendingSocialFlow stored(MockHttpSession session) {
		return (PendingSocialFlow) session.getAttribute(HttpSessionPendingSocialFlowRepository.ATTRIBUTE);
	}

	@SpringBootConfiguration
	// a plain single-node app: no Redis (Spring Session and the cluster lock are on the test classpath)
	@EnableAutoConfiguration(excludeName = {
			"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
			"org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration" })
	static class TestApplication {

	}

}

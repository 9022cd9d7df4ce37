package dev.idaas.spring.web.flow;

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.idaas.spring.authentication.IdaasAuthenticationFailureEvent;
import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.authentication.IdaasSocialFlowAuthenticationToken;
import dev.idaas.spring.client.SocialFlowBranch;
import dev.idaas.spring.client.VerificationChannel;
import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.IdaasSimulatorExtension;
import dev.idaas.spring.test.simulator.MutableClock;
import dev.idaas.spring.test.simulator.RecordedIdaasRequest;
import dev.idaas.spring.test.simulator.SentVerificationCode;
import dev.idaas.spring.test.simulator.SimulatedUser;
import dev.idaas.spring.test.simulator.SocialFinishAnswer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.authentication.event.AbstractAuthenticationEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.authentication.event.InteractiveAuthenticationSuccessEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * End-to-end tests of the bind, register and second-factor HTTP API ({@link IdaasSocialFlowFilter},
 * {@link IdaasSocialFlowAuthenticationFilter}, {@link IdaasBranchRedirectHandler}) in the
 * auto-configured default chain, against the IDaaS simulator over real HTTP: captcha, code,
 * sign-in, as JSON and as browser forms.
 */
@SpringBootTest(classes = IdaasSocialFlowFilterTests.TestApplication.class,
		properties = { "idaas.http.initial-backoff=1ms", "idaas.http.max-backoff=1ms" })
@AutoConfigureMockMvc
class IdaasSocialFlowFilterTests {

	@RegisterExtension
	static final IdaasSimulatorExtension extension = new IdaasSimulatorExtension();

	static final MutableClock clock = new MutableClock(Instant.now());

	static final List<AbstractAuthenticationEvent> events = new CopyOnWriteArrayList<>();

	private static final String UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)";

	@DynamicPropertySource
	static void idaasProperties(DynamicPropertyRegistry registry) {
		extension.simulator().registerProperties(registry);
	}

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MeterRegistry meterRegistry;

	@Autowired
	private RecordingRateLimiter rateLimiter;

	private IdaasSimulator idaas;

	private SimulatedUser alice;

	private final List<MockHttpServletResponse> responses = new ArrayList<>();

	@BeforeEach
	void setUp() {
		this.idaas = extension.simulator();
		this.idaas.socialFinishAnswer(SocialFinishAnswer.PER_FLOW);
		clock.setInstant(Instant.now());
		String suffix = Long.toString(System.nanoTime() % 100_000_000L);
		this.alice = SimulatedUser.of("alice" + suffix, "Alice", "+86138" + suffix, "alice" + suffix + "@example.com");
		this.idaas.registerUser(this.alice);
		this.rateLimiter.calls.clear();
		this.rateLimiter.refuseNext.set(false);
		this.meterRegistry.clear();
		events.clear();
	}

	@Test
	void bindWhenJsonFlowThenCaptchaCodeAndSignInWithRefreshSessionChangedAndCounted() throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		perform(get("/api/me").session(session).with(requestedSession(session)).accept(MediaType.APPLICATION_JSON), 401);

		MvcResult captcha = this.mvc.perform(get("/idaas/bind/captcha").session(session).with(requestedSession(session))
			.accept(MediaType.APPLICATION_JSON).header("User-Agent", UA))
			.andExpect(status().isOk())
			.andExpect(header().string("Cache-Control", "no-store"))
			.andExpect(jsonPath("$.width").value(310))
			.andExpect(jsonPath("$.height").value(155))
			.andExpect(jsonPath("$.pieceWidth").value(47))
			.andExpect(jsonPath("$.pieceHeight").value(47))
			.andExpect(jsonPath("$.pieceY").value(5))
			.andReturn();
		this.responses.add(captcha.getResponse());
		String puzzle = captcha.getResponse().getContentAsString();
		assertThat(puzzle).contains("\"background\":\"data:image/png;base64,iVBORw0KGgo")
			.contains("\"piece\":\"data:image/png;base64,iVBORw0KGgo")
			.doesNotContain("token");
		assertThat(stored(session).puzzleToken()).isNotNull();

		perform(json(post("/idaas/bind/code"), session, "{\"method\":\"VERIFY_PHONE\",\"target\":\""
				+ this.alice.mobile() + "\",\"captcha_x\":" + this.idaas.captchaSolutionX() + "}"), 200);
		assertThat(last().getContentAsString()).isEqualTo("{\"status\":\"CODE_SENT\"}");
		assertThat(this.idaas.captchaVerifyRequestCount(this.alice.mobile())).isEqualTo(1);
		SentVerificationCode sent = lastSentCode();
		assertThat(sent.channel()).isEqualTo("sms");
		assertThat(sent.recipient()).isEqualTo(this.alice.mobile());
		assertThat(sent.type()).isEqualTo("BIND_MOBILE_SMS");
		assertThat(stored(session).codeTarget()).isEqualTo(this.alice.mobile());
		assertThat(stored(session).puzzleToken()).as("a puzzle is answered once").isNull();
		String sessionIdBefore = session.getId();

		MvcResult result = this.mvc.perform(bind(session, "/idaas/bind", IdaasSimulator.DEFAULT_VERIFICATION_CODE))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("SUCCESS"))
			.andExpect(jsonPath("$.user.sub").value(this.alice.sub()))
			.andReturn();
		this.responses.add(result.getResponse());

		assertThat(session.getId()).isNotEqualTo(sessionIdBefore);
		assertThat(session.getAttribute(HttpSessionPendingSocialFlowRepository.ATTRIBUTE)).isNull();
		assertThat(this.idaas.refreshRequestCount()).as("bind answers no id_token: one refresh").isEqualTo(1);
		perform(get("/api/me").session(session).with(requestedSession(session)).accept(MediaType.APPLICATION_JSON), 200);
		assertThat(last().getContentAsString()).isEqualTo(this.alice.sub());

		assertThat(events).filteredOn(AuthenticationSuccessEvent.class::isInstance)
			.singleElement()
			.satisfies((event) -> assertThat(event.getAuthentication()).isInstanceOf(IdaasAuthenticationToken.class));
		assertThat(events).filteredOn(InteractiveAuthenticationSuccessEvent.class::isInstance)
			.singleElement()
			.satisfies((event) -> assertThat(((InteractiveAuthenticationSuccessEvent) event).getGeneratedBy())
				.isEqualTo(IdaasSocialFlowAuthenticationFilter.class));
		assertThat(loginCount("SUCCESS", "SOCIAL_BIND")).isEqualTo(1);
		assertThat(loginCount("SUCCESS", "APPLE")).isZero();
		RecordedIdaasRequest bind = this.idaas.lastRequest(IdaasSimulator.BIND_PATH);
		assertThat(bind).isNotNull();
		assertThat(this.rateLimiter.calls).containsExactly("acquire CODE_SEND", "acquire CODE_CHECK",
				"reset CODE_CHECK");
		assertStateTokenNeverSent(bind.header("X-state-token"));
	}

	@Test
	void bindWhenAnswerHasIdTokenThenNoRefresh() throws Exception {
		this.idaas.socialFinishAnswer(SocialFinishAnswer.WITH_ID_TOKEN);
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		sendPhoneCode(session, "/idaas/bind");
		this.mvc.perform(bind(session, "/idaas/bind", IdaasSimulator.DEFAULT_VERIFICATION_CODE))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.user.sub").value(this.alice.sub()));
		assertThat(this.idaas.refreshRequestCount()).isZero();
	}

	@Test
	void registerWhenJsonEmailFlowThenSignedInAndCountedAsRegister() throws Exception {
		MockHttpSession session = login(this.idaas.issueUserRegisterCode(), "USER_REGISTER");
		String email = "new" + System.nanoTime() + "@example.com";
		fetchPuzzle(session, "/idaas/register");
		perform(json(post("/idaas/register/code"), session, "{\"method\":\"VERIFY_EMAIL\",\"target\":\"" + email
				+ "\",\"captcha_x\":\"" + this.idaas.captchaSolutionX() + ".0\"}"), 200);
		assertThat(lastSentCode().type()).isEqualTo("REGISTER_EMS");
		this.mvc.perform(json(post("/idaas/register"), session,
				"{\"method\":\"VERIFY_EMAIL\",\"target\":\"" + email + "\",\"verify_code\":\"123456\"}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("SUCCESS"))
			.andExpect(jsonPath("$.user.email").value(email));
		assertThat(this.idaas.users()).anyMatch((user) -> email.equals(user.email()));
		assertThat(loginCount("SUCCESS", "USER_REGISTER")).isEqualTo(1);
		perform(get("/api/me").session(session).with(requestedSession(session)).accept(MediaType.APPLICATION_JSON), 200);
	}

	@Test
	void sendCodeWhenWrongSlideThenCaptcha0002PuzzleConsumedAndNewPuzzleWorks() throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		fetchPuzzle(session, "/idaas/bind");
		int rightX = this.idaas.captchaSolutionX();
		int wrongX = (rightX > 150) ? rightX - 40 : rightX + 40;
		this.mvc.perform(sendCode(session, "/idaas/bind", wrongX).header("Accept-Language", "zh"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error_code").value("IDAAS.SDK.CAPTCHA.0002"))
			.andExpect(jsonPath("$.error_msg").value("图形验证码校验失败"));
		assertThat(this.idaas.requestCount(IdaasSimulator.SMS_SEND_PATH)).isZero();
		assertThat(this.idaas.requestCount(IdaasSimulator.CAPTCHA_VERIFY_PATH)).isEqualTo(1);
		// a send IDaaS refused still counts toward the limit
		assertThat(this.rateLimiter.calls).containsExactly("acquire CODE_SEND");

		// the same puzzle cannot be tried again: refused here, IDaaS not asked, nothing counted
		this.mvc.perform(sendCode(session, "/idaas/bind", rightX))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error_code").value("IDAAS.SDK.CAPTCHA.0002"));
		assertThat(this.idaas.requestCount(IdaasSimulator.CAPTCHA_VERIFY_PATH)).isEqualTo(1);
		assertThat(this.rateLimiter.calls).containsExactly("acquire CODE_SEND");

		fetchPuzzle(session, "/idaas/bind");
		perform(sendCode(session, "/idaas/bind", this.idaas.captchaSolutionX()), 200);
		assertThat(this.idaas.requestCount(IdaasSimulator.SMS_SEND_PATH)).isEqualTo(1);
		assertThat(lastSentCode().recipient()).isEqualTo(this.alice.mobile());
	}

	@Test
	void captchaWhenNoPendingFlowOfThatBranchThenConflictWithoutUpstreamCall() throws Exception {
		this.mvc.perform(get("/idaas/mfa/captcha").session(new MockHttpSession()).accept(MediaType.APPLICATION_JSON))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.NO_PENDING_FLOW"));
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		this.mvc.perform(get("/idaas/register/captcha").session(session).with(requestedSession(session))
			.accept(MediaType.APPLICATION_JSON))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.NO_PENDING_FLOW"));
		assertNoUpstreamCall();
	}

	@Test
	void mfaWhenAppleLoginAnswersMfaThenMaskedNumberAndCodeOnlyToNumberOnFile() throws Exception {
		this.idaas.requireSecondFactor(this.alice, true);
		MockHttpSession session = new MockHttpSession();
		MvcResult login = this.mvc
			.perform(json(post("/login/idaas/apple"), session, "{\"code\":\"" + this.idaas.issueAppleCode(this.alice)
					+ "\"}"))
			.andExpect(status().isOk())
			.andReturn();
		this.responses.add(login.getResponse());
		String mobile = this.alice.mobile();
		String masked = mobile.substring(0, 3) + "*".repeat(mobile.length() - 7) + mobile.substring(mobile.length() - 4);
		assertThat(login.getResponse().getContentAsString())
			.isEqualTo("{\"status\":\"MFA_AUTH\",\"next\":\"/idaas/mfa\",\"mobile\":\"" + masked + "\"}")
			.doesNotContain(mobile);
		assertThat(this.idaas.requestCount(IdaasSimulator.MOBILE_BY_TOKEN_PATH)).isEqualTo(1);
		assertThat(stored(session).mobileOnFile()).isEqualTo(mobile);
		PendingSocialFlowView view = pageView(session, "/idaas/mfa");
		assertThat(view.branch()).isEqualTo(SocialFlowBranch.MFA_AUTH);
		assertThat(view.mobile()).isEqualTo(masked);
		this.idaas.resetRecordsAndFaults();

		// the client cannot choose where a second-factor code goes
		fetchPuzzle(session, "/idaas/mfa");
		String attacker = "+8613900000000";
		this.mvc.perform(json(post("/idaas/mfa/code"), session,
				"{\"target\":\"" + attacker + "\",\"captcha_x\":" + this.idaas.captchaSolutionX() + "}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.INVALID_VERIFICATION"));
		assertThat(this.idaas.requestCount(IdaasSimulator.CAPTCHA_VERIFY_PATH)).isZero();
		assertThat(this.idaas.requestCount(IdaasSimulator.SMS_SEND_PATH)).isZero();
		// nor the channel: a second factor goes by SMS (the contract gives no email on file)
		this.mvc.perform(json(post("/idaas/mfa/code"), session,
				"{\"method\":\"VERIFY_EMAIL\",\"captcha_x\":" + this.idaas.captchaSolutionX() + "}"))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.METHOD_NOT_ALLOWED"));
		assertThat(this.idaas.requestCount(IdaasSimulator.CAPTCHA_VERIFY_PATH)).isZero();
		assertThat(this.idaas.requestCount(IdaasSimulator.EMAIL_SEND_PATH)).isZero();

		perform(json(post("/idaas/mfa/code"), session, "{\"captcha_x\":" + this.idaas.captchaSolutionX() + "}"), 200);
		SentVerificationCode sent = lastSentCode();
		assertThat(sent.recipient()).isEqualTo(mobile);
		assertThat(sent.type()).isEqualTo("MFA_AUTH_SMS");
		assertThat(this.idaas.sentVerificationCodes()).noneMatch((code) -> attacker.equals(code.recipient()));

		this.mvc.perform(json(post("/idaas/mfa"), session,
				"{\"target\":\"" + attacker + "\",\"verify_code\":\"" + sent.code() + "\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.INVALID_VERIFICATION"));
		assertThat(this.idaas.requestCount(IdaasSimulator.MFA_SMS_PATH)).isZero();
		String sessionIdBefore = session.getId();
		this.mvc.perform(json(post("/idaas/mfa"), session, "{\"verify_code\":\"" + sent.code() + "\"}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("SUCCESS"))
			.andExpect(jsonPath("$.user.sub").value(this.alice.sub()));
		assertThat(session.getId()).isNotEqualTo(sessionIdBefore);
		assertThat(this.idaas.lastRequest(IdaasSimulator.MFA_SMS_PATH).body()).contains(mobile);
		assertThat(loginCount("MFA_AUTH", "APPLE")).isEqualTo(1);
		assertThat(loginCount("SUCCESS", "MFA_AUTH")).isEqualTo(1);
		perform(get("/api/me").session(session).with(requestedSession(session)).accept(MediaType.APPLICATION_JSON), 200);
	}

	@Test
	void mfaWhenBrowserLoginAnswersMfaThenRedirectedToMfaPageWithNewSessionId() throws Exception {
		this.idaas.requireSecondFactor(this.alice, true);
		MockHttpSession session = new MockHttpSession();
		String sessionIdBefore = session.getId();
		this.mvc.perform(form(post("/login/idaas/apple"), session).with(csrf())
			.param("code", this.idaas.issueAppleCode(this.alice)))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/idaas/mfa"));
		assertThat(session.getId()).isNotEqualTo(sessionIdBefore);
		assertThat(stored(session).branch()).isEqualTo(SocialFlowBranch.MFA_AUTH);
		assertThat(pageView(session, "/idaas/mfa").flows()).containsExactly("VERIFY_PHONE");
		perform(get("/api/me").session(session).with(requestedSession(session)).accept(MediaType.APPLICATION_JSON), 401);
	}

	@Test
	void mfaWhenBindEndsOnAccountWithSecondFactorThenMfaFlowFollowsUnderSameSubject() throws Exception {
		this.idaas.requireSecondFactor(this.alice, true);
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		String subject = stored(session).subject();
		sendPhoneCode(session, "/idaas/bind");
		MvcResult bind = this.mvc.perform(bind(session, "/idaas/bind", IdaasSimulator.DEFAULT_VERIFICATION_CODE))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("MFA_AUTH"))
			.andExpect(jsonPath("$.next").value("/idaas/mfa"))
			.andReturn();
		this.responses.add(bind.getResponse());
		PendingSocialFlow mfa = stored(session);
		assertThat(mfa.branch()).isEqualTo(SocialFlowBranch.MFA_AUTH);
		assertThat(mfa.subject()).as("same Apple sign-in for the limiter").isEqualTo(subject);
		assertThat(mfa.mobileOnFile()).isEqualTo(this.alice.mobile());
		perform(get("/api/me").session(session).with(requestedSession(session)).accept(MediaType.APPLICATION_JSON), 401);
		assertThat(loginCount("MFA_AUTH", "SOCIAL_BIND")).isEqualTo(1);

		clock.advance(Duration.ofMinutes(1));
		fetchPuzzle(session, "/idaas/mfa");
		perform(json(post("/idaas/mfa/code"), session, "{\"captcha_x\":" + this.idaas.captchaSolutionX() + "}"), 200);
		this.mvc.perform(json(post("/idaas/mfa"), session, "{\"verify_code\":\"" + lastSentCode().code() + "\"}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.user.sub").value(this.alice.sub()));
		assertThat(session.getAttribute(HttpSessionPendingSocialFlowRepository.ATTRIBUTE)).isNull();
		assertStateTokenNeverSent(mfa.stateToken());
	}

	@Test
	void finishWhenTargetIsNotWhereTheCodeWentThenBadRequestWithoutUpstreamCall() throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		this.mvc.perform(bind(session, "/idaas/bind", "123456"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.INVALID_VERIFICATION"));
		sendPhoneCode(session, "/idaas/bind");
		this.idaas.resetRecordsAndFaults();
		this.mvc.perform(json(post("/idaas/bind"), session,
				"{\"method\":\"VERIFY_PHONE\",\"target\":\"+8613900000000\",\"verify_code\":\"123456\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.INVALID_VERIFICATION"));
		this.mvc.perform(json(post("/idaas/bind"), session,
				"{\"method\":\"VERIFY_EMAIL\",\"target\":\"" + this.alice.email() + "\",\"verify_code\":\"123456\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.INVALID_VERIFICATION"));
		assertNoUpstreamCall();
		assertThat(this.rateLimiter.calls).doesNotContain("acquire CODE_CHECK");
		assertThat(stored(session).failedAttempts()).isZero();
	}

	@Test
	void finishWhenWrongCodeThenVendorMessage400FailureEventAndRetrySucceeds() throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		sendPhoneCode(session, "/idaas/bind");
		this.mvc.perform(bind(session, "/idaas/bind", "654321").header("Accept-Language", "zh"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error_code").value("IDAAS.SDK.CAPTCHA.0007"))
			.andExpect(jsonPath("$.error_msg").value("验证码错误"));
		this.mvc.perform(bind(session, "/idaas/bind", "654321"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error_msg").value("Incorrect verification code"));
		assertThat(stored(session).failedAttempts()).isEqualTo(2);
		assertThat(events).filteredOn(IdaasAuthenticationFailureEvent.class::isInstance)
			.hasSize(2)
			.allSatisfy((event) -> assertThat(event.getAuthentication())
				.isInstanceOf(IdaasSocialFlowAuthenticationToken.class));
		assertThat(loginCount("IDAAS.SDK.CAPTCHA.0007", "SOCIAL_BIND")).isEqualTo(2);
		PendingSocialFlowView view = pageView(session, "/idaas/bind");
		assertThat(view.attemptsRemaining()).isEqualTo(3);
		this.mvc.perform(bind(session, "/idaas/bind", IdaasSimulator.DEFAULT_VERIFICATION_CODE))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("SUCCESS"));
		assertThat(this.rateLimiter.calls).containsExactly("acquire CODE_SEND", "acquire CODE_CHECK",
				"acquire CODE_CHECK", "acquire CODE_CHECK", "reset CODE_CHECK");
	}

	@Test
	void finishWhenFiveWrongCodesThenFlowEndsAndNoFurtherUpstreamCall() throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		sendPhoneCode(session, "/idaas/bind");
		for (int i = 0; i < 4; i++) {
			this.mvc.perform(bind(session, "/idaas/bind", "00000" + i))
				.andExpect(status().isBadRequest())
				.andExpect(jsonPath("$.error_code").value("IDAAS.SDK.CAPTCHA.0007"));
		}
		this.mvc.perform(bind(session, "/idaas/bind", "000009"))
			.andExpect(status().isGone())
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.TOO_MANY_ATTEMPTS"));
		assertThat(session.getAttribute(HttpSessionPendingSocialFlowRepository.ATTRIBUTE)).isNull();
		assertThat(this.idaas.requestCount(IdaasSimulator.BIND_PATH)).isEqualTo(5);
		this.idaas.resetRecordsAndFaults();
		this.mvc.perform(bind(session, "/idaas/bind", IdaasSimulator.DEFAULT_VERIFICATION_CODE))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.NO_PENDING_FLOW"));
		assertNoUpstreamCall();
	}

	@Test
	void finishWhenRefusalSaysNothingAboutTheCodeThenNoAttemptCountedButVendorRefusalIs() throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		sendPhoneCode(session, "/idaas/bind");
		// a state token the client will not put in a header: refused before anything is sent
		PendingSocialFlow flow = stored(session);
		session.setAttribute(HttpSessionPendingSocialFlowRepository.ATTRIBUTE,
				new PendingSocialFlow(flow.branch(), "s".repeat(5000), flow.flows(), flow.createdAt(), null,
						flow.subject(), 0, null, 0, flow.codeChannel(), flow.codeTarget(), flow.lastCodeSentAt(), null));
		this.mvc.perform(bind(session, "/idaas/bind", IdaasSimulator.DEFAULT_VERIFICATION_CODE))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.INVALID_HEADER"));
		assertThat(this.idaas.requestCount(IdaasSimulator.BIND_PATH)).isZero();
		assertThat(stored(session).failedAttempts()).isZero();
		session.setAttribute(HttpSessionPendingSocialFlowRepository.ATTRIBUTE, flow);
		// IDaaS busy (a code check is not retried): nothing was decided about the code
		this.idaas.failNext(1, 500);
		this.mvc.perform(bind(session, "/idaas/bind", IdaasSimulator.DEFAULT_VERIFICATION_CODE))
			.andExpect(status().isServiceUnavailable())
			.andExpect(jsonPath("$.error_code").value("IDAAS.SDK.COM.0002"));
		assertThat(stored(session).failedAttempts()).isZero();
		// a refusal the starter does not know is the vendor's answer about this code: it counts
		this.idaas.failNextWith(400, "IDAAS.SDK.BIND.0999", "This number cannot be bound");
		this.mvc.perform(bind(session, "/idaas/bind", IdaasSimulator.DEFAULT_VERIFICATION_CODE))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error_code").value("IDAAS.SDK.BIND.0999"))
			.andExpect(jsonPath("$.error_msg").value("This number cannot be bound"));
		assertThat(stored(session).failedAttempts()).isEqualTo(1);
		this.mvc.perform(bind(session, "/idaas/bind", IdaasSimulator.DEFAULT_VERIFICATION_CODE))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("SUCCESS"));
	}

	@Test
	void finishWhenIdaasNoLongerKnowsStateTokenThenGoneAndFlowOver() throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		sendPhoneCode(session, "/idaas/bind");
		PendingSocialFlow flow = stored(session);
		session.setAttribute(HttpSessionPendingSocialFlowRepository.ATTRIBUTE,
				new PendingSocialFlow(flow.branch(), "unknown-state-token", flow.flows(), flow.createdAt(), null,
						flow.subject(), 0, null, 0, flow.codeChannel(), flow.codeTarget(), flow.lastCodeSentAt(), null));
		this.mvc.perform(bind(session, "/idaas/bind", IdaasSimulator.DEFAULT_VERIFICATION_CODE))
			.andExpect(status().isGone())
			.andExpect(jsonPath("$.error_code").value("IDAAS.SDK.COMMON.1007"))
			.andExpect(jsonPath("$.error_msg").value("The sign-in has expired, please sign in again"));
		assertThat(session.getAttribute(HttpSessionPendingSocialFlowRepository.ATTRIBUTE)).isNull();
		assertThat(this.idaas.requestCount(IdaasSimulator.BIND_PATH)).isEqualTo(1);
		this.mvc.perform(bind(session, "/idaas/bind", IdaasSimulator.DEFAULT_VERIFICATION_CODE))
			.andExpect(status().isConflict());
		assertThat(this.idaas.requestCount(IdaasSimulator.BIND_PATH)).isEqualTo(1);
	}

	@Test
	void sendCodeAndFinishWhenLimiterRefusesThenTooManyRequestsWithRetryAfterAndNoUpstreamCall() throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		fetchPuzzle(session, "/idaas/bind");
		this.idaas.resetRecordsAndFaults();
		this.rateLimiter.refuseNext.set(true);
		this.mvc.perform(sendCode(session, "/idaas/bind", this.idaas.captchaSolutionX()))
			.andExpect(status().isTooManyRequests())
			.andExpect(header().string("Retry-After", "42"))
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.TOO_MANY_CODES"));
		assertNoUpstreamCall();
		assertThat(stored(session).puzzleToken()).as("a refused send leaves the puzzle open").isNotNull();

		perform(sendCode(session, "/idaas/bind", this.idaas.captchaSolutionX()), 200);
		this.idaas.resetRecordsAndFaults();
		this.rateLimiter.refuseNext.set(true);
		this.mvc.perform(bind(session, "/idaas/bind", IdaasSimulator.DEFAULT_VERIFICATION_CODE))
			.andExpect(status().isTooManyRequests())
			.andExpect(header().string("Retry-After", "42"));
		assertNoUpstreamCall();
		assertThat(this.rateLimiter.calls).doesNotContain("reset CODE_CHECK");
	}

	@Test
	void sendCodeWhenFlowTimedOutThenGoneOnceThenNoPendingFlowAndNoUpstreamCall() throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		fetchPuzzle(session, "/idaas/bind");
		this.idaas.resetRecordsAndFaults();
		clock.advance(Duration.ofMinutes(10).plusSeconds(1));
		this.mvc.perform(sendCode(session, "/idaas/bind", this.idaas.captchaSolutionX()))
			.andExpect(status().isGone())
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.FLOW_EXPIRED"));
		// told once: the expired flow is gone, not reported again
		this.mvc.perform(sendCode(session, "/idaas/bind", this.idaas.captchaSolutionX()))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.NO_PENDING_FLOW"));
		assertNoUpstreamCall();
		assertThat(this.rateLimiter.calls).isEmpty();
	}

	@Test
	void sendCodeWhenWithinResendIntervalThenTooManyRequestsUntilClockMoves() throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		sendPhoneCode(session, "/idaas/bind");
		clock.advance(Duration.ofSeconds(10));
		fetchPuzzle(session, "/idaas/bind");
		this.idaas.resetRecordsAndFaults();
		this.mvc.perform(sendCode(session, "/idaas/bind", this.idaas.captchaSolutionX()))
			.andExpect(status().isTooManyRequests())
			.andExpect(header().string("Retry-After", "20"));
		assertNoUpstreamCall();
		PendingSocialFlowView view = pageView(session, "/idaas/bind");
		assertThat(view.canResendAt()).isEqualTo(stored(session).lastCodeSentAt().plusSeconds(30));
		clock.advance(Duration.ofSeconds(20));
		perform(sendCode(session, "/idaas/bind", this.idaas.captchaSolutionX()), 200);
	}

	@Test
	void browserFormsWhenCsrfTokenThenRedirectsAndWithoutThenForbidden() throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		fetchPuzzle(session, "/idaas/bind");
		this.idaas.resetRecordsAndFaults();
		perform(form(post("/idaas/bind/code"), session).param("method", "VERIFY_PHONE")
			.param("target", this.alice.mobile()).param("captcha_x", "" + this.idaas.captchaSolutionX()), 403);
		perform(form(post("/idaas/bind"), session).param("method", "VERIFY_PHONE")
			.param("target", this.alice.mobile()).param("verify_code", "123456"), 403);
		perform(form(post("/idaas/mfa/code"), session).param("captcha_x", "100"), 403);
		assertNoUpstreamCall();

		this.mvc.perform(form(post("/idaas/bind/code"), session).with(csrf()).param("method", "VERIFY_PHONE")
			.param("target", this.alice.mobile()).param("captcha_x", "" + this.idaas.captchaSolutionX()))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/idaas/bind?sent"));
		this.mvc.perform(form(post("/idaas/bind"), session).with(csrf()).param("method", "VERIFY_PHONE")
			.param("target", this.alice.mobile()).param("verify_code", "999999"))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/idaas/bind?error&code=IDAAS.SDK.CAPTCHA.0007"));
		String sessionIdBefore = session.getId();
		this.mvc.perform(form(post("/idaas/bind"), session).with(csrf()).param("method", "VERIFY_PHONE")
			.param("target", this.alice.mobile()).param("verify_code", IdaasSimulator.DEFAULT_VERIFICATION_CODE))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/"));
		assertThat(session.getId()).isNotEqualTo(sessionIdBefore);
		perform(get("/api/me").session(session).with(requestedSession(session)), 200);
	}

	@Test
	void browserFormsWhenFailuresThenRedirectBackToTheirOwnPageWithCode() throws Exception {
		this.mvc.perform(post("/idaas/register/code").session(new MockHttpSession()).with(csrf())
			.param("method", "VERIFY_EMAIL").param("target", "a@example.com").param("captcha_x", "100"))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/idaas/register?error&code=IDAAS.STARTER.NO_PENDING_FLOW"));
		this.mvc.perform(post("/idaas/mfa").session(new MockHttpSession()).with(csrf()).param("verify_code", "123456"))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/idaas/mfa?error&code=IDAAS.STARTER.NO_PENDING_FLOW"));
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		this.mvc.perform(form(post("/idaas/bind/code"), session).with(csrf()).param("method", "VERIFY_PHONE")
			.param("target", this.alice.mobile()).param("captcha_x", "100"))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/idaas/bind?error&code=IDAAS.SDK.CAPTCHA.0002"));
		assertNoUpstreamCall();
	}

	@Test
	void browserFormWhenVendorRefusesWithUnknownCodeThenBindPageShowsVendorTextOnce() throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		sendPhoneCode(session, "/idaas/bind");
		this.idaas.failNextWith(400, "IDAAS.SDK.BIND-0999", "<b>This number</b> cannot be bound");
		this.mvc.perform(form(post("/idaas/bind"), session).with(csrf()).param("method", "VERIFY_PHONE")
			.param("target", this.alice.mobile()).param("verify_code", IdaasSimulator.DEFAULT_VERIFICATION_CODE))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/idaas/bind?error&code=IDAAS.SDK.BIND-0999"));
		assertThat(this.idaas.requestCount(IdaasSimulator.BIND_PATH)).isEqualTo(1);
		String first = errorPage(session, "IDAAS.SDK.BIND-0999");
		assertThat(first).contains("<div id=\"idaas-error\" class=\"alert error\" role=\"alert\">"
				+ "&lt;b&gt;This number&lt;/b&gt; cannot be bound <code id=\"idaas-error-code\">IDAAS.SDK.BIND-0999</code></div>")
			.doesNotContain("<b>This number")
			.contains("<form id=\"idaas-verify-form\"");
		// shown once: a reload names the code only
		String second = errorPage(session, "IDAAS.SDK.BIND-0999");
		assertThat(second).contains("role=\"alert\">Identity service error IDAAS.SDK.BIND-0999 <code")
			.doesNotContain("cannot be bound");
		assertThat(this.idaas.requestCount(IdaasSimulator.BIND_PATH)).as("pages call nobody").isEqualTo(1);
	}

	@Test
	void browserFormWhenStarterRefusesThenPageShowsItsLocalizedTextNotTheUrlsText() throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		this.mvc.perform(form(post("/idaas/bind/code"), session).with(csrf()).param("method", "VERIFY_PHONE")
			.param("target", this.alice.mobile()).param("captcha_x", "100"))
			.andExpect(redirectedUrl("/idaas/bind?error&code=IDAAS.SDK.CAPTCHA.0002"));
		String forged = this.mvc.perform(get("/idaas/bind").session(session).with(requestedSession(session))
			.param("error", "").param("code", "IDAAS.SDK.CAPTCHA.0002").param("error_msg", "Call 555-0100 now"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(forged).contains("role=\"alert\">Graphic verification code verification failed <code")
			.doesNotContain("555-0100");
		assertNoUpstreamCall();
	}

	@Test
	void postsWhenHostileInputThenBadRequestWithoutUpstreamCall() throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		fetchPuzzle(session, "/idaas/bind");
		this.idaas.resetRecordsAndFaults();
		String phone = "\"method\":\"VERIFY_PHONE\",\"target\":\"+8613800000000\"";
		List<String> bodies = List.of("{\"method\":\"VERIFY_PHONE\",\"target\":\"+86138\\r\\nX: 1\",\"captcha_x\":100}",
				"{\"method\":\"VERIFY_PHONE\",\"target\":\"" + "1".repeat(300) + "\",\"captcha_x\":100}",
				"{\"method\":\"VERIFY_PHONE\",\"target\":12345678,\"captcha_x\":100}", "[\"VERIFY_PHONE\"]", "not json",
				"{\"method\":\"VERIFY_FAX\",\"target\":\"+8613800000000\",\"captcha_x\":100}",
				"{\"method\":\"VERIFY_PHONE\",\"target\":\"not-a-phone\",\"captcha_x\":100}",
				"{\"method\":\"VERIFY_EMAIL\",\"target\":\"no-at-sign\",\"captcha_x\":100}",
				"{" + phone + ",\"captcha_x\":100,\"pad\":\"" + "x".repeat(5000) + "\"}",
				"{\"method\":\"VERIFY_PHONE\",\"captcha_x\":100}",
				"{\"method\":\"VERIFY_PHONE\",\"target\":\"\u202e13800000000\",\"captcha_x\":100}", "{" + phone + "}",
				"{" + phone + ",\"captcha_x\":\"NaN\"}", "{" + phone + ",\"captcha_x\":\"Infinity\"}",
				"{" + phone + ",\"captcha_x\":-1}", "{" + phone + ",\"captcha_x\":311}",
				"{" + phone + ",\"captcha_x\":1e300}", "{" + phone + ",\"captcha_x\":\"12px\"}",
				"{" + phone + ",\"captcha_x\":[100]}", "{" + phone + ",\"captcha_x\":\"" + "1".repeat(40) + "\"}");
		for (String body : bodies) {
			this.mvc.perform(json(post("/idaas/bind/code"), session, body))
				.andExpect(status().isBadRequest())
				.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.INVALID_VERIFICATION"));
		}
		assertThat(stored(session).puzzleToken()).as("malformed input does not spend the puzzle").isNotNull();
		for (String code : List.of("12\n3456", "1".repeat(40), "12 34", "")) {
			this.mvc.perform(bind(session, "/idaas/bind", code)).andExpect(status().isBadRequest());
		}
		this.mvc.perform(form(post("/idaas/bind/code"), session).with(csrf()).param("method", "VERIFY_PHONE")
			.param("target", "+8613800000000").param("target", "+8613900000000").param("captcha_x", "100"))
			.andExpect(redirectedUrl("/idaas/bind?error&code=IDAAS.STARTER.INVALID_VERIFICATION"));
		assertNoUpstreamCall();
		assertThat(this.rateLimiter.calls).isEmpty();
		assertThat(stored(session).failedAttempts()).isZero();
	}

	@Test
	void getPageWhenFlowPendingThenPublicViewAsRequestAttribute() throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(List.of("VERIFY_EMAIL")), "SOCIAL_BIND");
		PendingSocialFlowView view = pageView(session, "/idaas/bind");
		assertThat(view.branch()).isEqualTo(SocialFlowBranch.SOCIAL_BIND);
		assertThat(view.flows()).containsExactly("VERIFY_EMAIL");
		assertThat(view.allows("VERIFY_EMAIL")).isTrue();
		assertThat(view.allows("VERIFY_PHONE")).isFalse();
		assertThat(view.attemptsRemaining()).isEqualTo(5);
		assertThat(view.mobile()).isNull();
		assertThat(view.canResendAt()).as("no code sent yet: now").isEqualTo(stored(session).createdAt());
		assertThat(view.toString()).doesNotContain(stored(session).stateToken());
		MvcResult none = this.mvc.perform(get("/idaas/bind").session(new MockHttpSession())).andReturn();
		assertThat(none.getRequest().getAttribute(IdaasSocialFlowFilter.PENDING_FLOW_ATTRIBUTE)).isNull();
	}

	@Test
	void sendCodeWhenMethodNotAllowedByTenantThenForbiddenWithoutUpstreamCall() throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(List.of("VERIFY_EMAIL")), "SOCIAL_BIND");
		fetchPuzzle(session, "/idaas/bind");
		this.idaas.resetRecordsAndFaults();
		this.mvc.perform(sendCode(session, "/idaas/bind", this.idaas.captchaSolutionX()))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.METHOD_NOT_ALLOWED"));
		assertNoUpstreamCall();
	}

	private long loginCount(String result, String branch) {
		var counter = this.meterRegistry.find("idaas.logins").tag("result", result).tag("branch", branch).counter();
		return (counter != null) ? (long) counter.count() : 0;
	}

	private MockHttpSession login(String appleCode, String expectedStatus) throws Exception {
		MockHttpSession session = new MockHttpSession();
		MvcResult result = this.mvc
			.perform(json(post("/login/idaas/apple"), session, "{\"code\":\"" + appleCode + "\"}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value(expectedStatus))
			.andReturn();
		this.responses.add(result.getResponse());
		assertThat(session.getAttribute(HttpSessionPendingSocialFlowRepository.ATTRIBUTE)).isNotNull();
		this.idaas.resetRecordsAndFaults();
		this.meterRegistry.clear();
		events.clear();
		return session;
	}

	private static PendingSocialFlow stored(MockHttpSession session) {
		return (PendingSocialFlow) session.getAttribute(HttpSessionPendingSocialFlowRepository.ATTRIBUTE);
	}

	private PendingSocialFlowView pageView(MockHttpSession session, String url) throws Exception {
		MvcResult result = this.mvc.perform(get(url).session(session).with(requestedSession(session))).andReturn();
		return (PendingSocialFlowView) result.getRequest().getAttribute(IdaasSocialFlowFilter.PENDING_FLOW_ATTRIBUTE);
	}

	private String errorPage(MockHttpSession session, String code) throws Exception {
		return this.mvc.perform(get("/idaas/bind").session(session).with(requestedSession(session))
			.param("error", "").param("code", code))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
	}

	private void fetchPuzzle(MockHttpSession session, String url) throws Exception {
		perform(get(url + "/captcha").session(session).with(requestedSession(session)).accept(MediaType.APPLICATION_JSON),
				200);
	}

	private void sendPhoneCode(MockHttpSession session, String url) throws Exception {
		fetchPuzzle(session, url);
		perform(sendCode(session, url, this.idaas.captchaSolutionX()), 200);
		assertThat(stored(session).codeChannel()).isEqualTo(VerificationChannel.SMS);
	}

	private MockHttpServletRequestBuilder sendCode(MockHttpSession session, String url, int captchaX) {
		return json(post(url + "/code"), session, "{\"method\":\"VERIFY_PHONE\",\"target\":\"" + this.alice.mobile()
				+ "\",\"captcha_x\":" + captchaX + "}");
	}

	private MockHttpServletRequestBuilder bind(MockHttpSession session, String url, String code) {
		return json(post(url), session, "{\"method\":\"VERIFY_PHONE\",\"target\":\"" + this.alice.mobile()
				+ "\",\"verify_code\":\"" + code.replace("\n", "\\n") + "\"}");
	}

	private static MockHttpServletRequestBuilder json(MockHttpServletRequestBuilder request, MockHttpSession session,
			String body) {
		return request.session(session).with(requestedSession(session)).contentType(MediaType.APPLICATION_JSON)
			.header("User-Agent", UA).content(body);
	}

	private static MockHttpServletRequestBuilder form(MockHttpServletRequestBuilder request, MockHttpSession session) {
		return request.session(session).with(requestedSession(session)).header("User-Agent", UA);
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

	private void perform(MockHttpServletRequestBuilder request, int expectedStatus) throws Exception {
		MvcResult result = this.mvc.perform(request.header("User-Agent", UA))
			.andExpect(status().is(expectedStatus))
			.andReturn();
		this.responses.add(result.getResponse());
	}

	private MockHttpServletResponse last() {
		return this.responses.get(this.responses.size() - 1);
	}

	private SentVerificationCode lastSentCode() {
		List<SentVerificationCode> sent = this.idaas.sentVerificationCodes();
		return sent.get(sent.size() - 1);
	}

	private void assertNoUpstreamCall() {
		assertThat(this.idaas.recordedRequests()).filteredOn((request) -> request.path().startsWith("/api/v2/sdk/"))
			.isEmpty();
	}

	private void assertStateTokenNeverSent(String stateToken) throws Exception {
		assertThat(stateToken).isNotBlank();
		for (MockHttpServletResponse response : this.responses) {
			assertThat(response.getContentAsString()).doesNotContain(stateToken);
			for (String name : response.getHeaderNames()) {
				assertThat(response.getHeaders(name)).noneMatch((value) -> value.contains(stateToken));
			}
		}
	}

	/**
	 * The real in-memory limiter, recording each call, refusing the next one on demand.
	 */
	static final class RecordingRateLimiter implements VerificationRateLimiter {

		final List<String> calls = new CopyOnWriteArrayList<>();

		final AtomicBoolean refuseNext = new AtomicBoolean();

		private final InMemoryVerificationRateLimiter delegate = new InMemoryVerificationRateLimiter();

		@Override
		public void acquire(VerificationAction action, List<String> keys) {
			assertThat(keys).hasSize(3).noneMatch((key) -> key.contains("@") || key.contains("+86"));
			this.calls.add("acquire " + action);
			if (this.refuseNext.getAndSet(false)) {
				throw new TooManyVerificationCodesException("refused by the test", Duration.ofSeconds(42));
			}
			this.delegate.acquire(action, keys);
		}

		@Override
		public void reset(VerificationAction action, List<String> keys) {
			this.calls.add("reset " + action);
			this.delegate.reset(action, keys);
		}

	}

	@SpringBootConfiguration
	// a plain single-node app: no Redis (Spring Session and the cluster lock are on the test classpath)
	@EnableAutoConfiguration(excludeName = {
			"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
			"org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration" })
	@Import(MeController.class)
	static class TestApplication {

		@Bean
		static BeanPostProcessor socialFlowServiceClock() {
			return new BeanPostProcessor() {

				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					if (bean instanceof DefaultIdaasSocialFlowService service) {
						service.setClock(clock);
					}
					return bean;
				}

			};
		}

		@Bean
		PendingSocialFlowRepository pendingSocialFlowRepository() {
			HttpSessionPendingSocialFlowRepository repository = new HttpSessionPendingSocialFlowRepository();
			repository.setClock(clock);
			return repository;
		}

		@Bean
		RecordingRateLimiter recordingRateLimiter() {
			return new RecordingRateLimiter();
		}

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		ApplicationListener<AbstractAuthenticationEvent> authenticationEvents() {
			return events::add;
		}

	}

	@RestController
	static class MeController {

		@GetMapping("/api/me")
		String me(Principal principal) {
			return principal.getName();
		}

	}

}

package dev.idaas.spring.web.flow;

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.idaas.spring.client.SocialFlowBranch;
import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.IdaasSimulatorExtension;
import dev.idaas.spring.test.simulator.MutableClock;
import dev.idaas.spring.test.simulator.RecordedIdaasRequest;
import dev.idaas.spring.test.simulator.SentVerificationCode;
import dev.idaas.spring.test.simulator.SimulatedUser;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
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
 * End-to-end tests of the bind and register endpoints ({@link IdaasSocialFlowFilter},
 * {@link DefaultIdaasSocialFlowService}) in the auto-configured default chain, against the IDaaS
 * simulator over real HTTP.
 */
@SpringBootTest(classes = IdaasSocialFlowFilterTests.TestApplication.class,
		properties = { "idaas.http.initial-backoff=1ms", "idaas.http.max-backoff=1ms" })
@AutoConfigureMockMvc
class IdaasSocialFlowFilterTests {

	@RegisterExtension
	static final IdaasSimulatorExtension extension = new IdaasSimulatorExtension();

	static final MutableClock clock = new MutableClock(Instant.now());

	private static final String UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)";

	@DynamicPropertySource
	static void idaasProperties(DynamicPropertyRegistry registry) {
		extension.simulator().registerProperties(registry);
	}

	@Autowired
	private MockMvc mvc;

	private IdaasSimulator idaas;

	private SimulatedUser alice;

	private final List<MockHttpServletResponse> responses = new ArrayList<>();

	@BeforeEach
	void setUp() {
		this.idaas = extension.simulator();
		clock.setInstant(Instant.now());
		String suffix = Long.toString(System.nanoTime() % 100_000_000L);
		this.alice = SimulatedUser.of("alice" + suffix, "Alice", "+86138" + suffix, "alice" + suffix + "@example.com");
		this.idaas.registerUser(this.alice);
	}

	@Test
	void bindWhenJsonFlowThenSignedInSessionChangedFlowGoneAndApiOk() throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		perform(get("/api/me").session(session).with(requestedSession(session)).accept(MediaType.APPLICATION_JSON), 401);
		perform(json(post("/idaas/bind/code"), session,
				"{\"method\":\"VERIFY_PHONE\",\"target\":\"" + this.alice.mobile() + "\"}"), 200);
		assertThat(last().getContentAsString()).isEqualTo("{\"status\":\"CODE_SENT\"}");
		SentVerificationCode sent = lastSentCode();
		assertThat(sent.channel()).isEqualTo("sms");
		assertThat(sent.recipient()).isEqualTo(this.alice.mobile());
		assertThat(sent.type()).isEqualTo("BIND_MOBILE_SMS");
		String sessionIdBefore = session.getId();

		MvcResult result = this.mvc.perform(json(post("/idaas/bind"), session, "{\"method\":\"VERIFY_PHONE\","
				+ "\"target\":\"" + this.alice.mobile() + "\",\"verify_code\":\"123456\"}"))
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

		RecordedIdaasRequest bind = this.idaas.lastRequest(IdaasSimulator.BIND_PATH);
		assertThat(bind).isNotNull();
		String stateToken = bind.header("X-state-token");
		assertThat(stateToken).isNotBlank();
		assertStateTokenNeverSent(stateToken);
	}

	@Test
	void registerWhenJsonEmailFlowThenSignedInWithIdTokenFromAnswer() throws Exception {
		MockHttpSession session = login(this.idaas.issueUserRegisterCode(), "USER_REGISTER");
		String email = "new" + System.nanoTime() + "@example.com";
		perform(json(post("/idaas/register/code"), session,
				"{\"method\":\"VERIFY_EMAIL\",\"target\":\"" + email + "\"}"), 200);
		assertThat(lastSentCode().type()).isEqualTo("REGISTER_EMS");
		this.mvc.perform(json(post("/idaas/register"), session,
				"{\"method\":\"VERIFY_EMAIL\",\"target\":\"" + email + "\",\"verify_code\":\"123456\"}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("SUCCESS"))
			.andExpect(jsonPath("$.user.email").value(email));
		assertThat(this.idaas.refreshRequestCount()).isZero();
		assertThat(this.idaas.users()).anyMatch((user) -> email.equals(user.email()));
		perform(get("/api/me").session(session).with(requestedSession(session)).accept(MediaType.APPLICATION_JSON), 200);
		assertStateTokenNeverSent(this.idaas.lastRequest(IdaasSimulator.REGISTER_BIND_PATH).header("X-state-token"));
	}

	@Test
	void bindWhenWrongCodeThenLocalizedErrorAndRetrySucceeds() throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		sendPhoneCode(session, "/idaas/bind");
		this.mvc.perform(bind(session, "/idaas/bind", "654321").header("Accept-Language", "zh"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error_code").value("IDAAS.SDK.PARAM.0017"))
			.andExpect(jsonPath("$.error_msg").value("验证码错误或已过期"));
		this.mvc.perform(bind(session, "/idaas/bind", "654321"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error_msg").value("Verification code is incorrect or expired"));
		assertThat(((PendingSocialFlow) session.getAttribute(HttpSessionPendingSocialFlowRepository.ATTRIBUTE))
			.failedAttempts()).isEqualTo(2);
		this.mvc.perform(bind(session, "/idaas/bind", "123456"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("SUCCESS"));
	}

	@Test
	void bindWhenFiveWrongCodesThenFlowRemovedAndNoFurtherUpstreamCall() throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		sendPhoneCode(session, "/idaas/bind");
		for (int i = 0; i < 4; i++) {
			this.mvc.perform(bind(session, "/idaas/bind", "00000" + i))
				.andExpect(status().isBadRequest())
				.andExpect(jsonPath("$.error_code").value("IDAAS.SDK.PARAM.0017"));
		}
		this.mvc.perform(bind(session, "/idaas/bind", "000009"))
			.andExpect(status().isGone())
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.TOO_MANY_ATTEMPTS"));
		assertThat(session.getAttribute(HttpSessionPendingSocialFlowRepository.ATTRIBUTE)).isNull();
		assertThat(this.idaas.requestCount(IdaasSimulator.BIND_PATH)).isEqualTo(5);
		this.idaas.resetRecordsAndFaults();
		this.mvc.perform(bind(session, "/idaas/bind", "123456"))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.NO_PENDING_FLOW"));
		assertNoUpstreamCall();
	}

	@Test
	void sendCodeAndBindWhenFlowExpiredThenFlowExpiredWithoutUpstreamCall() throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		clock.advance(Duration.ofMinutes(11));
		this.idaas.resetRecordsAndFaults();
		this.mvc.perform(json(post("/idaas/bind/code"), session,
				"{\"method\":\"VERIFY_PHONE\",\"target\":\"" + this.alice.mobile() + "\"}")
			.header("Accept-Language", "zh"))
			.andExpect(status().isGone())
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.FLOW_EXPIRED"))
			.andExpect(jsonPath("$.error_msg").value("验证已过期,请重新登录"));
		assertNoUpstreamCall();
		this.mvc.perform(bind(session, "/idaas/bind", "123456"))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.NO_PENDING_FLOW"));
		assertNoUpstreamCall();
	}

	@Test
	void bindWhenIdaasSaysStateExpiredThenFlowExpiredAndFlowRemoved() throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		PendingSocialFlow flow = (PendingSocialFlow) session.getAttribute(HttpSessionPendingSocialFlowRepository.ATTRIBUTE);
		session.setAttribute(HttpSessionPendingSocialFlowRepository.ATTRIBUTE, new PendingSocialFlow(flow.branch(),
				"unknown-state-token", flow.flows(), flow.createdAt(), null, 0, 0, null));
		this.mvc.perform(bind(session, "/idaas/bind", "123456"))
			.andExpect(status().isGone())
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.FLOW_EXPIRED"));
		assertThat(session.getAttribute(HttpSessionPendingSocialFlowRepository.ATTRIBUTE)).isNull();
		assertThat(this.idaas.requestCount(IdaasSimulator.BIND_PATH)).isEqualTo(1);
	}

	@Test
	void sendCodeWhenMethodNotAllowedByTenantThenForbiddenWithoutUpstreamCall() throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(List.of("VERIFY_EMAIL")), "SOCIAL_BIND");
		this.mvc.perform(json(post("/idaas/bind/code"), session,
				"{\"method\":\"VERIFY_PHONE\",\"target\":\"" + this.alice.mobile() + "\"}"))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.METHOD_NOT_ALLOWED"));
		this.mvc.perform(bind(session, "/idaas/bind", "123456"))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.METHOD_NOT_ALLOWED"));
		assertNoUpstreamCall();
	}

	@Test
	void sendCodeWhenNoPendingFlowOrAnotherSessionThenConflictWithoutUpstreamCall() throws Exception {
		MockHttpSession owner = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		for (MockHttpSession other : List.of(new MockHttpSession(), new MockHttpSession())) {
			this.mvc.perform(json(post("/idaas/bind/code"), other,
					"{\"method\":\"VERIFY_PHONE\",\"target\":\"" + this.alice.mobile() + "\"}"))
				.andExpect(status().isConflict())
				.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.NO_PENDING_FLOW"));
			this.mvc.perform(bind(other, "/idaas/bind", "123456"))
				.andExpect(status().isConflict())
				.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.NO_PENDING_FLOW"));
		}
		this.mvc.perform(json(post("/idaas/bind/code"), null,
				"{\"method\":\"VERIFY_PHONE\",\"target\":\"" + this.alice.mobile() + "\"}"))
			.andExpect(status().isConflict());
		assertNoUpstreamCall();
		assertThat(owner.getAttribute(HttpSessionPendingSocialFlowRepository.ATTRIBUTE)).isNotNull();
	}

	@Test
	void registerWhenBindFlowPendingThenConflictWithoutUpstreamCall() throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		this.mvc.perform(json(post("/idaas/register/code"), session,
				"{\"method\":\"VERIFY_PHONE\",\"target\":\"" + this.alice.mobile() + "\"}"))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.NO_PENDING_FLOW"));
		this.mvc.perform(bind(session, "/idaas/register", "123456")).andExpect(status().isConflict());
		assertNoUpstreamCall();
		assertThat(session.getAttribute(HttpSessionPendingSocialFlowRepository.ATTRIBUTE)).isNotNull();
	}

	@Test
	void sendCodeWhenIdaasBusyThenServiceUnavailableLocalizedAndFlowKept() throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		this.idaas.failNext(3, 500);
		this.mvc.perform(json(post("/idaas/bind/code"), session,
				"{\"method\":\"VERIFY_PHONE\",\"target\":\"" + this.alice.mobile() + "\"}")
			.header("Accept-Language", "zh"))
			.andExpect(status().isServiceUnavailable())
			.andExpect(jsonPath("$.error_code").value("IDAAS.SDK.COM.0002"))
			.andExpect(jsonPath("$.error_msg").value("系统繁忙,请稍后再试"));
		assertThat(this.idaas.requestCount(IdaasSimulator.SMS_SEND_PATH)).isEqualTo(3);
		assertThat(stored(session).codesSent()).as("nothing went out: not counted, no interval").isZero();
		sendPhoneCode(session, "/idaas/bind");
		this.mvc.perform(bind(session, "/idaas/bind", "123456")).andExpect(status().isOk());
	}

	@Test
	void bindWhenIdaasBusyThenServiceUnavailableNotRetriedAndNotCounted() throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		sendPhoneCode(session, "/idaas/bind");
		this.idaas.failNext(1, 400);
		this.mvc.perform(bind(session, "/idaas/bind", "123456"))
			.andExpect(status().isServiceUnavailable())
			.andExpect(jsonPath("$.error_code").value("IDAAS.SDK.COM.0002"));
		assertThat(this.idaas.requestCount(IdaasSimulator.BIND_PATH)).isEqualTo(1);
		assertThat(((PendingSocialFlow) session.getAttribute(HttpSessionPendingSocialFlowRepository.ATTRIBUTE))
			.failedAttempts()).isZero();
		this.mvc.perform(bind(session, "/idaas/bind", "123456")).andExpect(status().isOk());
	}

	@Test
	void browserFormsWhenCsrfTokenThenRedirectsAndWithoutThenForbidden() throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		perform(post("/idaas/bind/code").session(session).with(requestedSession(session)).param("method", "VERIFY_PHONE")
			.param("target", this.alice.mobile()), 403);
		perform(post("/idaas/bind").session(session).with(requestedSession(session)).param("method", "VERIFY_PHONE")
			.param("target", this.alice.mobile()).param("verify_code", "123456"), 403);
		perform(post("/idaas/bind").session(session).with(requestedSession(session)).contentType(MediaType.TEXT_PLAIN)
			.content("method=VERIFY_PHONE"), 403);
		assertNoUpstreamCall();

		this.mvc.perform(post("/idaas/bind/code").session(session).with(requestedSession(session)).with(csrf()).param("method", "VERIFY_PHONE")
			.param("target", this.alice.mobile())).andExpect(status().isFound()).andExpect(redirectedUrl("/idaas/bind?sent"));
		this.mvc.perform(post("/idaas/bind").session(session).with(requestedSession(session)).with(csrf()).param("method", "VERIFY_PHONE")
			.param("target", this.alice.mobile()).param("verify_code", "999999"))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/idaas/bind?error&code=IDAAS.SDK.PARAM.0017"));
		String sessionIdBefore = session.getId();
		this.mvc.perform(post("/idaas/bind").session(session).with(requestedSession(session)).with(csrf()).param("method", "VERIFY_PHONE")
			.param("target", this.alice.mobile()).param("verify_code", "123456"))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/"));
		assertThat(session.getId()).isNotEqualTo(sessionIdBefore);
		perform(get("/api/me").session(session).with(requestedSession(session)), 200);
	}

	@Test
	void browserFormWhenNoPendingFlowThenRedirectsBackWithCode() throws Exception {
		this.mvc.perform(post("/idaas/register/code").session(new MockHttpSession()).with(csrf())
			.param("method", "VERIFY_EMAIL").param("target", "a@example.com"))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/idaas/register?error&code=IDAAS.STARTER.NO_PENDING_FLOW"));
		assertNoUpstreamCall();
	}

	@Test
	void postsWhenHostileInputThenBadRequestWithoutUpstreamCall() throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		List<String> bodies = List.of("{\"method\":\"VERIFY_PHONE\",\"target\":\"+86138\\r\\nX: 1\"}",
				"{\"method\":\"VERIFY_PHONE\",\"target\":\"" + "1".repeat(300) + "\"}",
				"{\"method\":\"VERIFY_PHONE\",\"target\":12345678}", "[\"VERIFY_PHONE\"]", "not json",
				"{\"method\":\"VERIFY_FAX\",\"target\":\"+8613800000000\"}",
				"{\"method\":\"VERIFY_PHONE\",\"target\":\"not-a-phone\"}",
				"{\"method\":\"VERIFY_EMAIL\",\"target\":\"no-at-sign\"}",
				"{\"method\":\"VERIFY_PHONE\",\"target\":\"+8613800000000\",\"pad\":\"" + "x".repeat(5000) + "\"}",
				"{\"method\":\"VERIFY_PHONE\"}", "{\"method\":\"VERIFY_PHONE\",\"target\":\"\u202e13800000000\"}");
		for (String body : bodies) {
			this.mvc.perform(json(post("/idaas/bind/code"), session, body))
				.andExpect(status().isBadRequest())
				.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.INVALID_VERIFICATION"));
		}
		for (String code : List.of("12\n3456", "1".repeat(40), "12 34", "")) {
			this.mvc.perform(bind(session, "/idaas/bind", code)).andExpect(status().isBadRequest());
		}
		this.mvc.perform(post("/idaas/bind/code").session(session).with(requestedSession(session)).with(csrf()).param("method", "VERIFY_PHONE")
			.param("target", "+8613800000000").param("target", "+8613900000000"))
			.andExpect(redirectedUrl("/idaas/bind?error&code=IDAAS.STARTER.INVALID_VERIFICATION"));
		assertNoUpstreamCall();
		assertThat(((PendingSocialFlow) session.getAttribute(HttpSessionPendingSocialFlowRepository.ATTRIBUTE))
			.failedAttempts()).isZero();
	}

	@Test
	void sendCodeWhenSixthSendThenTooManyRequestsWithRetryAfterAndOnlyFiveSent() throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		for (int i = 0; i < 5; i++) {
			sendPhoneCode(session, "/idaas/bind");
			clock.advance(Duration.ofSeconds(30));
		}
		PendingSocialFlow flow = stored(session);
		assertThat(flow.codesSent()).isEqualTo(5);
		Duration untilExpiry = Duration.between(clock.instant(), flow.createdAt().plus(Duration.ofMinutes(10)));
		long expectedRetryAfter = untilExpiry.getSeconds() + ((untilExpiry.getNano() > 0) ? 1 : 0);
		assertThat(expectedRetryAfter).isBetween(440L, 455L);

		this.mvc.perform(json(post("/idaas/bind/code"), session,
				"{\"method\":\"VERIFY_PHONE\",\"target\":\"" + this.alice.mobile() + "\"}")
			.header("Accept-Language", "zh"))
			.andExpect(status().isTooManyRequests())
			.andExpect(header().string(HttpHeaders.RETRY_AFTER, Long.toString(expectedRetryAfter)))
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.TOO_MANY_CODES"))
			.andExpect(jsonPath("$.error_msg").value("验证码请求过于频繁,请稍后再试"));
		this.mvc.perform(json(post("/idaas/bind/code"), session,
				"{\"method\":\"VERIFY_EMAIL\",\"target\":\"" + this.alice.email() + "\"}"))
			.andExpect(status().isTooManyRequests())
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.TOO_MANY_CODES"));

		assertThat(this.idaas.requestCount(IdaasSimulator.SMS_SEND_PATH)).isEqualTo(5);
		assertThat(this.idaas.requestCount(IdaasSimulator.EMAIL_SEND_PATH)).isZero();
		assertThat(this.idaas.sentVerificationCodes())
			.filteredOn((sent) -> sent.recipient().equals(this.alice.mobile()))
			.hasSize(5);
		assertThat(stored(session).codesSent()).isEqualTo(5);
		PendingSocialFlowView view = pageView(session, "/idaas/bind");
		assertThat(view.codeSendsRemaining()).isZero();
		assertThat(view.canResendAt()).isEqualTo(view.expiresAt());
		// a code already sent still finishes the flow
		this.mvc.perform(bind(session, "/idaas/bind", "123456")).andExpect(status().isOk());
	}

	@Test
	void sendCodeWhenWithinResendIntervalThenTooManyRequestsUntilClockMoves() throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		sendPhoneCode(session, "/idaas/bind");
		Instant sentAt = clock.instant();
		clock.advance(Duration.ofSeconds(10));

		this.mvc.perform(json(post("/idaas/bind/code"), session,
				"{\"method\":\"VERIFY_PHONE\",\"target\":\"" + this.alice.mobile() + "\"}"))
			.andExpect(status().isTooManyRequests())
			.andExpect(header().string(HttpHeaders.RETRY_AFTER, "20"))
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.TOO_MANY_CODES"))
			.andExpect(jsonPath("$.error_msg").value("Too many verification codes requested, please try again later"));
		// another channel or address is the same flow: still refused
		this.mvc.perform(json(post("/idaas/bind/code"), session,
				"{\"method\":\"VERIFY_EMAIL\",\"target\":\"" + this.alice.email() + "\"}"))
			.andExpect(status().isTooManyRequests())
			.andExpect(header().string(HttpHeaders.RETRY_AFTER, "20"));
		assertThat(this.idaas.requestCount(IdaasSimulator.SMS_SEND_PATH)).isEqualTo(1);
		assertThat(this.idaas.requestCount(IdaasSimulator.EMAIL_SEND_PATH)).isZero();
		PendingSocialFlowView view = pageView(session, "/idaas/bind");
		assertThat(view.canResendAt()).isEqualTo(sentAt.plusSeconds(30));
		assertThat(view.codeSendsRemaining()).isEqualTo(4);

		clock.advance(Duration.ofSeconds(20));
		sendPhoneCode(session, "/idaas/bind");
		assertThat(this.idaas.requestCount(IdaasSimulator.SMS_SEND_PATH)).isEqualTo(2);
		assertThat(stored(session).codesSent()).isEqualTo(2);
		assertThat(stored(session).lastCodeSentAt()).isEqualTo(sentAt.plusSeconds(30));
	}

	@Test
	void browserFormWhenCodeResentTooSoonThenRedirectsBackWithCode() throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		this.mvc.perform(post("/idaas/bind/code").session(session).with(requestedSession(session)).with(csrf())
			.param("method", "VERIFY_PHONE").param("target", this.alice.mobile()))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/idaas/bind?sent"));
		this.mvc.perform(post("/idaas/bind/code").session(session).with(requestedSession(session)).with(csrf())
			.param("method", "VERIFY_PHONE").param("target", this.alice.mobile()))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/idaas/bind?error&code=IDAAS.STARTER.TOO_MANY_CODES"));
		assertThat(this.idaas.requestCount(IdaasSimulator.SMS_SEND_PATH)).isEqualTo(1);
	}

	@Test
	void sendCodeWhenNewAppleLoginThenNewFlowWithFreshCount() throws Exception {
		MockHttpSession session = login(this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		for (int i = 0; i < 5; i++) {
			sendPhoneCode(session, "/idaas/bind");
			clock.advance(Duration.ofSeconds(30));
		}
		this.mvc.perform(json(post("/idaas/bind/code"), session,
				"{\"method\":\"VERIFY_PHONE\",\"target\":\"" + this.alice.mobile() + "\"}"))
			.andExpect(status().isTooManyRequests());

		login(session, this.idaas.issueSocialBindCode(), "SOCIAL_BIND");
		assertThat(stored(session).codesSent()).isZero();
		assertThat(stored(session).lastCodeSentAt()).isNull();
		sendPhoneCode(session, "/idaas/bind");
		this.mvc.perform(json(post("/idaas/bind/code"), session,
				"{\"method\":\"VERIFY_PHONE\",\"target\":\"" + this.alice.mobile() + "\"}"))
			.andExpect(status().isTooManyRequests())
			.andExpect(header().string(HttpHeaders.RETRY_AFTER, "30"));
		assertThat(this.idaas.requestCount(IdaasSimulator.SMS_SEND_PATH)).isEqualTo(1);
		assertThat(stored(session).codesSent()).isEqualTo(1);
	}

	@Test
	void getPageWhenFlowPendingThenPublicViewAsRequestAttribute() throws Exception {
		MockHttpSession session = login(this.idaas.issueUserRegisterCode(List.of("VERIFY_EMAIL")), "USER_REGISTER");
		MvcResult result = this.mvc.perform(get("/idaas/register").session(session).with(requestedSession(session))).andReturn();
		Object attribute = result.getRequest().getAttribute(IdaasSocialFlowFilter.PENDING_FLOW_ATTRIBUTE);
		assertThat(attribute).isInstanceOf(PendingSocialFlowView.class);
		PendingSocialFlowView view = (PendingSocialFlowView) attribute;
		assertThat(view.branch()).isEqualTo(SocialFlowBranch.USER_REGISTER);
		assertThat(view.flows()).containsExactly("VERIFY_EMAIL");
		assertThat(view.allows("VERIFY_PHONE")).isFalse();
		assertThat(view.attemptsRemaining()).isEqualTo(5);
		assertThat(view.codeSendsRemaining()).isEqualTo(5);
		assertThat(view.canResendAt()).isBeforeOrEqualTo(Instant.now());
		assertThat(view.expiresAt()).isAfter(Instant.now().plus(Duration.ofMinutes(9)));
		MvcResult none = this.mvc.perform(get("/idaas/bind").session(new MockHttpSession())).andReturn();
		assertThat(none.getRequest().getAttribute(IdaasSocialFlowFilter.PENDING_FLOW_ATTRIBUTE)).isNull();
	}

	// helpers

	private MockHttpSession login(String appleCode, String expectedStatus) throws Exception {
		return login(new MockHttpSession(), appleCode, expectedStatus);
	}

	private MockHttpSession login(MockHttpSession session, String appleCode, String expectedStatus)
			throws Exception {
		MvcResult result = this.mvc
			.perform(json(post("/login/idaas/apple"), session, "{\"code\":\"" + appleCode + "\"}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value(expectedStatus))
			.andReturn();
		this.responses.add(result.getResponse());
		assertThat(session.getAttribute(HttpSessionPendingSocialFlowRepository.ATTRIBUTE)).isNotNull();
		this.idaas.resetRecordsAndFaults();
		return session;
	}

	private static PendingSocialFlow stored(MockHttpSession session) {
		return (PendingSocialFlow) session.getAttribute(HttpSessionPendingSocialFlowRepository.ATTRIBUTE);
	}

	private PendingSocialFlowView pageView(MockHttpSession session, String url) throws Exception {
		MvcResult result = this.mvc.perform(get(url).session(session).with(requestedSession(session))).andReturn();
		return (PendingSocialFlowView) result.getRequest().getAttribute(IdaasSocialFlowFilter.PENDING_FLOW_ATTRIBUTE);
	}

	private void sendPhoneCode(MockHttpSession session, String url) throws Exception {
		perform(json(post(url + "/code"), session,
				"{\"method\":\"VERIFY_PHONE\",\"target\":\"" + this.alice.mobile() + "\"}"), 200);
	}

	private MockHttpServletRequestBuilder bind(MockHttpSession session, String url, String code) {
		return json(post(url), session, "{\"method\":\"VERIFY_PHONE\",\"target\":\"" + this.alice.mobile()
				+ "\",\"verify_code\":\"" + code.replace("\n", "\\n") + "\"}");
	}

	private static MockHttpServletRequestBuilder json(MockHttpServletRequestBuilder request,
			MockHttpSession session, String body) {
		if (session != null) {
			request.session(session).with(requestedSession(session));
		}
		return request.contentType(MediaType.APPLICATION_JSON).header("User-Agent", UA).content(body);
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
		for (MockHttpServletResponse response : this.responses) {
			assertThat(response.getContentAsString()).doesNotContain(stateToken);
			for (String name : response.getHeaderNames()) {
				assertThat(response.getHeaders(name)).noneMatch((value) -> value.contains(stateToken));
			}
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
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

	}

	@RestController
	static class MeController {

		@GetMapping("/api/me")
		String me(Principal principal) {
			return principal.getName();
		}

	}

}

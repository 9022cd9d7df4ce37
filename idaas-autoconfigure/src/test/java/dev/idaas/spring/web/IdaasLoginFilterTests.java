package dev.idaas.spring.web;

import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.idaas.spring.authentication.IdaasAuthenticationException;
import dev.idaas.spring.authentication.IdaasAuthenticationFailureEvent;
import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.IdaasSimulatorExtension;
import dev.idaas.spring.test.simulator.Malformation;
import dev.idaas.spring.test.simulator.RecordedIdaasRequest;
import dev.idaas.spring.test.simulator.SimulatedUser;
import dev.idaas.spring.web.flow.HttpSessionPendingSocialFlowRepository;
import dev.idaas.spring.web.flow.PendingSocialFlow;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.authentication.event.InteractiveAuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
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
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The login filter, handlers, entry points and generated login page of the default filter
 * chain, in a small Spring Boot web application signing in against the IDaaS simulator.
 */
@SpringBootTest
@AutoConfigureMockMvc
@RecordApplicationEvents
class IdaasLoginFilterTests {

	private static final String LOGIN = "/login/idaas/apple";

	private static final String IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15";

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

	private final IdaasSimulator idaas = extension.simulator();

	private SimulatedUser alice;

	@BeforeEach
	void registerAlice() {
		this.alice = SimulatedUser.of("alice", "Alice Liddell", "+8613800000001", "alice@example.com");
		this.idaas.registerUser(this.alice);
	}

	private static String json(String code) {
		return "{\"code\":\"" + code + "\"}";
	}

	private MvcResult jsonLogin(String body) throws Exception {
		return this.mvc.perform(post(LOGIN).contentType(MediaType.APPLICATION_JSON).content(body)).andReturn();
	}

	// ---- JSON login

	@Test
	void jsonLoginWhenSuccessThenUserJsonAndSignedInSession() throws Exception {
		String code = this.idaas.issueAppleCode(this.alice);
		MvcResult result = this.mvc
			.perform(post(LOGIN).contentType(MediaType.APPLICATION_JSON)
				.header("User-Agent", IPHONE)
				.content(json(code)))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(header().string("Cache-Control", "no-store"))
			.andExpect(jsonPath("$.status").value("SUCCESS"))
			.andExpect(jsonPath("$.user.sub").value("alice"))
			.andExpect(jsonPath("$.user.name").value("Alice Liddell"))
			.andExpect(jsonPath("$.user.email").value("alice@example.com"))
			.andReturn();
		String body = result.getResponse().getContentAsString();
		Authentication authentication = signedIn(result);
		assertThat(authentication).isInstanceOf(IdaasAuthenticationToken.class);
		IdaasAuthenticationToken token = (IdaasAuthenticationToken) authentication;
		assertThat(body).doesNotContain(token.getSessionState().sessionToken())
			.doesNotContain(token.getIdToken().getTokenValue())
			.doesNotContain(code);
		assertThat(this.idaas.loginRequestCount()).isEqualTo(1);
		assertThat(this.idaas.lastRequest(IdaasSimulator.LOGIN_PATH).body()).isEqualTo(json(code));
	}

	@Test
	void jsonLoginWhenNoCsrfTokenThenStillAccepted() throws Exception {
		String code = this.idaas.issueAppleCode(this.alice);
		this.mvc.perform(post(LOGIN).contentType("application/json;charset=UTF-8").content(json(code)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("SUCCESS"));
	}

	@Test
	void jsonLoginWhenSocialBindThenFlowsAndPendingFlowInSessionOnly() throws Exception {
		String code = this.idaas.issueSocialBindCode();
		MvcResult result = this.mvc.perform(post(LOGIN).contentType(MediaType.APPLICATION_JSON).content(json(code)))
			.andExpect(status().isOk())
			.andExpect(content().json(
					"{\"status\":\"SOCIAL_BIND\",\"flows\":[\"VERIFY_PHONE\",\"VERIFY_EMAIL\"],\"next\":\"/idaas/bind\"}",
					org.springframework.test.json.JsonCompareMode.STRICT))
			.andReturn();
		HttpSession session = result.getRequest().getSession(false);
		assertThat(session).isNotNull();
		PendingSocialFlow flow = (PendingSocialFlow) session.getAttribute(HttpSessionPendingSocialFlowRepository.ATTRIBUTE);
		assertThat(flow).isNotNull();
		assertThat(flow.branch().name()).isEqualTo("SOCIAL_BIND");
		assertThat(flow.stateToken()).isNotBlank();
		assertThat(result.getResponse().getContentAsString()).doesNotContain(flow.stateToken());
		assertThat(result.getResponse().getHeaderNames().stream().map(result.getResponse()::getHeaders))
			.allSatisfy((values) -> assertThat(String.join(",", values)).doesNotContain(flow.stateToken()));
		assertThat(session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY)).isNull();
	}

	@Test
	void jsonLoginWhenSocialBindWithExistingSessionThenSessionIdChanged() throws Exception {
		MockHttpSession session = new MockHttpSession();
		String before = session.getId();
		String code = this.idaas.issueSocialBindCode();
		this.mvc.perform(post(LOGIN).session(session).with((request) -> {
			request.setRequestedSessionId(before);
			return request;
		}).contentType(MediaType.APPLICATION_JSON).content(json(code))).andExpect(status().isOk());
		assertThat(session.getId()).isNotEqualTo(before);
		assertThat(session.getAttribute(HttpSessionPendingSocialFlowRepository.ATTRIBUTE)).isNotNull();
	}

	@Test
	void jsonLoginWhenUserRegisterThenRegisterNext() throws Exception {
		String code = this.idaas.issueUserRegisterCode();
		this.mvc.perform(post(LOGIN).contentType(MediaType.APPLICATION_JSON).content(json(code)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("USER_REGISTER"))
			.andExpect(jsonPath("$.next").value("/idaas/register"));
	}

	@Test
	void jsonLoginWhenSuccessThenSessionIdChanged() throws Exception {
		MockHttpSession session = new MockHttpSession();
		String before = session.getId();
		String code = this.idaas.issueAppleCode(this.alice);
		MvcResult result = this.mvc
			.perform(post(LOGIN).session(session).with((request) -> {
				// the browser presents the session it had before signing in
				request.setRequestedSessionId(before);
				return request;
			}).contentType(MediaType.APPLICATION_JSON).content(json(code)))
			.andExpect(status().isOk())
			.andReturn();
		assertThat(result.getRequest().getSession(false)).isSameAs(session);
		assertThat(session.getId()).isNotEqualTo(before);
		assertThat(signedIn(result)).isNotNull();
	}

	@Test
	void jsonLoginWhenAccessDeniedThen401() throws Exception {
		String code = this.idaas.issueAccessDeniedCode();
		MockHttpServletResponse response = jsonLogin(json(code)).getResponse();
		assertThat(response.getStatus()).isEqualTo(401);
		assertThat(response.getContentAsString(StandardCharsets.UTF_8))
			.isEqualTo("{\"error_code\":\"IDAAS.STARTER.ACCESS_DENIED\",\"error_msg\":\"Access denied\"}");
	}

	@Test
	void jsonLoginWhenUserDisabledThen403() throws Exception {
		SimulatedUser dave = SimulatedUser.of("dave", "Dave", null, "dave@example.com");
		this.idaas.registerUser(dave);
		String code = this.idaas.issueAppleCode(dave);
		this.idaas.disableUser(dave);
		this.mvc.perform(post(LOGIN).contentType(MediaType.APPLICATION_JSON).content(json(code)))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.error_code").value("IDAAS.SDK.USER.0039"))
			.andExpect(jsonPath("$.error_msg").value("User is disabled"));
	}

	@Test
	void jsonLoginWhenUserDisabledAndChineseThenChineseMessage() throws Exception {
		SimulatedUser erin = SimulatedUser.of("erin", "Erin", null, "erin@example.com");
		this.idaas.registerUser(erin);
		String code = this.idaas.issueAppleCode(erin);
		this.idaas.disableUser(erin);
		MvcResult result = this.mvc
			.perform(post(LOGIN).contentType(MediaType.APPLICATION_JSON).header("Accept-Language", "zh").content(json(code)))
			.andExpect(status().isForbidden())
			.andReturn();
		assertThat(result.getResponse().getContentAsString(StandardCharsets.UTF_8))
			.isEqualTo("{\"error_code\":\"IDAAS.SDK.USER.0039\",\"error_msg\":\"用户已被禁用\"}");
		assertThat(this.idaas.lastRequest(IdaasSimulator.LOGIN_PATH).header("X-L")).isEqualTo("zh");
	}

	@Test
	void jsonLoginWhenUnknownCodeThen400() throws Exception {
		this.mvc.perform(post(LOGIN).contentType(MediaType.APPLICATION_JSON).content(json("never-issued-code")))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error_code").value("IDAAS.SDK.PARAM.0011"))
			.andExpect(jsonPath("$.error_msg").value("Apple authorization code cannot be empty"));
		assertThat(this.idaas.loginRequestCount()).isEqualTo(1);
	}

	@Test
	void jsonLoginWhenVendorCodeUnknownToStarterThen400WithVendorsOwnMessage() throws Exception {
		this.idaas.failNextWith(400, "IDAAS.SDK.RISK.0001", "登录环境存在风险,请稍后再试");
		String code = this.idaas.issueAppleCode(this.alice);
		MvcResult result = this.mvc
			.perform(post(LOGIN).contentType(MediaType.APPLICATION_JSON).header("Accept-Language", "zh").content(json(code)))
			.andExpect(status().isBadRequest())
			.andReturn();
		assertThat(result.getResponse().getContentAsString(StandardCharsets.UTF_8))
			.isEqualTo("{\"error_code\":\"IDAAS.SDK.RISK.0001\",\"error_msg\":\"登录环境存在风险,请稍后再试\"}");
		assertThat(this.idaas.loginRequestCount()).isEqualTo(1);
	}

	@Test
	void jsonLoginWhenVendorMessageHasControlCharactersThenSanitizedInAnswer() throws Exception {
		this.idaas.failNextWith(400, "IDAAS.SDK.RISK.0002", "Try later\r\n<script>" + "z".repeat(300));
		String code = this.idaas.issueAppleCode(this.alice);
		this.mvc.perform(post(LOGIN).contentType(MediaType.APPLICATION_JSON).content(json(code)))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error_code").value("IDAAS.SDK.RISK.0002"))
			.andExpect(jsonPath("$.error_msg").value(("Try later??<script>" + "z".repeat(300)).substring(0, 200)));
	}

	@Test
	void formLoginWhenVendorCodeUnknownToStarterThenLoginPageShowsVendorsMessage() throws Exception {
		this.idaas.failNextWith(400, "IDAAS.SDK.RISK.0001", "Sign-in from this device is blocked");
		String code = this.idaas.issueAppleCode(this.alice);
		MockHttpSession session = new MockHttpSession();
		this.mvc.perform(post(LOGIN).param("code", code).session(session).with(csrf()))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/login?error&code=IDAAS.SDK.RISK.0001"));
		MvcResult page = this.mvc
			.perform(get("/login").param("error", "").param("code", "IDAAS.SDK.RISK.0001").session(session))
			.andExpect(status().isOk())
			.andReturn();
		assertThat(page.getResponse().getContentAsString(StandardCharsets.UTF_8)).contains(
				"<p class=\"error\" role=\"alert\">Sign-in from this device is blocked <code>IDAAS.SDK.RISK.0001</code></p>");
		MvcResult elsewhere = this.mvc.perform(get("/login").param("error", "").param("code", "IDAAS.SDK.RISK.0001"))
			.andReturn();
		assertThat(elsewhere.getResponse().getContentAsString(StandardCharsets.UTF_8))
			.contains("Identity service error IDAAS.SDK.RISK.0001");
	}

	@Test
	void formLoginWhenVendorCodeHasDashThenLoginPageShowsVendorsMessageOnce() throws Exception {
		this.idaas.failNextWith(400, "IDAAS.SDK.RISK-0001", "Sign-in <from> this device is blocked");
		String code = this.idaas.issueAppleCode(this.alice);
		MockHttpSession session = new MockHttpSession();
		this.mvc.perform(post(LOGIN).param("code", code).session(session).with(csrf()))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/login?error&code=IDAAS.SDK.RISK-0001"));
		String first = this.mvc
			.perform(get("/login").param("error", "").param("code", "IDAAS.SDK.RISK-0001").session(session))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);
		assertThat(first).contains("<p class=\"error\" role=\"alert\">Sign-in &lt;from&gt; this device is blocked"
				+ " <code>IDAAS.SDK.RISK-0001</code></p>");
		String second = this.mvc
			.perform(get("/login").param("error", "").param("code", "IDAAS.SDK.RISK-0001").session(session))
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);
		assertThat(second).contains(
				"<p class=\"error\" role=\"alert\">Identity service error IDAAS.SDK.RISK-0001 <code>IDAAS.SDK.RISK-0001</code></p>")
			.doesNotContain("blocked");
		assertThat(this.idaas.loginRequestCount()).isEqualTo(1);
	}

	@Test
	void loginPageWhenExpiredThenGenericTextAndWithCodeThenThatCodesText() throws Exception {
		String expired = this.mvc.perform(get("/login").param("expired", ""))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);
		assertThat(expired).contains("Your session has expired. Please sign in again.").doesNotContain("class=\"error\"");
		// a session IDaaS ended with its own answer; without the session's copy, the generic text
		String refused = this.mvc.perform(get("/login").param("expired", "").param("code", "IDAAS.SDK.RISK.0001"))
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);
		assertThat(refused)
			.contains("<p class=\"error\" role=\"alert\">Identity service error IDAAS.SDK.RISK.0001 "
					+ "<code>IDAAS.SDK.RISK.0001</code></p>")
			.doesNotContain("Your session has expired");
		String hostile = this.mvc.perform(get("/login").param("expired", "").param("code", "<script>x</script>"))
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);
		assertThat(hostile).contains("Your session has expired. Please sign in again.")
			.doesNotContain("<script>")
			.doesNotContain("class=\"error\"");
	}

	@Test
	void jsonLoginWhenMalformedUpstreamThen502() throws Exception {
		this.idaas.malformedNext(Malformation.TRUNCATED_JSON);
		String code = this.idaas.issueAppleCode(this.alice);
		this.mvc.perform(post(LOGIN).contentType(MediaType.APPLICATION_JSON).content(json(code)))
			.andExpect(status().isBadGateway())
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.MALFORMED_RESPONSE"));
		assertThat(this.idaas.loginRequestCount()).isEqualTo(1);
	}

	@Test
	void jsonLoginWhenUpstreamBusyThen503() throws Exception {
		this.idaas.failNext(3, 500);
		String code = this.idaas.issueAppleCode(this.alice);
		this.mvc.perform(post(LOGIN).contentType(MediaType.APPLICATION_JSON).header("Accept-Language", "zh-CN").content(json(code)))
			.andExpect(status().isServiceUnavailable())
			.andExpect(jsonPath("$.error_code").value("IDAAS.SDK.COM.0002"))
			.andExpect(jsonPath("$.error_msg").value("系统繁忙,请稍后再试"));
		assertThat(this.idaas.loginRequestCount()).isEqualTo(3);
	}

	// ---- hostile input: 400, nothing sent upstream

	@Test
	void jsonLoginWhenCodeMissingThen400AndNoUpstreamCall() throws Exception {
		assertRejectedLocally("{}");
		assertRejectedLocally("{\"code\":null}");
		assertRejectedLocally("{\"code\":42}");
		assertRejectedLocally("{\"code\":[\"a\"]}");
		assertRejectedLocally("");
		assertRejectedLocally("[]");
	}

	@Test
	void jsonLoginWhenCodeEmptyThen400AndNoUpstreamCall() throws Exception {
		assertRejectedLocally(json(""));
		assertRejectedLocally(json("   "));
	}

	@Test
	void jsonLoginWhenCodeOver4KiBThen400AndNoUpstreamCall() throws Exception {
		assertRejectedLocally(json("a".repeat(4097)));
	}

	@Test
	void jsonLoginWhenCodeHasControlCharactersThen400AndNoUpstreamCall() throws Exception {
		assertRejectedLocally(json("abc\\r\\nX-Injected: 1"));
		assertRejectedLocally(json("abc\\u0000def"));
		assertRejectedLocally(json("abc def"));
		assertRejectedLocally(json("c\u00f6de"));
	}

	@Test
	void jsonLoginWhenBodyMalformedThen400AndNoUpstreamCall() throws Exception {
		assertRejectedLocally("{\"code\":");
		assertRejectedLocally("code=abc");
		assertRejectedLocally("{\"code\":\"abc\"} trailing");
	}

	@Test
	void jsonLoginWhenBodyOversizedThen400AndNoUpstreamCall() throws Exception {
		assertRejectedLocally("{\"code\":\"abc\",\"padding\":\"" + "x".repeat(9000) + "\"}");
	}

	@Test
	void jsonLoginWhenCodeExactly4KiBThenSentUpstream() throws Exception {
		this.mvc.perform(post(LOGIN).contentType(MediaType.APPLICATION_JSON).content(json("a".repeat(4096))))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error_code").value("IDAAS.SDK.PARAM.0011"));
		assertThat(this.idaas.loginRequestCount()).isEqualTo(1);
	}

	private void assertRejectedLocally(String body) throws Exception {
		this.mvc.perform(post(LOGIN).contentType(MediaType.APPLICATION_JSON).content(body))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.INVALID_CODE"))
			.andExpect(jsonPath("$.error_msg").value("The Apple authorization code is missing or invalid"));
		assertThat(this.idaas.loginRequestCount()).as(body).isZero();
	}

	// ---- form login

	@Test
	void formLoginWhenNoCsrfTokenThen403AndNoUpstreamCall() throws Exception {
		String code = this.idaas.issueAppleCode(this.alice);
		MvcResult result = this.mvc.perform(post(LOGIN).param("code", code)).andExpect(status().isForbidden()).andReturn();
		assertThat(this.idaas.loginRequestCount()).isZero();
		assertThat(signedIn(result)).isNull();
	}

	@Test
	void formLoginWhenTextPlainBodyWithoutCsrfTokenThen403AndNoUpstreamCall() throws Exception {
		String code = this.idaas.issueAppleCode(this.alice);
		this.mvc.perform(post(LOGIN).contentType(MediaType.TEXT_PLAIN).content(json(code)))
			.andExpect(status().isForbidden());
		assertThat(this.idaas.loginRequestCount()).isZero();
	}

	@Test
	void formLoginWhenCsrfTokenThenRedirectToRoot() throws Exception {
		String code = this.idaas.issueAppleCode(this.alice);
		MvcResult result = this.mvc.perform(post(LOGIN).param("code", code).with(csrf()))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/"))
			.andReturn();
		assertThat(signedIn(result).getName()).isEqualTo("alice");
		assertThat(this.idaas.loginRequestCount()).isEqualTo(1);
	}

	@Test
	void formLoginWhenSavedRequestThenRedirectToSavedRequest() throws Exception {
		MockHttpSession session = new MockHttpSession();
		this.mvc.perform(get("/private").session(session).accept(MediaType.TEXT_HTML))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/login"));
		String code = this.idaas.issueAppleCode(this.alice);
		MvcResult result = this.mvc.perform(post(LOGIN).session(session).param("code", code).with(csrf()))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("http://localhost/private?continue"))
			.andReturn();
		this.mvc.perform(get("/private").session((MockHttpSession) result.getRequest().getSession()))
			.andExpect(status().isOk())
			.andExpect(content().string("private alice"));
	}

	@Test
	void formLoginWhenFailureThenRedirectToLoginWithCode() throws Exception {
		String code = this.idaas.issueAccessDeniedCode();
		this.mvc.perform(post(LOGIN).param("code", code).with(csrf()))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/login?error&code=IDAAS.STARTER.ACCESS_DENIED"));
	}

	@Test
	void formLoginWhenSocialBindThenRedirectToBindPage() throws Exception {
		String code = this.idaas.issueSocialBindCode();
		MvcResult result = this.mvc.perform(post(LOGIN).param("code", code).with(csrf()))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/idaas/bind"))
			.andReturn();
		assertThat(result.getRequest().getSession().getAttribute(HttpSessionPendingSocialFlowRepository.ATTRIBUTE))
			.isInstanceOf(PendingSocialFlow.class);
	}

	@Test
	void formLoginWhenCodeMissingThenRedirectWithInvalidCodeAndNoUpstreamCall() throws Exception {
		this.mvc.perform(post(LOGIN).with(csrf()))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/login?error&code=IDAAS.STARTER.INVALID_CODE"));
		assertThat(this.idaas.loginRequestCount()).isZero();
	}

	@Test
	void formLoginWhenGetThenNotProcessed() throws Exception {
		String code = this.idaas.issueAppleCode(this.alice);
		// the processing URL is public; a GET reaches the (absent) MVC handler, not IDaaS
		this.mvc.perform(get(LOGIN).param("code", code).accept(MediaType.TEXT_HTML))
			.andExpect(status().isNotFound());
		assertThat(this.idaas.loginRequestCount()).isZero();
	}

	// ---- entry points and the login page

	@Test
	void requestWhenUnauthenticatedBrowserThenRedirectToLogin() throws Exception {
		this.mvc.perform(get("/private").accept(MediaType.TEXT_HTML, MediaType.ALL))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/login"));
	}

	@Test
	void requestWhenUnauthenticatedJsonThen401Json() throws Exception {
		this.mvc.perform(get("/private").accept(MediaType.APPLICATION_JSON))
			.andExpect(status().isUnauthorized())
			.andExpect(header().doesNotExist("Location"))
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.UNAUTHENTICATED"))
			.andExpect(jsonPath("$.error_msg").value("Please sign in first"));
		this.mvc.perform(get("/private").header("X-Requested-With", "XMLHttpRequest").header("Accept-Language", "zh"))
			.andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.error_msg").value("请先登录"));
	}

	@Test
	void loginPageWhenAppHasNoneThenGenerated() throws Exception {
		MvcResult result = this.mvc.perform(get("/login").accept(MediaType.TEXT_HTML))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML))
			.andReturn();
		String html = result.getResponse().getContentAsString(StandardCharsets.UTF_8);
		assertThat(html).contains("<h1>Sign in</h1>").contains("<code>/login/idaas/apple</code>")
			.doesNotContain("role=\"alert\"").doesNotContain("<script");
	}

	@Test
	void loginPageWhenErrorCodeThenLocalizedMessage() throws Exception {
		MvcResult result = this.mvc
			.perform(get("/login").param("error", "").param("code", "IDAAS.SDK.USER.0039").header("Accept-Language", "zh"))
			.andExpect(status().isOk())
			.andReturn();
		assertThat(result.getResponse().getContentAsString(StandardCharsets.UTF_8))
			.contains("<p class=\"error\" role=\"alert\">用户已被禁用 <code>IDAAS.SDK.USER.0039</code></p>");
		MvcResult english = this.mvc.perform(get("/login").param("error", "").param("code", "IDAAS.SDK.USER.0039"))
			.andReturn();
		assertThat(english.getResponse().getContentAsString(StandardCharsets.UTF_8)).contains("User is disabled");
	}

	@Test
	void loginPageWhenHostileCodeThenEscapedGenericMessage() throws Exception {
		MvcResult result = this.mvc
			.perform(get("/login").param("error", "").param("code", "<script>alert(1)</script>"))
			.andExpect(status().isOk())
			.andReturn();
		assertThat(result.getResponse().getContentAsString(StandardCharsets.UTF_8)).doesNotContain("<script")
			.contains("An unexpected error occurred <code>IDAAS.STARTER.UNKNOWN_ERROR</code>");
	}

	// ---- device facts forwarded to IDaaS

	@Test
	void jsonLoginWhenBrowserThenDeviceFactsForwarded() throws Exception {
		String code = this.idaas.issueAppleCode(this.alice);
		MvcResult result = this.mvc
			.perform(post(LOGIN).contentType(MediaType.APPLICATION_JSON)
				.header("User-Agent", IPHONE)
				.header("X-Forwarded-For", "203.0.113.66")
				.with((request) -> {
					request.setRemoteAddr("198.51.100.7");
					return request;
				})
				.content(json(code)))
			.andExpect(status().isOk())
			.andReturn();
		RecordedIdaasRequest sent = this.idaas.lastRequest(IdaasSimulator.LOGIN_PATH);
		assertThat(sent.header("X-agent")).isEqualTo(IPHONE);
		assertThat(sent.header("X-operating-sys-version")).isEqualTo("ios17.5");
		assertThat(sent.header("X-device-ip")).isEqualTo("198.51.100.7");
		assertThat(sent.header("X-L")).isNull();
		assertThat(sent.header("X-client-id")).isEqualTo(this.idaas.clientId());
		Cookie device = result.getResponse().getCookie("IDAAS_DEVICE");
		assertThat(device).isNotNull();
		assertThat(sent.header("X-device-fingerprint")).isEqualTo(device.getValue());
		assertThat(device.getValue()).matches("[A-Za-z0-9_-]{22}");
		String setCookie = result.getResponse().getHeaders("Set-Cookie").stream()
			.filter((value) -> value.startsWith("IDAAS_DEVICE="))
			.findFirst()
			.orElseThrow();
		assertThat(setCookie).contains("Path=/").contains("Max-Age=34560000").contains("HttpOnly")
			.contains("SameSite=Lax").doesNotContain("Secure");

		String second = this.idaas.issueAppleCode(this.alice);
		MvcResult again = this.mvc
			.perform(post(LOGIN).contentType(MediaType.APPLICATION_JSON)
				.header("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)")
				.cookie(device)
				.content(json(second)))
			.andExpect(status().isOk())
			.andReturn();
		assertThat(again.getResponse().getCookie("IDAAS_DEVICE")).isNull();
		RecordedIdaasRequest secondSent = this.idaas.lastRequest(IdaasSimulator.LOGIN_PATH);
		assertThat(secondSent.header("X-device-fingerprint")).isEqualTo(device.getValue());
		assertThat(secondSent.header("X-operating-sys-version")).isEqualTo("windows10.0");
	}

	@Test
	void jsonLoginWhenNativeHeadersThenHonoured() throws Exception {
		String code = this.idaas.issueAppleCode(this.alice);
		MvcResult result = this.mvc
			.perform(post(LOGIN).contentType(MediaType.APPLICATION_JSON)
				.header("User-Agent", "MyApp/2.1 CFNetwork/1410 Darwin/22.6.0")
				.header("X-Device-Fingerprint", "native-device-0123456789")
				.header("X-OS-Version", "ios17.5.1")
				.header("Accept-Language", "zh-CN,zh;q=0.9")
				.content(json(code)))
			.andExpect(status().isOk())
			.andReturn();
		RecordedIdaasRequest sent = this.idaas.lastRequest(IdaasSimulator.LOGIN_PATH);
		assertThat(sent.header("X-device-fingerprint")).isEqualTo("native-device-0123456789");
		assertThat(sent.header("X-operating-sys-version")).isEqualTo("ios17.5.1");
		assertThat(sent.header("X-L")).isEqualTo("zh");
		assertThat(result.getResponse().getCookie("IDAAS_DEVICE")).isNull();
	}

	// ---- events

	@Test
	void jsonLoginWhenSuccessThenSuccessEventsPublished() throws Exception {
		String code = this.idaas.issueAppleCode(this.alice);
		jsonLogin(json(code));
		assertThat(this.events.stream(AuthenticationSuccessEvent.class))
			.singleElement()
			.satisfies((event) -> assertThat(event.getAuthentication().getName()).isEqualTo("alice"));
		assertThat(this.events.stream(InteractiveAuthenticationSuccessEvent.class)).hasSize(1);
		assertThat(this.events.stream(AbstractAuthenticationFailureEvent.class)).isEmpty();
	}

	@Test
	void jsonLoginWhenFailureThenFailureEventPublished() throws Exception {
		String code = this.idaas.issueAccessDeniedCode();
		jsonLogin(json(code));
		assertThat(this.events.stream(IdaasAuthenticationFailureEvent.class))
			.singleElement()
			.satisfies((event) -> assertThat(((IdaasAuthenticationException) event.getException()).getErrorCode())
				.isEqualTo("IDAAS.STARTER.ACCESS_DENIED"));
		assertThat(this.events.stream(AuthenticationSuccessEvent.class)).isEmpty();
	}

	private static Authentication signedIn(MvcResult result) {
		HttpSession session = result.getRequest().getSession(false);
		if (session == null) {
			return null;
		}
		SecurityContext context = (SecurityContext) session
			.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
		return (context != null) ? context.getAuthentication() : null;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(PagesController.class)
	static class LoginApplication {

	}

	@RestController
	static class PagesController {

		@GetMapping("/")
		String home(Authentication authentication) {
			return "home " + authentication.getName();
		}

		@GetMapping("/private")
		String secret(Authentication authentication) {
			return "private " + authentication.getName();
		}

	}

}

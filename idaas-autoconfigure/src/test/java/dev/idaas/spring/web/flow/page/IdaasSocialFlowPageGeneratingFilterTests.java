package dev.idaas.spring.web.flow.page;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.idaas.spring.authentication.IdaasAuthenticationException;
import dev.idaas.spring.client.IdaasErrorCategory;
import dev.idaas.spring.client.IdaasErrorMessages;
import dev.idaas.spring.client.SocialFlowBranch;
import dev.idaas.spring.web.LastAuthenticationFailure;
import dev.idaas.spring.web.flow.IdaasSocialFlowFilter;
import dev.idaas.spring.web.flow.PendingSocialFlowView;

import org.springframework.context.support.StaticMessageSource;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.csrf.DefaultCsrfToken;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Tests for {@link IdaasSocialFlowPageGeneratingFilter}: each page, each language, errors,
 * escaping, and what is left to the application.
 */
class IdaasSocialFlowPageGeneratingFilterTests {

	static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

	static final CsrfToken CSRF = new DefaultCsrfToken("X-CSRF-TOKEN", "_csrf", "csrf-token-value");

	private IdaasSocialFlowPageGeneratingFilter filter;

	private MockMvc mvc;

	@BeforeEach
	void setUp() {
		this.filter = new IdaasSocialFlowPageGeneratingFilter(
				Map.of(SocialFlowBranch.SOCIAL_BIND, "/idaas/bind", SocialFlowBranch.USER_REGISTER, "/idaas/register",
						SocialFlowBranch.MFA_AUTH, "/idaas/mfa"),
				"/login", new IdaasErrorMessages());
		this.filter.setClock(Clock.fixed(NOW, ZoneOffset.UTC));
		this.mvc = MockMvcBuilders.standaloneSetup(new ApplicationPages()).addFilters(this.filter).build();
	}

	static PendingSocialFlowView view(SocialFlowBranch branch, List<String> flows, int attemptsRemaining,
			Instant canResendAt, @Nullable String mobile) {
		return new PendingSocialFlowView(branch, flows, NOW.plusSeconds(600), attemptsRemaining, canResendAt, mobile);
	}

	static MockHttpServletRequestBuilder page(String path, @Nullable PendingSocialFlowView flow) {
		MockHttpServletRequestBuilder request = get(path).requestAttr(CsrfToken.class.getName(), CSRF);
		if (flow != null) {
			request.requestAttr(IdaasSocialFlowFilter.PENDING_FLOW_ATTRIBUTE, flow);
		}
		return request;
	}

	String html(MockHttpServletRequestBuilder request) throws Exception {
		return this.mvc.perform(request)
			.andExpect(status().isOk())
			.andExpect(content().contentType("text/html;charset=UTF-8"))
			.andExpect(header().string("Cache-Control", "no-store"))
			.andReturn()
			.getResponse()
			.getContentAsString();
	}

	@Test
	void getWhenBindPageThenFormsWithSliderMethodsTargetAndCsrf() throws Exception {
		String html = html(page("/idaas/bind",
				view(SocialFlowBranch.SOCIAL_BIND, List.of("VERIFY_PHONE", "VERIFY_EMAIL"), 4, NOW, null)));
		assertThat(html).contains("<html lang=\"en\">")
			.contains("<title>Link your Apple ID</title>")
			.contains("<script src=\"/idaas/assets/slider.js\" defer></script>")
			.contains("<link rel=\"stylesheet\" href=\"/idaas/assets/slider.css\">")
			.contains("<form id=\"idaas-send-code-form\" method=\"post\" action=\"/idaas/bind/code\">")
			.contains("<form id=\"idaas-verify-form\" method=\"post\" action=\"/idaas/bind\" data-idaas-copy-from=\"idaas-send-code-form\">")
			.contains("data-captcha-url=\"/idaas/bind/captcha\"")
			.contains("data-text-hint=\"Drag the piece into the gap\"")
			.contains("<input type=\"radio\" name=\"method\" id=\"idaas-method-VERIFY_PHONE\" value=\"VERIFY_PHONE\" checked> Phone")
			.contains("<input type=\"radio\" name=\"method\" id=\"idaas-method-VERIFY_EMAIL\" value=\"VERIFY_EMAIL\"> Email")
			.contains("<input id=\"idaas-target\" name=\"target\"")
			.contains("<input type=\"hidden\" name=\"captcha_x\" id=\"idaas-captcha-x\">")
			.contains("<button id=\"idaas-send-code\" type=\"submit\" data-idaas-needs-slide disabled>Send code</button>")
			.contains("name=\"verify_code\"")
			.contains("Wrong codes you may still enter: 4")
			.contains("<button id=\"idaas-verify\" type=\"submit\">Verify and link</button>")
			.doesNotContain("idaas-sent")
			.doesNotContain("idaas-error")
			.doesNotContain("idaas-resend-at")
			.doesNotContain("idaas-no-pending-flow");
		// one CSRF input in each form
		assertThat(html.split("<input type=\"hidden\" name=\"_csrf\" value=\"csrf-token-value\">", -1)).hasSize(3);
		// no inline script or style: the page works under script-src 'self'; style-src 'self'
		assertThat(html).doesNotContain("<script>").doesNotContain("<style").doesNotContain("style=")
			.doesNotContain(" on");
	}

	@Test
	void getWhenOneMethodAllowedThenHiddenMethodNoChoice() throws Exception {
		String html = html(
				page("/idaas/bind", view(SocialFlowBranch.SOCIAL_BIND, List.of("VERIFY_EMAIL"), 5, NOW, null)));
		assertThat(html).contains("<input type=\"hidden\" name=\"method\" value=\"VERIFY_EMAIL\">")
			.doesNotContain("type=\"radio\"")
			.doesNotContain("VERIFY_PHONE");
	}

	@Test
	void getWhenRegisterPageInChineseThenChineseTexts() throws Exception {
		String html = html(page("/idaas/register",
				view(SocialFlowBranch.USER_REGISTER, List.of("VERIFY_PHONE", "VERIFY_EMAIL"), 5, NOW, null))
			.header("Accept-Language", "zh-CN,zh;q=0.9"));
		assertThat(html).contains("<html lang=\"zh\">")
			.contains("<h1>创建账号</h1>")
			.contains("action=\"/idaas/register/code\"")
			.contains("data-captcha-url=\"/idaas/register/captcha\"")
			.contains("data-text-hint=\"拖动拼图块，填入缺口\"")
			.contains("> 手机</label>")
			.contains(">发送验证码</button>")
			.contains(">验证并创建账号</button>")
			.contains("还可输错验证码的次数：5")
			.doesNotContain("Send code");
	}

	@Test
	void getWhenRegisterPageInEnglishThenEnglishTexts() throws Exception {
		String html = html(page("/idaas/register",
				view(SocialFlowBranch.USER_REGISTER, List.of("VERIFY_PHONE"), 5, NOW, null))
			.header("Accept-Language", "fr-FR"));
		assertThat(html).contains("<h1>Create your account</h1>")
			.contains(">Verify and create account</button>")
			.doesNotContain("创建");
	}

	@Test
	void getWhenMfaPageThenNoTargetFieldAndNoCopy() throws Exception {
		String html = html(page("/idaas/mfa", view(SocialFlowBranch.MFA_AUTH, List.of("VERIFY_PHONE"), 5, NOW,
				"138****5678")));
		assertThat(html).contains("<h1>Confirm it is you</h1>")
			.contains("action=\"/idaas/mfa/code\"")
			.contains("data-captcha-url=\"/idaas/mfa/captcha\"")
			.contains("<input type=\"hidden\" name=\"method\" value=\"VERIFY_PHONE\">")
			.contains("<form id=\"idaas-verify-form\" method=\"post\" action=\"/idaas/mfa\">")
			.contains("<p id=\"idaas-mfa-target\">The code goes to 138****5678</p>")
			.contains(">Verify and sign in</button>")
			.doesNotContain("name=\"target\"")
			.doesNotContain("data-idaas-copy-from");
	}

	@Test
	void getWhenMfaPageInChineseThenChineseTexts() throws Exception {
		String html = html(page("/idaas/mfa", view(SocialFlowBranch.MFA_AUTH, List.of("VERIFY_PHONE"), 5, NOW,
				"138****5678"))
			.header("Accept-Language", "zh"));
		assertThat(html).contains("<h1>确认是您本人</h1>")
			.contains("<p id=\"idaas-mfa-target\">验证码将发送至 138****5678</p>")
			.contains(">验证并登录</button>");
	}

	@Test
	void getWhenSentThenNotice() throws Exception {
		String html = html(page("/idaas/bind",
				view(SocialFlowBranch.SOCIAL_BIND, List.of("VERIFY_PHONE"), 5, NOW.plusSeconds(25), null))
			.param("sent", ""));
		assertThat(html)
			.contains("<div id=\"idaas-sent\" class=\"alert info\" role=\"status\">A code was sent. Enter it below.</div>")
			.contains("<p id=\"idaas-resend-at\" class=\"muted\">You can ask for another code in 25 s.</p>");
	}

	@Test
	void getWhenErrorCodeThenLocalizedMessage() throws Exception {
		String english = html(page("/idaas/bind", view(SocialFlowBranch.SOCIAL_BIND, List.of("VERIFY_PHONE"), 5, NOW,
				null))
			.param("error", "")
			.param("code", "IDAAS.SDK.CAPTCHA.0002"));
		assertThat(english).contains("<div id=\"idaas-error\" class=\"alert error\" role=\"alert\">"
				+ "Graphic verification code verification failed <code id=\"idaas-error-code\">IDAAS.SDK.CAPTCHA.0002</code></div>");
		String chinese = html(page("/idaas/bind", view(SocialFlowBranch.SOCIAL_BIND, List.of("VERIFY_PHONE"), 5, NOW,
				null))
			.param("error", "")
			.param("code", "IDAAS.STARTER.TOO_MANY_CODES")
			.header("Accept-Language", "zh"));
		assertThat(chinese).contains("验证码请求过于频繁")
			.contains("<code id=\"idaas-error-code\">IDAAS.STARTER.TOO_MANY_CODES</code>");
	}

	@Test
	void getWhenErrorCodeIsMarkupThenNeitherEchoedNorExecuted() throws Exception {
		String html = html(page("/idaas/bind", view(SocialFlowBranch.SOCIAL_BIND, List.of("VERIFY_PHONE"), 5, NOW,
				null))
			.param("error", "")
			.param("code", "<script>alert(1)</script>"));
		assertThat(html).contains("<code id=\"idaas-error-code\">IDAAS.STARTER.UNKNOWN_ERROR</code>")
			.doesNotContain("alert(1)");
	}

	@Test
	void getWhenVendorRefusalKeptThenVendorTextEscapedOnceThenStarterText() throws Exception {
		MockHttpSession session = new MockHttpSession();
		keepFailure(session, "IDAAS.SDK.BIND-0999", "<b>This number</b> & that one cannot be bound");
		String first = html(errorPage("IDAAS.SDK.BIND-0999").session(session));
		assertThat(first).contains("<div id=\"idaas-error\" class=\"alert error\" role=\"alert\">"
				+ "&lt;b&gt;This number&lt;/b&gt; &amp; that one cannot be bound"
				+ " <code id=\"idaas-error-code\">IDAAS.SDK.BIND-0999</code></div>")
			.doesNotContain("<b>This number");
		assertThat(session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION)).as("shown once").isNull();
		String second = html(errorPage("IDAAS.SDK.BIND-0999").session(session));
		assertThat(second).contains("<div id=\"idaas-error\" class=\"alert error\" role=\"alert\">"
				+ "Identity service error IDAAS.SDK.BIND-0999 <code id=\"idaas-error-code\">IDAAS.SDK.BIND-0999</code></div>")
			.doesNotContain("cannot be bound");
	}

	@Test
	void getWhenVendorRefusalKeptAndChineseThenVendorTextAsSent() throws Exception {
		MockHttpSession session = new MockHttpSession();
		keepFailure(session, "IDAAS.SDK.BIND.0999", "该手机号已绑定其他Apple账号");
		String html = html(errorPage("IDAAS.SDK.BIND.0999").session(session).header("Accept-Language", "zh"));
		assertThat(html).contains("role=\"alert\">该手机号已绑定其他Apple账号 <code id=\"idaas-error-code\">IDAAS.SDK.BIND.0999</code>");
	}

	@Test
	void getWhenCodeHasDashThenShownAsItself() throws Exception {
		String html = html(errorPage("IDAAS.SDK.RISK-0001"));
		assertThat(html).contains("<div id=\"idaas-error\" class=\"alert error\" role=\"alert\">"
				+ "Identity service error IDAAS.SDK.RISK-0001 <code id=\"idaas-error-code\">IDAAS.SDK.RISK-0001</code></div>")
			.doesNotContain("IDAAS.STARTER.UNKNOWN_ERROR");
	}

	@Test
	void getWhenUrlCarriesTextThenOnlyTheLocalizedTextOfItsCode() throws Exception {
		MockHttpSession session = new MockHttpSession();
		keepFailure(session, "IDAAS.SDK.BIND-0999", "Vendor words for another code");
		// a known code with a message of the sender's own beside it
		String known = html(errorPage("IDAAS.SDK.CAPTCHA.0002").session(session)
			.param("error_msg", "Your account is locked, call 555-0100")
			.param("message", "Your account is locked, call 555-0100"));
		assertThat(known).contains("role=\"alert\">Graphic verification code verification failed"
				+ " <code id=\"idaas-error-code\">IDAAS.SDK.CAPTCHA.0002</code></div>")
			.doesNotContain("555-0100");
		// an unknown code: the generic text names it, and nothing else from the URL
		String unknown = html(errorPage("IDAAS.SDK.RISK-0001").session(session).param("error_msg", "call 555-0100"));
		assertThat(unknown).contains("role=\"alert\">Identity service error IDAAS.SDK.RISK-0001 <code")
			.doesNotContain("555-0100")
			.doesNotContain("Vendor words");
		// text in the code itself is not a code
		String forged = html(errorPage("IDAAS.SDK.X Your account is locked, call 555-0100").session(session));
		assertThat(forged).contains("role=\"alert\">An unexpected error occurred"
				+ " <code id=\"idaas-error-code\">IDAAS.STARTER.UNKNOWN_ERROR</code></div>")
			.doesNotContain("555-0100")
			.doesNotContain("Vendor words");
		assertThat(session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION))
			.as("kept for the page of its own code").isNotNull();
	}

	@Test
	void getWhenTextsAndTokenHoldMarkupThenEscaped() throws Exception {
		StaticMessageSource texts = new StaticMessageSource();
		texts.addMessage("idaas.page.bind.title", java.util.Locale.ENGLISH, "<b onclick=\"x()\">Bind & go</b>");
		texts.addMessage("idaas.page.slider.hint", java.util.Locale.ENGLISH, "drag\" onmouseover=\"x()");
		this.filter.setMessageSource(texts);
		CsrfToken hostile = new DefaultCsrfToken("X-CSRF-TOKEN", "_csrf", "\"><script>x()</script>");
		String html = html(get("/idaas/bind").header("Accept-Language", "en")
			.requestAttr(CsrfToken.class.getName(), hostile)
			.requestAttr(IdaasSocialFlowFilter.PENDING_FLOW_ATTRIBUTE,
					view(SocialFlowBranch.SOCIAL_BIND, List.of("VERIFY_PHONE"), 5, NOW, null)));
		assertThat(html).contains("<h1>&lt;b onclick=&quot;x()&quot;&gt;Bind &amp; go&lt;/b&gt;</h1>")
			.contains("data-text-hint=\"drag&quot; onmouseover=&quot;x()\"")
			.contains("value=\"&quot;&gt;&lt;script&gt;x()&lt;/script&gt;\"")
			.doesNotContain("<b onclick")
			.doesNotContain("<script>x()");
	}

	@Test
	void getWhenNoPendingFlowThenSaysSoAndLinksToLogin() throws Exception {
		String html = html(page("/idaas/bind", null).param("error", "").param("code", "IDAAS.STARTER.TOO_MANY_ATTEMPTS"));
		assertThat(html).contains("<p id=\"idaas-no-pending-flow\">There is no verification in progress")
			.contains("<a id=\"idaas-sign-in\" href=\"/login\">Back to sign-in</a>")
			.contains("Too many wrong verification codes")
			.doesNotContain("<form")
			.doesNotContain("slider.js\" defer></script>\n</head>\n<body class=\"idaas-page\">\n<main id=\"idaas-bind-page\">\n<h1>Link your Apple ID</h1>\n<form");
	}

	@Test
	void getWhenPendingFlowOfOtherBranchThenNoForms() throws Exception {
		String html = html(page("/idaas/bind",
				view(SocialFlowBranch.USER_REGISTER, List.of("VERIFY_PHONE"), 5, NOW, null)));
		assertThat(html).contains("idaas-no-pending-flow").doesNotContain("<form");
	}

	@Test
	void getWhenContextPathThenEveryUrlUnderIt() throws Exception {
		String html = html(page("/app/idaas/bind",
				view(SocialFlowBranch.SOCIAL_BIND, List.of("VERIFY_PHONE"), 5, NOW, null))
			.contextPath("/app"));
		assertThat(html).contains("src=\"/app/idaas/assets/slider.js\"")
			.contains("action=\"/app/idaas/bind/code\"")
			.contains("data-captcha-url=\"/app/idaas/bind/captcha\"");
	}

	@Test
	void requestWhenNotAPageThenPassedOn() throws Exception {
		this.mvc.perform(get("/idaas/other")).andExpect(status().isOk()).andExpect(content().string("app"));
		this.mvc.perform(post("/idaas/bind")).andExpect(status().isOk()).andExpect(content().string("app post"));
	}

	@Test
	void getWhenPageNotConfiguredThenLeftToTheApplication() throws Exception {
		IdaasSocialFlowPageGeneratingFilter registerOnly = new IdaasSocialFlowPageGeneratingFilter(
				Map.of(SocialFlowBranch.USER_REGISTER, "/idaas/register"), "/login", new IdaasErrorMessages());
		MockMvc mvc = MockMvcBuilders.standaloneSetup(new ApplicationPages()).addFilters(registerOnly).build();
		mvc.perform(page("/idaas/bind", null)).andExpect(status().isOk()).andExpect(content().string("app bind page"));
		assertThat(mvc.perform(page("/idaas/register", null)).andReturn().getResponse().getContentAsString())
			.contains("<main id=\"idaas-register-page\">");
	}

	static MockHttpServletRequestBuilder errorPage(String code) {
		return page("/idaas/bind", view(SocialFlowBranch.SOCIAL_BIND, List.of("VERIFY_PHONE"), 5, NOW, null))
			.param("error", "")
			.param("code", code);
	}

	/**
	 * What {@code IdaasSocialFlowFailureHandler} leaves for the page after a vendor refusal.
	 */
	static void keepFailure(MockHttpSession session, String code, String vendorMessage) {
		MockHttpServletRequest failed = new MockHttpServletRequest("POST", "/idaas/bind");
		failed.setSession(session);
		LastAuthenticationFailure.save(failed, new IdaasAuthenticationException(code, "refused",
				IdaasErrorCategory.VENDOR_REFUSED, vendorMessage, null));
	}

	@RestController
	static class ApplicationPages {

		@GetMapping("/idaas/other")
		String other() {
			return "app";
		}

		@GetMapping("/idaas/bind")
		String bind() {
			return "app bind page";
		}

		@org.springframework.web.bind.annotation.PostMapping("/idaas/bind")
		String bindPost() {
			return "app post";
		}

	}

}

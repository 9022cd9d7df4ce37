package dev.idaas.spring.test.simulator;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IdaasSimulatorAuthorizePageTests {

	private static final String REDIRECT_URI = "https://app.example/login/apple/callback";

	private static final Pattern FORM = Pattern.compile("<form method=\"post\" action=\"([^\"]*)\">(.*?)</form>",
			Pattern.DOTALL);

	private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">");

	private static final Pattern BUTTON = Pattern.compile("<button type=\"submit\">([^<]*)</button>");

	private IdaasSimulator simulator;

	private IdaasHttp http;

	@BeforeEach
	void start() {
		this.simulator = new IdaasSimulator().withSamplePeople().start();
		this.http = new IdaasHttp(this.simulator);
	}

	@AfterEach
	void stop() {
		this.simulator.close();
	}

	@Test
	void authorizeWhenValidThenOneFormPerSamplePersonPostingCodeAndStateToRedirectUri() {
		IdaasHttp.Response page = authorize("state-123");
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.contentType()).startsWith("text/html");
		List<Form> forms = forms(page.body());
		assertThat(forms).extracting(Form::button)
			.containsExactly("Alice Existing", "Bob Binder", "Carol Newcomer", "Dave Disabled", "Erin Denied",
					"Frank Factor", "Cancel");
		assertThat(forms).allSatisfy((form) -> {
			assertThat(form.action()).isEqualTo(REDIRECT_URI);
			assertThat(form.fields()).containsEntry("state", "state-123");
		});
		assertThat(forms.subList(0, 6)).allSatisfy((form) -> assertThat(form.fields().get("code")).isNotBlank());
		assertThat(forms.get(6).fields()).containsOnly(Map.entry("error", "user_cancelled_authorize"),
				Map.entry("state", "state-123"));
	}

	@Test
	void authorizeWhenRenderedThenNoScriptNoInlineStyleAndStrictCsp() {
		IdaasHttp.Response page = authorize("s");
		assertThat(page.body()).doesNotContainIgnoringCase("<script")
			.doesNotContainIgnoringCase("style")
			.doesNotContainIgnoringCase("onclick")
			.doesNotContain("javascript:");
		assertThat(page.contentSecurityPolicy()).contains("default-src 'none'").doesNotContain("unsafe-inline");
	}

	@Test
	void authorizeWhenStateHasMarkupThenEscaped() {
		IdaasHttp.Response page = authorize("\"><script>alert(1)</script>&'");
		assertThat(page.body()).doesNotContain("<script>")
			.contains("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;&#39;\"");
	}

	@Test
	void authorizeWhenFirstSignInThenUserJsonThenNotAfterLogin() {
		Form alice = forms(authorize("s").body()).get(0);
		assertThat(alice.fields().get("user")).isEqualTo(
				"{&quot;name&quot;:{&quot;firstName&quot;:&quot;Alice&quot;,&quot;lastName&quot;:&quot;Existing&quot;},"
						+ "&quot;email&quot;:&quot;alice@example.com&quot;}");
		assertThat(this.http.login(alice.fields().get("code")).field("status")).isEqualTo("SUCCESS");
		assertThat(forms(authorize("s").body()).get(0).fields()).doesNotContainKey("user")
			.containsKeys("code", "state");
	}

	@Test
	void authorizeWhenEachSamplePersonSignsInThenTheirDocumentedOutcome() {
		List<Form> forms = forms(authorize("s").body());
		List<SamplePerson> people = this.simulator.samplePeople();
		assertThat(people).isEqualTo(SamplePeople.ALL);
		for (int i = 0; i < people.size(); i++) {
			IdaasHttp.Response response = this.http.login(forms.get(i).fields().get("code"));
			String outcome = (response.status() == 200) ? response.field("status") : response.errorCode();
			assertThat(outcome).as(people.get(i).key()).isEqualTo(people.get(i).expectedOutcome());
		}
	}

	@Test
	void authorizeWhenBobBindsWithHisMobileThenNextSignInSucceeds() {
		String code = forms(authorize("s").body()).get(1).fields().get("code");
		String stateToken = this.http.login(code).field("state_token");
		this.http.post(IdaasSimulator.SMS_SEND_PATH, this.http.deviceHeaders(),
				IdaasHttp.json(Map.of("mobile", SamplePeople.BOB.mobile(), "type", "BIND_MOBILE_SMS", "captcha_token",
						this.simulator.issueCaptchaToken(SamplePeople.BOB.mobile()))));
		Map<String, String> headers = this.http.deviceHeaders();
		headers.put("X-state-token", stateToken);
		assertThat(this.http
			.post(IdaasSimulator.BIND_PATH, headers,
					IdaasHttp.json(Map.of("mobile", SamplePeople.BOB.mobile(), "verify_code", "123456")))
			.status()).isEqualTo(200);
		assertThat(this.http.login(this.simulator.issueAppleCode(SamplePeople.BOB_PERSON)).field("status"))
			.isEqualTo("SUCCESS");
	}

	@Test
	void authorizeWhenNoStateThenNoStateField() {
		IdaasHttp.Response page = this.http.get(IdaasSimulator.AUTHORIZE_PATH + "?client_id=app&redirect_uri="
				+ encode(REDIRECT_URI) + "&response_type=code&response_mode=form_post");
		assertThat(forms(page.body())).allSatisfy((form) -> assertThat(form.fields()).doesNotContainKey("state"));
	}

	@Test
	void authorizeWhenRedirectUriMissingOrNotHttpThenBadRequest() {
		String base = IdaasSimulator.AUTHORIZE_PATH + "?client_id=app&response_type=code&state=s";
		assertThat(this.http.get(base).status()).isEqualTo(400);
		assertThat(this.http.get(base + "&redirect_uri=" + encode("javascript:alert(1)")).status()).isEqualTo(400);
		assertThat(this.http.get(base + "&redirect_uri=" + encode("/relative")).status()).isEqualTo(400);
		assertThat(this.http.get(base + "&redirect_uri=" + encode(REDIRECT_URI) + "&response_mode=query").status())
			.isEqualTo(400);
		assertThat(this.http
			.get(IdaasSimulator.AUTHORIZE_PATH + "?redirect_uri=" + encode(REDIRECT_URI) + "&response_type=code")
			.status()).isEqualTo(400);
	}

	@Test
	void authorizeWhenCodesIssuedThenEachSingleUse() {
		String code = forms(authorize("s").body()).get(0).fields().get("code");
		assertThat(this.http.login(code).status()).isEqualTo(200);
		assertThat(this.http.login(code).errorCode()).isEqualTo("IDAAS.SDK.PARAM.0011");
	}

	private IdaasHttp.Response authorize(String state) {
		return this.http.get(IdaasSimulator.AUTHORIZE_PATH + "?client_id=" + encode("com.example.web")
				+ "&redirect_uri=" + encode(REDIRECT_URI) + "&response_type=code&response_mode=form_post&state="
				+ encode(state) + "&scope=" + encode("name email"));
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static List<Form> forms(String html) {
		List<Form> forms = new ArrayList<>();
		Matcher form = FORM.matcher(html);
		while (form.find()) {
			Map<String, String> fields = new LinkedHashMap<>();
			Matcher hidden = HIDDEN.matcher(form.group(2));
			while (hidden.find()) {
				fields.put(hidden.group(1), hidden.group(2));
			}
			Matcher button = BUTTON.matcher(form.group(2));
			forms.add(new Form(form.group(1), fields, button.find() ? button.group(1) : ""));
		}
		return forms;
	}

	private record Form(String action, Map<String, String> fields, String button) {
	}

}

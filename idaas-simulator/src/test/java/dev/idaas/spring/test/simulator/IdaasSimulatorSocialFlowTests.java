package dev.idaas.spring.test.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.jsonwebtoken.Claims;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IdaasSimulatorSocialFlowTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final SimulatedUser bob = SimulatedUser.of("bob", "Bob", "+8613800000002", "bob@example.com");

	private IdaasSimulator simulator;

	private IdaasHttp http;

	@BeforeEach
	void start() {
		this.simulator = new IdaasSimulator().clock(this.clock).registerUser(this.bob).start();
		this.http = new IdaasHttp(this.simulator);
	}

	@AfterEach
	void stop() {
		this.simulator.close();
	}

	@Test
	void sendSmsWhenBindTypeThenCodeRecordedAndEmpty200() {
		IdaasHttp.Response response = sendSms("+8613800000002", "BIND_MOBILE_SMS");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEmpty();
		assertThat(this.simulator.sentVerificationCodes()).singleElement().satisfies((sent) -> {
			assertThat(sent.channel()).isEqualTo("sms");
			assertThat(sent.recipient()).isEqualTo("+8613800000002");
			assertThat(sent.type()).isEqualTo("BIND_MOBILE_SMS");
			assertThat(sent.code()).isEqualTo("123456");
			assertThat(sent.toString()).doesNotContain("123456");
		});
	}

	@Test
	void sendWhenTypeDoesNotFitChannelThenParam0004() {
		assertThat(sendSms("+8613800000002", "BIND_EMAIL_EMS").errorCode()).isEqualTo("IDAAS.SDK.PARAM.0004");
		assertThat(sendEmail("bob@example.com", "REGISTER_SMS").errorCode()).isEqualTo("IDAAS.SDK.PARAM.0004");
		assertThat(sendSms("", "BIND_MOBILE_SMS").errorCode()).isEqualTo("IDAAS.SDK.PARAM.0004");
		assertThat(this.simulator.sentVerificationCodes()).isEmpty();
	}

	@Test
	void sendWhenDeviceHeadersMissingThenParam0001() {
		Map<String, String> headers = this.http.deviceHeaders();
		headers.remove("X-agent");
		assertThat(this.http
			.post(IdaasSimulator.SMS_SEND_PATH, headers,
					IdaasHttp.json(Map.of("mobile", "+8613800000002", "type", "BIND_MOBILE_SMS", "captcha_token",
							this.simulator.issueCaptchaToken("+8613800000002"))))
			.errorCode()).isEqualTo("IDAAS.SDK.PARAM.0001");
	}

	@Test
	void bindWhenPhoneAndRightCodeThenSessionForExistingUserAndAppleIdentityBound() {
		String stateToken = this.http.login(this.simulator.issueSocialBindCode()).field("state_token");
		sendSms("+8613800000002", "BIND_MOBILE_SMS");
		IdaasHttp.Response response = bind(IdaasSimulator.BIND_PATH, stateToken,
				Map.of("mobile", "+8613800000002", "verify_code", "123456"));
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json()).containsOnlyKeys("session_token", "expire").containsEntry("expire", 432000);
		IdaasHttp.Response refreshed = this.http.refresh(response.field("session_token"));
		Claims claims = this.http.verify(refreshed.field("id_token"), this.clock).getPayload();
		assertThat(claims.getSubject()).isEqualTo("bob");
		assertThat(claims.get("id")).isEqualTo(this.bob.id());
		// The Apple identity is now Bob's: his next Apple login succeeds.
		assertThat(this.http.login(this.simulator.issueAppleCode(this.bob)).field("status")).isEqualTo("SUCCESS");
	}

	@Test
	void bindWhenEmailAndSettableCodeThenSession() {
		this.simulator.verificationCode("654321");
		String stateToken = this.http.login(this.simulator.issueSocialBindCode()).field("state_token");
		sendEmail("bob@example.com", "BIND_EMAIL_EMS");
		IdaasHttp.Response response = bind(IdaasSimulator.BIND_PATH, stateToken,
				Map.of("email", "bob@example.com", "verify_code", "654321"));
		assertThat(response.status()).isEqualTo(200);
		assertThat(this.simulator.isSessionTokenValid(response.field("session_token"))).isTrue();
	}

	@Test
	void bindWhenWrongCodeThenCaptcha0007AndStateTokenStillUsable() {
		String stateToken = this.http.login(this.simulator.issueSocialBindCode()).field("state_token");
		sendSms("+8613800000002", "BIND_MOBILE_SMS");
		IdaasHttp.Response wrong = bind(IdaasSimulator.BIND_PATH, stateToken,
				Map.of("mobile", "+8613800000002", "verify_code", "000000"));
		assertThat(wrong.status()).isEqualTo(400);
		assertThat(wrong.json()).containsEntry("error_code", "IDAAS.SDK.CAPTCHA.0007")
			.containsEntry("error_msg", "Incorrect verification code");
		assertThat(bind(IdaasSimulator.BIND_PATH, stateToken,
				Map.of("mobile", "+8613800000002", "verify_code", "123456"))
			.status()).isEqualTo(200);
	}

	@Test
	void bindWhenCodeNeverSentOrForRegisterThenCaptcha0007() {
		String stateToken = this.http.login(this.simulator.issueSocialBindCode()).field("state_token");
		Map<String, Object> body = Map.of("mobile", "+8613800000002", "verify_code", "123456");
		assertThat(bind(IdaasSimulator.BIND_PATH, stateToken, body).errorCode()).isEqualTo("IDAAS.SDK.CAPTCHA.0007");
		sendSms("+8613800000002", "REGISTER_SMS");
		assertThat(bind(IdaasSimulator.BIND_PATH, stateToken, body).errorCode()).isEqualTo("IDAAS.SDK.CAPTCHA.0007");
	}

	@Test
	void bindWhenVerificationCodeExpiredThenCaptcha0007() {
		String stateToken = this.http.login(this.simulator.issueSocialBindCode()).field("state_token");
		sendSms("+8613800000002", "BIND_MOBILE_SMS");
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(bind(IdaasSimulator.BIND_PATH, stateToken,
				Map.of("mobile", "+8613800000002", "verify_code", "123456"))
			.errorCode()).isEqualTo("IDAAS.SDK.CAPTCHA.0007");
	}

	@Test
	void bindWhenStateTokenMissingUnknownOrExpiredThenCommon1007() {
		Map<String, Object> body = Map.of("mobile", "+8613800000002", "verify_code", "123456");
		sendSms("+8613800000002", "BIND_MOBILE_SMS");
		IdaasHttp.Response missing = this.http.post(IdaasSimulator.BIND_PATH, this.http.deviceHeaders(),
				IdaasHttp.json(body));
		assertThat(missing.status()).isEqualTo(400);
		assertThat(missing.json()).containsEntry("error_code", "IDAAS.SDK.COMMON.1007")
			.containsEntry("error_msg", "state_token parameter error");
		assertThat(bind(IdaasSimulator.BIND_PATH, "unknown", body).errorCode()).isEqualTo("IDAAS.SDK.COMMON.1007");
		String stateToken = this.http.login(this.simulator.issueSocialBindCode()).field("state_token");
		this.clock.advance(Duration.ofMinutes(10));
		assertThat(bind(IdaasSimulator.BIND_PATH, stateToken, body).errorCode()).isEqualTo("IDAAS.SDK.COMMON.1007");
	}

	@Test
	void bindWhenStateTokenUsedTwiceThenSecondCommon1007() {
		String stateToken = this.http.login(this.simulator.issueSocialBindCode()).field("state_token");
		sendSms("+8613800000002", "BIND_MOBILE_SMS");
		Map<String, Object> body = Map.of("mobile", "+8613800000002", "verify_code", "123456");
		assertThat(bind(IdaasSimulator.BIND_PATH, stateToken, body).status()).isEqualTo(200);
		assertThat(bind(IdaasSimulator.BIND_PATH, stateToken, body).errorCode()).isEqualTo("IDAAS.SDK.COMMON.1007");
	}

	@Test
	void bindWhenNoAccountHasThatMobileThenUser0001() {
		String stateToken = this.http.login(this.simulator.issueSocialBindCode()).field("state_token");
		sendSms("+8613899999999", "BIND_MOBILE_SMS");
		assertThat(bind(IdaasSimulator.BIND_PATH, stateToken,
				Map.of("mobile", "+8613899999999", "verify_code", "123456"))
			.errorCode()).isEqualTo("IDAAS.SDK.USER.0001");
	}

	@Test
	void bindWhenMethodNotInTenantFlowsThenParam0004() {
		String stateToken = this.http.login(this.simulator.issueSocialBindCode(List.of("VERIFY_EMAIL")))
			.field("state_token");
		sendSms("+8613800000002", "BIND_MOBILE_SMS");
		assertThat(bind(IdaasSimulator.BIND_PATH, stateToken,
				Map.of("mobile", "+8613800000002", "verify_code", "123456"))
			.errorCode()).isEqualTo("IDAAS.SDK.PARAM.0004");
	}

	@Test
	void registerBindWhenRightCodeThenNewUserSessionAndIdToken() {
		String stateToken = this.http.login(this.simulator.issueUserRegisterCode()).field("state_token");
		sendSms("+8613800000009", "REGISTER_SMS");
		IdaasHttp.Response response = bind(IdaasSimulator.REGISTER_BIND_PATH, stateToken,
				Map.of("mobile", "+8613800000009", "verify_code", "123456"));
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json()).containsOnlyKeys("status", "session_token", "id_token", "expire")
			.containsEntry("status", "SUCCESS")
			.containsEntry("expire", 432000);
		Claims claims = this.http.verify(response.field("id_token"), this.clock).getPayload();
		assertThat(claims.get("mobile")).isEqualTo("+8613800000009");
		assertThat(this.simulator.users()).hasSize(2)
			.anySatisfy((user) -> assertThat(user.mobile()).isEqualTo("+8613800000009"));
		assertThat(this.http.refresh(response.field("session_token")).status()).isEqualTo(200);
	}

	@Test
	void registerBindWhenWrongCodeThenCaptcha0007() {
		String stateToken = this.http.login(this.simulator.issueUserRegisterCode()).field("state_token");
		sendEmail("carol@example.com", "REGISTER_EMS");
		assertThat(bind(IdaasSimulator.REGISTER_BIND_PATH, stateToken,
				Map.of("email", "carol@example.com", "verify_code", "999999"))
			.errorCode()).isEqualTo("IDAAS.SDK.CAPTCHA.0007");
		assertThat(this.simulator.users()).hasSize(1);
	}

	@Test
	void registerBindWhenAccountExistsThenUser0002() {
		String stateToken = this.http.login(this.simulator.issueUserRegisterCode()).field("state_token");
		sendEmail("bob@example.com", "REGISTER_EMS");
		assertThat(bind(IdaasSimulator.REGISTER_BIND_PATH, stateToken,
				Map.of("email", "bob@example.com", "verify_code", "123456"))
			.errorCode()).isEqualTo("IDAAS.SDK.USER.0002");
	}

	@Test
	void registerBindWhenStateTokenFromSocialBindThenCommon1007() {
		String stateToken = this.http.login(this.simulator.issueSocialBindCode()).field("state_token");
		sendSms("+8613800000009", "REGISTER_SMS");
		assertThat(bind(IdaasSimulator.REGISTER_BIND_PATH, stateToken,
				Map.of("mobile", "+8613800000009", "verify_code", "123456"))
			.errorCode()).isEqualTo("IDAAS.SDK.COMMON.1007");
	}

	@Test
	void loginWhenSocialFlowDataQuirksThenDataAbsentEmptyOrNotJsonAndOddStatus() {
		IdaasHttp.Response published = this.http.login(this.simulator.issueSocialBindCode());
		assertThat(published.json()).containsEntry("data",
				"{\"socialBindOrRegisterFlow\":[\"VERIFY_PHONE\",\"VERIFY_EMAIL\"]}")
			.containsEntry("status", "SOCIAL_BIND");
		this.simulator.socialFlowData(SocialFlowData.ABSENT).oddBranchStatus(true);
		IdaasHttp.Response absent = this.http.login(this.simulator.issueSocialBindCode());
		assertThat(absent.json()).containsOnlyKeys("state_token", "status").containsEntry("status", " Social_Bind");
		this.simulator.socialFlowData(SocialFlowData.EMPTY);
		IdaasHttp.Response empty = this.http.login(this.simulator.issueUserRegisterCode());
		assertThat(empty.json()).containsEntry("data", "").containsEntry("status", " User_Register");
		this.simulator.socialFlowData(SocialFlowData.NOT_JSON).oddBranchStatus(false);
		IdaasHttp.Response notJson = this.http.login(this.simulator.issueSocialBindCode(List.of("VERIFY_EMAIL")));
		assertThat(notJson.json()).containsEntry("data", "socialBindOrRegisterFlow=VERIFY_EMAIL")
			.containsEntry("status", "SOCIAL_BIND");
		// the flows the code was issued with still hold at the finish
		sendSms("+8613800000002", "BIND_MOBILE_SMS");
		assertThat(bind(IdaasSimulator.BIND_PATH, notJson.field("state_token"),
				Map.of("mobile", "+8613800000002", "verify_code", "123456"))
			.errorCode()).isEqualTo("IDAAS.SDK.PARAM.0004");
	}

	@Test
	void bindWhenFinishAnswerWithoutExpireThenSessionTokenAndIdTokenOnly() {
		this.simulator.socialFinishAnswer(SocialFinishAnswer.WITHOUT_EXPIRE);
		String stateToken = this.http.login(this.simulator.issueSocialBindCode()).field("state_token");
		sendSms("+8613800000002", "BIND_MOBILE_SMS");
		IdaasHttp.Response response = bind(IdaasSimulator.BIND_PATH, stateToken,
				Map.of("mobile", "+8613800000002", "verify_code", "123456"));
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json()).containsOnlyKeys("status", "session_token", "id_token");
		assertThat(this.http.refresh(response.field("session_token")).json()).containsEntry("expire", 432000);
	}

	private IdaasHttp.Response sendSms(String mobile, String type) {
		return this.http.post(IdaasSimulator.SMS_SEND_PATH, this.http.deviceHeaders(), IdaasHttp.json(Map.of("mobile",
				mobile, "type", type, "captcha_token", this.simulator.issueCaptchaToken(mobile.isEmpty() ? "x" : mobile))));
	}

	private IdaasHttp.Response sendEmail(String email, String type) {
		return this.http.post(IdaasSimulator.EMAIL_SEND_PATH, this.http.deviceHeaders(),
				IdaasHttp.json(Map.of("email", email, "type", type, "captcha_token", this.simulator.issueCaptchaToken(email))));
	}

	private IdaasHttp.Response bind(String path, String stateToken, Map<String, Object> body) {
		Map<String, String> headers = this.http.deviceHeaders();
		headers.put("X-state-token", stateToken);
		return this.http.post(path, headers, IdaasHttp.json(body));
	}

}

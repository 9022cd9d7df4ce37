package dev.idaas.spring.test.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.jsonwebtoken.Claims;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code MFA_AUTH} flow and the two published success answers of bind and register-and-bind,
 * over real HTTP.
 */
class IdaasSimulatorSecondFactorTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final SimulatedUser frank = SimulatedUser.of("frank", "Frank", "+8613800000006", "frank@example.com");

	private IdaasSimulator simulator;

	private IdaasHttp http;

	@BeforeEach
	void start() {
		this.simulator = new IdaasSimulator().clock(this.clock).requireSecondFactor(this.frank, true).start();
		this.http = new IdaasHttp(this.simulator);
	}

	@AfterEach
	void stop() {
		this.simulator.close();
	}

	@Test
	void loginWhenSecondFactorRequiredThenMfaAuthWithStateTokenOnly() {
		IdaasHttp.Response login = this.http.login(this.simulator.issueAppleCode(this.frank));
		assertThat(login.status()).isEqualTo(200);
		assertThat(login.json()).containsOnlyKeys("status", "state_token").containsEntry("status", "MFA_AUTH");
	}

	@Test
	void mobileByTokenWhenMfaStateTokenThenMobileOnFile() {
		String stateToken = this.http.login(this.simulator.issueAppleCode(this.frank)).field("state_token");
		IdaasHttp.Response response = this.http.get(IdaasSimulator.MOBILE_BY_TOKEN_PATH, stateHeaders(stateToken));
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json()).containsExactly(Map.entry("mobile", "+8613800000006"));
		assertThat(this.http.get(IdaasSimulator.MOBILE_BY_TOKEN_PATH, stateHeaders("unknown")).errorCode())
			.isEqualTo("IDAAS.SDK.COMMON.1007");
		String bindToken = this.http.login(this.simulator.issueSocialBindCode()).field("state_token");
		assertThat(this.http.get(IdaasSimulator.MOBILE_BY_TOKEN_PATH, stateHeaders(bindToken)).errorCode())
			.isEqualTo("IDAAS.SDK.COMMON.1007");
	}

	@Test
	void mfaSmsWhenRightCodeThenStatusSessionIdTokenExpireAndStateTokenSpent() {
		String stateToken = this.http.login(this.simulator.issueAppleCode(this.frank)).field("state_token");
		assertThat(sendSms("+8613800000006", "MFA_AUTH_SMS").status()).isEqualTo(200);
		Map<String, Object> body = Map.of("mobile", "+8613800000006", "verify_code", "123456");
		IdaasHttp.Response response = this.http.post(IdaasSimulator.MFA_SMS_PATH, stateHeaders(stateToken),
				IdaasHttp.json(body));
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json()).containsOnlyKeys("status", "session_token", "id_token", "expire")
			.containsEntry("status", "SUCCESS")
			.containsEntry("expire", 432000);
		Claims claims = this.http.verify(response.field("id_token"), this.clock).getPayload();
		assertThat(claims.getSubject()).isEqualTo("frank");
		assertThat(this.simulator.isSessionTokenValid(response.field("session_token"))).isTrue();
		assertThat(this.http.post(IdaasSimulator.MFA_SMS_PATH, stateHeaders(stateToken), IdaasHttp.json(body))
			.errorCode()).isEqualTo("IDAAS.SDK.COMMON.1007");
		assertThat(this.simulator.finishRequestCount("+8613800000006")).isEqualTo(2);
	}

	@Test
	void mfaSmsWhenWrongCodeOrBindTypeCodeThenCaptcha0007AndStateTokenStillUsable() {
		String stateToken = this.http.login(this.simulator.issueAppleCode(this.frank)).field("state_token");
		sendSms("+8613800000006", "BIND_MOBILE_SMS");
		Map<String, Object> body = Map.of("mobile", "+8613800000006", "verify_code", "123456");
		IdaasHttp.Response wrongType = this.http.post(IdaasSimulator.MFA_SMS_PATH, stateHeaders(stateToken),
				IdaasHttp.json(body));
		assertThat(wrongType.status()).isEqualTo(400);
		assertThat(wrongType.json()).containsEntry("error_code", "IDAAS.SDK.CAPTCHA.0007")
			.containsEntry("error_msg", "Incorrect verification code");
		sendSms("+8613800000006", "MFA_AUTH_SMS");
		assertThat(this.http.post(IdaasSimulator.MFA_SMS_PATH, stateHeaders(stateToken),
				IdaasHttp.json(Map.of("mobile", "+8613800000006", "verify_code", "000000")))
			.errorCode()).isEqualTo("IDAAS.SDK.CAPTCHA.0007");
		assertThat(this.http.post(IdaasSimulator.MFA_SMS_PATH, stateHeaders(stateToken), IdaasHttp.json(body))
			.status()).isEqualTo(200);
	}

	@Test
	void mfaEmailWhenRightCodeToAddressOnFileThenSuccessAndOtherAddressRefused() {
		String stateToken = this.http.login(this.simulator.issueAppleCode(this.frank)).field("state_token");
		this.http.post(IdaasSimulator.EMAIL_SEND_PATH, this.http.deviceHeaders(),
				IdaasHttp.json(Map.of("email", "frank@example.com", "type", "MFA_AUTH_EMS", "captcha_token",
						this.simulator.issueCaptchaToken("frank@example.com"))));
		assertThat(this.http.post(IdaasSimulator.MFA_EMAIL_PATH, stateHeaders(stateToken),
				IdaasHttp.json(Map.of("email", "mallory@example.com", "verify_code", "123456")))
			.errorCode()).isEqualTo("IDAAS.SDK.PARAM.0004");
		IdaasHttp.Response response = this.http.post(IdaasSimulator.MFA_EMAIL_PATH, stateHeaders(stateToken),
				IdaasHttp.json(Map.of("email", "frank@example.com", "verify_code", "123456")));
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.field("status")).isEqualTo("SUCCESS");
	}

	@Test
	void mfaWhenStateTokenExpiredThenCommon1007() {
		String stateToken = this.http.login(this.simulator.issueAppleCode(this.frank)).field("state_token");
		sendSms("+8613800000006", "MFA_AUTH_SMS");
		this.clock.advance(Duration.ofMinutes(10));
		assertThat(this.http.post(IdaasSimulator.MFA_SMS_PATH, stateHeaders(stateToken),
				IdaasHttp.json(Map.of("mobile", "+8613800000006", "verify_code", "123456")))
			.errorCode()).isEqualTo("IDAAS.SDK.COMMON.1007");
	}

	@Test
	void bindWhenAccountHasSecondFactorThenMfaAuthAndNoSession() {
		String stateToken = this.http.login(this.simulator.issueSocialBindCode()).field("state_token");
		sendSms("+8613800000006", "BIND_MOBILE_SMS");
		IdaasHttp.Response response = this.http.post(IdaasSimulator.BIND_PATH, stateHeaders(stateToken),
				IdaasHttp.json(Map.of("mobile", "+8613800000006", "verify_code", "123456")));
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json()).containsOnlyKeys("status", "state_token").containsEntry("status", "MFA_AUTH");
		assertThat(this.http.get(IdaasSimulator.MOBILE_BY_TOKEN_PATH, stateHeaders(response.field("state_token")))
			.field("mobile")).isEqualTo("+8613800000006");
	}

	@Test
	void bindWhenSecondFactorSwitchedOffThenSessionAgain() {
		this.simulator.requireSecondFactor(this.frank, false);
		assertThat(this.http.login(this.simulator.issueAppleCode(this.frank)).field("status")).isEqualTo("SUCCESS");
	}

	@Test
	void bindWhenFinishAnswerWithIdTokenThenPublishedFullAnswer() {
		this.simulator.requireSecondFactor(this.frank, false).socialFinishAnswer(SocialFinishAnswer.WITH_ID_TOKEN);
		String stateToken = this.http.login(this.simulator.issueSocialBindCode()).field("state_token");
		sendSms("+8613800000006", "BIND_MOBILE_SMS");
		IdaasHttp.Response response = this.http.post(IdaasSimulator.BIND_PATH, stateHeaders(stateToken),
				IdaasHttp.json(Map.of("mobile", "+8613800000006", "verify_code", "123456")));
		assertThat(response.json()).containsOnlyKeys("status", "session_token", "expire", "id_token")
			.containsEntry("status", "SUCCESS");
	}

	@Test
	void registerBindWhenFinishAnswerWithoutIdTokenThenSessionTokenAndExpireOnly() {
		this.simulator.socialFinishAnswer(SocialFinishAnswer.WITHOUT_ID_TOKEN);
		String stateToken = this.http.login(this.simulator.issueUserRegisterCode()).field("state_token");
		sendSms("+8613800000009", "REGISTER_SMS");
		IdaasHttp.Response response = this.http.post(IdaasSimulator.REGISTER_BIND_PATH, stateHeaders(stateToken),
				IdaasHttp.json(Map.of("mobile", "+8613800000009", "verify_code", "123456")));
		assertThat(response.json()).containsOnlyKeys("session_token", "expire");
	}

	@Test
	void samplePeopleWhenFrankThenMfaAuth() {
		this.simulator.withSamplePeople();
		assertThat(this.http.login(this.simulator.issueAppleCode(SamplePeople.FRANK_PERSON)).field("status"))
			.isEqualTo("MFA_AUTH");
	}

	private Map<String, String> stateHeaders(String stateToken) {
		Map<String, String> headers = this.http.deviceHeaders();
		headers.put("X-state-token", stateToken);
		return headers;
	}

	private IdaasHttp.Response sendSms(String mobile, String type) {
		return this.http.post(IdaasSimulator.SMS_SEND_PATH, this.http.deviceHeaders(), IdaasHttp.json(
				Map.of("mobile", mobile, "type", type, "captcha_token", this.simulator.issueCaptchaToken(mobile))));
	}

}

package dev.idaas.spring.test.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.jsonwebtoken.Claims;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class IdaasSimulatorLoginTests {

	private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

	private final MutableClock clock = new MutableClock(NOW);

	private final SimulatedUser alice = SimulatedUser.of("alice", "Alice", "+8613800000001", "alice@example.com");

	private IdaasSimulator simulator;

	private IdaasHttp http;

	@BeforeEach
	void start() {
		this.simulator = new IdaasSimulator().clock(this.clock).registerUser(this.alice).start();
		this.http = new IdaasHttp(this.simulator);
	}

	@AfterEach
	void stop() {
		this.simulator.close();
	}

	@ParameterizedTest
	@ValueSource(strings = { "X-operating-sys-version", "X-device-fingerprint", "X-agent" })
	void loginWhenDeviceHeaderMissingThenParam0001(String header) {
		Map<String, String> headers = this.http.deviceHeaders();
		headers.remove(header);
		IdaasHttp.Response response = loginWith(headers);
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json()).containsExactly(Map.entry("error_code", "IDAAS.SDK.PARAM.0001"),
				Map.entry("error_msg", "Device information is incomplete"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "X-operating-sys-version", "X-device-fingerprint", "X-agent" })
	void loginWhenDeviceHeaderBlankThenParam0001(String header) {
		Map<String, String> headers = this.http.deviceHeaders();
		headers.put(header, " ");
		assertThat(loginWith(headers).errorCode()).isEqualTo("IDAAS.SDK.PARAM.0001");
	}

	@Test
	void loginWhenChineseRequestedThenChineseMessage() {
		Map<String, String> headers = this.http.deviceHeaders();
		headers.remove("X-agent");
		headers.put("X-L", "zh");
		assertThat(loginWith(headers).json()).containsEntry("error_code", "IDAAS.SDK.PARAM.0001")
			.containsEntry("error_msg", "设备信息不完整");
	}

	@ParameterizedTest
	@ValueSource(strings = { "text/plain", "application/x-www-form-urlencoded", "application/xml" })
	void loginWhenContentTypeNotJsonThenParam0004(String contentType) {
		Map<String, String> headers = this.http.deviceHeaders();
		headers.put("Content-Type", contentType);
		IdaasHttp.Response response = loginWith(headers);
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.errorCode()).isEqualTo("IDAAS.SDK.PARAM.0004");
		assertThat(loginWith(this.http.deviceHeaders()).errorCode()).isNotEqualTo("IDAAS.SDK.PARAM.0004");
	}

	@Test
	void loginWhenClientIdMissingThenParam0002() {
		Map<String, String> headers = this.http.deviceHeaders();
		headers.remove("X-client-id");
		IdaasHttp.Response response = loginWith(headers);
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json()).containsEntry("error_code", "IDAAS.SDK.PARAM.0002")
			.containsEntry("error_msg", "clientId cannot be empty");
	}

	@Test
	void loginWhenClientIdUnknownThenParam0003() {
		Map<String, String> headers = this.http.deviceHeaders();
		headers.put("X-client-id", "not-the-client");
		IdaasHttp.Response response = loginWith(headers);
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json()).containsEntry("error_code", "IDAAS.SDK.PARAM.0003")
			.containsEntry("error_msg", "The app is not registered, please register the app first");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"code\":\"\"}", "{\"code\":\"  \"}", "{}", "", "not json", "{\"code\":42}" })
	void loginWhenCodeEmptyOrMissingThenParam0011(String body) {
		IdaasHttp.Response response = this.http.post(IdaasSimulator.LOGIN_PATH, this.http.deviceHeaders(), body);
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json()).containsEntry("error_code", "IDAAS.SDK.PARAM.0011")
			.containsEntry("error_msg", "Apple authorization code cannot be empty");
	}

	@Test
	void loginWhenCodeForUserThenSuccessWithSessionAndVerifiableIdToken() {
		IdaasHttp.Response response = this.http.login(this.simulator.issueAppleCode(this.alice));
		assertThat(response.status()).isEqualTo(200);
		Map<String, Object> body = response.json();
		assertThat(body).containsOnlyKeys("session_token", "expire", "status", "id_token")
			.containsEntry("status", "SUCCESS")
			.containsEntry("expire", 432000);
		String sessionToken = (String) body.get("session_token");
		assertThat(sessionToken).hasSize(32).matches("[A-Za-z0-9]+");
		assertThat(this.simulator.isSessionTokenValid(sessionToken)).isTrue();
		Claims claims = this.http.verify((String) body.get("id_token"), this.clock).getPayload();
		assertThat(claims.getSubject()).isEqualTo("alice");
		assertThat(claims.get("id")).isEqualTo(this.alice.id());
	}

	@Test
	void loginWhenSessionTokenTtlSetThenExpireFollows() {
		this.simulator.sessionTokenTtl(Duration.ofDays(7));
		assertThat(this.http.login(this.simulator.issueAppleCode(this.alice)).json()).containsEntry("expire", 604800);
	}

	@Test
	void loginWhenCodeUsedTwiceThenSecondIsParam0011() {
		String code = this.simulator.issueAppleCode(this.alice);
		assertThat(this.http.login(code).status()).isEqualTo(200);
		IdaasHttp.Response second = this.http.login(code);
		assertThat(second.status()).isEqualTo(400);
		assertThat(second.errorCode()).isEqualTo("IDAAS.SDK.PARAM.0011");
	}

	@Test
	void loginWhenCodeUnknownThenParam0011() {
		assertThat(this.http.login("c0ffee.0.never-issued").errorCode()).isEqualTo("IDAAS.SDK.PARAM.0011");
	}

	@Test
	void loginWhenCodeOlderThanFiveMinutesThenParam0011() {
		String code = this.simulator.issueAppleCode(this.alice);
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(this.http.login(code).errorCode()).isEqualTo("IDAAS.SDK.PARAM.0011");
	}

	@Test
	void loginWhenCodeJustUnderFiveMinutesThenSuccess() {
		String code = this.simulator.issueAppleCode(this.alice);
		this.clock.advance(Duration.ofMinutes(5).minusSeconds(1));
		assertThat(this.http.login(code).field("status")).isEqualTo("SUCCESS");
	}

	@Test
	void loginWhenSocialBindCodeThenStateTokenAndFlowsInAJsonString() {
		IdaasHttp.Response response = this.http.login(this.simulator.issueSocialBindCode());
		assertThat(response.status()).isEqualTo(200);
		Map<String, Object> body = response.json();
		assertThat(body).containsOnlyKeys("state_token", "data", "status").containsEntry("status", "SOCIAL_BIND");
		assertThat((String) body.get("state_token")).isNotBlank();
		assertThat(body.get("data")).isEqualTo("{\"socialBindOrRegisterFlow\":[\"VERIFY_PHONE\",\"VERIFY_EMAIL\"]}");
	}

	@Test
	void loginWhenUserRegisterCodeWithFlowsThenThoseFlows() {
		IdaasHttp.Response response = this.http.login(this.simulator.issueUserRegisterCode(List.of("VERIFY_EMAIL")));
		assertThat(response.json()).containsEntry("status", "USER_REGISTER")
			.containsEntry("data", "{\"socialBindOrRegisterFlow\":[\"VERIFY_EMAIL\"]}");
	}

	@Test
	void loginWhenDefaultFlowsChangedThenLaterCodesUseThem() {
		this.simulator.socialFlows(List.of());
		assertThat(this.http.login(this.simulator.issueSocialBindCode()).field("data"))
			.isEqualTo("{\"socialBindOrRegisterFlow\":[]}");
	}

	@Test
	void loginWhenAccessDeniedCodeThenOnlyStatus() {
		IdaasHttp.Response response = this.http.login(this.simulator.issueAccessDeniedCode());
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json()).containsExactly(Map.entry("status", "ACCESS_DENIED"));
	}

	@Test
	void loginWhenUserDisabledThenUser0039() {
		String code = this.simulator.issueAppleCode(this.alice);
		this.simulator.disableUser(this.alice);
		IdaasHttp.Response response = this.http.login(code);
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json()).containsEntry("error_code", "IDAAS.SDK.USER.0039")
			.containsEntry("error_msg", "User is disabled");
	}

	@Test
	void loginWhenUserEnabledAgainThenSuccess() {
		this.simulator.disableUser(this.alice).enableUser(this.alice);
		assertThat(this.http.login(this.simulator.issueAppleCode(this.alice)).field("status")).isEqualTo("SUCCESS");
	}

	@Test
	void loginWhenCalledThenCountedAndRecordedWithHeaders() {
		this.http.login(this.simulator.issueAppleCode(this.alice));
		this.http.login("");
		assertThat(this.simulator.loginRequestCount()).isEqualTo(2);
		assertThat(this.simulator.refreshRequestCount()).isZero();
		RecordedIdaasRequest last = this.simulator.lastRequest(IdaasSimulator.LOGIN_PATH);
		assertThat(last).isNotNull();
		assertThat(last.method()).isEqualTo("POST");
		assertThat(last.header("x-client-id")).isEqualTo(this.simulator.clientId());
		assertThat(last.header("X-Device-IP")).isEqualTo("192.168.1.2");
		assertThat(last.header("Content-Type")).startsWith("application/json");
		assertThat(last.body()).isEqualTo("{\"code\":\"\"}");
		assertThat(last.toString()).doesNotContain("code\"").doesNotContain(this.simulator.clientId());
		this.simulator.resetRecordsAndFaults();
		assertThat(this.simulator.loginRequestCount()).isZero();
		assertThat(this.simulator.recordedRequests()).isEmpty();
	}

	private IdaasHttp.Response loginWith(Map<String, String> headers) {
		String code = this.simulator.issueAppleCode(this.alice);
		return this.http.post(IdaasSimulator.LOGIN_PATH, headers, IdaasHttp.json(Map.of("code", code)));
	}

}

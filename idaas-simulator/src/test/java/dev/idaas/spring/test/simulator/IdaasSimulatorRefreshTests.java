package dev.idaas.spring.test.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.jsonwebtoken.Claims;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IdaasSimulatorRefreshTests {

	private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

	private final MutableClock clock = new MutableClock(NOW);

	private final SimulatedUser alice = SimulatedUser.of("alice", "Alice", "+8613800000001", "alice@example.com");

	private IdaasSimulator simulator;

	private IdaasHttp http;

	@BeforeEach
	void start() {
		this.simulator = new IdaasSimulator().clock(this.clock).start();
		this.http = new IdaasHttp(this.simulator);
	}

	@AfterEach
	void stop() {
		this.simulator.close();
	}

	@Test
	void refreshWhenSessionTokenMissingThenParam0022() {
		IdaasHttp.Response response = this.http.post(IdaasSimulator.REFRESH_PATH, this.http.deviceHeaders(), "");
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json()).containsEntry("error_code", "IDAAS.SDK.PARAM.0022")
			.containsEntry("error_msg", "Session token cannot be empty");
	}

	@Test
	void refreshWhenSessionTokenUnknownThenParam0023InEnglishOrChinese() {
		IdaasHttp.Response response = this.http.refresh("unknown-token");
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json()).containsEntry("error_code", "IDAAS.SDK.PARAM.0023")
			.containsEntry("error_msg", "Invalid or expired session token");
		Map<String, String> headers = this.http.deviceHeaders();
		headers.put("session-token", "unknown-token");
		headers.put("X-L", "zh-CN");
		assertThat(this.http.post(IdaasSimulator.REFRESH_PATH, headers, "").json()).containsEntry("error_msg",
				"会话令牌无效或已过期");
	}

	@Test
	void refreshWhenDeviceHeadersMissingThenParam0001BeforeSessionChecks() {
		Map<String, String> headers = this.http.deviceHeaders();
		headers.remove("X-device-fingerprint");
		assertThat(this.http.post(IdaasSimulator.REFRESH_PATH, headers, "").errorCode())
			.isEqualTo("IDAAS.SDK.PARAM.0001");
	}

	@Test
	void refreshWhenNoRotationThenSameSessionTokenRemainingExpireAndNewIdToken() {
		String sessionToken = this.simulator.issueSessionToken(this.alice);
		this.clock.advance(Duration.ofSeconds(1000));
		IdaasHttp.Response response = this.http.refresh(sessionToken);
		assertThat(response.status()).isEqualTo(200);
		Map<String, Object> body = response.json();
		assertThat(body).containsOnlyKeys("session_token", "expire", "id_token")
			.containsEntry("session_token", sessionToken)
			.containsEntry("expire", 432000 - 1000);
		Claims claims = this.http.verify((String) body.get("id_token"), this.clock).getPayload();
		assertThat(claims.getSubject()).isEqualTo("alice");
		assertThat(claims.getIssuedAt().toInstant()).isEqualTo(NOW.plusSeconds(1000));
		assertThat(this.http.refresh(sessionToken).status()).isEqualTo(200);
		assertThat(this.simulator.refreshRequestCount()).isEqualTo(2);
	}

	@Test
	void refreshWhenRotationThenNewSessionTokenAndOldOneRejected() {
		this.simulator.sessionTokenRotation(true);
		String oldToken = this.simulator.issueSessionToken(this.alice);
		this.clock.advance(Duration.ofSeconds(1000));
		IdaasHttp.Response response = this.http.refresh(oldToken);
		assertThat(response.status()).isEqualTo(200);
		String newToken = response.field("session_token");
		assertThat(newToken).isNotEqualTo(oldToken);
		assertThat(response.json()).containsEntry("expire", 432000);
		assertThat(this.http.verify(response.field("id_token"), this.clock).getPayload().getSubject())
			.isEqualTo("alice");
		assertThat(this.http.refresh(oldToken).errorCode()).isEqualTo("IDAAS.SDK.PARAM.0023");
		assertThat(this.http.refresh(newToken).status()).isEqualTo(200);
		assertThat(this.simulator.isSessionTokenValid(oldToken)).isFalse();
	}

	@Test
	void refreshWhenSessionExpiredByClockThenParam0023() {
		this.simulator.sessionTokenTtl(Duration.ofHours(1));
		String sessionToken = this.simulator.issueSessionToken(this.alice);
		this.clock.advance(Duration.ofMinutes(59));
		assertThat(this.http.refresh(sessionToken).json()).containsEntry("expire", 60);
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(this.http.refresh(sessionToken).errorCode()).isEqualTo("IDAAS.SDK.PARAM.0023");
	}

	@Test
	void refreshWhenRefreshedIdTokenThenSameIssuerSubjectAudienceAndLaterExpiry() {
		IdaasHttp.Response login = this.http.login(this.simulator.issueAppleCode(this.alice));
		Claims first = this.http.verify(login.field("id_token"), this.clock).getPayload();
		this.clock.advance(Duration.ofMinutes(4));
		Claims second = this.http.verify(this.http.refresh(login.field("session_token")).field("id_token"), this.clock)
			.getPayload();
		assertThat(second.getIssuer()).isEqualTo(first.getIssuer());
		assertThat(second.getSubject()).isEqualTo(first.getSubject());
		assertThat(second.getAudience()).isEqualTo(first.getAudience());
		assertThat(second.getExpiration()).isAfter(first.getExpiration());
		assertThat(second.getId()).isNotEqualTo(first.getId());
	}

	@Test
	void refreshWhenHeaderNameConfiguredThenOnlyThatHeaderCounts() {
		this.simulator.sessionTokenHeader("X-session-token");
		String sessionToken = this.simulator.issueSessionToken(this.alice);
		assertThat(this.http.refresh(sessionToken).errorCode()).isEqualTo("IDAAS.SDK.PARAM.0022");
		Map<String, String> headers = this.http.deviceHeaders();
		headers.put("X-session-token", sessionToken);
		assertThat(this.http.post(IdaasSimulator.REFRESH_PATH, headers, "").status()).isEqualTo(200);
	}

	@Test
	void refreshWhenUserDisabledThenParam0023() {
		String sessionToken = this.simulator.issueSessionToken(this.alice);
		this.simulator.disableUser(this.alice);
		assertThat(this.http.refresh(sessionToken).errorCode()).isEqualTo("IDAAS.SDK.PARAM.0023");
	}

}

package dev.idaas.spring.test.simulator;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulator's logout endpoints (white-labelled edition), over real HTTP.
 */
class IdaasSimulatorLogoutTests {

	private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

	private static final OAEPParameterSpec OAEP_SHA256 = new OAEPParameterSpec("SHA-256", "MGF1",
			MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);

	private final MutableClock clock = new MutableClock(NOW);

	private final SimulatedUser alice = SimulatedUser.of("alice", "Alice", "+8613800000001", "alice@example.com");

	private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private IdaasSimulator simulator;

	private IdaasHttp http;

	@BeforeEach
	void start() {
		this.simulator = new IdaasSimulator().clock(this.clock).start();
		this.simulator.registerUser(this.alice);
		this.http = new IdaasHttp(this.simulator);
	}

	@AfterEach
	void stop() {
		this.simulator.close();
	}

	@Test
	void publicKeyWhenGetThenBase64X509RsaKeyOf2048Bits() throws Exception {
		HttpResponse<String> response = get(IdaasSimulator.PUBLIC_KEY_PATH, null);
		assertThat(response.statusCode()).isEqualTo(200);
		String encoded = (String) IdaasHttp.JSON.readValue(response.body(), Map.class).get("public_key");
		PublicKey key = KeyFactory.getInstance("RSA")
			.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(encoded)));
		assertThat(key).isEqualTo(this.simulator.logoutPublicKey());
		assertThat(this.simulator.logoutPublicKey().getModulus().bitLength()).isEqualTo(2048);
	}

	@Test
	void serverDateWhenGetThenSimulatorClockInMillisAndDateHeader() throws Exception {
		this.clock.advance(Duration.ofMillis(1234));
		HttpResponse<String> response = get(IdaasSimulator.SERVER_DATE_PATH, null);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(IdaasHttp.JSON.readValue(response.body(), Map.class).get("server_date"))
			.isEqualTo(NOW.toEpochMilli() + 1234);
		assertThat(response.headers().firstValue("Date")).hasValue("Thu, 1 Jan 2026 00:00:01 GMT");
	}

	@Test
	void logoutWhenSignedForLiveSessionTokenThenRevokedAndRefreshAnswers0023() throws Exception {
		String sessionToken = this.simulator.issueSessionToken(this.alice);
		HttpResponse<String> response = get(IdaasSimulator.LOGOUT_PATH,
				sign("session_token=" + sessionToken + "&timestamp=" + NOW.toEpochMilli() + "&nonce=n0nce-AAAA"));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"status\":\"SUCCESS\"}");
		assertThat(this.simulator.isSessionTokenValid(sessionToken)).isFalse();
		assertThat(this.http.refresh(sessionToken).json()).containsEntry("error_code", "IDAAS.SDK.PARAM.0023");
	}

	@Test
	void logoutWhenNonceReusedThenParam0004AndOtherSessionStaysValid() throws Exception {
		String first = this.simulator.issueSessionToken(this.alice);
		String second = this.simulator.issueSessionToken(this.alice);
		assertThat(get(IdaasSimulator.LOGOUT_PATH, sign(text(first, NOW, "same-nonce-1"))).statusCode())
			.isEqualTo(200);
		HttpResponse<String> replay = get(IdaasSimulator.LOGOUT_PATH, sign(text(second, NOW, "same-nonce-1")));
		assertThat(replay.statusCode()).isEqualTo(400);
		assertThat(replay.body()).contains("IDAAS.SDK.PARAM.0004");
		assertThat(this.simulator.isSessionTokenValid(second)).isTrue();
	}

	@Test
	void logoutWhenTimestampOutsideFiveMinutesThenRefused() throws Exception {
		String sessionToken = this.simulator.issueSessionToken(this.alice);
		assertThat(get(IdaasSimulator.LOGOUT_PATH,
				sign(text(sessionToken, NOW.minus(Duration.ofMinutes(5)).minusSeconds(1), "nonce-old-1")))
			.statusCode()).isEqualTo(400);
		assertThat(get(IdaasSimulator.LOGOUT_PATH,
				sign(text(sessionToken, NOW.plus(Duration.ofMinutes(5)).plusSeconds(1), "nonce-new-1")))
			.statusCode()).isEqualTo(400);
		assertThat(this.simulator.isSessionTokenValid(sessionToken)).isTrue();
		// inside the window it works
		assertThat(get(IdaasSimulator.LOGOUT_PATH,
				sign(text(sessionToken, NOW.plus(Duration.ofMinutes(4)), "nonce-ok-01"))).statusCode())
			.isEqualTo(200);
	}

	@Test
	void logoutWhenSignedWithSha1Mgf1OrRotatedKeyOrMissingThenRefused() throws Exception {
		String sessionToken = this.simulator.issueSessionToken(this.alice);
		// the JDK's default parameters for OAEPWithSHA-256AndMGF1Padding use SHA-1 for MGF1
		Cipher jdkDefault = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
		jdkDefault.init(Cipher.ENCRYPT_MODE, this.simulator.logoutPublicKey());
		String sha1Mgf1 = Base64.getEncoder()
			.encodeToString(jdkDefault.doFinal(text(sessionToken, NOW, "nonce-sha1-1").getBytes(StandardCharsets.UTF_8)));
		assertThat(get(IdaasSimulator.LOGOUT_PATH, sha1Mgf1).statusCode()).isEqualTo(400);
		String withOldKey = sign(text(sessionToken, NOW, "nonce-rot-01"));
		this.simulator.rotateLogoutKey();
		assertThat(get(IdaasSimulator.LOGOUT_PATH, withOldKey).statusCode()).isEqualTo(400);
		assertThat(get(IdaasSimulator.LOGOUT_PATH, null).body()).contains("IDAAS.SDK.PARAM.0004");
		assertThat(get(IdaasSimulator.LOGOUT_PATH, "bm90IGEgc2lnbmF0dXJl").statusCode()).isEqualTo(400);
		assertThat(this.simulator.isSessionTokenValid(sessionToken)).isTrue();
		assertThat(get(IdaasSimulator.LOGOUT_PATH, sign(text(sessionToken, NOW, "nonce-new-key"))).statusCode())
			.isEqualTo(200);
	}

	@Test
	void logoutWhenSessionTokenUnknownThenParam0023() throws Exception {
		HttpResponse<String> response = get(IdaasSimulator.LOGOUT_PATH, sign(text("unknown-token", NOW, "nonce-unk-1")));
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("IDAAS.SDK.PARAM.0023");
	}

	@Test
	void logoutWhenDeviceHeadersMissingThenParam0001() throws Exception {
		String sessionToken = this.simulator.issueSessionToken(this.alice);
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.simulator.baseUrl() + IdaasSimulator.LOGOUT_PATH))
			.header("X-signature", sign(text(sessionToken, NOW, "nonce-dev-01")))
			.GET()
			.build();
		HttpResponse<String> response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("IDAAS.SDK.PARAM.0001");
		assertThat(this.simulator.isSessionTokenValid(sessionToken)).isTrue();
	}

	@Test
	void logoutWhenContentTypeMissingThenParam0004() throws Exception {
		String sessionToken = this.simulator.issueSessionToken(this.alice);
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create(this.simulator.baseUrl() + IdaasSimulator.LOGOUT_PATH))
			.header("X-signature", sign(text(sessionToken, NOW, "nonce-ct-001")))
			.GET();
		this.http.deviceHeaders().forEach(request::header);
		HttpResponse<String> response = this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("IDAAS.SDK.PARAM.0004");
		assertThat(this.simulator.isSessionTokenValid(sessionToken)).isTrue();
	}

	@Test
	void logoutWhenFailNextThenFaultApplies() throws Exception {
		this.simulator.failNext(1, 500);
		assertThat(get(IdaasSimulator.PUBLIC_KEY_PATH, null).statusCode()).isEqualTo(500);
		assertThat(get(IdaasSimulator.PUBLIC_KEY_PATH, null).statusCode()).isEqualTo(200);
		assertThat(this.simulator.requestCount(IdaasSimulator.PUBLIC_KEY_PATH)).isEqualTo(2);
	}

	@Test
	void browserLogoutWhenRedirectAllowedThen302ElseBadRequest() throws Exception {
		String allowed = "http://localhost:8080/login?logout";
		this.simulator.allowLogoutRedirect(allowed);
		HttpResponse<String> redirected = browserLogout(allowed);
		assertThat(redirected.statusCode()).isEqualTo(302);
		assertThat(redirected.headers().firstValue("Location")).hasValue(allowed);
		HttpResponse<String> refused = browserLogout("https://evil.example/login?logout");
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.headers().firstValue("Location")).isEmpty();
		assertThat(send(IdaasSimulator.WEB_LOGOUT_PATH).statusCode()).isEqualTo(400);
		assertThat(this.simulator.requestCount(IdaasSimulator.WEB_LOGOUT_PATH)).isEqualTo(3);
	}

	private HttpResponse<String> browserLogout(String redirectUrl) throws Exception {
		return send(IdaasSimulator.WEB_LOGOUT_PATH + "?redirect_url="
				+ URLEncoder.encode(redirectUrl, StandardCharsets.UTF_8));
	}

	private HttpResponse<String> send(String pathAndQuery) throws Exception {
		return this.client.send(
				HttpRequest.newBuilder(URI.create(this.simulator.baseUrl() + pathAndQuery)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String path, String signature) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.simulator.baseUrl() + path))
			.header("Content-Type", "application/json")
			.GET();
		this.http.deviceHeaders().forEach(request::header);
		if (signature != null) {
			request.header("X-signature", signature);
		}
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String text(String sessionToken, Instant timestamp, String nonce) {
		return "session_token=" + sessionToken + "&timestamp=" + timestamp.toEpochMilli() + "&nonce=" + nonce;
	}

	private String sign(String text) throws Exception {
		Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
		cipher.init(Cipher.ENCRYPT_MODE, this.simulator.logoutPublicKey(), OAEP_SHA256);
		return Base64.getEncoder().encodeToString(cipher.doFinal(text.getBytes(StandardCharsets.UTF_8)));
	}

}

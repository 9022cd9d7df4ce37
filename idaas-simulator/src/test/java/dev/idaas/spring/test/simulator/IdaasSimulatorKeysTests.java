package dev.idaas.spring.test.simulator;

import java.math.BigInteger;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.SignatureException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class IdaasSimulatorKeysTests {

	private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

	private final MutableClock clock = new MutableClock(NOW);

	private final SimulatedUser alice = SimulatedUser.of("alice", "Alice", "+8613800000001", "alice@example.com");

	private IdaasSimulator simulator;

	private IdaasHttp http;

	@BeforeEach
	void start() {
		this.simulator = new IdaasSimulator("client-123").clock(this.clock).start();
		this.http = new IdaasHttp(this.simulator);
	}

	@AfterEach
	void stop() {
		this.simulator.close();
	}

	@Test
	@SuppressWarnings("unchecked")
	void jwksWhenRequestedThenServesOneRsaSigningKeyWithUnsignedBase64UrlNumbers() {
		IdaasHttp.Response response = this.http.get(IdaasSimulator.JWKS_PATH);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.contentType()).startsWith("application/json");
		List<Map<String, Object>> keys = (List<Map<String, Object>>) response.json().get("keys");
		assertThat(keys).hasSize(1);
		Map<String, Object> jwk = keys.get(0);
		assertThat(jwk).containsOnlyKeys("kty", "kid", "use", "alg", "n", "e")
			.containsEntry("kty", "RSA")
			.containsEntry("kid", this.simulator.activeKeyId())
			.containsEntry("use", "sig")
			.containsEntry("alg", "RS256")
			.containsEntry("e", "AQAB");
		String n = (String) jwk.get("n");
		assertThat(n).doesNotContain("=", "+", "/");
		byte[] modulus = Base64.getUrlDecoder().decode(n);
		assertThat(modulus).hasSize(256);
		assertThat(modulus[0]).isNotZero();
		assertThat(((RSAPublicKey) IdaasHttp.publicKey(jwk)).getModulus().bitLength()).isEqualTo(2048);
		assertThat(new BigInteger(1, modulus).bitLength()).isEqualTo(2048);
		assertThat(this.simulator.jwksRequestCount()).isEqualTo(1);
	}

	@Test
	void discoveryWhenRequestedThenIssuerAndJwksUriUnderBaseUrl() {
		IdaasHttp.Response response = this.http.get(IdaasSimulator.DISCOVERY_PATH);
		assertThat(response.status()).isEqualTo(200);
		String baseUrl = this.simulator.baseUrl().toString();
		assertThat(baseUrl).startsWith("http://").doesNotEndWith("/");
		assertThat(response.json()).containsEntry("issuer", baseUrl + "/api/v1/oauth2")
			.containsEntry("jwks_uri", baseUrl + "/api/v1/oauth2/keys")
			.containsEntry("id_token_signing_alg_values_supported", List.of("RS256"));
		assertThat(this.simulator.issuer()).isEqualTo(baseUrl + "/api/v1/oauth2");
	}

	@Test
	void mintIdTokenWhenVerifiedWithJwksThenCarriesEveryVendorClaim() {
		Jws<Claims> jws = this.http.verify(this.simulator.mintIdToken(this.alice), this.clock);
		assertThat(jws.getHeader().getAlgorithm()).isEqualTo("RS256");
		assertThat(jws.getHeader().getKeyId()).isEqualTo(this.simulator.activeKeyId());
		Claims claims = jws.getPayload();
		assertThat(claims.getSubject()).isEqualTo("alice");
		assertThat(claims.get("id")).isEqualTo(this.alice.id());
		assertThat(claims.get("name")).isEqualTo("Alice");
		assertThat(claims.get("userName")).isEqualTo("alice");
		assertThat(claims.get("mobile")).isEqualTo("+8613800000001");
		assertThat(claims.get("email")).isEqualTo("alice@example.com");
		assertThat(claims.getIssuer()).isEqualTo(this.simulator.issuer());
		assertThat(claims.getAudience()).containsExactly("client-123");
		assertThat(claims.getIssuedAt().toInstant()).isEqualTo(NOW);
		assertThat(claims.getExpiration().toInstant()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
		assertThat(claims.getNotBefore().toInstant()).isEqualTo(NOW.minusSeconds(120));
		assertThat(claims.getId()).isNotBlank();
	}

	@Test
	void mintIdTokenWhenDecodedThenAudienceIsAStringAndTimesAreEpochSeconds() {
		String token = this.simulator.mintIdToken(this.alice);
		String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
		Map<String, Object> claims = IdaasHttp.JSON.readValue(payload, Map.class);
		assertThat(claims).containsEntry("aud", "client-123")
			.containsEntry("iat", (int) NOW.getEpochSecond())
			.containsEntry("nbf", (int) NOW.getEpochSecond() - 120);
	}

	@Test
	void mintIdTokenWhenTwiceThenDistinctJti() {
		String first = (String) this.http.verify(this.simulator.mintIdToken(this.alice), this.clock)
			.getPayload()
			.getId();
		String second = (String) this.http.verify(this.simulator.mintIdToken(this.alice), this.clock)
			.getPayload()
			.getId();
		assertThat(first).isNotEqualTo(second);
	}

	@Test
	void mintIdTokenWhenCustomizedThenClaimsAndHeaderChanged() {
		String token = this.simulator.mintIdToken(this.alice, (claims) -> {
			claims.put("aud", "someone-else");
			claims.remove("mobile");
		}, (header) -> header.put("jku", "https://attacker.example/keys"));
		Jws<Claims> jws = this.http.verify(token, this.clock);
		assertThat(jws.getPayload().getAudience()).containsExactly("someone-else");
		assertThat(jws.getPayload()).doesNotContainKey("mobile");
		assertThat(jws.getHeader().getJwkSetUrl()).hasToString("https://attacker.example/keys");
	}

	@Test
	void idTokenTtlWhenSetThenExpiryFollows() {
		this.simulator.idTokenTtl(Duration.ofMinutes(1));
		Claims claims = this.http.verify(this.simulator.mintIdToken(this.alice), this.clock).getPayload();
		assertThat(claims.getExpiration().toInstant()).isEqualTo(NOW.plusSeconds(60));
	}

	@Test
	void rotateKeysWhenKeepingPreviousThenServesBothAndSignsWithTheNewOne() {
		String oldKid = this.simulator.activeKeyId();
		String oldToken = this.simulator.mintIdToken(this.alice);
		String newKid = this.simulator.rotateKeys();
		assertThat(newKid).isNotEqualTo(oldKid);
		assertThat(this.simulator.keyIds()).containsExactly(oldKid, newKid);
		String newToken = this.simulator.mintIdToken(this.alice);
		assertThat(this.http.verify(newToken, this.clock).getHeader().getKeyId()).isEqualTo(newKid);
		assertThat(this.http.verify(oldToken, this.clock).getHeader().getKeyId()).isEqualTo(oldKid);
	}

	@Test
	void rotateKeysWhenDroppingPreviousThenOldTokensNoLongerVerify() {
		String oldToken = this.simulator.mintIdToken(this.alice);
		String newKid = this.simulator.rotateKeys(false);
		assertThat(this.simulator.keyIds()).containsExactly(newKid);
		assertThatIllegalStateException().isThrownBy(() -> this.http.verify(oldToken, this.clock))
			.withMessageContaining("unknown kid");
	}

	@Test
	@SuppressWarnings("unchecked")
	void mintIdTokenWhenVerifiedWithAnotherKeyThenSignatureFails() {
		String token = this.simulator.mintIdToken(this.alice);
		String oldKid = this.simulator.activeKeyId();
		this.simulator.rotateKeys();
		Map<String, Object> newJwk = ((List<Map<String, Object>>) this.http.get(IdaasSimulator.JWKS_PATH)
			.json()
			.get("keys")).stream().filter((jwk) -> !jwk.get("kid").equals(oldKid)).findFirst().orElseThrow();
		assertThatExceptionOfType(SignatureException.class).isThrownBy(() -> Jwts.parser()
			.json(new JacksonJwtDeserializer())
			.clock(() -> java.util.Date.from(this.clock.instant()))
			.verifyWith(IdaasHttp.publicKey(newJwk))
			.build()
			.parseSignedClaims(token));
	}

	@Test
	void failNextJwksWhenSetThenFailsThenRecovers() {
		this.simulator.failNextJwks(1, 503);
		assertThat(this.http.get(IdaasSimulator.JWKS_PATH).status()).isEqualTo(503);
		assertThat(this.http.get(IdaasSimulator.JWKS_PATH).status()).isEqualTo(200);
		assertThat(this.simulator.jwksRequestCount()).isEqualTo(2);
	}

	@Test
	void baseUrlWhenNotStartedThenIllegalState() {
		try (IdaasSimulator notStarted = new IdaasSimulator()) {
			assertThatIllegalStateException().isThrownBy(notStarted::baseUrl);
			assertThat(notStarted.clientId()).hasSize(32).matches("[A-Za-z0-9]+");
		}
	}

	@Test
	void toStringWhenCalledThenNoSecrets() {
		assertThat(this.simulator.toString()).isEqualTo("IdaasSimulator[started=true]");
	}

}

package dev.idaas.spring.jwt;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.crypto.SecretKey;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import io.jsonwebtoken.security.SecureDigestAlgorithm;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Tests for {@link JwksIdTokenVerifier}: real RS256 tokens signed with jjwt, a real JSON Web Key
 * Set served over HTTP, and a second server standing for an attacker's URL.
 */
@ExtendWith(OutputCaptureExtension.class)
class JwksIdTokenVerifierTests {

	private static final String CLIENT_ID = "app-client-id";

	private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

	private static final JacksonJwtSerializer json = new JacksonJwtSerializer();

	private final MockWebServer tenant = new MockWebServer();

	private final MockWebServer attacker = new MockWebServer();

	private final MutableClock clock = new MutableClock(NOW);

	private JwksDispatcher jwks;

	private String issuer;

	private String attackerJwksUrl;

	private JwkSetKeySource keySource;

	private JwksIdTokenVerifier verifier;

	@BeforeEach
	void setUp() throws Exception {
		this.jwks = new JwksDispatcher(TestKeys.json(TestKeys.jwkSet(TestKeys.jwk("k1", TestKeys.TENANT))));
		this.tenant.setDispatcher(this.jwks);
		this.tenant.start();
		this.attacker.setDispatcher(new JwksDispatcher(TestKeys.json(
				TestKeys.jwkSet(TestKeys.jwk("k1", TestKeys.ATTACKER), TestKeys.jwk("evil", TestKeys.ATTACKER)))));
		this.attacker.start();
		this.attackerJwksUrl = this.attacker.url("/jwks.json").toString();
		this.issuer = this.tenant.url("/api/v1/oauth2").toString();
		this.keySource = new JwkSetKeySource(RestClient.create(), this.tenant.url("/api/v1/oauth2/keys").uri());
		this.keySource.setClock(this.clock);
		this.verifier = new JwksIdTokenVerifier(this.keySource, this.issuer, CLIENT_ID);
		this.verifier.setClock(this.clock);
	}

	@AfterEach
	void tearDown() {
		this.tenant.close();
		this.attacker.close();
	}

	// ----- construction -----

	@Test
	void constructorWhenKeySourceNullThenIllegalArgument() {
		assertThatIllegalArgumentException().isThrownBy(() -> new JwksIdTokenVerifier(null, "https://i", CLIENT_ID))
			.withMessage("keySource cannot be null");
	}

	@Test
	void constructorWhenClientIdEmptyThenIllegalArgument() {
		assertThatIllegalArgumentException().isThrownBy(() -> new JwksIdTokenVerifier(this.keySource, "https://i", ""))
			.withMessage("clientId cannot be empty");
	}

	@Test
	void setAllowedAlgorithmsWhenHmacThenIllegalArgument() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.verifier.setAllowedAlgorithms(Set.of("HS256")));
		assertThatIllegalArgumentException().isThrownBy(() -> this.verifier.setAllowedAlgorithms(Set.of("none")));
		assertThatIllegalArgumentException().isThrownBy(() -> this.verifier.setAllowedAlgorithms(Set.of()));
	}

	@Test
	void setClockSkewWhenNegativeThenIllegalArgument() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.verifier.setClockSkew(Duration.ofSeconds(-1)))
			.withMessage("clockSkew cannot be negative");
	}

	@Test
	void setMaxTokenLengthWhenZeroThenIllegalArgument() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.verifier.setMaxTokenLength(0))
			.withMessage("maxTokenLength must be positive");
	}

	@Test
	void setClockWhenNullThenIllegalArgument() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.verifier.setClock(null))
			.withMessage("clock cannot be null");
	}

	// ----- valid tokens -----

	@Test
	void verifyWhenValidVendorTokenThenOidcIdTokenWithAllClaims() {
		String token = sign(header("k1"), claims(), TestKeys.TENANT, Jwts.SIG.RS256);
		OidcIdToken idToken = this.verifier.verify(token);
		assertThat(idToken.getTokenValue()).isEqualTo(token);
		assertThat(idToken.getIssuedAt()).isEqualTo(NOW);
		assertThat(idToken.getExpiresAt()).isEqualTo(NOW.plusSeconds(300));
		assertThat(idToken.getSubject()).isEqualTo("alice");
		assertThat(idToken.getIssuer().toString()).isEqualTo(this.issuer);
		assertThat(idToken.getAudience()).containsExactly(CLIENT_ID);
		assertThat(idToken.getClaims().get("aud")).isEqualTo(List.of(CLIENT_ID));
		assertThat(idToken.getClaims().get("nbf")).isEqualTo(NOW.minusSeconds(120));
		assertThat(idToken.getClaims().get("exp")).isEqualTo(NOW.plusSeconds(300));
		assertThat(idToken.getClaims().get("iat")).isEqualTo(NOW);
		assertThat(idToken.getClaimAsString("id")).isEqualTo("8f2a6c1e-user-id");
		assertThat(idToken.getClaimAsString("name")).isEqualTo("Alice Liddell");
		assertThat(idToken.getClaimAsString("userName")).isEqualTo("alice");
		assertThat(idToken.getClaimAsString("mobile")).isEqualTo("+86-13800000000");
		assertThat(idToken.getEmail()).isEqualTo("alice@example.com");
		assertThat(idToken.getClaimAsString("jti")).isEqualTo("jti-1");
		assertThat(this.tenant.getRequestCount()).isEqualTo(1);
	}

	@Test
	void verifyWhenAudienceIsArrayWithClientIdThenAccepted() {
		Map<String, Object> claims = claims();
		claims.put("aud", List.of(CLIENT_ID));
		assertThat(this.verifier.verify(sign(header("k1"), claims, TestKeys.TENANT, Jwts.SIG.RS256)).getAudience())
			.containsExactly(CLIENT_ID);
	}

	@Test
	void verifyWhenMultipleAudiencesAndAzpIsClientIdThenAccepted() {
		Map<String, Object> claims = claims();
		claims.put("aud", List.of(CLIENT_ID, "other-app"));
		claims.put("azp", CLIENT_ID);
		assertThat(this.verifier.verify(sign(header("k1"), claims, TestKeys.TENANT, Jwts.SIG.RS256)).getAudience())
			.containsExactly(CLIENT_ID, "other-app");
	}

	@Test
	void verifyWhenSameTokenTwiceThenJwksFetchedOnce() {
		String token = sign(header("k1"), claims(), TestKeys.TENANT, Jwts.SIG.RS256);
		this.verifier.verify(token);
		this.verifier.verify(token);
		assertThat(this.tenant.getRequestCount()).isEqualTo(1);
	}

	// ----- algorithm attacks -----

	@Test
	void verifyWhenAlgNoneThenRejectedWithoutJwksRequest() {
		String unsigned = segment(Map.of("alg", "none", "kid", "k1")) + "." + segment(claims()) + ".";
		assertRejected(unsigned, "unsecured tokens are not accepted");
		String noneWithSignature = segment(Map.of("alg", "none", "kid", "k1")) + "." + segment(claims()) + ".c2ln";
		assertRejected(noneWithSignature, "unsecured tokens are not accepted");
		String noneUpperCase = segment(Map.of("alg", "NONE", "kid", "k1")) + "." + segment(claims()) + ".c2ln";
		assertRejected(noneUpperCase, "unsecured tokens are not accepted");
		assertThat(this.tenant.getRequestCount()).isZero();
	}

	@Test
	void verifyWhenHs256SignedWithPublicKeyBytesThenRejectedBeforeKeyLookup() {
		SecretKey secret = Keys.hmacShaKeyFor(TestKeys.TENANT.getPublic().getEncoded());
		String token = Jwts.builder()
			.json(json)
			.header()
			.keyId("k1")
			.and()
			.claims(claims())
			.signWith(secret, Jwts.SIG.HS256)
			.compact();
		assertRejected(token, "algorithm not allowed");
		assertThat(this.tenant.getRequestCount()).isZero();
	}

	@Test
	void verifyWhenPs256WithRightKeyButNotAllowedThenRejected() {
		String token = sign(header("k1"), claims(), TestKeys.TENANT, Jwts.SIG.PS256);
		assertRejected(token, "algorithm not allowed");
		assertThat(this.tenant.getRequestCount()).isZero();
		// the signature itself was good: allowing PS256 accepts the same token
		this.verifier.setAllowedAlgorithms(Set.of("RS256", "PS256"));
		assertThat(this.verifier.verify(token).getSubject()).isEqualTo("alice");
	}

	@ParameterizedTest
	@ValueSource(strings = { "JWT", "jwt", "Jwt", "application/jwt", "application/JWT" })
	void verifyWhenTypIsJwtInAnyCaseThenAccepted(String type) {
		String token = rawSign(Map.of("alg", "RS256", "kid", "k1", "typ", type), claims(), TestKeys.TENANT.getPrivate());
		assertThat(this.verifier.verify(token).getSubject()).isEqualTo("alice");
	}

	@Test
	void verifyWhenTypAbsentThenAccepted() {
		String token = rawSign(Map.of("alg", "RS256", "kid", "k1"), claims(), TestKeys.TENANT.getPrivate());
		assertThat(this.verifier.verify(token).getSubject()).isEqualTo("alice");
	}

	@ParameterizedTest
	@ValueSource(strings = { "at+jwt", "application/at+jwt", "AT+JWT", "logout+jwt", "secevent+jwt", "JWS", "JOSE",
			"", " JWT" })
	void verifyWhenTypIsNotJwtThenRejectedWithoutJwksRequest(String type) {
		// correctly signed by the tenant: only the type says it is another kind of token
		String token = rawSign(Map.of("alg", "RS256", "kid", "k1", "typ", type), claims(), TestKeys.TENANT.getPrivate());
		assertRejected(token, "type not allowed");
		assertThat(this.tenant.getRequestCount()).isZero();
	}

	@Test
	void verifyWhenTypIsNotAStringThenRejected() {
		assertRejected(rawSign(Map.of("alg", "RS256", "kid", "k1", "typ", 1), claims(), TestKeys.TENANT.getPrivate()),
				"type not allowed");
		assertRejected(rawSign(Map.of("alg", "RS256", "kid", "k1", "typ", List.of("JWT")), claims(),
				TestKeys.TENANT.getPrivate()), "type not allowed");
	}

	@Test
	void verifyWhenRs512NotAllowedThenRejected() {
		assertRejected(sign(header("k1"), claims(), TestKeys.TENANT, Jwts.SIG.RS512), "algorithm not allowed");
	}

	@Test
	void verifyWhenAlgMissingThenRejected() {
		String token = rawSign(Map.of("kid", "k1"), claims(), TestKeys.TENANT.getPrivate());
		assertRejected(token, "missing alg");
	}

	// ----- key attacks -----

	@Test
	void verifyWhenSignedWithWrongKeyUnderKnownKidThenRejected() {
		assertRejected(sign(header("k1"), claims(), TestKeys.ATTACKER, Jwts.SIG.RS256), "invalid signature");
	}

	@Test
	void verifyWhenKidMissingThenRejectedWithoutJwksRequest() {
		assertRejected(sign(Map.of(), claims(), TestKeys.TENANT, Jwts.SIG.RS256), "missing kid");
		assertThat(this.tenant.getRequestCount()).isZero();
	}

	@Test
	void verifyWhenUnknownKidThenOneRefetchPerInterval() {
		this.verifier.verify(sign(header("k1"), claims(), TestKeys.TENANT, Jwts.SIG.RS256));
		assertThat(this.tenant.getRequestCount()).isEqualTo(1);
		this.clock.advance(Duration.ofSeconds(60));
		assertRejected(sign(header("random-1"), claims(), TestKeys.ATTACKER, Jwts.SIG.RS256), "unknown key id");
		assertThat(this.tenant.getRequestCount()).isEqualTo(2);
		this.clock.advance(Duration.ofSeconds(10));
		assertRejected(sign(header("random-2"), claims(), TestKeys.ATTACKER, Jwts.SIG.RS256), "unknown key id");
		assertRejected(sign(header("random-3"), claims(), TestKeys.ATTACKER, Jwts.SIG.RS256), "unknown key id");
		assertThat(this.tenant.getRequestCount()).isEqualTo(2);
		this.clock.advance(Duration.ofSeconds(20));
		assertRejected(sign(header("random-4"), claims(), TestKeys.ATTACKER, Jwts.SIG.RS256), "unknown key id");
		assertThat(this.tenant.getRequestCount()).isEqualTo(3);
	}

	@Test
	void verifyWhenJwksHoldsOnly1024BitKeyForKidThenRejected() {
		this.jwks.serve(TestKeys.json(
				TestKeys.jwkSet(TestKeys.jwk("k1", TestKeys.TENANT), TestKeys.jwk("weak", TestKeys.WEAK))));
		String token = rawSign(Map.of("alg", "RS256", "kid", "weak"), claims(), TestKeys.WEAK.getPrivate());
		assertRejected(token, "unknown key id");
		assertThat(this.keySource.getKeyCount()).isEqualTo(1);
	}

	@Test
	void verifyWhenKeyRotatedThenNewKidPickedUpWithOneRefetch() {
		this.verifier.verify(sign(header("k1"), claims(), TestKeys.TENANT, Jwts.SIG.RS256));
		this.jwks.serve(TestKeys.json(
				TestKeys.jwkSet(TestKeys.jwk("k1", TestKeys.TENANT), TestKeys.jwk("k2", TestKeys.ROTATED))));
		this.clock.advance(Duration.ofSeconds(60));
		Map<String, Object> claims = claims();
		OidcIdToken rotated = this.verifier.verify(sign(header("k2"), claims, TestKeys.ROTATED, Jwts.SIG.RS256));
		assertThat(rotated.getSubject()).isEqualTo("alice");
		assertThat(this.tenant.getRequestCount()).isEqualTo(2);
		this.verifier.verify(sign(header("k1"), claims, TestKeys.TENANT, Jwts.SIG.RS256));
		this.verifier.verify(sign(header("k2"), claims, TestKeys.ROTATED, Jwts.SIG.RS256));
		assertThat(this.tenant.getRequestCount()).isEqualTo(2);
	}

	@Test
	void verifyWhenJwksDownAtFirstUseThenRejectedAndLaterAccepted() {
		this.jwks.serve(TestKeys.status(503));
		String token = sign(header("k1"), claims(), TestKeys.TENANT, Jwts.SIG.RS256);
		assertRejected(token, "the key set could not be loaded");
		assertThatExceptionOfType(JwkSetUnavailableException.class).isThrownBy(() -> this.verifier.verify(token));
		this.jwks.serve(TestKeys.json(TestKeys.jwkSet(TestKeys.jwk("k1", TestKeys.TENANT))));
		this.clock.advance(Duration.ofSeconds(30));
		assertThat(this.verifier.verify(token).getSubject()).isEqualTo("alice");
		assertThat(this.tenant.getRequestCount()).isEqualTo(2);
	}

	@Test
	void verifyWhenRefetchFailsThenOldKeysStillAccepted() {
		String token = sign(header("k1"), claims(), TestKeys.TENANT, Jwts.SIG.RS256);
		this.verifier.verify(token);
		this.jwks.serve(TestKeys.status(500));
		this.clock.advance(Duration.ofSeconds(60));
		Map<String, Object> claims = claims();
		assertRejected(sign(header("k9"), claims, TestKeys.ROTATED, Jwts.SIG.RS256), "unknown key id");
		assertThat(this.tenant.getRequestCount()).isEqualTo(2);
		assertThat(this.verifier.verify(sign(header("k1"), claims, TestKeys.TENANT, Jwts.SIG.RS256)).getSubject())
			.isEqualTo("alice");
		assertThat(this.keySource.getLastFetch().successful()).isFalse();
	}

	@Test
	void verifyWhenConcurrentTokensWithRotatedKidThenOneJwksFetch() throws Exception {
		this.verifier.verify(sign(header("k1"), claims(), TestKeys.TENANT, Jwts.SIG.RS256));
		this.clock.advance(Duration.ofSeconds(60));
		this.jwks.serve(new MockResponse.Builder(TestKeys.json(TestKeys.jwkSet(TestKeys.jwk("k2", TestKeys.ROTATED))))
			.headersDelay(300, TimeUnit.MILLISECONDS)
			.build());
		Map<String, Object> claims = claims();
		String token = sign(header("k2"), claims, TestKeys.ROTATED, Jwts.SIG.RS256);
		ExecutorService executor = Executors.newFixedThreadPool(12);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<OidcIdToken>> results = new ArrayList<>();
			for (int i = 0; i < 12; i++) {
				results.add(executor.submit(() -> {
					start.await();
					return this.verifier.verify(token);
				}));
			}
			start.countDown();
			for (Future<OidcIdToken> result : results) {
				assertThat(result.get(10, TimeUnit.SECONDS).getSubject()).isEqualTo("alice");
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(this.tenant.getRequestCount()).isEqualTo(2);
	}

	// ----- header tricks: the key never comes from the token -----

	@Test
	void verifyWhenJkuPointsToAttackerThenRejectedAndAttackerNeverCalled() {
		Map<String, Object> header = Map.of("alg", "RS256", "kid", "evil", "jku", this.attackerJwksUrl);
		assertRejected(rawSign(header, claims(), TestKeys.ATTACKER.getPrivate()), "unknown key id");
		Map<String, Object> knownKid = Map.of("alg", "RS256", "kid", "k1", "jku", this.attackerJwksUrl);
		assertRejected(rawSign(knownKid, claims(), TestKeys.ATTACKER.getPrivate()), "invalid signature");
		assertThat(this.attacker.getRequestCount()).isZero();
	}

	@Test
	void verifyWhenX5uPointsToAttackerThenRejectedAndAttackerNeverCalled() {
		String certUrl = this.attacker.url("/cert.pem").toString();
		Map<String, Object> header = Map.of("alg", "RS256", "kid", "evil", "x5u", certUrl);
		assertRejected(rawSign(header, claims(), TestKeys.ATTACKER.getPrivate()), "unknown key id");
		Map<String, Object> knownKid = Map.of("alg", "RS256", "kid", "k1", "x5u", certUrl);
		assertRejected(rawSign(knownKid, claims(), TestKeys.ATTACKER.getPrivate()), "invalid signature");
		assertThat(this.attacker.getRequestCount()).isZero();
	}

	@Test
	void verifyWhenEmbeddedJwkHeaderThenKeyIgnoredAndRejected() {
		Map<String, Object> header = new LinkedHashMap<>();
		header.put("alg", "RS256");
		header.put("kid", "k1");
		header.put("jwk", TestKeys.jwk("k1", TestKeys.ATTACKER));
		assertRejected(rawSign(header, claims(), TestKeys.ATTACKER.getPrivate()), "invalid signature");
		header.put("kid", "evil");
		header.put("jwk", TestKeys.jwk("evil", TestKeys.ATTACKER));
		assertRejected(rawSign(header, claims(), TestKeys.ATTACKER.getPrivate()), "unknown key id");
		assertThat(this.attacker.getRequestCount()).isZero();
	}

	@Test
	void verifyWhenX5cHeaderThenIgnoredAndRejected() {
		Map<String, Object> header = new LinkedHashMap<>();
		header.put("alg", "RS256");
		header.put("kid", "k1");
		header.put("x5c", List.of(Base64.getEncoder().encodeToString(TestKeys.ATTACKER.getPublic().getEncoded())));
		assertRejected(rawSign(header, claims(), TestKeys.ATTACKER.getPrivate()), "malformed");
		assertThat(this.attacker.getRequestCount()).isZero();
	}

	@Test
	void verifyWhenJkuOnTokenSignedByTenantThenKeyStillFromConfiguredJwks() {
		Map<String, Object> header = Map.of("alg", "RS256", "kid", "k1", "jku", this.attackerJwksUrl);
		OidcIdToken idToken = this.verifier.verify(rawSign(header, claims(), TestKeys.TENANT.getPrivate()));
		assertThat(idToken.getSubject()).isEqualTo("alice");
		assertThat(this.attacker.getRequestCount()).isZero();
		assertThat(this.tenant.getRequestCount()).isEqualTo(1);
	}

	@Test
	void verifyWhenCritHeaderThenRejected() {
		Map<String, Object> header = Map.of("alg", "RS256", "kid", "k1", "crit", List.of("exp"), "exp", 1);
		assertRejected(rawSign(header, claims(), TestKeys.TENANT.getPrivate()), "critical header parameters are not supported");
		assertThat(this.tenant.getRequestCount()).isZero();
	}

	@Test
	void verifyWhenZipHeaderThenRejected() {
		Map<String, Object> header = Map.of("alg", "RS256", "kid", "k1", "zip", "DEF");
		assertRejected(rawSign(header, claims(), TestKeys.TENANT.getPrivate()), "compressed tokens are not supported");
	}

	@Test
	void verifyWhenDuplicateAlgInHeaderThenRejected() {
		byte[] header = "{\"alg\":\"RS256\",\"kid\":\"k1\",\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8);
		String token = rawSign(header, json.toJson(claims()), TestKeys.TENANT.getPrivate());
		assertRejected(token, "malformed header");
	}

	// ----- claims -----

	@Test
	void verifyWhenIssuerDiffersThenRejected() {
		Map<String, Object> claims = claims();
		claims.put("iss", "https://evil.example.com/api/v1/oauth2");
		assertRejected(sign(header("k1"), claims, TestKeys.TENANT, Jwts.SIG.RS256), "issuer mismatch");
	}

	@Test
	void verifyWhenIssuerMissingThenRejected() {
		Map<String, Object> claims = claims();
		claims.remove("iss");
		assertRejected(sign(header("k1"), claims, TestKeys.TENANT, Jwts.SIG.RS256), "missing issuer");
	}

	@Test
	void verifyWhenAudienceDiffersThenRejected() {
		Map<String, Object> claims = claims();
		claims.put("aud", "another-app");
		assertRejected(sign(header("k1"), claims, TestKeys.TENANT, Jwts.SIG.RS256), "audience mismatch");
	}

	@Test
	void verifyWhenAudienceMissingThenRejected() {
		Map<String, Object> claims = claims();
		claims.remove("aud");
		assertRejected(sign(header("k1"), claims, TestKeys.TENANT, Jwts.SIG.RS256), "missing audience");
	}

	@Test
	void verifyWhenMultipleAudiencesWithoutAzpThenRejected() {
		Map<String, Object> claims = claims();
		claims.put("aud", List.of(CLIENT_ID, "other-app"));
		assertRejected(sign(header("k1"), claims, TestKeys.TENANT, Jwts.SIG.RS256), "missing azp for multiple audiences");
	}

	@Test
	void verifyWhenMultipleAudiencesWithWrongAzpThenRejected() {
		Map<String, Object> claims = claims();
		claims.put("aud", List.of(CLIENT_ID, "other-app"));
		claims.put("azp", "other-app");
		assertRejected(sign(header("k1"), claims, TestKeys.TENANT, Jwts.SIG.RS256), "authorized party mismatch");
	}

	@Test
	void verifyWhenExpiredBeyondSkewThenRejected() {
		Map<String, Object> claims = claims();
		claims.put("iat", NOW.minusSeconds(600).getEpochSecond());
		claims.put("nbf", NOW.minusSeconds(720).getEpochSecond());
		claims.put("exp", NOW.minusSeconds(31).getEpochSecond());
		assertRejected(sign(header("k1"), claims, TestKeys.TENANT, Jwts.SIG.RS256), "expired");
	}

	@Test
	void verifyWhenExpiredWithinSkewThenAccepted() {
		Map<String, Object> claims = claims();
		claims.put("iat", NOW.minusSeconds(600).getEpochSecond());
		claims.put("nbf", NOW.minusSeconds(720).getEpochSecond());
		claims.put("exp", NOW.minusSeconds(20).getEpochSecond());
		assertThat(this.verifier.verify(sign(header("k1"), claims, TestKeys.TENANT, Jwts.SIG.RS256)).getExpiresAt())
			.isEqualTo(NOW.minusSeconds(20));
	}

	@Test
	void verifyWhenClockMovesPastExpiryThenSameTokenRejected() {
		String token = sign(header("k1"), claims(), TestKeys.TENANT, Jwts.SIG.RS256);
		this.verifier.verify(token);
		this.clock.advance(Duration.ofSeconds(331));
		assertRejected(token, "expired");
	}

	@Test
	void verifyWhenExpMissingThenRejected() {
		Map<String, Object> claims = claims();
		claims.remove("exp");
		assertRejected(sign(header("k1"), claims, TestKeys.TENANT, Jwts.SIG.RS256), "missing exp");
	}

	@Test
	void verifyWhenNbfInFutureBeyondSkewThenRejected() {
		Map<String, Object> claims = claims();
		claims.put("nbf", NOW.plusSeconds(60).getEpochSecond());
		assertRejected(sign(header("k1"), claims, TestKeys.TENANT, Jwts.SIG.RS256), "not yet valid");
	}

	@Test
	void verifyWhenNbfWithinSkewThenAccepted() {
		Map<String, Object> claims = claims();
		claims.put("nbf", NOW.plusSeconds(20).getEpochSecond());
		assertThat(this.verifier.verify(sign(header("k1"), claims, TestKeys.TENANT, Jwts.SIG.RS256))).isNotNull();
	}

	@Test
	void verifyWhenIatInFutureBeyondSkewThenRejected() {
		Map<String, Object> claims = claims();
		claims.put("iat", NOW.plusSeconds(60).getEpochSecond());
		assertRejected(sign(header("k1"), claims, TestKeys.TENANT, Jwts.SIG.RS256), "issued in the future");
	}

	@Test
	void verifyWhenIatInFutureWithinSkewThenAccepted() {
		Map<String, Object> claims = claims();
		claims.put("iat", NOW.plusSeconds(20).getEpochSecond());
		assertThat(this.verifier.verify(sign(header("k1"), claims, TestKeys.TENANT, Jwts.SIG.RS256)).getIssuedAt())
			.isEqualTo(NOW.plusSeconds(20));
	}

	@Test
	void verifyWhenExpNotAfterIatThenRejected() {
		Map<String, Object> claims = claims();
		claims.put("iat", NOW.plusSeconds(10).getEpochSecond());
		claims.put("exp", NOW.plusSeconds(10).getEpochSecond());
		assertRejected(sign(header("k1"), claims, TestKeys.TENANT, Jwts.SIG.RS256), "exp not after iat");
	}

	@Test
	void verifyWhenSubMissingThenRejected() {
		Map<String, Object> claims = claims();
		claims.remove("sub");
		assertRejected(sign(header("k1"), claims, TestKeys.TENANT, Jwts.SIG.RS256), "missing sub");
	}

	@Test
	void verifyWhenSubNotAStringThenRejectedAsMalformed() {
		Map<String, Object> claims = claims();
		claims.put("sub", Map.of("evil", true));
		assertRejected(rawSign(Map.of("alg", "RS256", "kid", "k1"), claims, TestKeys.TENANT.getPrivate()), "malformed");
	}

	// ----- tampering and malformed input -----

	@Test
	void verifyWhenPayloadTamperedThenRejected() {
		String[] parts = sign(header("k1"), claims(), TestKeys.TENANT, Jwts.SIG.RS256).split("\\.");
		Map<String, Object> claims = claims();
		claims.put("sub", "admin");
		assertRejected(parts[0] + "." + segment(claims) + "." + parts[2], "invalid signature");
	}

	@Test
	void verifyWhenHeaderTamperedThenRejected() {
		String[] parts = sign(header("k1"), claims(), TestKeys.TENANT, Jwts.SIG.RS256).split("\\.");
		String header = segment(Map.of("alg", "RS256", "kid", "k1", "typ", "JWT"));
		assertRejected(header + "." + parts[1] + "." + parts[2], "invalid signature");
	}

	@Test
	void verifyWhenSignatureTruncatedThenRejected() {
		String token = sign(header("k1"), claims(), TestKeys.TENANT, Jwts.SIG.RS256);
		assertRejected(token.substring(0, token.length() - 4), "invalid signature");
	}

	@Test
	void verifyWhenSegmentsMalformedThenRejectedWithoutJwksRequest() {
		String token = sign(header("k1"), claims(), TestKeys.TENANT, Jwts.SIG.RS256);
		String[] parts = token.split("\\.");
		assertRejected("", "empty");
		assertRejected("not-a-jwt", "malformed: not a compact JWS");
		assertRejected(parts[0] + "." + parts[1], "malformed: not a compact JWS");
		assertRejected(token + ".extra", "malformed: not a compact JWS");
		assertRejected(parts[0] + ".." + parts[2], "malformed: invalid base64url");
		assertRejected("." + parts[1] + "." + parts[2], "malformed: invalid base64url");
		assertRejected(parts[0] + "." + parts[1] + "$." + parts[2], "malformed: invalid base64url");
		assertRejected(parts[0] + "=." + parts[1] + "." + parts[2], "malformed: invalid base64url");
		// a length of 4n+1 characters cannot be base64url
		String oddLength = parts[1].substring(0, parts[1].length() - (parts[1].length() + 3) % 4);
		assertThat(oddLength.length() % 4).isEqualTo(1);
		assertRejected(parts[0] + "." + oddLength + "." + parts[2], "malformed: invalid base64url");
		assertRejected("bm90IGpzb24." + parts[1] + "." + parts[2], "malformed header");
		assertRejected("WyJhbGciXQ." + parts[1] + "." + parts[2], "malformed header");
		assertThat(this.tenant.getRequestCount()).isZero();
	}

	@Test
	void verifyWhenPayloadNotJsonThenRejected() {
		String token = rawSign(json.toJson(Map.of("alg", "RS256", "kid", "k1")),
				"not json".getBytes(StandardCharsets.UTF_8), TestKeys.TENANT.getPrivate());
		assertRejected(token, "unsupported token");
	}

	@Test
	void verifyWhenOversizeThenRejectedWithoutJwksRequest() {
		Map<String, Object> claims = claims();
		claims.put("padding", "x".repeat(16 * 1024));
		String token = sign(header("k1"), claims, TestKeys.TENANT, Jwts.SIG.RS256);
		assertRejected(token, "too large");
		assertThat(this.tenant.getRequestCount()).isZero();
		this.verifier.setMaxTokenLength(64 * 1024);
		assertThat(this.verifier.verify(token).getClaimAsString("padding")).hasSize(16 * 1024);
	}

	@Test
	void verifyWhenJweShapedThenRejectedWithoutJwksRequest() {
		String jwe = segment(Map.of("alg", "RSA-OAEP-256", "enc", "A256GCM", "kid", "k1")) + ".a2V5.aXY.Y2lwaGVy.dGFn";
		assertRejected(jwe, "encrypted tokens (JWE) are not supported");
		assertThat(this.tenant.getRequestCount()).isZero();
	}

	@Test
	void verifyWhenEncHeaderOnThreeSegmentsThenRejected() {
		Map<String, Object> header = Map.of("alg", "RS256", "kid", "k1", "enc", "A256GCM");
		assertRejected(rawSign(header, claims(), TestKeys.TENANT.getPrivate()), "encrypted tokens (JWE) are not supported");
	}

	// ----- secrecy -----

	@Test
	void verifyWhenRejectedThenTokenNeverInExceptionOrLog(CapturedOutput output) {
		LoggingSystem loggingSystem = LoggingSystem.get(getClass().getClassLoader());
		loggingSystem.setLogLevel("dev.idaas.spring.jwt", LogLevel.DEBUG);
		try {
			assertTokensNeverShown(output);
		}
		finally {
			loggingSystem.setLogLevel("dev.idaas.spring.jwt", null);
		}
		assertThat(output.getAll()).contains("id_token rejected (invalid signature)");
	}

	private void assertTokensNeverShown(CapturedOutput output) {
		Map<String, Object> expired = claims();
		expired.put("exp", NOW.minusSeconds(3600).getEpochSecond());
		expired.put("iat", NOW.minusSeconds(4000).getEpochSecond());
		Map<String, Object> wrongIssuer = claims();
		wrongIssuer.put("iss", "https://evil.example.com");
		Map<String, Object> badSub = claims();
		badSub.put("sub", List.of("x"));
		List<String> tokens = List.of(sign(header("k1"), expired, TestKeys.TENANT, Jwts.SIG.RS256),
				sign(header("k1"), wrongIssuer, TestKeys.TENANT, Jwts.SIG.RS256),
				sign(header("k1"), claims(), TestKeys.ATTACKER, Jwts.SIG.RS256),
				sign(header("unknown"), claims(), TestKeys.ATTACKER, Jwts.SIG.RS256),
				sign(header("k1"), claims(), TestKeys.TENANT, Jwts.SIG.PS256),
				rawSign(Map.of("alg", "RS256", "kid", "k1"), badSub, TestKeys.TENANT.getPrivate()),
				segment(Map.of("alg", "none")) + "." + segment(claims()) + ".");
		for (String token : tokens) {
			InvalidIdTokenException ex = catchThrowableOfType(InvalidIdTokenException.class,
					() -> this.verifier.verify(token));
			assertThat(ex).isNotNull();
			assertThat(ex.getErrorCode()).isEqualTo("IDAAS.STARTER.INVALID_ID_TOKEN");
			assertThat(ex.getCause()).isNull();
			for (String part : token.split("\\.")) {
				assertThat(ex.getMessage()).doesNotContain(part);
				assertThat(ex.toString()).doesNotContain(part);
				assertThat(output.getAll()).doesNotContain(part);
			}
			assertThat(ex.getMessage()).doesNotContain("alice").doesNotContain("evil.example.com");
		}
	}

	// ----- helpers -----

	private void assertRejected(String token, String reason) {
		assertThatExceptionOfType(InvalidIdTokenException.class).isThrownBy(() -> this.verifier.verify(token))
			.satisfies((ex) -> {
				assertThat(ex.getReason()).isEqualTo(reason);
				assertThat(ex.getMessage()).isEqualTo("Invalid id_token: " + reason);
				assertThat(ex.getErrorCode()).isEqualTo(InvalidIdTokenException.ERROR_CODE);
			});
	}

	private Map<String, Object> claims() {
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("iss", this.issuer);
		claims.put("sub", "alice");
		claims.put("aud", CLIENT_ID);
		claims.put("exp", NOW.plusSeconds(300).getEpochSecond());
		claims.put("iat", NOW.getEpochSecond());
		claims.put("nbf", NOW.minusSeconds(120).getEpochSecond());
		claims.put("jti", "jti-1");
		claims.put("id", "8f2a6c1e-user-id");
		claims.put("name", "Alice Liddell");
		claims.put("userName", "alice");
		claims.put("mobile", "+86-13800000000");
		claims.put("email", "alice@example.com");
		return claims;
	}

	private static Map<String, Object> header(String kid) {
		return Map.of("kid", kid);
	}

	private static String sign(Map<String, ?> header, Map<String, ?> claims, KeyPair keyPair,
			SecureDigestAlgorithm<PrivateKey, ?> algorithm) {
		return Jwts.builder()
			.json(json)
			.header()
			.add(header)
			.and()
			.claims(claims)
			.signWith(keyPair.getPrivate(), algorithm)
			.compact();
	}

	// for headers jjwt's builder would refuse or rewrite: RS256 computed by hand
	private static String rawSign(Map<String, ?> header, Map<String, ?> claims, PrivateKey key) {
		return rawSign(json.toJson(header), json.toJson(claims), key);
	}

	private static String rawSign(byte[] header, byte[] payload, PrivateKey key) {
		String signingInput = base64Url(header) + "." + base64Url(payload);
		try {
			Signature signature = Signature.getInstance("SHA256withRSA");
			signature.initSign(key);
			signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
			return signingInput + "." + base64Url(signature.sign());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String segment(Object value) {
		return base64Url(json.toJson(value));
	}

	private static String base64Url(byte[] bytes) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}

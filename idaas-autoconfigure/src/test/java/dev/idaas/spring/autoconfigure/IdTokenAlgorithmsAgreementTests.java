package dev.idaas.spring.autoconfigure;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import dev.idaas.spring.jwt.IdTokenAlgorithms;
import dev.idaas.spring.jwt.IdTokenVerifier;
import dev.idaas.spring.jwt.InvalidIdTokenException;
import dev.idaas.spring.jwt.JwkSetKeySource;
import dev.idaas.spring.jwt.JwksIdTokenVerifier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The three places that decide which JWS algorithms an id_token may use agree, because they
 * share {@link IdTokenAlgorithms}: a value {@code idaas.id-token.algorithms} accepts at startup
 * is accepted by the {@link JwkSetKeySource} (a key declaring it is loaded) and by the verifier
 * (a token signed with it passes), end to end through the auto-configuration; a value refused
 * by one is refused by all three.
 */
class IdTokenAlgorithmsAgreementTests {

	static final List<String> SUPPORTED = IdTokenAlgorithms.SUPPORTED;

	private static final String CLIENT_ID = "client-123";

	private static final KeyPair KEY = rsaKeyPair();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final MockWebServer tenant = new MockWebServer();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IdaasAutoConfiguration.class, RestClientAutoConfiguration.class));

	@BeforeEach
	void start() throws Exception {
		this.tenant.start();
	}

	@AfterEach
	void stop() {
		this.tenant.close();
	}

	@ParameterizedTest
	@FieldSource("SUPPORTED")
	void algorithmWhenAcceptedByPropertyThenKeyLoadedAndTokenVerified(String algorithm) {
		assertThat(SUPPORTED).containsExactly("RS256", "RS384", "RS512", "PS256", "PS384", "PS512");
		serveKeySet(algorithm);
		this.runner.withPropertyValues("idaas.base-url=" + baseUrl(), "idaas.client-id=" + CLIENT_ID,
				"idaas.id-token.algorithms=" + algorithm)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				String token = sign(algorithm);
				// the same token is refused by a verifier that allows only another algorithm
				JwksIdTokenVerifier other = new JwksIdTokenVerifier(context.getBean(JwkSetKeySource.class),
						baseUrl() + "/api/v1/oauth2", CLIENT_ID);
				other.setAllowedAlgorithms(Set.of(algorithm.equals("RS256") ? "PS256" : "RS256"));
				assertThatExceptionOfType(InvalidIdTokenException.class).isThrownBy(() -> other.verify(token))
					.withMessage("Invalid id_token: algorithm not allowed");
				assertThat(context.getBean(IdTokenVerifier.class).verify(token).getSubject()).isEqualTo("alice");
				assertThat(context.getBean(JwkSetKeySource.class).getKeyCount()).isEqualTo(1);
			});
		assertThat(this.tenant.getRequestCount()).isEqualTo(1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "HS256", "ES256", "EdDSA", "none", "rs256", "RSA1_5", "RSA-OAEP" })
	void algorithmWhenRefusedByPropertyThenRefusedByVerifierAndKeySource(String algorithm) {
		this.runner.withPropertyValues("idaas.base-url=" + baseUrl(), "idaas.client-id=" + CLIENT_ID,
				"idaas.id-token.algorithms=" + algorithm)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(IdaasConfigurationException.class)
					.hasMessage("only RSA signature algorithms [RS256, RS384, RS512, PS256, PS384, PS512] are allowed");
			});
		JwkSetKeySource keySource = new JwkSetKeySource(RestClient.create(), this.tenant.url("/keys").uri());
		JwksIdTokenVerifier verifier = new JwksIdTokenVerifier(keySource, baseUrl() + "/api/v1/oauth2", CLIENT_ID);
		assertThatIllegalArgumentException().isThrownBy(() -> verifier.setAllowedAlgorithms(Set.of(algorithm)));
		serveKeySet(algorithm);
		assertThat(keySource.getKey("k1")).isNull();
		assertThat(keySource.getKeyCount()).isZero();
		assertThat(this.tenant.getRequestCount()).isEqualTo(1);
	}

	private void serveKeySet(String algorithm) {
		RSAPublicKey key = (RSAPublicKey) KEY.getPublic();
		Map<String, Object> jwk = new LinkedHashMap<>();
		jwk.put("kty", "RSA");
		jwk.put("kid", "k1");
		jwk.put("use", "sig");
		jwk.put("alg", algorithm);
		jwk.put("n", base64Url(key.getModulus()));
		jwk.put("e", base64Url(key.getPublicExponent()));
		String body = JSON.writeValueAsString(Map.of("keys", List.of(jwk)));
		this.tenant.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json").body(body).build());
	}

	// signed by hand with the JDK, so the test does not share jjwt's view of the algorithms
	private String sign(String algorithm) throws GeneralSecurityException {
		long now = Instant.now().getEpochSecond();
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("iss", baseUrl() + "/api/v1/oauth2");
		claims.put("sub", "alice");
		claims.put("aud", CLIENT_ID);
		claims.put("iat", now);
		claims.put("exp", now + 300);
		String input = base64Url(JSON.writeValueAsBytes(Map.of("alg", algorithm, "kid", "k1", "typ", "JWT"))) + "."
				+ base64Url(JSON.writeValueAsBytes(claims));
		int bits = Integer.parseInt(algorithm.substring(2));
		Signature signature;
		if (algorithm.startsWith("PS")) {
			signature = Signature.getInstance("RSASSA-PSS");
			String digest = "SHA-" + bits;
			signature.setParameter(new PSSParameterSpec(digest, "MGF1", new MGF1ParameterSpec(digest), bits / 8, 1));
		}
		else {
			signature = Signature.getInstance("SHA" + bits + "withRSA");
		}
		signature.initSign(KEY.getPrivate());
		signature.update(input.getBytes(StandardCharsets.US_ASCII));
		return input + "." + base64Url(signature.sign());
	}

	private static String base64Url(byte[] bytes) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private String baseUrl() {
		String url = this.tenant.url("/").toString();
		return url.substring(0, url.length() - 1);
	}

	private static String base64Url(BigInteger value) {
		byte[] bytes = value.toByteArray();
		if (bytes.length > 1 && bytes[0] == 0) {
			bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
		}
		return base64Url(bytes);
	}

	private static KeyPair rsaKeyPair() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}

package dev.idaas.spring.jwt;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mockwebserver3.MockResponse;

/**
 * RSA keys generated for the tests and the JSON Web Key Set documents that publish them.
 */
final class TestKeys {

	static final KeyPair TENANT = generate(2048);

	static final KeyPair ROTATED = generate(2048);

	static final KeyPair ATTACKER = generate(2048);

	static final KeyPair WEAK = generate(1024);

	private static final JacksonJwtSerializer json = new JacksonJwtSerializer();

	private TestKeys() {
	}

	static KeyPair generate(int bits) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(bits);
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static Map<String, Object> jwk(String kid, KeyPair keyPair) {
		RSAPublicKey key = (RSAPublicKey) keyPair.getPublic();
		Map<String, Object> jwk = new LinkedHashMap<>();
		jwk.put("kty", "RSA");
		jwk.put("kid", kid);
		jwk.put("use", "sig");
		jwk.put("alg", "RS256");
		jwk.put("n", base64Url(key.getModulus()));
		jwk.put("e", base64Url(key.getPublicExponent()));
		return jwk;
	}

	static String jwkSet(Object... jwks) {
		return new String(json.toJson(Map.of("keys", List.of(jwks))));
	}

	static MockResponse json(String body) {
		return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
	}

	static MockResponse status(int code) {
		return new MockResponse.Builder().code(code).body("{}").build();
	}

	static String base64Url(BigInteger value) {
		byte[] bytes = value.toByteArray();
		if (bytes.length > 1 && bytes[0] == 0) {
			bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
		}
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}

package dev.idaas.spring.test.simulator;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

import mockwebserver3.MockResponse;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;

/**
 * The logout endpoints of the white-labelled IDaaS edition, as the simulator plays them: the
 * tenant's RSA key pair for {@code X-signature}, the signature check (RSA-OAEP with SHA-256 for
 * the digest and MGF1, a timestamp in epoch milliseconds within ±5 minutes of the simulator's
 * clock, a nonce never seen before), and the browser logout that redirects only to URLs the test
 * allowed. Thread-safe; {@link IdaasSimulator} owns the sessions and revokes the token.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
final class SimulatedLogout {

	static final Duration TIMESTAMP_WINDOW = Duration.ofMinutes(5);

	private static final OAEPParameterSpec OAEP_SHA256 = new OAEPParameterSpec("SHA-256", "MGF1",
			MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);

	private final SecureRandom random;

	private @Nullable KeyPair keyPair;

	private final Map<String, Instant> seenNonces = new HashMap<>();

	private final Set<String> allowedRedirects = new LinkedHashSet<>();

	SimulatedLogout(SecureRandom random) {
		this.random = random;
	}

	/** The key pair, made on first use: most simulator runs never sign out upstream. */
	private KeyPair keyPair() {
		KeyPair keyPair = this.keyPair;
		if (keyPair == null) {
			keyPair = newKeyPair();
			this.keyPair = keyPair;
		}
		return keyPair;
	}

	synchronized RSAPublicKey publicKey() {
		return (RSAPublicKey) keyPair().getPublic();
	}

	synchronized void rotateKey() {
		this.keyPair = newKeyPair();
	}

	synchronized void allowRedirect(String url) {
		this.allowedRedirects.add(url);
	}

	/** The answer of {@code GET /api/v2/sdk/public-key}: {@code {"public_key": "<Base64 X.509>"}}. */
	synchronized Map<String, Object> publicKeyAnswer() {
		return Map.of("public_key", Base64.getEncoder().encodeToString(keyPair().getPublic().getEncoded()));
	}

	/** The answer of {@code GET /api/v2/sdk/server-date}: {@code {"server_date": <epoch millis>}}. */
	static Map<String, Object> serverDateAnswer(Instant now) {
		return Map.of("server_date", now.toEpochMilli());
	}

	/**
	 * Checks an {@code X-signature}.
	 * @return the signed session token, or {@code null} when the signature is missing, cannot be
	 * decrypted with the current key, is not {@code session_token=..&timestamp=..&nonce=..},
	 * is outside the time window or reuses a nonce
	 */
	synchronized @Nullable String verify(@Nullable String signature, Instant now) {
		if (signature == null || signature.isBlank()) {
			return null;
		}
		String text;
		try {
			Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
			cipher.init(Cipher.DECRYPT_MODE, keyPair().getPrivate(), OAEP_SHA256);
			text = new String(cipher.doFinal(Base64.getDecoder().decode(signature.strip())), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException | GeneralSecurityException ex) {
			return null;
		}
		Map<String, String> fields = new LinkedHashMap<>();
		for (String pair : text.split("&", -1)) {
			int equals = pair.indexOf('=');
			if (equals <= 0 || fields.put(pair.substring(0, equals), pair.substring(equals + 1)) != null) {
				return null;
			}
		}
		String sessionToken = fields.get("session_token");
		String timestamp = fields.get("timestamp");
		String nonce = fields.get("nonce");
		if (fields.size() != 3 || sessionToken == null || sessionToken.isEmpty() || timestamp == null
				|| nonce == null || nonce.length() < 8 || !timestamp.matches("\\d{1,19}")) {
			return null;
		}
		Instant signedAt = Instant.ofEpochMilli(Long.parseLong(timestamp));
		if (signedAt.isBefore(now.minus(TIMESTAMP_WINDOW)) || signedAt.isAfter(now.plus(TIMESTAMP_WINDOW))) {
			return null;
		}
		this.seenNonces.values().removeIf((until) -> until.isBefore(now));
		if (this.seenNonces.putIfAbsent(nonce, now.plus(TIMESTAMP_WINDOW.multipliedBy(2))) != null) {
			return null;
		}
		return sessionToken;
	}

	/**
	 * {@code GET /api/v1/logout?redirect_url=..}: 302 to an allowed {@code redirect_url}, 400
	 * otherwise.
	 */
	synchronized MockResponse browserLogout(HttpUrl url) {
		String redirectUrl = url.queryParameter("redirect_url");
		if (redirectUrl == null || !this.allowedRedirects.contains(redirectUrl)) {
			return new MockResponse.Builder().code(400)
				.setHeader("Content-Type", "text/plain; charset=utf-8")
				.body("redirect_url is not registered for this application")
				.build();
		}
		return new MockResponse.Builder().code(302).setHeader("Location", redirectUrl).build();
	}

	private KeyPair newKeyPair() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048, this.random);
			return generator.generateKeyPair();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("RSA is not available", ex);
		}
	}

}

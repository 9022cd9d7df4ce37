package dev.idaas.spring.client;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;

import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The pure parts of the signed upstream logout: the signed text, the nonce, the RSA-OAEP
 * encryption, and the lenient reading of the tenant's public key and server time (the vendor does
 * not publish their answer formats in detail).
 * <p>
 * <b>Encryption.</b> {@code RSA/ECB/OAEPWithSHA-256AndMGF1Padding} with SHA-256 for both the
 * OAEP digest <em>and</em> MGF1, given explicitly: the JDK's default parameters for that
 * transformation use SHA-1 for MGF1, which most other stacks (OpenSSL, BouncyCastle, Go, .NET)
 * do not, and a tenant decrypting with SHA-256/SHA-256 would refuse every signature.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see RestClientIdaasLogoutClient
 */
final class IdaasLogoutSignature {

	static final String TRANSFORMATION = "RSA/ECB/OAEPWithSHA-256AndMGF1Padding";

	static final OAEPParameterSpec OAEP_SHA256 = new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
			PSource.PSpecified.DEFAULT);

	static final int MIN_KEY_BITS = 2048;

	/** Epoch values at or above this are milliseconds, below it seconds (1e11 s is the year 5138). */
	private static final long MILLIS_THRESHOLD = 100_000_000_000L;

	private static final List<String> KEY_FIELDS = List.of("public_key", "publicKey", "key", "data");

	private static final List<String> TIME_FIELDS = List.of("server_date", "serverDate", "server_time", "serverTime",
			"timestamp", "date", "time", "now", "data");

	private IdaasLogoutSignature() {
	}

	/**
	 * The signed text, {@code session_token=..&timestamp=..&nonce=..}, the timestamp in epoch
	 * milliseconds of the server's clock.
	 */
	static String text(String sessionToken, long timestampMillis, String nonce) {
		return "session_token=" + sessionToken + "&timestamp=" + timestampMillis + "&nonce=" + nonce;
	}

	/**
	 * A random nonce: 16 bytes from a {@link SecureRandom}, URL-safe Base64 without padding (22
	 * characters of {@code A-Z a-z 0-9 - _}).
	 */
	static String nonce(SecureRandom random) {
		byte[] bytes = new byte[16];
		random.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/**
	 * Encrypts the text with the key (RSA-OAEP, SHA-256 and MGF1-SHA-256) and encodes it in
	 * standard Base64.
	 * @throws GeneralSecurityException when the text is too long for the key
	 */
	static String encrypt(String text, PublicKey key) throws GeneralSecurityException {
		Cipher cipher = Cipher.getInstance(TRANSFORMATION);
		cipher.init(Cipher.ENCRYPT_MODE, key, OAEP_SHA256);
		return Base64.getEncoder().encodeToString(cipher.doFinal(text.getBytes(StandardCharsets.UTF_8)));
	}

	// Public key

	/**
	 * Reads the tenant's public key from the answer of {@code GET /api/v2/sdk/public-key}: a JSON
	 * object whose {@code public_key}, {@code publicKey}, {@code key} or {@code data} field holds
	 * the key (or an object with such a field), a JSON string, or a plain text body. The key is
	 * an X.509 {@code SubjectPublicKeyInfo}, PEM ({@code -----BEGIN PUBLIC KEY-----}) or bare
	 * Base64 (standard or URL-safe, line breaks allowed), RSA of at least 2048 bits.
	 * @return the key, or {@code null} when none could be read
	 */
	static @Nullable RSAPublicKey publicKey(byte[] body, @Nullable JsonNode json) {
		String text = (json != null) ? keyText(json, 0) : new String(body, StandardCharsets.UTF_8);
		return (text != null) ? publicKey(text) : null;
	}

	private static @Nullable String keyText(JsonNode json, int depth) {
		if (json.isString()) {
			return json.stringValue();
		}
		if (json.isObject() && depth < 2) {
			for (String field : KEY_FIELDS) {
				JsonNode value = json.get(field);
				if (value != null) {
					String text = keyText(value, depth + 1);
					if (text != null) {
						return text;
					}
				}
			}
		}
		return null;
	}

	static @Nullable RSAPublicKey publicKey(String text) {
		StringBuilder base64 = new StringBuilder(text.length());
		for (String line : text.replace("\\n", "\n").replace("\\r", "\n").split("[\r\n]+")) {
			String stripped = line.strip();
			if (!stripped.startsWith("-----")) {
				base64.append(stripped);
			}
		}
		String encoded = base64.toString().replaceAll("\\s+", "").replace('-', '+').replace('_', '/');
		if (encoded.isEmpty()) {
			return null;
		}
		try {
			// padding is optional for the JDK decoder
			byte[] der = Base64.getDecoder().decode(encoded);
			PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
			if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() >= MIN_KEY_BITS) {
				return rsa;
			}
			return null;
		}
		catch (IllegalArgumentException | GeneralSecurityException ex) {
			return null;
		}
	}

	// Server time

	/**
	 * Reads the server's time from the answer of {@code GET /api/v2/sdk/server-date}: a JSON
	 * number, a JSON string, a JSON object whose {@code server_date}, {@code serverDate},
	 * {@code server_time}, {@code serverTime}, {@code timestamp}, {@code date}, {@code time},
	 * {@code now} or {@code data} field holds it (one level of nesting), or a plain text body.
	 * A number is epoch milliseconds, or epoch seconds when below 10^11 (fractions allowed); a
	 * text is such a number, ISO-8601 with an offset ({@code 2026-11-30T21:48:40Z},
	 * {@code 2026-11-30T21:48:40+08:00}) or RFC 1123 ({@code Mon, 30 Nov 2026 21:48:40 GMT}).
	 * A date without an offset is refused: the zone would be a guess.
	 * @return the time, or {@code null} when none could be read (the caller then falls back
	 * to the HTTP {@code Date} header)
	 */
	static @Nullable Instant serverTime(byte[] body, @Nullable JsonNode json) {
		if (json != null) {
			return serverTime(json, 0);
		}
		return instant(new String(body, StandardCharsets.UTF_8));
	}

	private static @Nullable Instant serverTime(JsonNode json, int depth) {
		if (json.isNumber()) {
			return epoch(json.decimalValue());
		}
		if (json.isString()) {
			return instant(json.stringValue());
		}
		if (json.isObject() && depth < 2) {
			for (String field : TIME_FIELDS) {
				JsonNode value = json.get(field);
				if (value != null) {
					Instant instant = serverTime(value, depth + 1);
					if (instant != null) {
						return instant;
					}
				}
			}
		}
		return null;
	}

	static @Nullable Instant instant(String text) {
		String value = text.strip();
		if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
			value = value.substring(1, value.length() - 1).strip();
		}
		if (value.isEmpty() || value.length() > 64) {
			return null;
		}
		if (value.matches("\\d{1,19}(\\.\\d{1,9})?")) {
			return epoch(new BigDecimal(value));
		}
		try {
			return OffsetDateTime.parse(value).toInstant();
		}
		catch (DateTimeParseException ex) {
			// not ISO-8601 with an offset
		}
		try {
			return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	private static @Nullable Instant epoch(BigDecimal value) {
		if (value.signum() <= 0) {
			return null;
		}
		try {
			if (value.compareTo(BigDecimal.valueOf(MILLIS_THRESHOLD)) >= 0) {
				return Instant.ofEpochMilli(value.setScale(0, RoundingMode.DOWN).longValueExact());
			}
			return Instant.ofEpochMilli(value.movePointRight(3).setScale(0, RoundingMode.DOWN)
				.longValueExact());
		}
		catch (ArithmeticException | DateTimeException ex) {
			return null;
		}
	}

}

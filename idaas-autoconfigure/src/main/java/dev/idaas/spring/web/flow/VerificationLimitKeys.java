package dev.idaas.spring.web.flow;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import org.springframework.util.Assert;

/**
 * The keys a {@link VerificationRateLimiter} counts under: one per target (the phone number
 * or email address the code goes to), one per flow subject (the Apple sign-in the pending
 * flow belongs to) and one per client IP. The same target, subject or IP gives the same key in
 * every flow and on every node, so limits hold across flows.
 * <p>
 * A key is its {@link Scope} prefix followed by the SHA-256 (hex) of the normalised value:
 * phone numbers, email addresses and addresses never appear in a key, hence never in Redis or
 * in logs. Targets are trimmed, lower-cased, and stripped of spaces, dashes, dots between
 * digits, parentheses and a leading {@code +} or {@code 00}, so {@code " Bob@Example.COM "}
 * and {@code bob@example.com}, or {@code +86 138-0000-0001} and {@code 8613800000001}, share
 * a key.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see VerificationLimits
 */
public final class VerificationLimitKeys {

	private VerificationLimitKeys() {
	}

	/**
	 * The keys of one send or check.
	 * @param target the phone number or email address the code goes to
	 * @param flowSubject a stable id of the pending flow's Apple sign-in
	 * @param clientIp the client's IP address
	 * @return the target, subject and client IP keys, in this order
	 * @since 0.1
	 */
	public static List<String> of(String target, String flowSubject, String clientIp) {
		Assert.hasText(target, "target cannot be empty");
		Assert.hasText(flowSubject, "flowSubject cannot be empty");
		Assert.hasText(clientIp, "clientIp cannot be empty");
		return List.of(key(Scope.TARGET, normalizeTarget(target)), key(Scope.SUBJECT, flowSubject.strip()),
				key(Scope.CLIENT_IP, clientIp.strip().toLowerCase(Locale.ROOT)));
	}

	/**
	 * The scope of a key made by {@link #of}.
	 * @param key the key
	 * @return its scope
	 * @throws IllegalArgumentException when the key was not made by {@link #of}
	 * @since 0.1
	 */
	public static Scope scopeOf(String key) {
		Assert.notNull(key, "key cannot be null");
		for (Scope scope : Scope.values()) {
			if (key.startsWith(scope.prefix())) {
				return scope;
			}
		}
		throw new IllegalArgumentException("Not a verification limit key: use VerificationLimitKeys.of");
	}

	static String normalizeTarget(String target) {
		String value = target.strip().toLowerCase(Locale.ROOT);
		if (value.indexOf('@') >= 0) {
			return value;
		}
		// a phone number: the same digits however they are written
		return PhoneNumbers.keyOf(value);
	}

	private static String key(Scope scope, String value) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
			return scope.prefix() + HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	/**
	 * What a key counts for; each scope has its own limit in {@link VerificationLimits}.
	 *
	 * @since 0.1
	 */
	public enum Scope {

		/**
		 * The phone number or email address a code goes to.
		 */
		TARGET("target:"),

		/**
		 * The Apple sign-in a pending flow belongs to.
		 */
		SUBJECT("subject:"),

		/**
		 * The client's IP address.
		 */
		CLIENT_IP("ip:");

		private final String prefix;

		Scope(String prefix) {
			this.prefix = prefix;
		}

		/**
		 * The prefix of this scope's keys.
		 * @return the prefix, e.g. {@code target:}
		 * @since 0.1
		 */
		public String prefix() {
			return this.prefix;
		}

	}

}

package dev.idaas.spring.client;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * How a verification code reaches the user in a bind or register flow, with the tenant's name
 * for it in {@code socialBindOrRegisterFlow} ({@code VERIFY_PHONE}, {@code VERIFY_EMAIL}).
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSocialFlowClient
 * @see VerificationPurpose
 */
public enum VerificationChannel {

	/**
	 * A code sent by SMS to a phone number ({@code VERIFY_PHONE}).
	 */
	SMS("VERIFY_PHONE", "mobile", "/api/v2/sdk/sms/send"),

	/**
	 * A code sent by email ({@code VERIFY_EMAIL}).
	 */
	EMAIL("VERIFY_EMAIL", "email", "/api/v2/sdk/email/send");

	private final String flow;

	private final String targetField;

	private final String sendPath;

	VerificationChannel(String flow, String targetField, String sendPath) {
		this.flow = flow;
		this.targetField = targetField;
		this.sendPath = sendPath;
	}

	/**
	 * Returns the tenant's name of this method in {@code socialBindOrRegisterFlow}.
	 * @return {@code VERIFY_PHONE} or {@code VERIFY_EMAIL}
	 */
	public String flow() {
		return this.flow;
	}

	/**
	 * Returns the JSON field that carries the target in IDaaS requests.
	 * @return {@code mobile} or {@code email}
	 */
	public String targetField() {
		return this.targetField;
	}

	String sendPath() {
		return this.sendPath;
	}

	/**
	 * Returns the channel of a {@code socialBindOrRegisterFlow} value, ignoring case and
	 * surrounding blanks.
	 * @param flow e.g. {@code VERIFY_PHONE}
	 * @return the channel, or {@code null} when the value names no known method
	 */
	public static @Nullable VerificationChannel fromFlow(@Nullable String flow) {
		if (flow == null) {
			return null;
		}
		String normalized = flow.strip().toUpperCase(Locale.ROOT);
		for (VerificationChannel channel : values()) {
			if (channel.flow.equals(normalized)) {
				return channel;
			}
		}
		return null;
	}

}

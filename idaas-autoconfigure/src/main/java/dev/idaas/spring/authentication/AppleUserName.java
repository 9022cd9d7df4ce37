package dev.idaas.spring.authentication;

import java.io.Serial;
import java.io.Serializable;

import org.jspecify.annotations.Nullable;

/**
 * The person's name and email as the Apple web callback's {@code user} form field gives them.
 * Apple sends the field on the very first sign-in only. <strong>Unverified:</strong> unlike the
 * code, the field is not signed and whoever posts the callback chooses it; use it as a
 * suggestion to show or to pre-fill a form, never to identify, match or authorize anyone. It
 * becomes claims of the principal under the {@code apple_unverified_*} names below, never
 * standard OIDC claims such as {@code given_name} or {@code email}.
 *
 * @param firstName the first name, or {@code null}
 * @param lastName the last name, or {@code null}
 * @param email the email (possibly a private relay address), or {@code null}
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see UnverifiedAppleUserInfoReceivedEvent
 */
public record AppleUserName(@Nullable String firstName, @Nullable String lastName, @Nullable String email)
		implements Serializable {

	/**
	 * The claim holding the unverified first name.
	 */
	public static final String UNVERIFIED_GIVEN_NAME = "apple_unverified_given_name";

	/**
	 * The claim holding the unverified last name.
	 */
	public static final String UNVERIFIED_FAMILY_NAME = "apple_unverified_family_name";

	/**
	 * The claim holding the unverified full name.
	 */
	public static final String UNVERIFIED_NAME = "apple_unverified_name";

	/**
	 * The claim holding the unverified email.
	 */
	public static final String UNVERIFIED_EMAIL = "apple_unverified_email";

	@Serial
	private static final long serialVersionUID = 1L;

	/**
	 * The full name, first and last joined by a space.
	 * @return the full name, or {@code null} when neither part is known
	 */
	public @Nullable String fullName() {
		String joined = ((this.firstName != null) ? this.firstName : "") + " "
				+ ((this.lastName != null) ? this.lastName : "");
		joined = joined.strip();
		return joined.isEmpty() ? null : joined;
	}

}

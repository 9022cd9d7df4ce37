package dev.idaas.spring.authentication;

import java.io.Serial;
import java.io.Serializable;

import org.jspecify.annotations.Nullable;

/**
 * The person's name and email as Apple sends them in the {@code user} form field, on the very
 * first sign-in only.
 *
 * @param firstName the first name, or {@code null}
 * @param lastName the last name, or {@code null}
 * @param email the email (possibly a private relay address), or {@code null}
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public record AppleUserName(@Nullable String firstName, @Nullable String lastName, @Nullable String email)
		implements Serializable {

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

package dev.idaas.spring.test.simulator;

import org.jspecify.annotations.Nullable;

/**
 * A person listed on the simulated "Sign in with Apple" page, with what IDaaS answers when they
 * sign in.
 *
 * @param key a stable identifier, e.g. {@code alice}
 * @param firstName the first name Apple shares on the first sign-in
 * @param lastName the last name Apple shares on the first sign-in
 * @param email the email Apple shares
 * @param expectedOutcome the login {@code status}, or the {@code error_code}, that IDaaS answers
 * @param description a one-line explanation shown on the page
 * @param user the IDaaS account the Apple identity is bound to, or {@code null} when unbound
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see SamplePeople
 */
public record SamplePerson(String key, String firstName, String lastName, String email, String expectedOutcome,
		String description, @Nullable SimulatedUser user) {

	/**
	 * The display name, first and last name.
	 * @return the name
	 * @since 0.1
	 */
	public String displayName() {
		return this.firstName + " " + this.lastName;
	}

}

package dev.idaas.spring.test.simulator;

import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

/**
 * A user account of the simulated IDaaS tenant; its fields become the id_token's identity
 * claims.
 *
 * @param sub the {@code sub} claim (the vendor puts the user name there)
 * @param id the {@code id} claim (the user id)
 * @param name the {@code name} claim (display name)
 * @param userName the {@code userName} claim
 * @param mobile the {@code mobile} claim, or {@code null} when the account has no phone number
 * @param email the {@code email} claim, or {@code null} when the account has no email address
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSimulator#registerUser(SimulatedUser)
 */
public record SimulatedUser(String sub, String id, String name, String userName, @Nullable String mobile,
		@Nullable String email) {

	/**
	 * Creates a user.
	 */
	public SimulatedUser {
		Checks.hasText(sub, "sub cannot be empty");
		Checks.hasText(id, "id cannot be empty");
		Checks.notNull(name, "name cannot be null");
		Checks.hasText(userName, "userName cannot be empty");
	}

	/**
	 * Creates a user whose {@code sub} is its user name, as the vendor does, with a random
	 * numeric id.
	 * @param userName the user name (also the {@code sub})
	 * @param name the display name
	 * @param mobile the phone number, or {@code null}
	 * @param email the email address, or {@code null}
	 * @return the user
	 * @since 0.1
	 */
	public static SimulatedUser of(String userName, String name, @Nullable String mobile, @Nullable String email) {
		String id = Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000_000L, 9_999_999_999_999L));
		return new SimulatedUser(userName, id, name, userName, mobile, email);
	}

}

package dev.idaas.spring.test.simulator;

import java.util.List;

/**
 * The sample people that {@link IdaasSimulator#withSamplePeople()} registers, one per login
 * branch, for the demo and for tests that want named fixtures.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public final class SamplePeople {

	/**
	 * Alice's account: her Apple identity is bound to it, so she signs in ({@code SUCCESS}).
	 */
	public static final SimulatedUser ALICE = new SimulatedUser("alice", "1000000000001", "Alice Existing", "alice",
			"+8613800000001", "alice@example.com");

	/**
	 * Bob's existing account, which his Apple identity is not yet bound to: he gets
	 * {@code SOCIAL_BIND} and binds with this mobile or email.
	 */
	public static final SimulatedUser BOB = new SimulatedUser("bob", "1000000000002", "Bob Binder", "bob",
			"+8613800000002", "bob@example.com");

	/**
	 * Dave's account, disabled: his sign-in answers {@code IDAAS.SDK.USER.0039}.
	 */
	public static final SimulatedUser DAVE = new SimulatedUser("dave", "1000000000004", "Dave Disabled", "dave",
			"+8613800000004", "dave@example.com");

	/**
	 * Frank's account, with a second factor required: his sign-in answers {@code MFA_AUTH}; the
	 * code goes to his mobile on file.
	 */
	public static final SimulatedUser FRANK = new SimulatedUser("frank", "1000000000006", "Frank Factor", "frank",
			"+8613800000006", "frank@example.com");

	/**
	 * Alice, who has an account: {@code SUCCESS}.
	 */
	public static final SamplePerson ALICE_PERSON = new SamplePerson("alice", "Alice", "Existing", "alice@example.com",
			"SUCCESS", "Has an account: signs straight in.", ALICE);

	/**
	 * Bob, who must bind his Apple identity to his existing account: {@code SOCIAL_BIND}.
	 */
	public static final SamplePerson BOB_PERSON = new SamplePerson("bob", "Bob", "Binder", "bob.apple@example.com",
			"SOCIAL_BIND", "Unknown Apple identity: must bind it to his account (mobile +8613800000002).", null);

	/**
	 * Carol, new to the tenant, which registers her: {@code USER_REGISTER}.
	 */
	public static final SamplePerson CAROL_PERSON = new SamplePerson("carol", "Carol", "Newcomer",
			"carol@example.com", "USER_REGISTER", "Unknown Apple identity: the tenant registers a new account.", null);

	/**
	 * Dave, whose account is disabled: {@code IDAAS.SDK.USER.0039}.
	 */
	public static final SamplePerson DAVE_PERSON = new SamplePerson("dave", "Dave", "Disabled", "dave@example.com",
			"IDAAS.SDK.USER.0039", "Has an account, but it is disabled.", DAVE);

	/**
	 * Erin, whom the tenant denies: {@code ACCESS_DENIED}.
	 */
	public static final SamplePerson ERIN_PERSON = new SamplePerson("erin", "Erin", "Denied", "erin@example.com",
			"ACCESS_DENIED", "The tenant denies her access.", null);

	/**
	 * Frank, whose account requires a second factor: {@code MFA_AUTH}.
	 */
	public static final SamplePerson FRANK_PERSON = new SamplePerson("frank", "Frank", "Factor", "frank@example.com",
			"MFA_AUTH", "Has an account with a second factor: confirms a code sent to +8613800000006.", FRANK);

	/**
	 * All of them, in page order.
	 */
	public static final List<SamplePerson> ALL = List.of(ALICE_PERSON, BOB_PERSON, CAROL_PERSON, DAVE_PERSON,
			ERIN_PERSON, FRANK_PERSON);

	private SamplePeople() {
	}

}

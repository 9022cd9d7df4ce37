package dev.idaas.spring.authentication;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link IdaasSessionState}: generations order the copies of one sign-in.
 */
class IdaasSessionStateTests {

	private static final Instant SIGNED_IN = Instant.parse("2026-01-01T00:00:00Z");

	private final IdaasSessionState signedIn = new IdaasSessionState("token-0", SIGNED_IN.plusSeconds(3600),
			SIGNED_IN, 0);

	@Test
	void refreshedThenOneGenerationFurtherSameSignIn() {
		IdaasSessionState once = this.signedIn.refreshed("token-1", SIGNED_IN.plusSeconds(7200));
		IdaasSessionState twice = once.refreshed("token-1", SIGNED_IN.plusSeconds(7200));
		assertThat(this.signedIn.generation()).isZero();
		assertThat(once.generation()).isEqualTo(1);
		assertThat(twice.generation()).isEqualTo(2);
		assertThat(twice.refreshCount()).isEqualTo(2);
		assertThat(twice.signedInAt()).isEqualTo(SIGNED_IN);
	}

	@Test
	void supersedesWhenHigherGenerationOfSameSignInThenTrue() {
		IdaasSessionState once = this.signedIn.refreshed("token-1", SIGNED_IN.plusSeconds(7200));
		assertThat(once.supersedes(this.signedIn)).isTrue();
		assertThat(this.signedIn.supersedes(once)).isFalse();
		assertThat(once.supersedes(once)).isFalse();
	}

	@Test
	void supersedesWhenOtherSignInThenNeverEitherWay() {
		IdaasSessionState older = this.signedIn.refreshed("token-1", SIGNED_IN.plusSeconds(7200))
			.refreshed("token-2", SIGNED_IN.plusSeconds(7200));
		IdaasSessionState newSignIn = new IdaasSessionState("token-x", SIGNED_IN.plusSeconds(9000),
				SIGNED_IN.plusSeconds(60), 0);
		// signing in again replaces whatever the previous sign-in had reached
		assertThat(older.supersedes(newSignIn)).isFalse();
		assertThat(newSignIn.supersedes(older)).isFalse();
	}

	@Test
	void constructorWhenNegativeGenerationThenException() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new IdaasSessionState("token", SIGNED_IN, SIGNED_IN, 0, -1))
			.withMessage("generation cannot be negative");
	}

	@Test
	void toStringThenGenerationShownTokenMasked() {
		assertThat(this.signedIn.toString()).contains("generation=0").contains("sessionToken=***")
			.doesNotContain("token-0");
	}

}

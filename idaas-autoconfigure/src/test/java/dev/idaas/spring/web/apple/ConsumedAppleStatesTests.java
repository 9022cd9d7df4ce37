package dev.idaas.spring.web.apple;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ConsumedAppleStates}: a state is accepted once while it lives; a flood is
 * bounded, and an operator is warned once per flood.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConsumedAppleStatesTests {

	private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

	private static final String WARNING = "states consumed on this node are still unexpired";

	@Test
	void consumeWhenSameStateAgainUntilItsExpiryThenRefusedAfterItAccepted() {
		ConsumedAppleStates states = new ConsumedAppleStates(10);
		Instant expiresAt = T.plusSeconds(600);
		assertThat(states.consume("s1", expiresAt, T)).isTrue();
		assertThat(states.consume("s1", expiresAt, T.plusSeconds(1))).isFalse();
		assertThat(states.consume("s1", expiresAt, expiresAt)).as("at its expiry").isFalse();
		assertThat(states.consume("s1", expiresAt, expiresAt.plusMillis(1))).as("after its expiry").isTrue();
	}

	@Test
	void consumeWhenFullThenOldestForgottenAndWarnedOncePerFlood(CapturedOutput output) {
		ConsumedAppleStates states = new ConsumedAppleStates(4);
		Instant expiresAt = T.plus(Duration.ofMinutes(10));
		for (int i = 0; i < 6; i++) {
			assertThat(states.consume("s" + i, expiresAt, T)).isTrue();
		}
		assertThat(states.size()).isEqualTo(4);
		assertThat(warnings(output)).isEqualTo(1);
		// the flood is over (all expired): the next one is reported again
		Instant later = expiresAt.plusSeconds(1);
		for (int i = 0; i < 5; i++) {
			assertThat(states.consume("t" + i, later.plus(Duration.ofMinutes(10)), later)).isTrue();
		}
		assertThat(states.size()).isEqualTo(4);
		assertThat(warnings(output)).isEqualTo(2);
	}

	@Test
	void consumeWhenHalfFullAfterExpiriesThenSameFloodNotReportedTwice(CapturedOutput output) {
		ConsumedAppleStates states = new ConsumedAppleStates(4);
		Instant soon = T.plus(Duration.ofMinutes(1));
		Instant late = T.plus(Duration.ofMinutes(10));
		states.consume("a", soon, T);
		states.consume("b", soon, T);
		states.consume("c", soon, T);
		states.consume("d", late, T);
		states.consume("e", late, T); // full: "a" forgotten, first warning
		assertThat(warnings(output)).isEqualTo(1);
		Instant now = T.plus(Duration.ofMinutes(2)); // "b" and "c" expired: exactly half left
		states.consume("f", late, now);
		states.consume("g", late, now);
		states.consume("h", late, now); // full again, still the same flood
		assertThat(states.size()).isEqualTo(4);
		assertThat(warnings(output)).isEqualTo(1);
	}

	@Test
	void constructorWhenCapacityNotPositiveThenIllegalArgument() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ConsumedAppleStates(0))
			.withMessage("capacity must be positive");
		ConsumedAppleStates one = new ConsumedAppleStates(1);
		assertThat(one.consume("s1", T.plusSeconds(60), T)).isTrue();
		assertThat(one.consume("s2", T.plusSeconds(60), T)).isTrue();
		assertThat(one.size()).isEqualTo(1);
	}

	private static int warnings(CapturedOutput output) {
		return output.getAll().split(WARNING, -1).length - 1;
	}

}

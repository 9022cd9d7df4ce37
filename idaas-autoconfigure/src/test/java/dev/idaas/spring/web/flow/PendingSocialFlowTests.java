package dev.idaas.spring.web.flow;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.idaas.spring.client.SocialFlowBranch;
import dev.idaas.spring.client.VerificationChannel;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PendingSocialFlow}.
 */
class PendingSocialFlowTests {

	private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

	@Test
	void stepsWhenPuzzleThenCodeThenPuzzleUsedUpAndTargetKept() {
		PendingSocialFlow flow = PendingSocialFlow.started(SocialFlowBranch.SOCIAL_BIND, "state-token-1",
				List.of("VERIFY_PHONE"), NOW, null, null);
		PendingSocialFlow withPuzzle = flow.withPuzzle("puzzle-token-1", 310);
		assertThat(withPuzzle.puzzleToken()).isEqualTo("puzzle-token-1");
		assertThat(withPuzzle.puzzleWidth()).isEqualTo(310);
		PendingSocialFlow sent = withPuzzle.withCodeSent(VerificationChannel.SMS, "+8613800000000", NOW);
		assertThat(sent.puzzleToken()).isNull();
		assertThat(sent.codeTarget()).isEqualTo("+8613800000000");
		assertThat(sent.codeChannel()).isEqualTo(VerificationChannel.SMS);
		assertThat(sent.withFailedAttempt().withFailedAttempt().failedAttempts()).isEqualTo(2);
		assertThat(sent.subject()).isEqualTo(flow.subject()).isEqualTo(PendingSocialFlow.subjectOf("state-token-1"))
			.doesNotContain("state-token-1");
		assertThat(sent.toString()).doesNotContain("state-token-1").doesNotContain("puzzle-token-1")
			.doesNotContain("+8613800000000");
	}

	@Test
	void secondFactorWhenStartedThenSmsOnlyAndSubjectOfTheSignInKept() throws Exception {
		PendingSocialFlow flow = PendingSocialFlow.secondFactor("state-token-2", "+8613800000000", NOW, null,
				"flow-subject-of-bind");
		assertThat(flow.branch()).isEqualTo(SocialFlowBranch.MFA_AUTH);
		assertThat(flow.flows()).containsExactly("VERIFY_PHONE");
		assertThat(flow.subject()).isEqualTo("flow-subject-of-bind");
		assertThat(flow.toString()).doesNotContain("+8613800000000");
		assertThat(roundTrip(flow)).isEqualTo(flow);
	}

	@Test
	void constructorWhenNoSubjectThenDerivedFromStateToken() {
		PendingSocialFlow flow = new PendingSocialFlow(SocialFlowBranch.USER_REGISTER, "state-token-3", List.of(), NOW,
				null, null, 0, null, 0, null, null, null, null);
		assertThat(flow.subject()).isEqualTo(PendingSocialFlow.subjectOf("state-token-3"));
	}

	private static PendingSocialFlow roundTrip(PendingSocialFlow flow) throws IOException, ClassNotFoundException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(flow);
		}
		try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
			return (PendingSocialFlow) in.readObject();
		}
	}

}

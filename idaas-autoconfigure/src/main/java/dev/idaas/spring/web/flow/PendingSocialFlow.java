package dev.idaas.spring.web.flow;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.idaas.spring.authentication.AppleUserName;
import dev.idaas.spring.client.SocialFlowBranch;

import org.springframework.util.Assert;

/**
 * A bind or register flow waiting to be finished, kept in the HTTP session. The state token
 * never leaves the server and never appears in {@link #toString()}.
 *
 * @param branch which flow
 * @param stateToken the IDaaS state token
 * @param flows the verification methods the tenant allows
 * @param createdAt when the flow started
 * @param appleUserName the name Apple sent on the first sign-in, or {@code null}
 * @param failedAttempts how many wrong verification codes were entered
 * @param codesSent how many verification codes were sent (or may have been sent) for this flow
 * @param lastCodeSentAt when the last of them was sent, or {@code null} when none was
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see PendingSocialFlowRepository
 */
public record PendingSocialFlow(SocialFlowBranch branch, String stateToken, List<String> flows, Instant createdAt,
		@Nullable AppleUserName appleUserName, int failedAttempts, int codesSent,
		@Nullable Instant lastCodeSentAt) implements Serializable {

	// Still 1: records are deserialized by component name through the canonical constructor, so
	// a flow stored before codesSent and lastCodeSentAt existed (rolling deploy, Spring Session)
	// reads back with 0 and null instead of failing the whole session.
	@Serial
	private static final long serialVersionUID = 1L;

	/**
	 * Creates a pending flow.
	 */
	public PendingSocialFlow {
		Assert.notNull(branch, "branch cannot be null");
		Assert.hasText(stateToken, "stateToken cannot be empty");
		Assert.notNull(createdAt, "createdAt cannot be null");
		Assert.isTrue(failedAttempts >= 0, "failedAttempts cannot be negative");
		Assert.isTrue(codesSent >= 0, "codesSent cannot be negative");
		flows = List.copyOf(flows);
	}

	/**
	 * A flow that has just started: no wrong code, no code sent.
	 * @param branch which flow
	 * @param stateToken the IDaaS state token
	 * @param flows the verification methods the tenant allows
	 * @param createdAt when the flow started
	 * @param appleUserName the name Apple sent on the first sign-in, or {@code null}
	 * @return the new flow
	 */
	public static PendingSocialFlow started(SocialFlowBranch branch, String stateToken, List<String> flows,
			Instant createdAt, @Nullable AppleUserName appleUserName) {
		return new PendingSocialFlow(branch, stateToken, flows, createdAt, appleUserName, 0, 0, null);
	}

	/**
	 * This flow after one more wrong verification code.
	 * @return the new flow
	 */
	public PendingSocialFlow withFailedAttempt() {
		return new PendingSocialFlow(this.branch, this.stateToken, this.flows, this.createdAt, this.appleUserName,
				this.failedAttempts + 1, this.codesSent, this.lastCodeSentAt);
	}

	/**
	 * This flow after one more verification code was sent.
	 * @param sentAt when it was sent
	 * @return the new flow
	 */
	public PendingSocialFlow withCodeSent(Instant sentAt) {
		Assert.notNull(sentAt, "sentAt cannot be null");
		return new PendingSocialFlow(this.branch, this.stateToken, this.flows, this.createdAt, this.appleUserName,
				this.failedAttempts, this.codesSent + 1, sentAt);
	}

	@Override
	public String toString() {
		return "PendingSocialFlow[branch=" + this.branch + ", stateToken=***, flows=" + this.flows + ", createdAt="
				+ this.createdAt + ", failedAttempts=" + this.failedAttempts + ", codesSent=" + this.codesSent
				+ ", lastCodeSentAt=" + this.lastCodeSentAt + "]";
	}

}

package dev.idaas.spring.web;

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
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see PendingSocialFlowRepository
 */
public record PendingSocialFlow(SocialFlowBranch branch, String stateToken, List<String> flows, Instant createdAt,
		@Nullable AppleUserName appleUserName, int failedAttempts) implements Serializable {

	@Serial
	private static final long serialVersionUID = 1L;

	/**
	 * Creates a pending flow.
	 */
	public PendingSocialFlow {
		Assert.notNull(branch, "branch cannot be null");
		Assert.hasText(stateToken, "stateToken cannot be empty");
		Assert.notNull(createdAt, "createdAt cannot be null");
		flows = List.copyOf(flows);
	}

	/**
	 * This flow after one more wrong verification code.
	 * @return the new flow
	 */
	public PendingSocialFlow withFailedAttempt() {
		return new PendingSocialFlow(this.branch, this.stateToken, this.flows, this.createdAt, this.appleUserName,
				this.failedAttempts + 1);
	}

	@Override
	public String toString() {
		return "PendingSocialFlow[branch=" + this.branch + ", stateToken=***, flows=" + this.flows + ", createdAt="
				+ this.createdAt + ", failedAttempts=" + this.failedAttempts + "]";
	}

}

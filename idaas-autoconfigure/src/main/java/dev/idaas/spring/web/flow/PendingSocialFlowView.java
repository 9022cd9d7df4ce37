package dev.idaas.spring.web.flow;

import java.time.Instant;
import java.util.List;

import dev.idaas.spring.client.SocialFlowBranch;

import org.springframework.util.Assert;

/**
 * What a page may know about the browser's pending bind or register flow: which flow, the
 * verification methods the tenant allows, when it expires, how many wrong codes are left and
 * when the next verification code can be sent (e.g. to show "resend in 25 s"). Never the state
 * token. Exposed to the bind and register pages as the request attribute
 * {@value IdaasSocialFlowFilter#PENDING_FLOW_ATTRIBUTE}.
 *
 * @param branch which flow
 * @param flows the allowed methods, e.g. {@code VERIFY_PHONE}, {@code VERIFY_EMAIL}
 * @param expiresAt when the flow stops being usable
 * @param attemptsRemaining how many wrong verification codes may still be entered
 * @param codeSendsRemaining how many more verification codes may be sent for this flow
 * @param canResendAt the earliest instant at which a verification code is sent; in the past when
 * one can be sent now, the flow's expiry when {@code codeSendsRemaining} is 0 (the user must
 * sign in again for more codes)
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSocialFlowService#getPendingFlow(jakarta.servlet.http.HttpServletRequest)
 */
public record PendingSocialFlowView(SocialFlowBranch branch, List<String> flows, Instant expiresAt,
		int attemptsRemaining, int codeSendsRemaining, Instant canResendAt) {

	/**
	 * Creates a view.
	 */
	public PendingSocialFlowView {
		Assert.notNull(branch, "branch cannot be null");
		Assert.notNull(flows, "flows cannot be null");
		Assert.notNull(expiresAt, "expiresAt cannot be null");
		Assert.notNull(canResendAt, "canResendAt cannot be null");
		flows = List.copyOf(flows);
	}

	/**
	 * Whether the tenant allows a method, e.g. for {@code th:if="${flow.allows('VERIFY_PHONE')}"}.
	 * @param flow the method, e.g. {@code VERIFY_PHONE}
	 * @return {@code true} when allowed
	 */
	public boolean allows(String flow) {
		return this.flows.contains(flow);
	}

}

package dev.idaas.spring.web;

import java.time.Instant;
import java.util.List;

import dev.idaas.spring.client.SocialFlowBranch;

import org.springframework.util.Assert;

/**
 * What a page may know about the browser's pending bind or register flow: which flow, the
 * verification methods the tenant allows, when it expires and how many wrong codes are left.
 * Never the state token. Exposed to the bind and register pages as the request attribute
 * {@value IdaasSocialFlowFilter#PENDING_FLOW_ATTRIBUTE}.
 *
 * @param branch which flow
 * @param flows the allowed methods, e.g. {@code VERIFY_PHONE}, {@code VERIFY_EMAIL}
 * @param expiresAt when the flow stops being usable
 * @param attemptsRemaining how many wrong verification codes may still be entered
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSocialFlowService#getPendingFlow(jakarta.servlet.http.HttpServletRequest)
 */
public record PendingSocialFlowView(SocialFlowBranch branch, List<String> flows, Instant expiresAt,
		int attemptsRemaining) {

	/**
	 * Creates a view.
	 */
	public PendingSocialFlowView {
		Assert.notNull(branch, "branch cannot be null");
		Assert.notNull(flows, "flows cannot be null");
		Assert.notNull(expiresAt, "expiresAt cannot be null");
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

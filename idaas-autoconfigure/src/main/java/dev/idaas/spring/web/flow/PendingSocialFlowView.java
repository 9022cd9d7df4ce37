package dev.idaas.spring.web.flow;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.idaas.spring.client.SocialFlowBranch;

import org.springframework.util.Assert;

/**
 * What a page may know about the browser's pending bind, register or second-factor flow:
 * which flow, the verification methods the tenant allows, when it expires, how many wrong
 * codes are left, when the next verification code can be sent (e.g. to show "resend in 25 s")
 * and, for a second factor, the masked number the code goes to. Never the state token. Exposed
 * to the flow pages as the request attribute {@value IdaasSocialFlowFilter#PENDING_FLOW_ATTRIBUTE}.
 *
 * @param branch which flow
 * @param flows the allowed methods, e.g. {@code VERIFY_PHONE}, {@code VERIFY_EMAIL} (other
 * values are left out); a list naming neither (the tenant's list was absent, empty or unknown)
 * becomes both
 * @param expiresAt when the flow stops being usable
 * @param attemptsRemaining how many wrong verification codes may still be entered
 * @param canResendAt the earliest instant at which a verification code is sent; in the past when
 * one can be sent now
 * @param mobile the number on file, masked (e.g. {@code 138****5678}), for a second factor;
 * {@code null} otherwise
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSocialFlowService#getPendingFlow(jakarta.servlet.http.HttpServletRequest)
 */
public record PendingSocialFlowView(SocialFlowBranch branch, List<String> flows, Instant expiresAt,
		int attemptsRemaining, Instant canResendAt, @Nullable String mobile) {

	/**
	 * Creates a view.
	 */
	public PendingSocialFlowView {
		Assert.notNull(branch, "branch cannot be null");
		Assert.notNull(flows, "flows cannot be null");
		Assert.notNull(expiresAt, "expiresAt cannot be null");
		Assert.notNull(canResendAt, "canResendAt cannot be null");
		flows = List.copyOf(SocialFlows.offered(flows));
	}

	/**
	 * Whether the tenant allows a method, e.g. for {@code th:if="${flow.allows('VERIFY_PHONE')}"}.
	 * @param flow the method, e.g. {@code VERIFY_PHONE}
	 * @return {@code true} when allowed
	 */
	public boolean allows(String flow) {
		return this.flows.contains(flow);
	}

	/**
	 * Masks a phone number or email address for display: a phone number keeps its first 3 and
	 * last 4 digits ({@code 13812345678} → {@code 138****5678}), an email address its first
	 * character and its domain ({@code alice@example.com} → {@code a***@example.com}).
	 * @param target the phone number or email address
	 * @return the masked text
	 */
	public static String mask(String target) {
		Assert.notNull(target, "target cannot be null");
		String value = target.strip();
		int at = value.lastIndexOf('@');
		if (at >= 0) {
			return ((at > 0) ? value.substring(0, 1) : "") + "***" + value.substring(at);
		}
		if (value.length() >= 8) {
			return value.substring(0, 3) + "*".repeat(value.length() - 7) + value.substring(value.length() - 4);
		}
		int shown = Math.min(2, value.length() / 2);
		return "*".repeat(value.length() - shown) + value.substring(value.length() - shown);
	}

}

package dev.idaas.spring.web.flow;

import java.io.Serial;
import java.util.Objects;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import dev.idaas.spring.client.SocialFlowBranch;

import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.util.Assert;

/**
 * The {@link WebAuthenticationDetails} of a sign-in that finished a bind, register or
 * second-factor flow, with the flow's branch (e.g. for the {@code branch} tag of the
 * {@code idaas.logins} metric).
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSocialFlowAuthenticationFilter
 */
public class SocialFlowAuthenticationDetails extends WebAuthenticationDetails {

	@Serial
	private static final long serialVersionUID = 1L;

	private final @Nullable SocialFlowBranch branch;

	/**
	 * Records the remote address, the session id and the branch of a flow URL request.
	 * @param request the request
	 */
	public SocialFlowAuthenticationDetails(HttpServletRequest request) {
		super(request);
		Assert.notNull(request, "request cannot be null");
		Object flow = request.getAttribute(BRANCH_ATTRIBUTE);
		this.branch = (flow instanceof SocialFlowBranch value) ? value : null;
	}

	/**
	 * The request attribute naming the branch of the flow URL being finished.
	 */
	static final String BRANCH_ATTRIBUTE = SocialFlowAuthenticationDetails.class.getName() + ".BRANCH";

	/**
	 * The flow this sign-in finished.
	 * @return the branch, or {@code null} when unknown
	 */
	public @Nullable SocialFlowBranch getBranch() {
		return this.branch;
	}

	@Override
	public boolean equals(@Nullable Object obj) {
		return super.equals(obj) && obj instanceof SocialFlowAuthenticationDetails other
				&& this.branch == other.branch;
	}

	@Override
	public int hashCode() {
		return Objects.hash(super.hashCode(), this.branch);
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + " [RemoteIpAddress=" + getRemoteAddress() + ", branch=" + this.branch + "]";
	}

}

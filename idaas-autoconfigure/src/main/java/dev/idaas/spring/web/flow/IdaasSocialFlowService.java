package dev.idaas.spring.web.flow;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import dev.idaas.spring.authentication.IdaasAuthenticationException;
import dev.idaas.spring.client.SocialFlowBranch;

/**
 * The steps of the browser's pending bind, register or second-factor flow that come before
 * signing in: the page's view of the flow, a slider puzzle, and a verification code sent after
 * the puzzle was solved. Finishing the flow is an authentication
 * ({@link IdaasSocialFlowAuthenticationFilter}). Declare a bean to replace the default.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see DefaultIdaasSocialFlowService
 * @see IdaasSocialFlowFilter
 */
public interface IdaasSocialFlowService {

	/**
	 * Returns the public view of the browser's pending flow.
	 * @param request the request
	 * @return the view, or {@code null} when no usable flow is pending
	 */
	@Nullable PendingSocialFlowView getPendingFlow(HttpServletRequest request);

	/**
	 * Fetches a new slider puzzle for the pending flow; it replaces any earlier one.
	 * @param branch the flow the endpoint serves; must be the pending flow's
	 * @param request the request
	 * @param response the response
	 * @return the puzzle for the page (the vendor's token stays in the flow)
	 * @throws IdaasAuthenticationException when no matching flow is pending, it expired, or
	 * IDaaS fails
	 */
	SliderPuzzle getCaptcha(SocialFlowBranch branch, HttpServletRequest request, HttpServletResponse response);

	/**
	 * Checks the slide of the open puzzle and, when right, sends a verification code, then
	 * remembers where it went: the flow can only be finished with that target.
	 * @param branch the flow the endpoint serves; must be the pending flow's
	 * @param input the request's fields ({@code method}, {@code target}, {@code captcha_x})
	 * @param request the request
	 * @param response the response
	 * @throws IdaasAuthenticationException when no matching flow is pending, it expired, the
	 * method is not allowed, a field is malformed, no puzzle is open or the slide is wrong
	 * ({@code CAPTCHA.0002}; the puzzle is used up), a limit is reached
	 * ({@link TooManyVerificationCodesException}) or IDaaS fails
	 */
	void sendVerificationCode(SocialFlowBranch branch, VerificationRequest input, HttpServletRequest request,
			HttpServletResponse response);

}

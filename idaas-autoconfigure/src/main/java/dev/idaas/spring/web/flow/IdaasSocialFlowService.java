package dev.idaas.spring.web.flow;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import dev.idaas.spring.authentication.IdaasAuthenticationException;
import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.client.SocialFlowBranch;
import dev.idaas.spring.client.VerificationChannel;

/**
 * Finishes the browser's pending {@code SOCIAL_BIND} or {@code USER_REGISTER} flow: sends a
 * verification code by a method the tenant allows, then binds or registers with the code the
 * user entered and returns the authentication of the now signed-in user. Signing that
 * authentication into the session (session id change, security context) is the caller's job, as
 * {@link IdaasSocialFlowFilter} does. Declare a bean to replace the default.
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
	 * Sends a verification code for the pending flow.
	 * @param branch the flow the endpoint serves; must be the pending flow's
	 * @param channel SMS ({@code VERIFY_PHONE}) or email ({@code VERIFY_EMAIL})
	 * @param target the phone number or email address
	 * @param request the request
	 * @param response the response
	 * @throws IdaasAuthenticationException when no matching flow is pending, it expired, the
	 * method is not allowed, the target is malformed, the flow may not send another code yet
	 * ({@link TooManyVerificationCodesException}) or IDaaS fails
	 */
	void sendVerificationCode(SocialFlowBranch branch, VerificationChannel channel, String target,
			HttpServletRequest request, HttpServletResponse response);

	/**
	 * Finishes the pending flow with the code the user entered and removes it.
	 * @param branch the flow the endpoint serves; must be the pending flow's
	 * @param channel how the code was sent
	 * @param target the phone number or email address the code was sent to
	 * @param verifyCode the code
	 * @param request the request
	 * @param response the response
	 * @return the authentication of the signed-in user
	 * @throws IdaasAuthenticationException when no matching flow is pending, it expired, the
	 * code is wrong (the flow is ended after too many), or IDaaS fails
	 */
	IdaasAuthenticationToken finish(SocialFlowBranch branch, VerificationChannel channel, String target,
			String verifyCode, HttpServletRequest request, HttpServletResponse response);

}

package dev.idaas.spring.web.flow;

import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import dev.idaas.spring.authentication.IdaasAuthenticationException;
import dev.idaas.spring.authentication.IdaasSocialFlowAuthenticationToken;
import dev.idaas.spring.authentication.IdaasSocialFlowRequiredException;
import dev.idaas.spring.client.DeviceContext;
import dev.idaas.spring.client.IdaasApiException;
import dev.idaas.spring.client.IdaasErrorCategory;
import dev.idaas.spring.client.IdaasErrorCodes;
import dev.idaas.spring.client.IdaasSocialFlowClient;
import dev.idaas.spring.client.SocialFlowBranch;
import dev.idaas.spring.web.DefaultDeviceContextResolver;
import dev.idaas.spring.web.DeviceContextResolver;
import dev.idaas.spring.web.JsonRequestMatcher;
import dev.idaas.spring.web.JsonResponseWriter;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.Assert;

/**
 * Takes a user whose sign-in needs a {@code SOCIAL_BIND}, {@code USER_REGISTER} or
 * {@code MFA_AUTH} flow to the page that finishes it: the pending flow (with its state token,
 * which never reaches the browser) is kept through the {@link PendingSocialFlowRepository}, the
 * session id is changed, and the browser is redirected to the flow's URL. A JSON request gets
 * {@code {"status":"SOCIAL_BIND","flows":[..],"next":"/idaas/bind"}} instead.
 * <p>
 * For a second factor the number on file is fetched at once
 * ({@code GET /api/v2/sdk/mobile-by-token}) and kept in the flow: the code can only go there.
 * A JSON request gets {@code {"status":"MFA_AUTH","next":"/idaas/mfa","mobile":"138****5678"}}.
 * A second factor that follows a bind or register stays counted under the same Apple sign-in
 * by the {@link VerificationRateLimiter}. Any other failure goes to the delegate.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSocialFlowRequiredException
 */
public final class IdaasBranchRedirectHandler implements AuthenticationFailureHandler {

	private final Map<SocialFlowBranch, String> urls;

	private final AuthenticationFailureHandler failureHandler;

	private PendingSocialFlowRepository pendingFlowRepository = new HttpSessionPendingSocialFlowRepository();

	private @Nullable IdaasSocialFlowClient socialFlowClient;

	private DeviceContextResolver deviceContextResolver = new DefaultDeviceContextResolver();

	private RequestMatcher jsonRequestMatcher = JsonRequestMatcher.INSTANCE;

	private RedirectStrategy redirectStrategy = new DefaultRedirectStrategy();

	private Clock clock = Clock.systemUTC();

	/**
	 * Creates a handler.
	 * @param bindUrl the page that finishes a bind flow
	 * @param registerUrl the page that finishes a register flow
	 * @param mfaUrl the page that finishes a second-factor flow
	 * @param failureHandler handles every other failure
	 */
	public IdaasBranchRedirectHandler(String bindUrl, String registerUrl, String mfaUrl,
			AuthenticationFailureHandler failureHandler) {
		Assert.notNull(failureHandler, "failureHandler cannot be null");
		this.urls = IdaasSocialFlowFilter.flowUrls(bindUrl, registerUrl, mfaUrl);
		this.failureHandler = failureHandler;
	}

	/**
	 * Sets where pending flows are kept.
	 * @param pendingFlowRepository the repository
	 */
	public void setPendingFlowRepository(PendingSocialFlowRepository pendingFlowRepository) {
		Assert.notNull(pendingFlowRepository, "pendingFlowRepository cannot be null");
		this.pendingFlowRepository = pendingFlowRepository;
	}

	/**
	 * Sets the client that fetches the number on file of a second factor; without one, an
	 * {@code MFA_AUTH} answer fails the sign-in ({@link IdaasErrorCodes#ACCESS_DENIED}).
	 * @param socialFlowClient the client
	 */
	public void setSocialFlowClient(IdaasSocialFlowClient socialFlowClient) {
		Assert.notNull(socialFlowClient, "socialFlowClient cannot be null");
		this.socialFlowClient = socialFlowClient;
	}

	/**
	 * Sets how device facts are resolved for the number-on-file call.
	 * @param deviceContextResolver the resolver
	 */
	public void setDeviceContextResolver(DeviceContextResolver deviceContextResolver) {
		Assert.notNull(deviceContextResolver, "deviceContextResolver cannot be null");
		this.deviceContextResolver = deviceContextResolver;
	}

	/**
	 * Sets which requests get JSON answers.
	 * @param jsonRequestMatcher the matcher
	 */
	public void setJsonRequestMatcher(RequestMatcher jsonRequestMatcher) {
		Assert.notNull(jsonRequestMatcher, "jsonRequestMatcher cannot be null");
		this.jsonRequestMatcher = jsonRequestMatcher;
	}

	/**
	 * Sets the redirect strategy.
	 * @param redirectStrategy the strategy
	 */
	public void setRedirectStrategy(RedirectStrategy redirectStrategy) {
		Assert.notNull(redirectStrategy, "redirectStrategy cannot be null");
		this.redirectStrategy = redirectStrategy;
	}

	/**
	 * Sets the clock that stamps pending flows.
	 * @param clock the clock
	 */
	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	@Override
	public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException, ServletException {
		if (!(exception instanceof IdaasSocialFlowRequiredException required)) {
			this.failureHandler.onAuthenticationFailure(request, response, exception);
			return;
		}
		var pending = required.getPendingFlow();
		// a second factor after a bind stays the same Apple sign-in for the limiter
		String subject = (required.getRequest() instanceof IdaasSocialFlowAuthenticationToken finish)
				? finish.getFlowSubject() : null;
		PendingSocialFlow flow;
		if (pending.branch() == SocialFlowBranch.MFA_AUTH) {
			String mobile;
			try {
				mobile = mobileOnFile(pending.stateToken(), request, response);
			}
			catch (IdaasAuthenticationException ex) {
				this.pendingFlowRepository.remove(request);
				this.failureHandler.onAuthenticationFailure(request, response, ex);
				return;
			}
			flow = PendingSocialFlow.secondFactor(pending.stateToken(), mobile, this.clock.instant(),
					required.getAppleUserName(), subject);
		}
		else {
			flow = PendingSocialFlow.started(pending.branch(), pending.stateToken(), pending.flows(),
					this.clock.instant(), required.getAppleUserName(), subject);
		}
		if (request.getSession(false) != null) {
			// the flow is about to bind an identity: never into a session someone else may know
			request.changeSessionId();
		}
		this.pendingFlowRepository.save(flow, request);
		String next = this.urls.get(flow.branch());
		if (this.jsonRequestMatcher.matches(request)) {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("status", flow.branch().name());
			if (flow.mobileOnFile() != null) {
				body.put("next", next);
				body.put("mobile", PendingSocialFlowView.mask(flow.mobileOnFile()));
			}
			else {
				body.put("flows", flow.flows());
				body.put("next", next);
			}
			JsonResponseWriter.write(response, HttpServletResponse.SC_OK, body);
			return;
		}
		this.redirectStrategy.sendRedirect(request, response, next);
	}

	private String mobileOnFile(String stateToken, HttpServletRequest request, HttpServletResponse response) {
		IdaasSocialFlowClient client = this.socialFlowClient;
		if (client == null) {
			throw new IdaasAuthenticationException(IdaasErrorCodes.ACCESS_DENIED,
					"A second factor is required but no IdaasSocialFlowClient is configured",
					IdaasErrorCategory.ACCESS_DENIED, null);
		}
		DeviceContext device = this.deviceContextResolver.resolve(request, response);
		try {
			String mobile = client.getMobileOnFile(stateToken, device);
			if (mobile == null || mobile.isBlank()) {
				throw new IdaasAuthenticationException(IdaasErrorCodes.MALFORMED_RESPONSE,
						"IDaaS answered no number on file", IdaasErrorCategory.PROTOCOL, null);
			}
			return mobile.strip();
		}
		catch (IdaasApiException ex) {
			throw SocialFlows.failure(ex);
		}
	}

}

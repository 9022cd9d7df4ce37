package dev.idaas.spring.web.flow;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.idaas.spring.authentication.IdaasAuthenticationException;
import dev.idaas.spring.authentication.IdaasSocialFlowAuthenticationToken;
import dev.idaas.spring.authentication.IdaasSocialFlowEndedException;
import dev.idaas.spring.authentication.IdaasSocialFlowRequiredException;
import dev.idaas.spring.client.IdaasErrorCategory;
import dev.idaas.spring.client.IdaasErrorCodes;
import dev.idaas.spring.client.SocialFlowBranch;
import dev.idaas.spring.client.VerificationChannel;
import dev.idaas.spring.web.DeviceContextResolver;

import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AbstractAuthenticationProcessingFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.Assert;

/**
 * Finishes a pending flow: {@code POST {url}} with {@code verify_code} (plus {@code method} and
 * {@code target} on the bind and register URLs; a second factor uses the number on file) is
 * turned into an {@link IdaasSocialFlowAuthenticationToken} that the
 * {@link dev.idaas.spring.authentication.IdaasSocialFlowAuthenticationProvider} signs in, so the
 * sign-in gets what every Spring Security login gets: events, the session strategy (session id
 * change, the pending flow cleared by {@link PendingSocialFlowAuthenticationStrategy}), the
 * security context repository, remember-me.
 * <p>
 * Before any call to IDaaS: the flow must be pending, of this URL's branch, with a code sent to
 * exactly this target ({@link IdaasErrorCodes#INVALID_VERIFICATION} otherwise), fewer than
 * {@link #setMaxFailedAttempts(int) 5} wrong codes entered, and the
 * {@link VerificationRateLimiter} must allow one more {@link VerificationAction#CODE_CHECK} for
 * the target, the flow's Apple sign-in and the client. A right code resets those checks.
 * A wrong code counts against the flow; a flow IDaaS ended ({@link IdaasSocialFlowEndedException})
 * is forgotten.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSocialFlowFilter
 */
public final class IdaasSocialFlowAuthenticationFilter extends AbstractAuthenticationProcessingFilter {

	private final Map<RequestMatcher, SocialFlowBranch> endpoints = new LinkedHashMap<>();

	private final PendingSocialFlowRepository pendingFlowRepository;

	private final DeviceContextResolver deviceContextResolver;

	private final VerificationRateLimiter rateLimiter;

	private int maxFailedAttempts = DefaultIdaasSocialFlowService.DEFAULT_MAX_FAILED_ATTEMPTS;

	/**
	 * Creates a filter on {@code POST} of the three flow URLs.
	 * @param bindUrl the bind page, e.g. {@code /idaas/bind}
	 * @param registerUrl the register page, e.g. {@code /idaas/register}
	 * @param mfaUrl the second-factor page, e.g. {@code /idaas/mfa}
	 * @param authenticationManager signs the user in
	 * @param pendingFlowRepository where the pending flows are kept
	 * @param deviceContextResolver resolves the user's device facts
	 * @param rateLimiter limits code checks per target, Apple sign-in and client
	 */
	public IdaasSocialFlowAuthenticationFilter(String bindUrl, String registerUrl, String mfaUrl,
			AuthenticationManager authenticationManager, PendingSocialFlowRepository pendingFlowRepository,
			DeviceContextResolver deviceContextResolver, VerificationRateLimiter rateLimiter) {
		super(new OrRequestMatcher(finishEndpoints(bindUrl, registerUrl, mfaUrl)), authenticationManager);
		Assert.notNull(pendingFlowRepository, "pendingFlowRepository cannot be null");
		Assert.notNull(deviceContextResolver, "deviceContextResolver cannot be null");
		Assert.notNull(rateLimiter, "rateLimiter cannot be null");
		PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
		IdaasSocialFlowFilter.flowUrls(bindUrl, registerUrl, mfaUrl)
			.forEach((branch, url) -> this.endpoints.put(paths.matcher(HttpMethod.POST, url), branch));
		this.pendingFlowRepository = pendingFlowRepository;
		this.deviceContextResolver = deviceContextResolver;
		this.rateLimiter = rateLimiter;
		setAuthenticationDetailsSource(SocialFlowAuthenticationDetails::new);
	}

	private static List<RequestMatcher> finishEndpoints(String bindUrl, String registerUrl, String mfaUrl) {
		PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
		List<RequestMatcher> matchers = new ArrayList<>();
		IdaasSocialFlowFilter.flowUrls(bindUrl, registerUrl, mfaUrl)
			.forEach((branch, url) -> matchers.add(paths.matcher(HttpMethod.POST, url)));
		return matchers;
	}

	/**
	 * Sets after how many wrong codes the flow ends ({@link IdaasErrorCodes#TOO_MANY_ATTEMPTS}).
	 * The {@link VerificationRateLimiter} bounds guesses across flows and nodes; this bounds
	 * them within one flow.
	 * @param maxFailedAttempts at least 1; defaults to 5
	 */
	public void setMaxFailedAttempts(int maxFailedAttempts) {
		Assert.isTrue(maxFailedAttempts >= 1, "maxFailedAttempts must be at least 1");
		this.maxFailedAttempts = maxFailedAttempts;
	}

	@Override
	public Authentication attemptAuthentication(HttpServletRequest request, HttpServletResponse response)
			throws AuthenticationException, IOException {
		SocialFlowBranch branch = branch(request);
		PendingSocialFlow flow = SocialFlows.require(this.pendingFlowRepository, branch, request);
		VerificationRequest input = VerificationRequest.read(request);
		VerificationChannel channel;
		String target;
		if (branch == SocialFlowBranch.MFA_AUTH) {
			channel = SocialFlows.secondFactorChannel(input);
			target = flow.mobileOnFile();
			Assert.state(target != null, "A second-factor flow has a number on file");
		}
		else {
			channel = input.channel();
			target = input.target(channel);
		}
		String code = input.code();
		if (flow.codeChannel() != channel || !target.equals(flow.codeTarget())) {
			throw VerificationRequest.invalid("No verification code was sent to this target in this flow");
		}
		if (flow.failedAttempts() >= this.maxFailedAttempts) {
			this.pendingFlowRepository.remove(request);
			throw tooManyAttempts(null);
		}
		List<String> keys = SocialFlows.limitKeys(flow, target, request);
		this.rateLimiter.acquire(VerificationAction.CODE_CHECK, keys);
		IdaasSocialFlowAuthenticationToken token = new IdaasSocialFlowAuthenticationToken(branch, flow.stateToken(),
				channel, target, code, this.deviceContextResolver.resolve(request, response), flow.subject(),
				flow.appleUserName());
		request.setAttribute(SocialFlowAuthenticationDetails.BRANCH_ATTRIBUTE, branch);
		token.setDetails(this.authenticationDetailsSource.buildDetails(request));
		try {
			Authentication result = getAuthenticationManager().authenticate(token);
			this.rateLimiter.reset(VerificationAction.CODE_CHECK, keys);
			return result;
		}
		catch (IdaasSocialFlowRequiredException ex) {
			// the code was right; the second factor that follows replaces this flow
			this.rateLimiter.reset(VerificationAction.CODE_CHECK, keys);
			throw ex;
		}
		catch (IdaasSocialFlowEndedException ex) {
			this.pendingFlowRepository.remove(request);
			throw ex;
		}
		catch (IdaasAuthenticationException ex) {
			throw rejected(flow, ex, request);
		}
	}

	private IdaasAuthenticationException rejected(PendingSocialFlow flow, IdaasAuthenticationException ex,
			HttpServletRequest request) {
		boolean rejection = ex.getCategory() == IdaasErrorCategory.INVALID_REQUEST
				|| ex.getCategory() == IdaasErrorCategory.VENDOR_REFUSED;
		if (!rejection || IdaasErrorCodes.INVALID_HEADER.equals(ex.getErrorCode())
				|| IdaasErrorCodes.INVALID_VERIFICATION.equals(ex.getErrorCode())) {
			// nothing was decided about the code: busy, unreachable, misconfigured, disabled user
			return ex;
		}
		PendingSocialFlow failed = flow.withFailedAttempt();
		if (failed.failedAttempts() >= this.maxFailedAttempts) {
			this.pendingFlowRepository.remove(request);
			this.logger.debug("Ended a pending " + flow.branch() + " flow after " + failed.failedAttempts()
					+ " rejected codes");
			return tooManyAttempts(ex);
		}
		this.pendingFlowRepository.save(failed, request);
		return ex;
	}

	private static IdaasAuthenticationException tooManyAttempts(IdaasAuthenticationException cause) {
		return new IdaasAuthenticationException(IdaasErrorCodes.TOO_MANY_ATTEMPTS, "Too many wrong verification codes",
				IdaasErrorCategory.INVALID_REQUEST, cause);
	}

	private SocialFlowBranch branch(HttpServletRequest request) {
		for (Map.Entry<RequestMatcher, SocialFlowBranch> endpoint : this.endpoints.entrySet()) {
			if (endpoint.getKey().matches(request)) {
				return endpoint.getValue();
			}
		}
		throw new IllegalStateException("Not a flow URL");
	}

}

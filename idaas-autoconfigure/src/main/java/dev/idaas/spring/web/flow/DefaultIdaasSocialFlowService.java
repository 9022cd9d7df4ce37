package dev.idaas.spring.web.flow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.idaas.spring.client.CaptchaChallenge;
import dev.idaas.spring.client.DeviceContext;
import dev.idaas.spring.client.IdaasApiException;
import dev.idaas.spring.client.IdaasErrorCodes;
import dev.idaas.spring.client.IdaasSocialFlowClient;
import dev.idaas.spring.client.SocialFlowBranch;
import dev.idaas.spring.client.VerificationChannel;
import dev.idaas.spring.client.VerificationPurpose;
import dev.idaas.spring.web.DeviceContextResolver;
import dev.idaas.spring.web.IdaasLoginDefaults;

import org.springframework.util.Assert;

/**
 * The default {@link IdaasSocialFlowService}. Before any call to IDaaS it checks, in this order:
 * a flow is pending for this browser and is of the endpoint's branch
 * ({@link IdaasErrorCodes#NO_PENDING_FLOW}, {@link IdaasErrorCodes#FLOW_EXPIRED}), the tenant
 * allows the method ({@link IdaasErrorCodes#METHOD_NOT_ALLOWED}), the fields are well formed
 * ({@link IdaasErrorCodes#INVALID_VERIFICATION}; a second factor takes no target: its code goes
 * to the number on file), a puzzle is open ({@link IdaasErrorCodes#CAPTCHA_INVALID}), the last
 * code of the flow is at least {@link #setCodeResendInterval(Duration) 30 seconds} old, and the
 * {@link VerificationRateLimiter} allows one more {@link VerificationAction#CODE_SEND} for the
 * target, the flow's Apple sign-in and the client ({@link TooManyVerificationCodesException}).
 * A failed check calls nobody.
 * <p>
 * Then the puzzle is used up (right or wrong, a puzzle is answered once), the slide is checked
 * at IDaaS with the target as {@code sender}, and the code is sent with the
 * {@code captcha_token} IDaaS answered. The flow remembers the target: it can only be finished
 * with it. The state token never leaves the server.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSocialFlowFilter
 */
public final class DefaultIdaasSocialFlowService implements IdaasSocialFlowService {

	/**
	 * The default number of wrong codes after which the flow ends.
	 */
	public static final int DEFAULT_MAX_FAILED_ATTEMPTS = 5;

	private final Log logger = LogFactory.getLog(getClass());

	private final IdaasSocialFlowClient socialFlowClient;

	private final PendingSocialFlowRepository pendingFlowRepository;

	private final DeviceContextResolver deviceContextResolver;

	private final VerificationRateLimiter rateLimiter;

	private Duration pendingFlowTimeout = IdaasLoginDefaults.PENDING_FLOW_TIMEOUT;

	private int maxFailedAttempts = DEFAULT_MAX_FAILED_ATTEMPTS;

	private Duration codeResendInterval = IdaasLoginDefaults.CODE_RESEND_INTERVAL;

	private Clock clock = Clock.systemUTC();

	/**
	 * Creates a service.
	 * @param socialFlowClient gets puzzles, checks slides and sends codes at IDaaS
	 * @param pendingFlowRepository where the pending flows are kept
	 * @param deviceContextResolver resolves the user's device facts
	 * @param rateLimiter limits code sends per target, Apple sign-in and client
	 */
	public DefaultIdaasSocialFlowService(IdaasSocialFlowClient socialFlowClient,
			PendingSocialFlowRepository pendingFlowRepository, DeviceContextResolver deviceContextResolver,
			VerificationRateLimiter rateLimiter) {
		Assert.notNull(socialFlowClient, "socialFlowClient cannot be null");
		Assert.notNull(pendingFlowRepository, "pendingFlowRepository cannot be null");
		Assert.notNull(deviceContextResolver, "deviceContextResolver cannot be null");
		Assert.notNull(rateLimiter, "rateLimiter cannot be null");
		this.socialFlowClient = socialFlowClient;
		this.pendingFlowRepository = pendingFlowRepository;
		this.deviceContextResolver = deviceContextResolver;
		this.rateLimiter = rateLimiter;
	}

	/**
	 * Sets how long a pending flow stays usable, as shown to pages; keep it equal to the
	 * repository's, which enforces it.
	 * @param pendingFlowTimeout the timeout; defaults to 10 minutes
	 */
	public void setPendingFlowTimeout(Duration pendingFlowTimeout) {
		Assert.notNull(pendingFlowTimeout, "pendingFlowTimeout cannot be null");
		Assert.isTrue(!pendingFlowTimeout.isNegative() && !pendingFlowTimeout.isZero(),
				"pendingFlowTimeout must be positive");
		this.pendingFlowTimeout = pendingFlowTimeout;
	}

	/**
	 * Sets after how many wrong codes the flow ends, as shown to pages; keep it equal to the
	 * {@link IdaasSocialFlowAuthenticationFilter}'s, which enforces it.
	 * @param maxFailedAttempts at least 1; defaults to 5
	 */
	public void setMaxFailedAttempts(int maxFailedAttempts) {
		Assert.isTrue(maxFailedAttempts >= 1, "maxFailedAttempts must be at least 1");
		this.maxFailedAttempts = maxFailedAttempts;
	}

	/**
	 * Sets the minimum time between two verification codes of a pending flow.
	 * @param codeResendInterval the interval, zero for none; defaults to 30 seconds
	 */
	public void setCodeResendInterval(Duration codeResendInterval) {
		Assert.notNull(codeResendInterval, "codeResendInterval cannot be null");
		Assert.isTrue(!codeResendInterval.isNegative(), "codeResendInterval cannot be negative");
		this.codeResendInterval = codeResendInterval;
	}

	/**
	 * Sets the clock.
	 * @param clock the clock; defaults to the system UTC clock
	 */
	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	@Override
	public @Nullable PendingSocialFlowView getPendingFlow(HttpServletRequest request) {
		Assert.notNull(request, "request cannot be null");
		PendingSocialFlow flow = this.pendingFlowRepository.load(request);
		if (flow == null) {
			return null;
		}
		String mobile = flow.mobileOnFile();
		return new PendingSocialFlowView(flow.branch(), flow.flows(), flow.createdAt().plus(this.pendingFlowTimeout),
				Math.max(0, this.maxFailedAttempts - flow.failedAttempts()), canResendAt(flow),
				(mobile != null) ? PendingSocialFlowView.mask(mobile) : null);
	}

	@Override
	public SliderPuzzle getCaptcha(SocialFlowBranch branch, HttpServletRequest request, HttpServletResponse response) {
		Assert.notNull(branch, "branch cannot be null");
		Assert.notNull(request, "request cannot be null");
		Assert.notNull(response, "response cannot be null");
		PendingSocialFlow flow = SocialFlows.require(this.pendingFlowRepository, branch, request);
		CaptchaChallenge challenge;
		try {
			challenge = this.socialFlowClient.getCaptcha(this.deviceContextResolver.resolve(request, response));
		}
		catch (IdaasApiException ex) {
			throw SocialFlows.failure(ex);
		}
		SliderPuzzle puzzle = SliderPuzzle.of(challenge);
		this.pendingFlowRepository.save(flow.withPuzzle(challenge.token(), puzzle.width()), request);
		return puzzle;
	}

	@Override
	public void sendVerificationCode(SocialFlowBranch branch, VerificationRequest input, HttpServletRequest request,
			HttpServletResponse response) {
		Assert.notNull(branch, "branch cannot be null");
		Assert.notNull(input, "input cannot be null");
		Assert.notNull(request, "request cannot be null");
		Assert.notNull(response, "response cannot be null");
		PendingSocialFlow flow = SocialFlows.require(this.pendingFlowRepository, branch, request);
		VerificationChannel channel;
		String target;
		if (branch == SocialFlowBranch.MFA_AUTH) {
			channel = SocialFlows.secondFactorChannel(input);
			target = flow.mobileOnFile();
			Assert.state(target != null, "A second-factor flow has a number on file");
		}
		else {
			channel = input.channel();
			SocialFlows.requireAllowed(flow, channel);
			target = input.target(channel);
		}
		String puzzleToken = flow.puzzleToken();
		if (puzzleToken == null) {
			throw SocialFlows.error(IdaasErrorCodes.CAPTCHA_INVALID, "No puzzle is open: fetch a new one");
		}
		double x = input.captchaX(flow.puzzleWidth());
		Instant now = this.clock.instant();
		Instant canResendAt = canResendAt(flow);
		if (flow.lastCodeSentAt() != null && now.isBefore(canResendAt)) {
			throw new TooManyVerificationCodesException("The last verification code was sent too recently",
					Duration.between(now, canResendAt));
		}
		this.rateLimiter.acquire(VerificationAction.CODE_SEND, SocialFlows.limitKeys(flow, target, request));
		// a puzzle is answered once, right or wrong
		PendingSocialFlow answered = flow.withoutPuzzle();
		this.pendingFlowRepository.save(answered, request);
		DeviceContext device = this.deviceContextResolver.resolve(request, response);
		try {
			String captchaToken = this.socialFlowClient.verifyCaptcha(puzzleToken, x, target, device);
			this.socialFlowClient.sendVerificationCode(channel, target, VerificationPurpose.of(branch, channel),
					captchaToken, device);
		}
		catch (IdaasApiException ex) {
			this.logger.debug("No verification code sent for a pending " + branch + " flow: " + ex.getErrorCode());
			throw SocialFlows.failure(ex);
		}
		this.pendingFlowRepository.save(answered.withCodeSent(channel, target, now), request);
		this.logger.debug("Sent a verification code for a pending " + branch + " flow by " + channel);
	}

	private Instant canResendAt(PendingSocialFlow flow) {
		Instant last = flow.lastCodeSentAt();
		return (last != null) ? last.plus(this.codeResendInterval) : flow.createdAt();
	}

}

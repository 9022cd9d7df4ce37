package dev.idaas.spring.web.flow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.idaas.spring.authentication.IdaasAuthenticationException;
import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.authentication.IdaasAuthenticationTokenFactory;
import dev.idaas.spring.client.DeviceContext;
import dev.idaas.spring.client.IdaasApiException;
import dev.idaas.spring.client.IdaasClient;
import dev.idaas.spring.client.IdaasErrorCategory;
import dev.idaas.spring.client.IdaasErrorCodes;
import dev.idaas.spring.client.IdaasSocialFlowClient;
import dev.idaas.spring.client.SocialFlowBranch;
import dev.idaas.spring.client.SocialFlowResult;
import dev.idaas.spring.client.TokenRefreshResult;
import dev.idaas.spring.client.VerificationChannel;
import dev.idaas.spring.client.VerificationPurpose;
import dev.idaas.spring.web.DeviceContextResolver;

import org.springframework.util.Assert;
import org.springframework.web.util.WebUtils;

/**
 * The default {@link IdaasSocialFlowService}. Before any call to IDaaS it checks, in this order:
 * a flow is pending for this browser and is of the endpoint's branch
 * ({@link IdaasErrorCodes#NO_PENDING_FLOW}), it is younger than the
 * {@link #setPendingFlowTimeout(Duration) timeout} ({@link IdaasErrorCodes#FLOW_EXPIRED}), the
 * tenant's {@code socialBindOrRegisterFlow} allows the method
 * ({@link IdaasErrorCodes#METHOD_NOT_ALLOWED}), and the phone number, email address and code are
 * well formed ({@link IdaasErrorCodes#INVALID_VERIFICATION}). A failed check calls nobody.
 * <p>
 * Sending a code costs money and reaches a real phone or mailbox, so each pending flow gets at
 * most {@link #setMaxCodeSends(int) 5} codes, at least {@link #setCodeResendInterval(Duration)
 * 30 seconds} apart; a send beyond that calls nobody and throws a
 * {@link TooManyVerificationCodesException} ({@link IdaasErrorCodes#TOO_MANY_CODES}) telling when
 * to try again. A send counts unless IDaaS was busy or unreachable (then nothing went out); a new
 * sign-in starts a new flow with a fresh count.
 * <p>
 * Every rejection of a bind or register call by IDaaS (wrong or expired code, unknown user...)
 * counts as a failed attempt; after {@link #setMaxFailedAttempts(int) 5} the flow is removed and
 * {@link IdaasErrorCodes#TOO_MANY_ATTEMPTS} is thrown, so codes cannot be guessed. IDaaS's
 * {@code PARAM.0016} (state token invalid or expired) removes the flow and becomes
 * {@link IdaasErrorCodes#FLOW_EXPIRED}. Busy or unreachable IDaaS keeps the flow untouched.
 * <p>
 * On success the id_token (fetched with one refresh call when {@code social/bind} answered
 * none) is verified by the {@link IdaasAuthenticationTokenFactory}, exactly as at a
 * {@code SUCCESS} login, and the flow is removed. The state token never leaves this class
 * except towards IDaaS.
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

	/**
	 * The default number of verification codes a flow may send.
	 */
	public static final int DEFAULT_MAX_CODE_SENDS = 5;

	/**
	 * The default minimum time between two verification codes of a flow.
	 */
	public static final Duration DEFAULT_CODE_RESEND_INTERVAL = Duration.ofSeconds(30);

	private static final Pattern PHONE = Pattern.compile("\\+?[0-9]{5,20}");

	private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}"
			+ "[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");

	private static final Pattern VERIFY_CODE = Pattern.compile("[A-Za-z0-9]{4,12}");

	private static final int MAX_EMAIL_LENGTH = 254;

	private final Log logger = LogFactory.getLog(getClass());

	private final IdaasSocialFlowClient socialFlowClient;

	private final IdaasClient client;

	private final IdaasAuthenticationTokenFactory tokenFactory;

	private final PendingSocialFlowRepository pendingFlowRepository;

	private final DeviceContextResolver deviceContextResolver;

	private Duration pendingFlowTimeout = Duration.ofMinutes(10);

	private int maxFailedAttempts = DEFAULT_MAX_FAILED_ATTEMPTS;

	private int maxCodeSends = DEFAULT_MAX_CODE_SENDS;

	private Duration codeResendInterval = DEFAULT_CODE_RESEND_INTERVAL;

	private Clock clock = Clock.systemUTC();

	/**
	 * Creates a service.
	 * @param socialFlowClient sends codes and finishes flows at IDaaS
	 * @param client fetches the id_token when a bind answered none
	 * @param tokenFactory verifies the id_token and builds the authentication
	 * @param pendingFlowRepository where the pending flows are kept
	 * @param deviceContextResolver resolves the user's device facts
	 */
	public DefaultIdaasSocialFlowService(IdaasSocialFlowClient socialFlowClient, IdaasClient client,
			IdaasAuthenticationTokenFactory tokenFactory, PendingSocialFlowRepository pendingFlowRepository,
			DeviceContextResolver deviceContextResolver) {
		Assert.notNull(socialFlowClient, "socialFlowClient cannot be null");
		Assert.notNull(client, "client cannot be null");
		Assert.notNull(tokenFactory, "tokenFactory cannot be null");
		Assert.notNull(pendingFlowRepository, "pendingFlowRepository cannot be null");
		Assert.notNull(deviceContextResolver, "deviceContextResolver cannot be null");
		this.socialFlowClient = socialFlowClient;
		this.client = client;
		this.tokenFactory = tokenFactory;
		this.pendingFlowRepository = pendingFlowRepository;
		this.deviceContextResolver = deviceContextResolver;
	}

	/**
	 * Sets how long a pending flow stays usable; keep it equal to the repository's.
	 * @param pendingFlowTimeout the timeout; defaults to 10 minutes
	 */
	public void setPendingFlowTimeout(Duration pendingFlowTimeout) {
		Assert.notNull(pendingFlowTimeout, "pendingFlowTimeout cannot be null");
		Assert.isTrue(!pendingFlowTimeout.isNegative() && !pendingFlowTimeout.isZero(),
				"pendingFlowTimeout must be positive");
		this.pendingFlowTimeout = pendingFlowTimeout;
	}

	/**
	 * Sets after how many wrong codes the flow ends.
	 * @param maxFailedAttempts at least 1; defaults to 5
	 */
	public void setMaxFailedAttempts(int maxFailedAttempts) {
		Assert.isTrue(maxFailedAttempts >= 1, "maxFailedAttempts must be at least 1");
		this.maxFailedAttempts = maxFailedAttempts;
	}

	/**
	 * Sets how many verification codes a pending flow may send in all.
	 * @param maxCodeSends at least 1; defaults to 5
	 */
	public void setMaxCodeSends(int maxCodeSends) {
		Assert.isTrue(maxCodeSends >= 1, "maxCodeSends must be at least 1");
		this.maxCodeSends = maxCodeSends;
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
		if (flow == null || isExpired(flow)) {
			return null;
		}
		return new PendingSocialFlowView(flow.branch(), flow.flows(), expiresAt(flow),
				Math.max(0, this.maxFailedAttempts - flow.failedAttempts()),
				Math.max(0, this.maxCodeSends - flow.codesSent()), canResendAt(flow));
	}

	@Override
	public void sendVerificationCode(SocialFlowBranch branch, VerificationChannel channel, String target,
			HttpServletRequest request, HttpServletResponse response) {
		Assert.notNull(branch, "branch cannot be null");
		Assert.notNull(channel, "channel cannot be null");
		Assert.notNull(target, "target cannot be null");
		Assert.notNull(request, "request cannot be null");
		Assert.notNull(response, "response cannot be null");
		// one send at a time per session, so parallel requests cannot outrun the send count
		inSessionLock(request, () -> {
			sendVerificationCodeLocked(branch, channel, target, request, response);
			return null;
		});
	}

	private void sendVerificationCodeLocked(SocialFlowBranch branch, VerificationChannel channel, String target,
			HttpServletRequest request, HttpServletResponse response) {
		PendingSocialFlow flow = pendingFlow(branch, request);
		requireAllowed(flow, channel);
		String validTarget = validTarget(channel, target);
		Instant now = this.clock.instant();
		boolean exhausted = flow.codesSent() >= this.maxCodeSends;
		Instant canResendAt = canResendAt(flow);
		// the first code never waits: createdAt may come from another clock (another node)
		if (exhausted || (flow.lastCodeSentAt() != null && now.isBefore(canResendAt))) {
			this.logger.debug("Refused a verification code for a pending " + branch + " flow after "
					+ flow.codesSent() + " sent");
			throw new TooManyVerificationCodesException(
					exhausted ? "The flow has sent the most verification codes allowed"
							: "The last verification code was sent too recently",
					Duration.between(now, canResendAt));
		}
		DeviceContext device = this.deviceContextResolver.resolve(request, response);
		try {
			// No captcha step here yet: without a solved captcha the client refuses the send before
			// anything reaches IDaaS (INVALID_VERIFICATION).
			this.socialFlowClient.sendVerificationCode(channel, validTarget,
					VerificationPurpose.of(flow.branch(), channel), "", device);
		}
		catch (IdaasApiException ex) {
			if (ex.getCategory() != IdaasErrorCategory.TRANSIENT) {
				// only "busy or unreachable" means nothing went out; without an answer or with an
				// unintelligible one the code may have been sent, and a refusal still cost a call
				this.pendingFlowRepository.save(flow.withCodeSent(now), request);
			}
			throw failure(ex);
		}
		this.pendingFlowRepository.save(flow.withCodeSent(now), request);
		this.logger.debug("Sent a verification code for a pending " + branch + " flow by " + channel);
	}

	@Override
	public IdaasAuthenticationToken finish(SocialFlowBranch branch, VerificationChannel channel, String target,
			String verifyCode, HttpServletRequest request, HttpServletResponse response) {
		Assert.notNull(branch, "branch cannot be null");
		Assert.notNull(channel, "channel cannot be null");
		Assert.notNull(target, "target cannot be null");
		Assert.notNull(verifyCode, "verifyCode cannot be null");
		Assert.notNull(request, "request cannot be null");
		Assert.notNull(response, "response cannot be null");
		// one attempt at a time per session, so parallel guesses cannot outrun the attempt count
		return inSessionLock(request,
				() -> finishLocked(branch, channel, target, verifyCode, request, response));
	}

	/**
	 * Runs one step of a pending flow under the session's mutex (per node: Spring Session
	 * sessions on other nodes are not covered).
	 */
	private <T> T inSessionLock(HttpServletRequest request, Supplier<T> step) {
		HttpSession session = request.getSession(false);
		if (session == null) {
			throw error(IdaasErrorCodes.NO_PENDING_FLOW, "No bind or register flow is pending",
					IdaasErrorCategory.INVALID_REQUEST);
		}
		synchronized (WebUtils.getSessionMutex(session)) {
			return step.get();
		}
	}

	private IdaasAuthenticationToken finishLocked(SocialFlowBranch branch, VerificationChannel channel,
			String target, String verifyCode, HttpServletRequest request, HttpServletResponse response) {
		PendingSocialFlow flow = pendingFlow(branch, request);
		requireAllowed(flow, channel);
		String validTarget = validTarget(channel, target);
		String validCode = verifyCode.strip();
		if (!VERIFY_CODE.matcher(validCode).matches()) {
			throw invalid("The verification code is malformed");
		}
		if (flow.failedAttempts() >= this.maxFailedAttempts) {
			this.pendingFlowRepository.remove(request);
			throw error(IdaasErrorCodes.TOO_MANY_ATTEMPTS, "Too many wrong verification codes",
					IdaasErrorCategory.INVALID_REQUEST);
		}
		DeviceContext device = this.deviceContextResolver.resolve(request, response);
		SocialFlowResult result;
		try {
			result = (flow.branch() == SocialFlowBranch.SOCIAL_BIND)
					? this.socialFlowClient.bind(flow.stateToken(), channel, validTarget, validCode, device)
					: this.socialFlowClient.registerAndBind(flow.stateToken(), channel, validTarget, validCode, device);
		}
		catch (IdaasApiException ex) {
			throw rejected(flow, ex, request);
		}
		// From here on the state token is spent: whatever happens, the flow is over.
		this.pendingFlowRepository.remove(request);
		if (!(result instanceof SocialFlowResult.Authenticated signedIn)) {
			// a second factor after a bind is not offered by this flow
			throw error(IdaasErrorCodes.ACCESS_DENIED, "IDaaS did not sign the user in",
					IdaasErrorCategory.ACCESS_DENIED);
		}
		try {
			String idToken = signedIn.idToken();
			String sessionToken = signedIn.sessionToken();
			Duration expiresIn = signedIn.sessionExpiresIn();
			if (idToken == null) {
				TokenRefreshResult refreshed = this.client.refreshIdToken(sessionToken, device);
				idToken = refreshed.idToken();
				sessionToken = refreshed.sessionToken();
				expiresIn = refreshed.sessionExpiresIn();
			}
			IdaasAuthenticationToken authentication = this.tokenFactory.signIn(idToken, sessionToken, expiresIn,
					flow.appleUserName());
			this.logger.debug("Finished a pending " + flow.branch() + " flow by " + channel);
			return authentication;
		}
		catch (IdaasApiException ex) {
			throw failure(ex);
		}
	}

	private RuntimeException rejected(PendingSocialFlow flow, IdaasApiException ex, HttpServletRequest request) {
		if (IdaasErrorCodes.ID_TOKEN_INVALID.equals(ex.getErrorCode())
				|| IdaasErrorCodes.STATE_TOKEN_INVALID.equals(ex.getErrorCode())) {
			this.pendingFlowRepository.remove(request);
			return error(IdaasErrorCodes.FLOW_EXPIRED, "IDaaS reports the state token invalid or expired",
					IdaasErrorCategory.INVALID_REQUEST);
		}
		boolean rejection = ex.getCategory() == IdaasErrorCategory.INVALID_REQUEST
				|| ex.getCategory() == IdaasErrorCategory.VENDOR_REFUSED
				|| ex.getCategory() == IdaasErrorCategory.UNKNOWN;
		if (!rejection || IdaasErrorCodes.INVALID_HEADER.equals(ex.getErrorCode())
				|| IdaasErrorCodes.INVALID_VERIFICATION.equals(ex.getErrorCode())) {
			// nothing was decided about the code: busy, unreachable, misconfigured, disabled user
			return failure(ex);
		}
		PendingSocialFlow failed = flow.withFailedAttempt();
		if (failed.failedAttempts() >= this.maxFailedAttempts) {
			this.pendingFlowRepository.remove(request);
			this.logger.debug("Ended a pending " + flow.branch() + " flow after " + failed.failedAttempts()
					+ " rejected attempts");
			return error(IdaasErrorCodes.TOO_MANY_ATTEMPTS, "Too many wrong verification codes",
					IdaasErrorCategory.INVALID_REQUEST);
		}
		this.pendingFlowRepository.save(failed, request);
		return failure(ex);
	}

	private PendingSocialFlow pendingFlow(SocialFlowBranch branch, HttpServletRequest request) {
		PendingSocialFlow flow = this.pendingFlowRepository.load(request);
		if (flow == null) {
			if (this.pendingFlowRepository.isExpired(request)) {
				this.pendingFlowRepository.remove(request);
				throw expired();
			}
			throw error(IdaasErrorCodes.NO_PENDING_FLOW, "No bind or register flow is pending",
					IdaasErrorCategory.INVALID_REQUEST);
		}
		if (isExpired(flow)) {
			this.pendingFlowRepository.remove(request);
			throw expired();
		}
		if (flow.branch() != branch) {
			throw error(IdaasErrorCodes.NO_PENDING_FLOW, "The pending flow is not a " + branch + " flow",
					IdaasErrorCategory.INVALID_REQUEST);
		}
		return flow;
	}

	private static void requireAllowed(PendingSocialFlow flow, VerificationChannel channel) {
		for (String allowed : flow.flows()) {
			if (channel == VerificationChannel.fromFlow(allowed)) {
				return;
			}
		}
		throw error(IdaasErrorCodes.METHOD_NOT_ALLOWED, "The tenant does not allow " + channel.flow(),
				IdaasErrorCategory.INVALID_REQUEST);
	}

	private static String validTarget(VerificationChannel channel, String target) {
		String stripped = target.strip();
		boolean valid = (channel == VerificationChannel.SMS) ? PHONE.matcher(stripped).matches()
				: stripped.length() <= MAX_EMAIL_LENGTH && EMAIL.matcher(stripped).matches();
		if (!valid) {
			throw invalid((channel == VerificationChannel.SMS) ? "The phone number is malformed"
					: "The email address is malformed");
		}
		return stripped;
	}

	private boolean isExpired(PendingSocialFlow flow) {
		return !this.clock.instant().isBefore(expiresAt(flow));
	}

	private Instant expiresAt(PendingSocialFlow flow) {
		return flow.createdAt().plus(this.pendingFlowTimeout);
	}

	private Instant canResendAt(PendingSocialFlow flow) {
		if (flow.codesSent() >= this.maxCodeSends) {
			// no more codes for this flow; a new sign-in after it expires starts a fresh count
			return expiresAt(flow);
		}
		Instant last = flow.lastCodeSentAt();
		return (last != null) ? last.plus(this.codeResendInterval) : flow.createdAt();
	}

	private static IdaasAuthenticationException expired() {
		return error(IdaasErrorCodes.FLOW_EXPIRED, "The bind or register flow has expired",
				IdaasErrorCategory.INVALID_REQUEST);
	}

	private static IdaasAuthenticationException invalid(String description) {
		return error(IdaasErrorCodes.INVALID_VERIFICATION, description, IdaasErrorCategory.INVALID_REQUEST);
	}

	private static IdaasAuthenticationException failure(IdaasApiException ex) {
		return new IdaasAuthenticationException(ex.getErrorCode(), ex.getMessage(), ex.getCategory(), ex);
	}

	private static IdaasAuthenticationException error(String errorCode, String description,
			IdaasErrorCategory category) {
		return new IdaasAuthenticationException(errorCode, description, category, null);
	}

}

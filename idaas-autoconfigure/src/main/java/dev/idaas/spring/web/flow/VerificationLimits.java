package dev.idaas.spring.web.flow;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * How many code sends and code checks each key of {@link VerificationLimitKeys} may have in
 * one window. A window opens at a key's first event and lasts {@link #window()}; when it ends
 * the key starts from zero.
 *
 * @param codeSendsPerTarget codes sent to one phone number or email address per window
 * @param codeSendsPerSubject codes sent for one Apple sign-in per window
 * @param codeSendsPerClientIp codes sent from one client IP per window
 * @param codeChecksPerTarget codes checked for one phone number or email address per window
 * @param codeChecksPerSubject codes checked for one Apple sign-in per window
 * @param codeChecksPerClientIp codes checked from one client IP per window
 * @param window how long a window lasts
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see VerificationRateLimiter
 */
public record VerificationLimits(int codeSendsPerTarget, int codeSendsPerSubject, int codeSendsPerClientIp,
		int codeChecksPerTarget, int codeChecksPerSubject, int codeChecksPerClientIp, Duration window) {

	/**
	 * Validates the limits.
	 * @param codeSendsPerTarget at least 1
	 * @param codeSendsPerSubject at least 1
	 * @param codeSendsPerClientIp at least 1
	 * @param codeChecksPerTarget at least 1
	 * @param codeChecksPerSubject at least 1
	 * @param codeChecksPerClientIp at least 1
	 * @param window at least one second
	 * @since 0.1
	 */
	public VerificationLimits {
		Assert.isTrue(codeSendsPerTarget >= 1, "codeSendsPerTarget must be at least 1");
		Assert.isTrue(codeSendsPerSubject >= 1, "codeSendsPerSubject must be at least 1");
		Assert.isTrue(codeSendsPerClientIp >= 1, "codeSendsPerClientIp must be at least 1");
		Assert.isTrue(codeChecksPerTarget >= 1, "codeChecksPerTarget must be at least 1");
		Assert.isTrue(codeChecksPerSubject >= 1, "codeChecksPerSubject must be at least 1");
		Assert.isTrue(codeChecksPerClientIp >= 1, "codeChecksPerClientIp must be at least 1");
		Assert.notNull(window, "window cannot be null");
		Assert.isTrue(window.compareTo(Duration.ofSeconds(1)) >= 0, "window must be at least one second");
	}

	/**
	 * The defaults: per hour, 5 sends and 5 checks per target and per Apple sign-in (what one
	 * pending flow allowed before), 20 sends and 50 checks per client IP (looser: offices and
	 * mobile carriers put many users behind one address).
	 * @return the default limits
	 * @since 0.1
	 */
	public static VerificationLimits defaults() {
		return new VerificationLimits(5, 5, 20, 5, 5, 50, Duration.ofHours(1));
	}

	/**
	 * The limit of one key for an action.
	 * @param action the action
	 * @param key a key from {@link VerificationLimitKeys#of}
	 * @return how many events the key may have per window
	 * @throws IllegalArgumentException when the key was not made by {@link VerificationLimitKeys}
	 * @since 0.1
	 */
	public int limit(VerificationAction action, String key) {
		Assert.notNull(action, "action cannot be null");
		boolean send = action == VerificationAction.CODE_SEND;
		return switch (VerificationLimitKeys.scopeOf(key)) {
			case TARGET -> send ? this.codeSendsPerTarget : this.codeChecksPerTarget;
			case SUBJECT -> send ? this.codeSendsPerSubject : this.codeChecksPerSubject;
			case CLIENT_IP -> send ? this.codeSendsPerClientIp : this.codeChecksPerClientIp;
		};
	}

}

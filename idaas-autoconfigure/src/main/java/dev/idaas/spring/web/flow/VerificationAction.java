package dev.idaas.spring.web.flow;

/**
 * What a {@link VerificationRateLimiter} counts: a verification code sent by SMS or email
 * (costs money, reaches a real phone or mailbox), or a code checked at IDaaS (a guess at the
 * code that would bind an Apple ID to someone's account).
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see VerificationRateLimiter
 */
public enum VerificationAction {

	/**
	 * A verification code sent to a phone number or email address.
	 */
	CODE_SEND,

	/**
	 * A verification code checked by a bind, register or second-factor call.
	 */
	CODE_CHECK

}

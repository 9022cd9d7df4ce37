package dev.idaas.spring.client;

/**
 * The flows that can follow an Apple login answered with a {@code state_token}: bind or
 * register an unknown Apple account, or prove a second factor.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public enum SocialFlowBranch {

	/**
	 * The Apple account must be bound to an existing account.
	 */
	SOCIAL_BIND,

	/**
	 * The tenant registers a new account and binds the Apple account to it.
	 */
	USER_REGISTER,

	/**
	 * The user is known but a second factor is required ({@code MFA_AUTH}): a code goes to the
	 * number on file ({@code GET /api/v2/sdk/mobile-by-token}).
	 */
	MFA_AUTH

}

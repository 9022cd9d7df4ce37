package dev.idaas.spring.client;

/**
 * The two flows that can follow an Apple login for an unknown Apple account.
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
	USER_REGISTER

}

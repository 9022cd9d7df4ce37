package dev.idaas.spring.authentication;

import java.io.Serial;

import org.springframework.context.ApplicationEvent;
import org.springframework.util.Assert;

/**
 * Published when a user signs in through the Apple web flow and the callback carried Apple's
 * {@code user} form field (name and email). <strong>These values are unverified:</strong> the
 * field is neither signed nor bound to the code, and whoever posts the callback chooses it, so
 * never use them to identify, match or authorize anyone; the verified identity is the
 * id_token's ({@link IdaasAuthenticationToken#getPrincipal()}). Apple sends the field on the
 * very first sign-in only, so an application that wants a display name suggestion must keep it
 * now. The same values are claims of the principal for this session, under names that say so:
 * {@value AppleUserName#UNVERIFIED_GIVEN_NAME}, {@value AppleUserName#UNVERIFIED_FAMILY_NAME},
 * {@value AppleUserName#UNVERIFIED_NAME} and {@value AppleUserName#UNVERIFIED_EMAIL}.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see AppleUserName
 */
public class UnverifiedAppleUserInfoReceivedEvent extends ApplicationEvent {

	@Serial
	private static final long serialVersionUID = 1L;

	private final AppleUserName unverifiedUserInfo;

	/**
	 * Creates the event.
	 * @param authentication the new sign-in
	 * @param unverifiedUserInfo what the callback's {@code user} field said
	 */
	public UnverifiedAppleUserInfoReceivedEvent(IdaasAuthenticationToken authentication,
			AppleUserName unverifiedUserInfo) {
		super(authentication);
		Assert.notNull(unverifiedUserInfo, "unverifiedUserInfo cannot be null");
		this.unverifiedUserInfo = unverifiedUserInfo;
	}

	/**
	 * The sign-in the values arrived with.
	 * @return the authentication
	 */
	public IdaasAuthenticationToken getAuthentication() {
		return (IdaasAuthenticationToken) getSource();
	}

	/**
	 * What the callback's {@code user} field said: unverified, user-controlled.
	 * @return the name and email
	 */
	public AppleUserName getUnverifiedUserInfo() {
		return this.unverifiedUserInfo;
	}

}

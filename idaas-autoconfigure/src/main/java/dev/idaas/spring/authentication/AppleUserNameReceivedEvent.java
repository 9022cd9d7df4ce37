package dev.idaas.spring.authentication;

import java.io.Serial;

import org.springframework.context.ApplicationEvent;
import org.springframework.util.Assert;

/**
 * Published when a user signs in and Apple sent the person's name and email: Apple does so on
 * the very first sign-in only, so an application that wants to keep them must do it now. The
 * same values are also claims of the principal for this session ({@code given_name},
 * {@code family_name}, {@code apple_name}, {@code apple_email}).
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public class AppleUserNameReceivedEvent extends ApplicationEvent {

	@Serial
	private static final long serialVersionUID = 1L;

	private final AppleUserName appleUserName;

	/**
	 * Creates the event.
	 * @param authentication the new sign-in
	 * @param appleUserName what Apple sent
	 */
	public AppleUserNameReceivedEvent(IdaasAuthenticationToken authentication, AppleUserName appleUserName) {
		super(authentication);
		Assert.notNull(appleUserName, "appleUserName cannot be null");
		this.appleUserName = appleUserName;
	}

	/**
	 * The sign-in the name belongs to.
	 * @return the authentication
	 */
	public IdaasAuthenticationToken getAuthentication() {
		return (IdaasAuthenticationToken) getSource();
	}

	/**
	 * What Apple sent.
	 * @return the name and email
	 */
	public AppleUserName getAppleUserName() {
		return this.appleUserName;
	}

}

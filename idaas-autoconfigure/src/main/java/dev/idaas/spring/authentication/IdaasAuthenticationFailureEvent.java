package dev.idaas.spring.authentication;

import java.io.Serial;

import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * Published when an IDaaS sign-in fails with an {@link IdaasAuthenticationException} (denied,
 * disabled user, bad code, upstream failure, invalid id_token). Spring Security's
 * {@code DefaultAuthenticationEventPublisher} maps exceptions to events by their exact class,
 * so without this mapping IDaaS failures would publish no event at all.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasAuthenticationException
 */
public class IdaasAuthenticationFailureEvent extends AbstractAuthenticationFailureEvent {

	@Serial
	private static final long serialVersionUID = 1L;

	/**
	 * Creates the event.
	 * @param authentication the sign-in request that failed
	 * @param exception why it failed
	 */
	public IdaasAuthenticationFailureEvent(Authentication authentication, AuthenticationException exception) {
		super(authentication, exception);
	}

}

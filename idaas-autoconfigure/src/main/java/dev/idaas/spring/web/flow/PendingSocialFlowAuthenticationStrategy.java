package dev.idaas.spring.web.flow;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.util.Assert;

/**
 * Forgets the browser's pending bind, register or second-factor flow whenever a user signs in,
 * whichever way: an Apple login that succeeds right away, or the flow's own finish. Composed
 * into every IDaaS login filter's session strategy by the DSL.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see PendingSocialFlowRepository
 */
public final class PendingSocialFlowAuthenticationStrategy implements SessionAuthenticationStrategy {

	private final PendingSocialFlowRepository pendingFlowRepository;

	/**
	 * Creates a strategy.
	 * @param pendingFlowRepository where the pending flows are kept
	 */
	public PendingSocialFlowAuthenticationStrategy(PendingSocialFlowRepository pendingFlowRepository) {
		Assert.notNull(pendingFlowRepository, "pendingFlowRepository cannot be null");
		this.pendingFlowRepository = pendingFlowRepository;
	}

	@Override
	public void onAuthentication(Authentication authentication, HttpServletRequest request,
			HttpServletResponse response) {
		this.pendingFlowRepository.remove(request);
	}

}

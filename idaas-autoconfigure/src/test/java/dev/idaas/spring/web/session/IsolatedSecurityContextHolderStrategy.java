package dev.idaas.spring.web.session;

import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.context.SecurityContextImpl;

/**
 * A {@link SecurityContextHolderStrategy} of a test's own, apart from the global one, to prove a
 * component uses the strategy it was given.
 */
class IsolatedSecurityContextHolderStrategy implements SecurityContextHolderStrategy {

	private SecurityContext context = new SecurityContextImpl();

	@Override
	public void clearContext() {
		this.context = new SecurityContextImpl();
	}

	@Override
	public SecurityContext getContext() {
		return this.context;
	}

	@Override
	public void setContext(SecurityContext context) {
		this.context = context;
	}

	@Override
	public SecurityContext createEmptyContext() {
		return new SecurityContextImpl();
	}

}

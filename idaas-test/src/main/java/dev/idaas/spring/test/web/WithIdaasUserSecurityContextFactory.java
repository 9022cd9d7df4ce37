package dev.idaas.spring.test.web;

import java.time.Duration;

import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.test.context.support.WithSecurityContextFactory;

/**
 * Creates the security context of {@link WithIdaasUser}.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
final class WithIdaasUserSecurityContextFactory implements WithSecurityContextFactory<WithIdaasUser> {

	@Override
	public SecurityContext createSecurityContext(WithIdaasUser user) {
		SecurityContext context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(IdaasTestAuthentications.user()
			.subject(user.subject())
			.claims((claims) -> {
				claims.put("name", user.name());
				claims.put("email", user.email());
			})
			.authorities(user.authorities())
			.idTokenExpiresIn(Duration.ofSeconds(user.idTokenExpiresInSeconds()))
			.build());
		return context;
	}

}

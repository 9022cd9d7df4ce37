package dev.idaas.spring.test.web;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;

import static dev.idaas.spring.test.web.IdaasMockMvcRequestPostProcessors.idaasUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code idaasUser()} leaves exactly the session state a real sign-in leaves: the starter's
 * authentication under Spring Security's session attribute, and nothing in the
 * {@code SecurityContextHolder}.
 */
class IdaasMockMvcRequestPostProcessorsTests {

	@Test
	void idaasUserWhenDefaultsThenDefaultUserInTheSession() {
		MockHttpServletRequest request = idaasUser().postProcessRequest(new MockHttpServletRequest());
		IdaasAuthenticationToken token = storedToken(request);
		assertThat(token.getName()).isEqualTo("user");
		assertThat(token.getPrincipal().getEmail()).isEqualTo("user@example.com");
		assertThat(token.getAuthorities()).extracting(GrantedAuthority::getAuthority).containsExactly("OIDC_USER");
		assertThat(token.getSessionState().sessionToken()).startsWith("test-session-");
		assertThat(token.getIdToken().getExpiresAt()).isCloseTo(Instant.now().plus(Duration.ofMinutes(5)),
				within(Duration.ofSeconds(5)));
		assertThat(SecurityContextHolder.getContext().getAuthentication()).isNull();
	}

	@Test
	void idaasUserWhenCustomizedThenEveryValueInTheSession() {
		MockHttpServletRequest request = idaasUser().subject("alice")
			.claims((claims) -> claims.put("email", "alice@example.com"))
			.authorities("ROLE_ADMIN", "ROLE_AUDITOR")
			.sessionToken("st-1")
			.sessionTokenExpiresIn(Duration.ofHours(1))
			.idTokenExpiresIn(Duration.ofSeconds(-10))
			.postProcessRequest(new MockHttpServletRequest());
		IdaasAuthenticationToken token = storedToken(request);
		assertThat(token.getName()).isEqualTo("alice");
		assertThat(token.getPrincipal().getEmail()).isEqualTo("alice@example.com");
		assertThat(token.getAuthorities()).extracting(GrantedAuthority::getAuthority)
			.containsExactly("OIDC_USER", "ROLE_ADMIN", "ROLE_AUDITOR");
		assertThat(token.getSessionState().sessionToken()).isEqualTo("st-1");
		assertThat(token.getSessionState().sessionTokenExpiresAt())
			.isCloseTo(Instant.now().plus(Duration.ofHours(1)), within(Duration.ofSeconds(5)));
		assertThat(token.getIdToken().getExpiresAt()).isBefore(Instant.now());
	}

	@Test
	void idaasUserWhenEachCallThenAFreshUser() {
		IdaasAuthenticationToken first = storedToken(
				idaasUser().subject("alice").postProcessRequest(new MockHttpServletRequest()));
		IdaasAuthenticationToken second = storedToken(idaasUser().postProcessRequest(new MockHttpServletRequest()));
		assertThat(first.getName()).isEqualTo("alice");
		assertThat(second.getName()).isEqualTo("user");
		assertThat(second.getSessionState().sessionToken()).isNotEqualTo(first.getSessionState().sessionToken());
	}

	@Test
	void idaasUserWhenEmptySubjectThenRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> idaasUser().subject(""))
			.withMessage("subject cannot be empty");
	}

	private static IdaasAuthenticationToken storedToken(MockHttpServletRequest request) {
		Object stored = request.getSession(false)
			.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
		assertThat(stored).isInstanceOf(SecurityContext.class);
		return (IdaasAuthenticationToken) ((SecurityContext) stored).getAuthentication();
	}

}

package dev.idaas.spring.test.web;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import jakarta.servlet.http.HttpSession;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.util.Assert;

/**
 * MockMvc request post-processors for applications using the starter, in the spirit of
 * Spring Security's {@code oidcLogin()}:
 *
 * <pre class="code">
 * mvc.perform(get("/api/me").with(idaasUser().subject("alice").claims((c) -&gt; c.put("email", "a@example.com"))))
 *     .andExpect(status().isOk());
 * </pre>
 *
 * The signed-in {@code SecurityContext} is put in the request's HTTP session under Spring
 * Security's attribute, exactly where the starter keeps it after a real sign-in, so the
 * id_token refresh filter and {@code @AuthenticationPrincipal OidcUser} behave as in
 * production.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see WithIdaasUser
 */
public final class IdaasMockMvcRequestPostProcessors {

	private IdaasMockMvcRequestPostProcessors() {
	}

	/**
	 * A request signed in through IDaaS as the default test user ({@code sub=user}), the
	 * MockMvc counterpart of {@link WithIdaasUser @WithIdaasUser}. Not to be confused with
	 * the security DSL's {@code IdaasLoginConfigurer.idaasLogin()}, which configures the
	 * sign-in itself.
	 * @return the post-processor, to customize further
	 * @since 0.1
	 */
	public static IdaasUserRequestPostProcessor idaasUser() {
		return new IdaasUserRequestPostProcessor(IdaasTestAuthentications.user());
	}

	/**
	 * Signs a MockMvc request in through IDaaS.
	 *
	 * @since 0.1
	 */
	public static final class IdaasUserRequestPostProcessor implements RequestPostProcessor {

		private final IdaasTestAuthentications authentication;

		IdaasUserRequestPostProcessor(IdaasTestAuthentications authentication) {
			this.authentication = authentication;
		}

		/**
		 * Sets the subject.
		 * @param subject the {@code sub} claim
		 * @return this post-processor
		 * @since 0.1
		 */
		public IdaasUserRequestPostProcessor subject(String subject) {
			this.authentication.subject(subject);
			return this;
		}

		/**
		 * Changes the id_token claims.
		 * @param claims receives the mutable claims
		 * @return this post-processor
		 * @since 0.1
		 */
		public IdaasUserRequestPostProcessor claims(Consumer<Map<String, Object>> claims) {
			this.authentication.claims(claims);
			return this;
		}

		/**
		 * Adds authorities beside {@code OIDC_USER}.
		 * @param authorities the authority names
		 * @return this post-processor
		 * @since 0.1
		 */
		public IdaasUserRequestPostProcessor authorities(String... authorities) {
			this.authentication.authorities(authorities);
			return this;
		}

		/**
		 * Sets how long the id_token stays valid from now.
		 * @param expiresIn the remaining validity; short or negative to provoke a refresh
		 * @return this post-processor
		 * @since 0.1
		 */
		public IdaasUserRequestPostProcessor idTokenExpiresIn(Duration expiresIn) {
			this.authentication.idTokenExpiresIn(expiresIn);
			return this;
		}

		/**
		 * Sets the session token.
		 * @param sessionToken the session token, e.g. one a simulator issued
		 * @return this post-processor
		 * @since 0.1
		 */
		public IdaasUserRequestPostProcessor sessionToken(String sessionToken) {
			this.authentication.sessionToken(sessionToken);
			return this;
		}

		/**
		 * Sets how long the session token stays valid from now.
		 * @param expiresIn the remaining validity
		 * @return this post-processor
		 * @since 0.1
		 */
		public IdaasUserRequestPostProcessor sessionTokenExpiresIn(Duration expiresIn) {
			this.authentication.sessionTokenExpiresIn(expiresIn);
			return this;
		}

		@Override
		public MockHttpServletRequest postProcessRequest(MockHttpServletRequest request) {
			Assert.notNull(request, "request cannot be null");
			IdaasAuthenticationToken token = this.authentication.build();
			HttpSession session = request.getSession(true);
			session.setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY,
					new SecurityContextImpl(token));
			return request;
		}

	}

}

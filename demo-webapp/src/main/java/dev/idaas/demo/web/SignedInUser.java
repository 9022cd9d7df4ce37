package dev.idaas.demo.web;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * What the demo shows of the signed-in user: identity claims and session facts, never a token.
 *
 * @param sub the {@code sub} claim (IDaaS user name)
 * @param name the {@code name} claim
 * @param email the {@code email} claim
 * @param mobile the {@code mobile} claim
 * @param id the {@code id} claim (IDaaS user id)
 * @param idTokenExpiresAt when the current id_token expires
 * @param signedInAt when the user signed in
 * @param refreshCount how many times the id_token was refreshed
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public record SignedInUser(String sub, @Nullable String name, @Nullable String email, @Nullable String mobile,
		@Nullable String id, @Nullable Instant idTokenExpiresAt, @Nullable Instant signedInAt, int refreshCount) {

	/**
	 * Reads the user from an authentication.
	 * <p>
	 * The authentication is {@code null} when a sign-out on another request cleared the shared
	 * security context while this request was running (Spring Security's logout empties the
	 * context object the session holds, and a request that loaded it sees that). Such a request
	 * is answered as signed out, through the security chain's entry point.
	 * @param authentication the current authentication, {@code null} after a concurrent sign-out
	 * @return the user
	 * @throws AuthenticationCredentialsNotFoundException when signed out meanwhile
	 */
	public static SignedInUser of(@Nullable Authentication authentication) {
		if (authentication == null) {
			throw new AuthenticationCredentialsNotFoundException("Signed out while the request was running");
		}
		if (!(authentication.getPrincipal() instanceof OidcUser user)) {
			return new SignedInUser(authentication.getName(), null, null, null, null, null, null, 0);
		}
		Instant signedInAt = null;
		int refreshCount = 0;
		if (authentication instanceof IdaasAuthenticationToken idaas) {
			signedInAt = idaas.getSessionState().signedInAt().truncatedTo(ChronoUnit.SECONDS);
			refreshCount = idaas.getSessionState().refreshCount();
		}
		return new SignedInUser(user.getSubject(), user.getFullName(), user.getEmail(),
				user.getClaimAsString("mobile"), user.getClaimAsString("id"), user.getIdToken().getExpiresAt(),
				signedInAt, refreshCount);
	}

}

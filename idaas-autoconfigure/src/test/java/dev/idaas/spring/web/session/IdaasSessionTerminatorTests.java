package dev.idaas.spring.web.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.authentication.IdaasSessionState;
import dev.idaas.spring.client.IdaasErrorCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link IdaasSessionTerminator}.
 */
class IdaasSessionTerminatorTests {

	private static final String KEY = HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY;

	private final IdaasSessionTerminator terminator = new IdaasSessionTerminator();

	private final List<Object> events = new ArrayList<>();

	private final IdaasAuthenticationToken alice = alice();

	private final MockHttpServletRequest request = new MockHttpServletRequest();

	private final MockHttpSession session = new MockHttpSession();

	IdaasSessionTerminatorTests() {
		this.terminator.setApplicationEventPublisher(this.events::add);
		this.session.setAttribute(KEY, new SecurityContextImpl(this.alice));
		this.request.setSession(this.session);
		SecurityContextHolder.getContext().setAuthentication(this.alice);
	}

	@AfterEach
	void clear() {
		SecurityContextHolder.clearContext();
	}

	@Test
	void endSessionThenContextClearedSessionInvalidatedAndEventPublished() {
		IdaasSessionExpiredException ex = this.terminator.endSession(this.alice, this.request,
				new MockHttpServletResponse(), IdaasSessionEndReason.INVALID_SESSION_TOKEN, "IDAAS.SDK.PARAM.0023",
				null);
		assertThat(ex.getErrorCode()).isEqualTo("IDAAS.SDK.PARAM.0023");
		assertThat(ex.getReason()).isEqualTo(IdaasSessionEndReason.INVALID_SESSION_TOKEN);
		assertThat(SecurityContextHolder.getContext().getAuthentication()).isNull();
		assertThat(this.session.isInvalid()).isTrue();
		assertThat(this.request.getSession(false)).isNull();
		assertThat(this.events).singleElement().isInstanceOfSatisfying(IdaasSessionEndedEvent.class, (event) -> {
			assertThat(event.getPrincipalName()).isEqualTo("alice");
			assertThat(event.getReason()).isEqualTo(IdaasSessionEndReason.INVALID_SESSION_TOKEN);
			assertThat(event.getErrorCode()).isEqualTo("IDAAS.SDK.PARAM.0023");
		});
	}

	@Test
	void endSessionWhenNoSessionThenNoneCreated() {
		MockHttpServletRequest withoutSession = new MockHttpServletRequest();
		this.terminator.endSession(this.alice, withoutSession, new MockHttpServletResponse(),
				IdaasSessionEndReason.ABSOLUTE_EXPIRY, IdaasErrorCodes.SESSION_EXPIRED, null);
		assertThat(withoutSession.getSession(false)).isNull();
		assertThat(SecurityContextHolder.getContext().getAuthentication()).isNull();
		assertThat(this.events).hasSize(1);
	}

	@Test
	void signedOutMeanwhileThenOnlyThisRequestsContextClearedNoEventNothingSaved() {
		IdaasSessionExpiredException ex = this.terminator.signedOutMeanwhile(this.alice);
		assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.SESSION_EXPIRED);
		assertThat(ex.getReason()).isEqualTo(IdaasSessionEndReason.LOGOUT);
		assertThat(SecurityContextHolder.getContext().getAuthentication()).isNull();
		assertThat(this.events).isEmpty();
		// the session is left to whoever ended it
		assertThat(this.session.isInvalid()).isFalse();
		assertThat(this.session.getAttribute(KEY)).isNotNull();
	}

	private static IdaasAuthenticationToken alice() {
		Instant now = Instant.parse("2026-01-01T00:00:00Z");
		OidcIdToken idToken = OidcIdToken.withTokenValue("id-token")
			.subject("alice")
			.issuedAt(now)
			.expiresAt(now.plusSeconds(300))
			.build();
		return new IdaasAuthenticationToken(new DefaultOidcUser(List.of(), idToken), List.of(),
				new IdaasSessionState("session-token", now.plusSeconds(3600), now, 0));
	}

}

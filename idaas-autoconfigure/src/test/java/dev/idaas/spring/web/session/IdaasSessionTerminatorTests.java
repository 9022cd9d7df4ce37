package dev.idaas.spring.web.session;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
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
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

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

	@Test
	void endSessionThenEmptyContextSavedSoTheRestOfThisRequestIsSignedOutToo() {
		// Spring Security's default repository: the request attribute serves the error page and
		// forwards of this very request
		SecurityContextRepository repository = new DelegatingSecurityContextRepository(
				new RequestAttributeSecurityContextRepository(), new HttpSessionSecurityContextRepository());
		MockHttpServletResponse response = new MockHttpServletResponse();
		repository.saveContext(new SecurityContextImpl(this.alice), this.request, response);
		this.terminator.setSecurityContextRepository(repository);

		this.terminator.endSession(this.alice, this.request, response, IdaasSessionEndReason.INVALID_SESSION_TOKEN,
				"IDAAS.SDK.PARAM.0023", null);

		assertThat(repository.loadDeferredContext(this.request).get().getAuthentication()).isNull();
		assertThat(this.session.isInvalid()).isTrue();
	}

	@Test
	void endSessionThenEventCarriesSubjectAndTheClocksTime() {
		Instant now = Instant.parse("2026-03-01T08:00:00Z");
		this.terminator.setClock(Clock.fixed(now, ZoneOffset.UTC));

		this.terminator.endSession(this.alice, this.request, new MockHttpServletResponse(),
				IdaasSessionEndReason.SUBJECT_CHANGED, IdaasErrorCodes.SUBJECT_CHANGED, null);

		assertThat(this.events).singleElement().isInstanceOfSatisfying(IdaasSessionEndedEvent.class, (event) -> {
			assertThat(event.getSubject()).isEqualTo("alice");
			assertThat(event.getTimestamp()).isEqualTo(now.toEpochMilli());
		});
	}

	@Test
	void endSessionWhenOwnHolderStrategyThenThatContextCleared() {
		SecurityContextHolderStrategy strategy = new IsolatedSecurityContextHolderStrategy();
		strategy.setContext(new SecurityContextImpl(this.alice));
		this.terminator.setSecurityContextHolderStrategy(strategy);

		this.terminator.endSession(this.alice, this.request, new MockHttpServletResponse(),
				IdaasSessionEndReason.INVALID_SESSION_TOKEN, "IDAAS.SDK.PARAM.0023", null);

		assertThat(strategy.getContext().getAuthentication()).isNull();
	}

	@Test
	void settersWhenNullThenIllegalArgument() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.terminator.setSecurityContextRepository(null))
			.withMessage("securityContextRepository cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.terminator.setSecurityContextHolderStrategy(null))
			.withMessage("securityContextHolderStrategy cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.terminator.setApplicationEventPublisher(null))
			.withMessage("eventPublisher cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.terminator.setClock(null))
			.withMessage("clock cannot be null");
	}

	@Test
	void endSessionWhenArgumentMissingThenIllegalArgumentAndNobodySignedOut() {
		MockHttpServletResponse response = new MockHttpServletResponse();
		IdaasSessionEndReason reason = IdaasSessionEndReason.INVALID_SESSION_TOKEN;
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.terminator.endSession(null, this.request, response, reason, "E", null));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.terminator.endSession(this.alice, null, response, reason, "E", null));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.terminator.endSession(this.alice, this.request, null, reason, "E", null));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.terminator.endSession(this.alice, this.request, response, null, "E", null));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.terminator.endSession(this.alice, this.request, response, reason, "", null));
		assertThatIllegalArgumentException().isThrownBy(() -> this.terminator.signedOutMeanwhile(null));
		assertThat(this.session.isInvalid()).isFalse();
		assertThat(SecurityContextHolder.getContext().getAuthentication()).isSameAs(this.alice);
		assertThat(this.events).isEmpty();
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

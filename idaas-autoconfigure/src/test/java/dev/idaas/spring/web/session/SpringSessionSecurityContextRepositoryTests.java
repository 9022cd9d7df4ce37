package dev.idaas.spring.web.session;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.authentication.IdaasSessionState;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.Session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link SpringSessionSecurityContextRepository}: reads and writes the shared store,
 * not the request's copy of the session.
 */
class SpringSessionSecurityContextRepositoryTests {

	private static final String KEY = HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY;

	private final MapSessionRepository sessions = new MapSessionRepository(new ConcurrentHashMap<>());

	private final SpringSessionSecurityContextRepository repository = new SpringSessionSecurityContextRepository(
			this.sessions);

	private final MapSession stored = this.sessions.createSession();

	private final MockHttpServletRequest request = new MockHttpServletRequest();

	private final MockHttpSession requestCopy = new MockHttpSession(null, this.stored.getId());

	SpringSessionSecurityContextRepositoryTests() {
		this.sessions.save(this.stored);
		this.request.setSession(this.requestCopy);
	}

	@Test
	void constructorWhenRepositoryNullThenException() {
		assertThatIllegalArgumentException().isThrownBy(() -> new SpringSessionSecurityContextRepository(null))
			.withMessage("sessionRepository cannot be null");
	}

	@Test
	void loadDeferredContextWhenStoreHasNewerContextThanRequestCopyThenStoreWins() {
		this.requestCopy.setAttribute(KEY, context("old"));
		storeContext(context("new"));
		SecurityContext loaded = this.repository.loadDeferredContext(this.request).get();
		assertThat(loaded.getAuthentication().getName()).isEqualTo("new");
		assertThat(this.repository.loadDeferredContext(this.request).isGenerated()).isFalse();
		assertThat(this.repository.containsContext(this.request)).isTrue();
	}

	@Test
	void loadDeferredContextWhenStoredSessionGoneThenGeneratedEmptyContext() {
		this.requestCopy.setAttribute(KEY, context("old"));
		this.sessions.deleteById(this.stored.getId());
		assertThat(this.repository.loadDeferredContext(this.request).get().getAuthentication()).isNull();
		assertThat(this.repository.loadDeferredContext(this.request).isGenerated()).isTrue();
		assertThat(this.repository.containsContext(this.request)).isFalse();
	}

	@Test
	void loadDeferredContextWhenNoSessionThenGeneratedEmptyContext() {
		MockHttpServletRequest withoutSession = new MockHttpServletRequest();
		assertThat(this.repository.loadDeferredContext(withoutSession).get().getAuthentication()).isNull();
		assertThat(withoutSession.getSession(false)).isNull();
	}

	@Test
	void saveContextThenWrittenToStoreAtOnceAndNotToRequestCopy() {
		SecurityContext refreshed = context("refreshed");
		this.repository.saveContext(refreshed, this.request, new MockHttpServletResponse());
		// the request's copy is written back when the request ends: it must not carry the context
		assertThat(this.requestCopy.getAttribute(KEY)).isNull();
		Session reloaded = this.sessions.findById(this.stored.getId());
		assertThat(reloaded.<SecurityContext>getAttribute(KEY).getAuthentication().getName()).isEqualTo("refreshed");
	}

	@Test
	void saveContextWhenStoreHoldsNewerGenerationOfSameSignInThenNotReplaced() {
		SecurityContext newer = idaasContext(2);
		storeContext(newer);
		this.repository.saveContext(idaasContext(1), this.request, new MockHttpServletResponse());
		IdaasAuthenticationToken kept = (IdaasAuthenticationToken) this.sessions.findById(this.stored.getId())
			.<SecurityContext>getAttribute(KEY)
			.getAuthentication();
		assertThat(kept.getSessionState().generation()).isEqualTo(2);
		assertThat(kept.getSessionState().sessionToken()).isEqualTo("session-token-2");
	}

	@Test
	void saveContextWhenStoreHoldsOlderGenerationThenReplaced() {
		storeContext(idaasContext(1));
		this.repository.saveContext(idaasContext(2), this.request, new MockHttpServletResponse());
		IdaasAuthenticationToken kept = (IdaasAuthenticationToken) this.sessions.findById(this.stored.getId())
			.<SecurityContext>getAttribute(KEY)
			.getAuthentication();
		assertThat(kept.getSessionState().generation()).isEqualTo(2);
	}

	@Test
	void saveContextWhenStoredSessionGoneThenRequestCopyInvalidated() {
		this.sessions.deleteById(this.stored.getId());
		this.repository.saveContext(context("refreshed"), this.request, new MockHttpServletResponse());
		assertThat(this.requestCopy.isInvalid()).isTrue();
		assertThat(this.sessions.findById(this.stored.getId())).isNull();
	}

	@Test
	void saveContextWhenNoSessionThenNoneCreated() {
		MockHttpServletRequest withoutSession = new MockHttpServletRequest();
		this.repository.saveContext(context("refreshed"), withoutSession, new MockHttpServletResponse());
		assertThat(withoutSession.getSession(false)).isNull();
	}

	@Test
	void saveContextWhenEmptyThenRemovedFromStore() {
		storeContext(context("old"));
		this.repository.saveContext(new SecurityContextImpl(), this.request, new MockHttpServletResponse());
		assertThat(this.sessions.findById(this.stored.getId()).<Object>getAttribute(KEY)).isNull();
	}

	@Test
	void saveContextWhenStoredSessionGoneThenNotRecreated() {
		this.sessions.deleteById(this.stored.getId());
		this.repository.saveContext(context("refreshed"), this.request, new MockHttpServletResponse());
		assertThat(this.sessions.findById(this.stored.getId())).isNull();
	}

	@Test
	void settersWhenInvalidThenIllegalArgument() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.repository.setSpringSecurityContextKey(""))
			.withMessage("springSecurityContextKey cannot be empty");
		assertThatIllegalArgumentException().isThrownBy(() -> this.repository.setSecurityContextHolderStrategy(null))
			.withMessage("securityContextHolderStrategy cannot be null");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.repository.saveContext(null, this.request, new MockHttpServletResponse()))
			.withMessage("context cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.repository.loadDeferredContext(null))
			.withMessage("request cannot be null");
	}

	@Test
	void saveAndLoadWhenContextKeyReplacedThenThatAttributeUsed() {
		this.repository.setSpringSecurityContextKey("CUSTOM_CONTEXT");
		this.repository.saveContext(context("refreshed"), this.request, new MockHttpServletResponse());
		Session reloaded = this.sessions.findById(this.stored.getId());
		assertThat(reloaded.<SecurityContext>getAttribute("CUSTOM_CONTEXT").getAuthentication().getName())
			.isEqualTo("refreshed");
		assertThat(reloaded.<Object>getAttribute(KEY)).isNull();
		assertThat(this.repository.loadDeferredContext(this.request).get().getAuthentication().getName())
			.isEqualTo("refreshed");
	}

	@Test
	void loadDeferredContextWhenNothingStoredThenEmptyContextOfTheGivenStrategy() {
		SecurityContext marker = new SecurityContextImpl();
		IsolatedSecurityContextHolderStrategy strategy = new IsolatedSecurityContextHolderStrategy() {
			@Override
			public SecurityContext createEmptyContext() {
				return marker;
			}
		};
		this.repository.setSecurityContextHolderStrategy(strategy);
		assertThat(this.repository.loadDeferredContext(this.request).get()).isSameAs(marker);
	}

	@Test
	@SuppressWarnings("deprecation")
	void loadContextThenSameAsDeferred() {
		storeContext(context("stored"));
		SecurityContext loaded = this.repository.loadContext(
				new org.springframework.security.web.context.HttpRequestResponseHolder(this.request,
						new MockHttpServletResponse()));
		assertThat(loaded.getAuthentication().getName()).isEqualTo("stored");
	}

	private void storeContext(SecurityContext context) {
		MapSession session = this.sessions.findById(this.stored.getId());
		session.setAttribute(KEY, context);
		this.sessions.save(session);
	}

	private static SecurityContext idaasContext(long generation) {
		Instant signedInAt = Instant.parse("2026-01-01T00:00:00Z");
		OidcIdToken idToken = OidcIdToken.withTokenValue("id-token-" + generation)
			.subject("alice")
			.issuedAt(signedInAt)
			.expiresAt(signedInAt.plusSeconds(300))
			.build();
		IdaasSessionState state = new IdaasSessionState("session-token-" + generation, signedInAt.plusSeconds(3600),
				signedInAt, (int) generation, generation);
		return new SecurityContextImpl(
				new IdaasAuthenticationToken(new DefaultOidcUser(List.of(), idToken), List.of(), state));
	}

	private static SecurityContext context(String name) {
		return new SecurityContextImpl(new TestingAuthenticationToken(name, "n/a", "ROLE_USER"));
	}

}

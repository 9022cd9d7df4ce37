package dev.idaas.spring.web.session;

import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
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
	void saveContextThenWrittenToRequestCopyAndStoreAtOnce() {
		SecurityContext refreshed = context("refreshed");
		this.repository.saveContext(refreshed, this.request, new MockHttpServletResponse());
		assertThat(this.requestCopy.getAttribute(KEY)).isSameAs(refreshed);
		Session reloaded = this.sessions.findById(this.stored.getId());
		assertThat(reloaded.<SecurityContext>getAttribute(KEY).getAuthentication().getName()).isEqualTo("refreshed");
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

	private void storeContext(SecurityContext context) {
		MapSession session = this.sessions.findById(this.stored.getId());
		session.setAttribute(KEY, context);
		this.sessions.save(session);
	}

	private static SecurityContext context(String name) {
		return new SecurityContextImpl(new TestingAuthenticationToken(name, "n/a", "ROLE_USER"));
	}

}

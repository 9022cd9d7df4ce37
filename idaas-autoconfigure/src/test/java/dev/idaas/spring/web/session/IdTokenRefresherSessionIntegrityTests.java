package dev.idaas.spring.web.session;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.authentication.IdaasSessionState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * {@link IdTokenRefresher} stores a refresh only into the HTTP session it started in, never
 * creates one, and never writes over a newer generation of the same sign-in (plain
 * {@code HttpSession} path; the Spring Session path is proven on Redis in
 * {@code idaas-cluster-tests}).
 */
class IdTokenRefresherSessionIntegrityTests {

	private final RefreshTestStack stack = new RefreshTestStack();

	@AfterEach
	void tearDown() {
		SecurityContextHolder.clearContext();
		this.stack.close();
	}

	@Test
	void refreshWhenSessionInvalidatedWhileIdaasAnswersThenSignedOutAndNoSessionCreated() throws Exception {
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		MockHttpSession session = this.stack.sessionWith(signedIn);
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setSession(session);
		this.stack.clock.advance(Duration.ofMinutes(6));
		this.stack.idaas.delayNext(Duration.ofMillis(300));

		CompletableFuture<Throwable> refresh = CompletableFuture.supplyAsync(() -> catchThrowable(
				() -> this.stack.refresher.refresh(signedIn, request, new MockHttpServletResponse())));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.stack.refreshRequests().size() == 1);
		// a logout on another request
		session.invalidate();

		Throwable thrown = refresh.get(5, TimeUnit.SECONDS);
		assertThat(thrown).isInstanceOfSatisfying(IdaasSessionExpiredException.class,
				(ex) -> assertThat(ex.getReason()).isEqualTo(IdaasSessionEndReason.LOGOUT));
		assertThat(request.getSession(false)).as("a session created by storing the refresh").isNull();
		assertThat(this.stack.events(IdTokenRefreshedEvent.class)).isEmpty();
		assertThat(this.stack.events(IdaasSessionEndedEvent.class)).isEmpty();
	}

	@Test
	void refreshWhenNewerGenerationStoredWhileIdaasAnswersThenNotReplaced() throws Exception {
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		MockHttpSession session = this.stack.sessionWith(signedIn);
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setSession(session);
		this.stack.clock.advance(Duration.ofMinutes(6));
		this.stack.idaas.delayNext(Duration.ofMillis(300));

		CompletableFuture<IdaasAuthenticationToken> refresh = CompletableFuture
			.supplyAsync(() -> this.stack.refresher.refresh(signedIn, request, new MockHttpServletResponse()));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.stack.refreshRequests().size() == 1);
		// meanwhile a node whose lock timed out stored two rotations further
		IdaasSessionState state = signedIn.getSessionState();
		IdaasSessionState newer = state.refreshed("rotated-elsewhere-1", state.sessionTokenExpiresAt())
			.refreshed("rotated-elsewhere-2", state.sessionTokenExpiresAt());
		IdaasAuthenticationToken elsewhere = signedIn.withRefreshed(signedIn.getPrincipal(),
				signedIn.getAuthorities(), newer);
		session.setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY,
				new SecurityContextImpl(elsewhere));

		IdaasAuthenticationToken used = refresh.get(5, TimeUnit.SECONDS);
		assertThat(RefreshTestStack.stored(session).getSessionState().sessionToken())
			.isEqualTo("rotated-elsewhere-2");
		assertThat(RefreshTestStack.stored(session).getSessionState().generation()).isEqualTo(2);
		assertThat(used.getSessionState().sessionToken()).isEqualTo("rotated-elsewhere-2");
	}

	@Test
	void refreshWhenNoSessionThenRefreshedForThisRequestAndNoneCreated() {
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		MockHttpServletRequest request = new MockHttpServletRequest();
		this.stack.clock.advance(Duration.ofMinutes(6));

		IdaasAuthenticationToken refreshed = this.stack.refresher.refresh(signedIn, request,
				new MockHttpServletResponse());

		assertThat(refreshed.getSessionState().generation()).isEqualTo(1);
		assertThat(SecurityContextHolder.getContext().getAuthentication()).isSameAs(refreshed);
		assertThat(request.getSession(false)).isNull();
		assertThat(this.stack.refreshRequests()).hasSize(1);
	}

	@Test
	void refreshWhenSessionStillThereThenStoredWithNextGeneration() {
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		MockHttpSession session = this.stack.sessionWith(signedIn);
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setSession(session);
		this.stack.clock.advance(Duration.ofMinutes(6));

		IdaasAuthenticationToken refreshed = this.stack.refresher.refresh(signedIn, request,
				new MockHttpServletResponse());

		assertThat(request.getSession(false)).isSameAs(session);
		assertThat(RefreshTestStack.stored(session)).isSameAs(refreshed);
		assertThat(refreshed.getSessionState().generation()).isEqualTo(1);
		assertThat(refreshed.getSessionState().refreshCount()).isEqualTo(1);
	}

}

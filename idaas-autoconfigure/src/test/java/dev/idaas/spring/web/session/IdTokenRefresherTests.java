package dev.idaas.spring.web.session;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.authentication.IdaasSessionState;
import dev.idaas.spring.client.IdaasErrorCodes;
import dev.idaas.spring.client.TokenRefreshResult;
import dev.idaas.spring.test.simulator.SimulatedUser;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * {@link IdTokenRefresher} called directly, on the real stack (simulator, verifier, factory):
 * what a user notices of each decision (kept signed in, signed out, 503 with Retry-After) and
 * which session token went to IDaaS.
 */
class IdTokenRefresherTests {

	private static final Duration DUE = Duration.ofMinutes(4).plusSeconds(10); // 50 s before exp

	private static final Duration ID_TOKEN_TTL = Duration.ofMinutes(5);

	private final RefreshTestStack stack = new RefreshTestStack();

	private final Map<CompletableFuture<Throwable>, Thread> threads = new ConcurrentHashMap<>();

	private final Map<CompletableFuture<Throwable>, Boolean> interruptedAfter = new ConcurrentHashMap<>();

	/** The authentication each async refresh's SecurityContextHolder holds afterwards. */
	private final Map<CompletableFuture<Throwable>, Optional<Authentication>> authenticationAfter = new ConcurrentHashMap<>();

	@AfterEach
	void tearDown() {
		SecurityContextHolder.clearContext();
		this.stack.close();
	}

	@Test
	void refreshWhenIdTokenNotDueThenKeptWithoutUpstreamCall() {
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		MockHttpServletRequest request = requestIn(this.stack.sessionWith(signedIn));
		this.stack.clock.advance(Duration.ofMinutes(3));

		IdaasAuthenticationToken used = this.stack.refresher.refresh(signedIn, request, new MockHttpServletResponse());

		assertThat(used).isSameAs(signedIn);
		assertThat(this.stack.refreshRequests()).isEmpty();
		assertThat(this.stack.events).isEmpty();
	}

	@Test
	void settersAndRefreshWhenArgumentInvalidThenIllegalArgumentAndNoUpstreamCall() {
		IdTokenRefresher refresher = this.stack.refresher;
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		MockHttpServletRequest request = new MockHttpServletRequest();
		MockHttpServletResponse response = new MockHttpServletResponse();
		assertThatIllegalArgumentException().isThrownBy(() -> refresher.refresh(null, request, response))
			.withMessage("current cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> refresher.refresh(signedIn, null, response))
			.withMessage("request cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> refresher.refresh(signedIn, request, null))
			.withMessage("response cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> refresher.setRefreshJitter(null))
			.withMessage("refreshJitter cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> refresher.setRefreshJitter(Duration.ofSeconds(-1)))
			.withMessage("refreshJitter cannot be negative");
		assertThatIllegalArgumentException().isThrownBy(() -> refresher.setRotatedSessionTokenWait(null))
			.withMessage("rotatedSessionTokenWait cannot be null");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> refresher.setRotatedSessionTokenWait(Duration.ofSeconds(-1)))
			.withMessage("rotatedSessionTokenWait cannot be negative");
		assertThatIllegalArgumentException().isThrownBy(() -> refresher.setClock(null))
			.withMessage("clock cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> refresher.setSecurityContextRepository(null))
			.withMessage("securityContextRepository cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> refresher.setSecurityContextHolderStrategy(null))
			.withMessage("securityContextHolderStrategy cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> refresher.setApplicationEventPublisher(null))
			.withMessage("eventPublisher cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> refresher.setRefreshLock(null))
			.withMessage("refreshLock cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> refresher.setRefreshAhead(null))
			.withMessage("refreshAhead cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> refresher.setRefreshAhead(Duration.ofSeconds(-1)))
			.withMessage("refreshAhead cannot be negative");
		assertThatIllegalArgumentException().isThrownBy(() -> refresher.setRefreshFailureBackoff((Duration) null))
			.withMessage("refreshFailureBackoff cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> refresher.setRefreshFailureBackoff(Duration.ZERO))
			.withMessage("refreshFailureBackoff must be positive");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> refresher.setRefreshFailureBackoff((RefreshFailureBackoff) null))
			.withMessage("refreshFailureBackoff cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> refresher.setAbsoluteTimeout(Duration.ofSeconds(-1)))
			.withMessage("absoluteTimeout cannot be negative");
		assertThatIllegalArgumentException().isThrownBy(() -> refresher.setWaitTimeout(null))
			.withMessage("waitTimeout cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> refresher.setWaitTimeout(Duration.ofSeconds(-1)))
			.withMessage("waitTimeout cannot be negative");
		assertThat(this.stack.refreshRequests()).isEmpty();
	}

	@Test
	void settersWhenArgumentRefusedThenRefresherWorksAsBefore() {
		IdTokenRefresher refresher = this.stack.refresher;
		assertThatIllegalArgumentException().isThrownBy(() -> refresher.setSecurityContextRepository(null));
		assertThatIllegalArgumentException().isThrownBy(() -> refresher.setSecurityContextHolderStrategy(null));
		assertThatIllegalArgumentException().isThrownBy(() -> refresher.setApplicationEventPublisher(null));
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		MockHttpSession session = this.stack.sessionWith(signedIn);
		this.stack.clock.advance(DUE);

		IdaasAuthenticationToken refreshed = refresher.refresh(signedIn, requestIn(session),
				new MockHttpServletResponse());

		// still stored through the repository, set in the strategy, announced to the publisher
		assertThat(refreshed.getSessionState().refreshCount()).isEqualTo(1);
		assertThat(RefreshTestStack.stored(session)).isSameAs(refreshed);
		assertThat(SecurityContextHolder.getContext().getAuthentication()).isSameAs(refreshed);
		assertThat(this.stack.events(IdTokenRefreshedEvent.class)).hasSize(1);
		assertThat(this.stack.refreshRequests()).hasSize(1);
	}

	@Test
	void constructorWhenArgumentNullThenIllegalArgument() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new IdTokenRefresher(null, this.stack.factory, (request, response) -> RefreshTestStack.DEVICE))
			.withMessage("idaasClient cannot be null");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new IdTokenRefresher(this.stack.client, null, (request, response) -> RefreshTestStack.DEVICE))
			.withMessage("authenticationTokenFactory cannot be null");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new IdTokenRefresher(this.stack.client, this.stack.factory, null))
			.withMessage("deviceContextResolver cannot be null");
	}

	@Test
	void refreshWhenSessionOverThenSignOutUsesTheGivenRepositoryStrategyAndClock() {
		IsolatedSecurityContextHolderStrategy strategy = new IsolatedSecurityContextHolderStrategy();
		List<SecurityContext> saved = new CopyOnWriteArrayList<>();
		this.stack.refresher.setSecurityContextHolderStrategy(strategy);
		this.stack.refresher.setSecurityContextRepository(new HttpSessionSecurityContextRepository() {
			@Override
			public void saveContext(SecurityContext context, HttpServletRequest request, HttpServletResponse response) {
				saved.add(context);
				super.saveContext(context, request, response);
			}
		});
		this.stack.refresher.setAbsoluteTimeout(Duration.ofMinutes(2));
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		MockHttpSession session = this.stack.sessionWith(signedIn);
		strategy.getContext().setAuthentication(signedIn);
		SecurityContextHolder.getContext().setAuthentication(signedIn);
		this.stack.clock.advance(Duration.ofMinutes(3));

		Throwable thrown = catchThrowable(
				() -> this.stack.refresher.refresh(signedIn, requestIn(session), new MockHttpServletResponse()));

		assertThat(thrown).isInstanceOf(IdaasSessionExpiredException.class);
		// the given strategy is cleared (the global one is not the application's)
		assertThat(strategy.getContext().getAuthentication()).isNull();
		assertThat(SecurityContextHolder.getContext().getAuthentication()).isSameAs(signedIn);
		// the empty context went through the given repository
		assertThat(saved).singleElement().satisfies((context) -> assertThat(context.getAuthentication()).isNull());
		assertThat(this.stack.events(IdaasSessionEndedEvent.class)).singleElement()
			.satisfies((event) -> assertThat(event.getTimestamp()).isEqualTo(this.stack.clock.millis()));
		assertThat(this.stack.refreshRequests()).isEmpty();
	}

	@Test
	void refreshWhenStrategyGivenThenRefreshedAuthenticationSetInIt() {
		IsolatedSecurityContextHolderStrategy strategy = new IsolatedSecurityContextHolderStrategy();
		this.stack.refresher.setSecurityContextHolderStrategy(strategy);
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		MockHttpSession session = this.stack.sessionWith(signedIn);
		this.stack.clock.advance(DUE);

		IdaasAuthenticationToken refreshed = this.stack.refresher.refresh(signedIn, requestIn(session),
				new MockHttpServletResponse());

		assertThat(refreshed.getSessionState().refreshCount()).isEqualTo(1);
		assertThat(strategy.getContext().getAuthentication()).isSameAs(refreshed);
		assertThat(SecurityContextHolder.getContext().getAuthentication()).isNull();
		assertThat(RefreshTestStack.stored(session)).isSameAs(refreshed);
	}

	@Test
	void requiresRefreshWhenFreshThenFalseWhenDueOrSessionOverThenTrue() {
		this.stack.refresher.setAbsoluteTimeout(Duration.ofMinutes(2));
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		assertThat(this.stack.refresher.requiresRefresh(signedIn)).isFalse();
		this.stack.clock.advance(Duration.ofMinutes(2)); // id_token fresh, sign-in over
		assertThat(this.stack.refresher.requiresRefresh(signedIn)).isTrue();
		this.stack.refresher.setAbsoluteTimeout(null);
		assertThat(this.stack.refresher.requiresRefresh(signedIn)).isFalse();
		this.stack.clock.advance(DUE.minusMinutes(2)); // id_token due
		assertThat(this.stack.refresher.requiresRefresh(signedIn)).isTrue();
		assertThat(this.stack.refreshRequests()).isEmpty();
	}

	@Test
	void refreshWhenOneSessionsRefreshFailedThenAnotherSessionStillRefreshed() {
		SimulatedUser bob = SimulatedUser.of("bob", "Bob", null, "bob@example.com");
		this.stack.idaas.registerUser(bob);
		IdaasAuthenticationToken alice = this.stack.signIn();
		IdaasAuthenticationToken bobSignedIn = this.stack.signIn(bob, bob, Duration.ofDays(5));
		MockHttpSession aliceSession = this.stack.sessionWith(alice);
		MockHttpSession bobSession = this.stack.sessionWith(bobSignedIn);
		this.stack.clock.advance(DUE);
		this.stack.idaas.failNext(1, 500);
		assertThat(this.stack.refresher.refresh(alice, requestIn(aliceSession), new MockHttpServletResponse()))
			.isSameAs(alice);
		// past the node's probe interval (the circuit lets one refresh through), within alice's back-off
		this.stack.clock.advance(Duration.ofSeconds(2));

		IdaasAuthenticationToken bobRefreshed = this.stack.refresher.refresh(bobSignedIn, requestIn(bobSession),
				new MockHttpServletResponse());

		assertThat(bobRefreshed.getSessionState().refreshCount()).isEqualTo(1);
		assertThat(this.stack.sentSessionTokens()).containsExactly(alice.getSessionState().sessionToken(),
				bobSignedIn.getSessionState().sessionToken());
	}

	@Test
	void refreshWhenNoSessionAndOneUsersRefreshFailedThenAnotherUserStillRefreshed() {
		SimulatedUser bob = SimulatedUser.of("bob", "Bob", null, "bob@example.com");
		this.stack.idaas.registerUser(bob);
		IdaasAuthenticationToken alice = this.stack.signIn();
		IdaasAuthenticationToken bobSignedIn = this.stack.signIn(bob, bob, Duration.ofDays(5));
		this.stack.clock.advance(DUE);
		this.stack.idaas.failNext(1, 500);
		assertThat(this.stack.refresher.refresh(alice, new MockHttpServletRequest(), new MockHttpServletResponse()))
			.isSameAs(alice);
		// past the node's probe interval (the circuit lets one refresh through), within alice's back-off
		this.stack.clock.advance(Duration.ofSeconds(2));

		IdaasAuthenticationToken bobRefreshed = this.stack.refresher.refresh(bobSignedIn,
				new MockHttpServletRequest(), new MockHttpServletResponse());

		assertThat(bobRefreshed.getSessionState().refreshCount()).isEqualTo(1);
		assertThat(this.stack.refreshRequests()).hasSize(2);
		// alice herself is held back until the back-off is over
		assertThat(this.stack.refresher.refresh(alice, new MockHttpServletRequest(), new MockHttpServletResponse()))
			.isSameAs(alice);
		assertThat(this.stack.refreshRequests()).hasSize(2);
	}

	@Test
	void refreshWhenVendorRefusesWithUnknownCodeThenSignedOutWithVendorsCodeAndMessageNot503() {
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		MockHttpSession session = this.stack.sessionWith(signedIn);
		SecurityContextHolder.getContext().setAuthentication(signedIn);
		this.stack.clock.advance(ID_TOKEN_TTL); // expired: a transient failure would answer 503
		this.stack.idaas.failNextWith(400, "IDAAS.SDK.RISK.0001", "Account frozen");

		Throwable thrown = catchThrowable(
				() -> this.stack.refresher.refresh(signedIn, requestIn(session), new MockHttpServletResponse()));

		assertThat(thrown).isInstanceOfSatisfying(IdaasSessionExpiredException.class, (ex) -> {
			assertThat(ex.getErrorCode()).isEqualTo("IDAAS.SDK.RISK.0001");
			assertThat(ex.getReason()).isEqualTo(IdaasSessionEndReason.VENDOR_REFUSED);
			assertThat(ex.getVendorMessage()).isEqualTo("Account frozen");
		});
		assertThat(session.isInvalid()).isTrue();
		assertThat(SecurityContextHolder.getContext().getAuthentication()).isNull();
		assertThat(this.stack.events(IdaasSessionEndedEvent.class)).singleElement().satisfies((event) -> {
			assertThat(event.getReason()).isEqualTo(IdaasSessionEndReason.VENDOR_REFUSED);
			assertThat(event.getErrorCode()).isEqualTo("IDAAS.SDK.RISK.0001");
			assertThat(event.getSubject()).isEqualTo("alice");
		});
		assertThat(this.stack.events(IdTokenRefreshedEvent.class)).isEmpty();
		assertThat(this.stack.refreshRequests()).hasSize(1);
	}

	@Test
	void refreshWhenOneUserRefusedByVendorThenAnotherUsersRefreshGoesThroughAtOnce() {
		SimulatedUser bob = SimulatedUser.of("bob", "Bob", null, "bob@example.com");
		this.stack.idaas.registerUser(bob);
		IdaasAuthenticationToken alice = this.stack.signIn();
		IdaasAuthenticationToken bobSignedIn = this.stack.signIn(bob, bob, Duration.ofDays(5));
		MockHttpSession aliceSession = this.stack.sessionWith(alice);
		MockHttpSession bobSession = this.stack.sessionWith(bobSignedIn);
		this.stack.clock.advance(DUE);
		this.stack.idaas.failNextWith(400, "IDAAS.SDK.RISK.0001", "Account frozen");
		Throwable aliceRefused = catchThrowable(() -> this.stack.refresher.refresh(alice, requestIn(aliceSession),
				new MockHttpServletResponse()));

		// no clock move: an open circuit would hold bob back for the probe interval
		IdaasAuthenticationToken bobRefreshed = this.stack.refresher.refresh(bobSignedIn, requestIn(bobSession),
				new MockHttpServletResponse());

		assertThat(bobRefreshed.getSessionState().refreshCount()).isEqualTo(1);
		assertThat(aliceRefused).isInstanceOf(IdaasSessionExpiredException.class);
		assertThat(RefreshTestStack.stored(bobSession)).isSameAs(bobRefreshed);
		assertThat(this.stack.sentSessionTokens()).containsExactly(alice.getSessionState().sessionToken(),
				bobSignedIn.getSessionState().sessionToken());
		assertThat(bobSession.isInvalid()).isFalse();
		assertThat(this.stack.events(IdaasSessionEndedEvent.class)).singleElement()
			.satisfies((event) -> assertThat(event.getPrincipalName()).isEqualTo("alice"));
	}

	@Test
	void refreshWhenClientConfigurationErrorThenNotSignedOutAndNodeCircuitHoldsOtherUsers() {
		SimulatedUser bob = SimulatedUser.of("bob", "Bob", null, "bob@example.com");
		this.stack.idaas.registerUser(bob);
		IdaasAuthenticationToken alice = this.stack.signIn();
		IdaasAuthenticationToken bobSignedIn = this.stack.signIn(bob, bob, Duration.ofDays(5));
		MockHttpSession aliceSession = this.stack.sessionWith(alice);
		this.stack.clock.advance(DUE);
		// the operator's problem, not the user's: as an outage, never a sign-out
		this.stack.idaas.failNextWith(400, IdaasErrorCodes.APP_NOT_REGISTERED, "The app is not registered");
		assertThat(this.stack.refresher.refresh(alice, requestIn(aliceSession), new MockHttpServletResponse()))
			.isSameAs(alice);

		IdaasAuthenticationToken bobUsed = this.stack.refresher.refresh(bobSignedIn,
				requestIn(this.stack.sessionWith(bobSignedIn)), new MockHttpServletResponse());

		assertThat(bobUsed).isSameAs(bobSignedIn);
		assertThat(this.stack.refreshRequests()).hasSize(1);
		assertThat(aliceSession.isInvalid()).isFalse();
		assertThat(this.stack.events(IdaasSessionEndedEvent.class)).isEmpty();
		// past alice's back-off, her id_token expired, still misconfigured: 503 with the code, signed in
		this.stack.clock.advance(Duration.ofMinutes(1));
		this.stack.idaas.failNextWith(400, IdaasErrorCodes.APP_NOT_REGISTERED, "The app is not registered");
		assertThat(catchThrowable(() -> this.stack.refresher.refresh(alice, requestIn(aliceSession),
				new MockHttpServletResponse())))
			.isInstanceOfSatisfying(IdTokenRefreshUnavailableException.class,
					(ex) -> assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.APP_NOT_REGISTERED));
		assertThat(this.stack.refreshRequests()).hasSize(2);
		assertThat(aliceSession.isInvalid()).isFalse();
		assertThat(this.stack.events(IdaasSessionEndedEvent.class)).isEmpty();
	}

	@Test
	void refreshWhenOldTokenRefusedByVendorButRotatedTokenStoredThenRetriedWithItAndNotSignedOut() {
		this.stack.idaas.sessionTokenRotation(true);
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		String t0 = signedIn.getSessionState().sessionToken();
		this.stack.clock.advance(DUE);
		// another node rotated t0 and stored t1 (with the old id_token)...
		TokenRefreshResult elsewhere = this.stack.client.refreshIdToken(t0, RefreshTestStack.DEVICE);
		MockHttpSession session = this.stack.sessionWith(withSessionToken(signedIn, elsewhere));
		// ...this node still reads t0 until its own call with it is refused
		this.stack.refresher.setSecurityContextRepository(new IdTokenRefreshFilterTests.LaggingRepository(
				new HttpSessionSecurityContextRepository(), new SecurityContextImpl(signedIn),
				() -> this.stack.idaas.refreshRequestCount() >= 2));
		this.stack.idaas.failNextWith(400, "IDAAS.SDK.RISK.0001", "Account frozen");

		IdaasAuthenticationToken used = this.stack.refresher.refresh(signedIn, requestIn(session),
				new MockHttpServletResponse());

		assertThat(this.stack.sentSessionTokens()).containsExactly(t0, t0, elsewhere.sessionToken());
		assertThat(used.getSessionState().sessionToken()).isNotIn(t0, elsewhere.sessionToken());
		assertThat(RefreshTestStack.stored(session)).isSameAs(used);
		assertThat(session.isInvalid()).isFalse();
		assertThat(this.stack.events(IdaasSessionEndedEvent.class)).isEmpty();
	}

	@Test
	void refreshWhenRotatedTokenAlsoRefusedByVendorThenSignedOutAfterOneRetry() {
		this.stack.idaas.sessionTokenRotation(true);
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		String t0 = signedIn.getSessionState().sessionToken();
		this.stack.clock.advance(DUE);
		TokenRefreshResult elsewhere = this.stack.client.refreshIdToken(t0, RefreshTestStack.DEVICE);
		MockHttpSession session = this.stack.sessionWith(withSessionToken(signedIn, elsewhere));
		this.stack.refresher.setSecurityContextRepository(new IdTokenRefreshFilterTests.LaggingRepository(
				new HttpSessionSecurityContextRepository(), new SecurityContextImpl(signedIn),
				() -> this.stack.idaas.refreshRequestCount() >= 2));
		this.stack.idaas.failNextWith(400, "IDAAS.SDK.RISK.0001", "Account frozen");
		this.stack.idaas.failNextWith(400, "IDAAS.SDK.RISK.0001", "Account frozen");

		Throwable thrown = catchThrowable(
				() -> this.stack.refresher.refresh(signedIn, requestIn(session), new MockHttpServletResponse()));

		assertThat(thrown).isInstanceOfSatisfying(IdaasSessionExpiredException.class, (ex) -> {
			assertThat(ex.getReason()).isEqualTo(IdaasSessionEndReason.VENDOR_REFUSED);
			assertThat(ex.getVendorMessage()).isEqualTo("Account frozen");
		});
		assertThat(this.stack.sentSessionTokens()).containsExactly(t0, t0, elsewhere.sessionToken());
		assertThat(session.isInvalid()).isTrue();
		assertThat(this.stack.events(IdaasSessionEndedEvent.class)).hasSize(1);
	}

	@Test
	void refreshWhenFailedThenSucceededThenNextFailureWaitsTheFirstBackoffAgain() {
		// the jitter at its top: a second failure in a row would wait 9.95 s, not 5 s
		this.stack.refresher.setRefreshFailureBackoff(new RefreshFailureBackoff(Duration.ofSeconds(5),
				Duration.ofSeconds(30), Duration.ofSeconds(1), 1024, new FixedRandom(0.99)));
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		MockHttpSession session = this.stack.sessionWith(signedIn);
		this.stack.clock.advance(ID_TOKEN_TTL); // expired: a failure answers 503
		this.stack.idaas.failNext(1, 500);
		assertThat(catchThrowable(() -> this.stack.refresher.refresh(signedIn, requestIn(session),
				new MockHttpServletResponse())))
			.isInstanceOfSatisfying(IdTokenRefreshUnavailableException.class,
					(ex) -> assertThat(ex.getRetryAfterSeconds()).isEqualTo(5));
		this.stack.clock.advance(Duration.ofSeconds(5));
		IdaasAuthenticationToken refreshed = this.stack.refresher.refresh(signedIn, requestIn(session),
				new MockHttpServletResponse());
		assertThat(refreshed.getSessionState().refreshCount()).isEqualTo(1);
		this.stack.clock.advance(ID_TOKEN_TTL); // the refreshed id_token expired too
		this.stack.idaas.failNext(1, 500);

		Throwable thrown = catchThrowable(
				() -> this.stack.refresher.refresh(refreshed, requestIn(session), new MockHttpServletResponse()));

		// the success forgot the first failure: this one is again the first in a row
		assertThat(thrown).isInstanceOfSatisfying(IdTokenRefreshUnavailableException.class,
				(ex) -> assertThat(ex.getRetryAfterSeconds()).isEqualTo(5));
		assertThat(this.stack.refreshRequests()).hasSize(3);
		assertThat(session.isInvalid()).isFalse();
	}

	@Test
	void refreshWhenSignedOutWhileBackingOffThenNewSignInWithSameSessionKeyRefreshedAtOnce() {
		this.stack.refresher.setRefreshFailureBackoff(Duration.ofMinutes(10));
		this.stack.refresher.setAbsoluteTimeout(Duration.ofMinutes(5));
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		MockHttpSession session = this.stack.sessionWith(signedIn);
		this.stack.clock.advance(DUE);
		this.stack.idaas.failNext(1, 500);
		// still valid: served, and the session backs off for 10 minutes
		assertThat(this.stack.refresher.refresh(signedIn, requestIn(session), new MockHttpServletResponse()))
			.isSameAs(signedIn);
		this.stack.clock.advance(Duration.ofMinutes(1)); // past the absolute timeout: signed out
		assertThat(catchThrowable(() -> this.stack.refresher.refresh(signedIn, requestIn(session),
				new MockHttpServletResponse())))
			.isInstanceOfSatisfying(IdaasSessionExpiredException.class,
					(ex) -> assertThat(ex.getReason()).isEqualTo(IdaasSessionEndReason.ABSOLUTE_EXPIRY));
		assertThat(session.isInvalid()).isTrue();
		// alice signs in again; the new HTTP session has the same id (the key of the back-off)
		IdaasAuthenticationToken again = this.stack.signIn();
		MockHttpSession sameId = new MockHttpSession(null, session.getId());
		sameId.setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY,
				new SecurityContextImpl(again));
		this.stack.clock.advance(DUE); // within the old back-off, which the sign-out forgot

		IdaasAuthenticationToken refreshed = this.stack.refresher.refresh(again, requestIn(sameId),
				new MockHttpServletResponse());

		assertThat(refreshed.getSessionState().refreshCount()).isEqualTo(1);
		assertThat(RefreshTestStack.stored(sameId)).isSameAs(refreshed);
		assertThat(this.stack.sentSessionTokens()).containsExactly(signedIn.getSessionState().sessionToken(),
				again.getSessionState().sessionToken());
	}

	@Test
	void refreshWhenLogoutLandsWhileGettingTheLockThenSignedOutWithoutUpstreamCall() {
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		MockHttpSession session = this.stack.sessionWith(signedIn);
		// the logout of another request lands just as this one gets the lock
		this.stack.refresher.setRefreshLock(new IdTokenRefreshLock() {
			@Override
			public IdTokenRefreshLock.Handle tryLock(String sessionKey) {
				session.invalidate();
				return IdTokenRefresherTests.this.stack.lock.tryLock(sessionKey);
			}

			@Override
			public boolean awaitUnlocked(String sessionKey, Duration timeout) throws InterruptedException {
				return IdTokenRefresherTests.this.stack.lock.awaitUnlocked(sessionKey, timeout);
			}
		});
		this.stack.clock.advance(DUE);
		SecurityContextHolder.getContext().setAuthentication(signedIn);

		Throwable thrown = catchThrowable(
				() -> this.stack.refresher.refresh(signedIn, requestIn(session), new MockHttpServletResponse()));

		assertThat(thrown).isInstanceOfSatisfying(IdaasSessionExpiredException.class,
				(ex) -> assertThat(ex.getReason()).isEqualTo(IdaasSessionEndReason.LOGOUT));
		assertThat(SecurityContextHolder.getContext().getAuthentication()).isNull();
		assertThat(this.stack.refreshRequests()).isEmpty();
		assertThat(this.stack.events).isEmpty();
	}

	@Test
	void refreshWhenAnotherRequestRefreshedMeanwhileThenItsTokenUsedWithoutUpstreamCall() {
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		MockHttpSession session = this.stack.sessionWith(signedIn);
		this.stack.clock.advance(DUE);
		IdaasAuthenticationToken first = this.stack.refresher.refresh(signedIn, requestIn(session),
				new MockHttpServletResponse());
		SecurityContextHolder.clearContext();

		// a second request that read the session before the first one stored its refresh
		IdaasAuthenticationToken second = this.stack.refresher.refresh(signedIn, requestIn(session),
				new MockHttpServletResponse());

		assertThat(second).isSameAs(first);
		assertThat(second.getSessionState().refreshCount()).isEqualTo(1);
		assertThat(SecurityContextHolder.getContext().getAuthentication()).isSameAs(first);
		assertThat(this.stack.refreshRequests()).hasSize(1);
		assertThat(this.stack.events(IdTokenRefreshedEvent.class)).hasSize(1);
	}

	@Test
	void refreshWhenStoredCopyIsOlderThanTheRequestsThenRequestsSessionTokenSent() {
		this.stack.idaas.sessionTokenRotation(true);
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		String t0 = signedIn.getSessionState().sessionToken();
		this.stack.clock.advance(DUE);
		// the request carries generation 1 (t1); the session still shows generation 0 (t0, dead)
		TokenRefreshResult rotated = this.stack.client.refreshIdToken(t0, RefreshTestStack.DEVICE);
		IdaasAuthenticationToken current = withSessionToken(signedIn, rotated);
		MockHttpSession session = this.stack.sessionWith(signedIn);

		IdaasAuthenticationToken used = this.stack.refresher.refresh(current, requestIn(session),
				new MockHttpServletResponse());

		assertThat(this.stack.sentSessionTokens()).containsExactly(t0, rotated.sessionToken());
		assertThat(used.getSessionState().generation()).isEqualTo(2);
		assertThat(session.isInvalid()).isFalse();
		assertThat(this.stack.events(IdaasSessionEndedEvent.class)).isEmpty();
		assertThat(this.stack.events(IdTokenRefreshedEvent.class)).singleElement().satisfies((event) -> {
			assertThat(event.isSessionTokenRotated()).isTrue();
			assertThat(event.getRefreshCount()).isEqualTo(2);
			assertThat(event.getIdTokenExpiresAt()).isEqualTo(this.stack.clock.instant().plus(ID_TOKEN_TTL));
			assertThat(event.getTimestamp()).isEqualTo(this.stack.clock.millis());
			assertThat(event.toString()).contains("principal=alice", "sessionTokenRotated=true", "refreshCount=2")
				.doesNotContain(used.getSessionState().sessionToken(), used.getIdToken().getTokenValue());
		});
	}

	@Test
	void refreshWhenSessionNowHoldsAnotherUserThenRequestGoesOnAsItsOwnUser() {
		SimulatedUser bob = SimulatedUser.of("bob", "Bob", null, "bob@example.com");
		this.stack.idaas.registerUser(bob);
		IdaasAuthenticationToken alice = this.stack.signIn();
		this.stack.clock.advance(DUE);
		// bob signed in on the same HTTP session (no session fixation protection) just now
		IdaasAuthenticationToken bobSignedIn = this.stack.signIn(bob, bob, Duration.ofDays(5));
		MockHttpSession session = this.stack.sessionWith(bobSignedIn);

		IdaasAuthenticationToken used = this.stack.refresher.refresh(alice, requestIn(session),
				new MockHttpServletResponse());

		assertThat(used.getName()).isEqualTo("alice");
		assertThat(this.stack.sentSessionTokens()).containsExactly(alice.getSessionState().sessionToken());
	}

	@Test
	void refreshWhenIdTokenExpiresThisVeryMillisecondAndIdaasBusyThen503() {
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		MockHttpSession session = this.stack.sessionWith(signedIn);
		this.stack.clock.advance(ID_TOKEN_TTL);
		this.stack.idaas.failNext(1, 500);

		Throwable thrown = catchThrowable(
				() -> this.stack.refresher.refresh(signedIn, requestIn(session), new MockHttpServletResponse()));

		assertThat(thrown).isInstanceOfSatisfying(IdTokenRefreshUnavailableException.class, (ex) -> {
			assertThat(ex.getErrorCode()).isEqualTo("IDAAS.SDK.COM.0002");
			assertThat(ex.getRetryAfter()).isEqualTo(Duration.ofSeconds(5));
		});
		assertThat(session.isInvalid()).isFalse();
	}

	@Test
	void refreshWhenIdTokenOneMillisecondBeforeExpiryAndIdaasBusyThenStillServed() {
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		MockHttpSession session = this.stack.sessionWith(signedIn);
		this.stack.clock.advance(ID_TOKEN_TTL.minusMillis(1));
		this.stack.idaas.failNext(1, 500);

		IdaasAuthenticationToken used = this.stack.refresher.refresh(signedIn, requestIn(session),
				new MockHttpServletResponse());

		assertThat(used).isSameAs(signedIn);
		assertThat(this.stack.refreshRequests()).hasSize(1);
	}

	@Test
	void refreshWhenRefreshedIdTokenCannotBeVerifiedThenRotatedSessionTokenKeptAndUserStaysSignedIn() {
		this.stack.idaas.sessionTokenRotation(true);
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		String t0 = signedIn.getSessionState().sessionToken();
		MockHttpSession session = this.stack.sessionWith(signedIn);
		this.stack.clock.advance(DUE);
		// IDaaS signs with a key the starter cannot fetch yet
		this.stack.idaas.rotateKeys();
		this.stack.idaas.failNextJwks(10, 500);

		IdaasAuthenticationToken used = this.stack.refresher.refresh(signedIn, requestIn(session),
				new MockHttpServletResponse());

		// the still-valid id_token keeps serving, with the new session token stored beside it
		assertThat(used.getIdToken().getTokenValue()).isEqualTo(signedIn.getIdToken().getTokenValue());
		String t1 = RefreshTestStack.stored(session).getSessionState().sessionToken();
		assertThat(t1).isNotEqualTo(t0);
		assertThat(this.stack.idaas.isSessionTokenValid(t1)).isTrue();
		assertThat(this.stack.events(IdTokenRefreshedEvent.class)).isEmpty();

		// after the back-off, with the key set reachable again: refreshed with the new token
		this.stack.idaas.resetRecordsAndFaults();
		this.stack.clock.advance(Duration.ofSeconds(30)); // the key set's refetch interval
		IdaasAuthenticationToken refreshed = this.stack.refresher.refresh(used, requestIn(session),
				new MockHttpServletResponse());

		assertThat(this.stack.sentSessionTokens()).containsExactly(t1);
		assertThat(refreshed.getIdToken().getTokenValue()).isNotEqualTo(signedIn.getIdToken().getTokenValue());
		assertThat(session.isInvalid()).isFalse();
		assertThat(this.stack.events(IdaasSessionEndedEvent.class)).isEmpty();
	}

	@Test
	void refreshWhenStoredCopyHasOnlyARotatedSessionTokenThenThatTokenIsSent() {
		this.stack.idaas.sessionTokenRotation(true);
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		String t0 = signedIn.getSessionState().sessionToken();
		MockHttpSession session = this.stack.sessionWith(signedIn);
		this.stack.clock.advance(DUE);
		// the first refresh rotates t0 but its id_token cannot be verified: t1 is stored beside the old id_token
		this.stack.idaas.rotateKeys();
		this.stack.idaas.failNextJwks(10, 500);
		this.stack.refresher.refresh(signedIn, requestIn(session), new MockHttpServletResponse());
		String t1 = RefreshTestStack.stored(session).getSessionState().sessionToken();
		assertThat(t1).isNotEqualTo(t0);
		this.stack.idaas.resetRecordsAndFaults();
		this.stack.clock.advance(Duration.ofSeconds(30)); // past the back-off and the key set's refetch interval

		// a request that read the session before t1 was stored
		IdaasAuthenticationToken refreshed = this.stack.refresher.refresh(signedIn, requestIn(session),
				new MockHttpServletResponse());

		assertThat(this.stack.sentSessionTokens()).containsExactly(t1);
		assertThat(RefreshTestStack.stored(session)).isSameAs(refreshed);
		assertThat(session.isInvalid()).isFalse();
	}

	@Test
	void refreshWhenRefreshInFlightSucceedsThenWaitingRequestUsesItsResult() throws Exception {
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		MockHttpSession session = this.stack.sessionWith(signedIn);
		this.stack.clock.advance(Duration.ofMinutes(6)); // expired: the second request waits
		CountDownLatch gate = new CountDownLatch(1);
		this.stack.refreshGate.set(gate);
		CompletableFuture<Throwable> first = refreshAsync(signedIn, session);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.stack.lock.isLocked(session.getId()));
		CompletableFuture<Throwable> second = refreshAsync(signedIn, session);
		awaitParked(second);
		gate.countDown();

		assertThat(first.get(10, TimeUnit.SECONDS)).isNull();
		assertThat(second.get(10, TimeUnit.SECONDS)).isNull();
		IdaasAuthenticationToken refreshed = RefreshTestStack.stored(session);
		assertThat(refreshed.getSessionState().refreshCount()).isEqualTo(1);
		// the waiting request goes on with the refreshed authentication, without a call of its own
		assertThat(this.authenticationAfter.get(second)).containsSame(refreshed);
		assertThat(this.stack.refreshRequests()).hasSize(1);
	}

	@Test
	void refreshWhenRotatedTokenStoredAndNotDueThenUsedWithoutSecondUpstreamCall() {
		this.stack.idaas.sessionTokenRotation(true);
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		String t0 = signedIn.getSessionState().sessionToken();
		this.stack.clock.advance(DUE);
		// another node refreshed fully (new session token and new id_token) and stored it...
		MockHttpSession session = this.stack.sessionWith(signedIn);
		IdaasAuthenticationToken elsewhere = this.stack.refresher.refresh(signedIn, requestIn(session),
				new MockHttpServletResponse());
		SecurityContextHolder.clearContext();
		// ...but this node read the old copy until its own call with t0 was rejected
		MockHttpServletRequest request = requestIn(session);
		this.stack.refresher.setSecurityContextRepository(new IdTokenRefreshFilterTests.LaggingRepository(
				new HttpSessionSecurityContextRepository(), new SecurityContextImpl(signedIn),
				() -> this.stack.idaas.refreshRequestCount() >= 2));

		IdaasAuthenticationToken used = this.stack.refresher.refresh(signedIn, request, new MockHttpServletResponse());

		assertThat(used).isSameAs(elsewhere);
		// the rest of this request (and what it saves) sees the adopted token, not the dead one
		assertThat(SecurityContextHolder.getContext().getAuthentication()).isSameAs(elsewhere);
		assertThat(this.stack.sentSessionTokens()).containsExactly(t0, t0);
		assertThat(session.isInvalid()).isFalse();
		assertThat(this.stack.events(IdaasSessionEndedEvent.class)).isEmpty();
	}

	@Test
	void refreshWhenRotatedTokenAlsoRejectedThenSignedOutAfterOneRetry() {
		this.stack.idaas.sessionTokenRotation(true);
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		this.stack.clock.advance(DUE);
		TokenRefreshResult elsewhere = this.stack.client.refreshIdToken(signedIn.getSessionState().sessionToken(),
				RefreshTestStack.DEVICE);
		MockHttpSession session = this.stack.sessionWith(withSessionToken(signedIn, elsewhere));
		// the rotated token dies too (the user was disabled)
		this.stack.idaas.disableUser(this.stack.alice);
		MockHttpServletRequest request = requestIn(session);
		this.stack.refresher.setSecurityContextRepository(new IdTokenRefreshFilterTests.LaggingRepository(
				new HttpSessionSecurityContextRepository(), new SecurityContextImpl(signedIn),
				() -> this.stack.idaas.refreshRequestCount() >= 2));

		Throwable thrown = catchThrowable(
				() -> this.stack.refresher.refresh(signedIn, request, new MockHttpServletResponse()));

		assertThat(thrown).isInstanceOfSatisfying(IdaasSessionExpiredException.class,
				(ex) -> assertThat(ex.getReason()).isEqualTo(IdaasSessionEndReason.INVALID_SESSION_TOKEN));
		assertThat(this.stack.sentSessionTokens()).containsExactly(signedIn.getSessionState().sessionToken(),
				signedIn.getSessionState().sessionToken(), elsewhere.sessionToken());
		assertThat(session.isInvalid()).isTrue();
		assertThat(this.stack.events(IdaasSessionEndedEvent.class)).hasSize(1);
	}

	@Test
	void refreshWhenRotatedTokenStoredOnlyAfterRejectionThenWaitedForAndUserStaysSignedIn() {
		this.stack.idaas.sessionTokenRotation(true);
		this.stack.refresher.setRotatedSessionTokenWait(Duration.ofSeconds(5));
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		String t0 = signedIn.getSessionState().sessionToken();
		this.stack.clock.advance(DUE);
		// another node (no shared lock) rotated t0 and is still storing t1
		TokenRefreshResult elsewhere = this.stack.client.refreshIdToken(t0, RefreshTestStack.DEVICE);
		MockHttpSession session = this.stack.sessionWith(withSessionToken(signedIn, elsewhere));
		AtomicLong firstReadAfterRejection = new AtomicLong();
		this.stack.refresher.setSecurityContextRepository(new IdTokenRefreshFilterTests.LaggingRepository(
				new HttpSessionSecurityContextRepository(), new SecurityContextImpl(signedIn), () -> {
					if (this.stack.idaas.refreshRequestCount() < 2) {
						return false;
					}
					firstReadAfterRejection.compareAndSet(0, System.nanoTime());
					// the other node's write lands 200 ms after this node's call was rejected
					return System.nanoTime() - firstReadAfterRejection.get() >= TimeUnit.MILLISECONDS.toNanos(200);
				}));

		IdaasAuthenticationToken used = this.stack.refresher.refresh(signedIn, requestIn(session),
				new MockHttpServletResponse());

		assertThat(this.stack.sentSessionTokens()).containsExactly(t0, t0, elsewhere.sessionToken());
		assertThat(used.getSessionState().generation()).isEqualTo(2);
		assertThat(session.isInvalid()).isFalse();
		assertThat(this.stack.events(IdaasSessionEndedEvent.class)).isEmpty();
	}

	@Test
	void refreshWhenRefreshInFlightSignsUserOutThenWaitingRequestSignedOutToo() throws Exception {
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		MockHttpSession session = this.stack.sessionWith(signedIn);
		this.stack.clock.advance(Duration.ofMinutes(6)); // expired: the second request waits
		this.stack.idaas.disableUser(this.stack.alice);
		CountDownLatch gate = new CountDownLatch(1);
		this.stack.refreshGate.set(gate);
		CompletableFuture<Throwable> first = refreshAsync(signedIn, session);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.stack.lock.isLocked(session.getId()));
		CompletableFuture<Throwable> second = refreshAsync(signedIn, session);
		// the second request waits for the first one's refresh
		awaitParked(second);
		gate.countDown();

		assertThat(first.get(10, TimeUnit.SECONDS)).isInstanceOf(IdaasSessionExpiredException.class);
		assertThat(second.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(IdaasSessionExpiredException.class,
				(ex) -> {
					assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.SESSION_EXPIRED);
					assertThat(ex.getReason()).isEqualTo(IdaasSessionEndReason.INVALID_SESSION_TOKEN);
				});
		// neither request goes on as alice
		assertThat(this.authenticationAfter.get(first)).isEmpty();
		assertThat(this.authenticationAfter.get(second)).isEmpty();
		assertThat(this.stack.refreshRequests()).hasSize(1);
		assertThat(this.stack.events(IdaasSessionEndedEvent.class)).hasSize(1);
	}

	@Test
	void refreshWhenRefreshInFlightFailsTransientlyThenWaitingRequestGets503WithRemainingBackoff()
			throws Exception {
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		MockHttpSession session = this.stack.sessionWith(signedIn);
		this.stack.clock.advance(Duration.ofMinutes(6));
		this.stack.idaas.failNext(1, 500);
		CountDownLatch gate = new CountDownLatch(1);
		this.stack.refreshGate.set(gate);
		CompletableFuture<Throwable> first = refreshAsync(signedIn, session);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.stack.lock.isLocked(session.getId()));
		CompletableFuture<Throwable> second = refreshAsync(signedIn, session);
		// the second request waits for the first one's refresh
		awaitParked(second);
		gate.countDown();

		assertThat(first.get(10, TimeUnit.SECONDS)).isInstanceOf(IdTokenRefreshUnavailableException.class);
		assertThat(second.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(
				IdTokenRefreshUnavailableException.class, (ex) -> {
					assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.UPSTREAM_UNAVAILABLE);
					assertThat(ex.getRetryAfterSeconds()).isEqualTo(5);
				});
		assertThat(this.stack.refreshRequests()).hasSize(1);
		assertThat(session.isInvalid()).isFalse();
	}

	@Test
	void refreshWhenRefreshInFlightOutlastsWaitTimeoutThen503TimeoutWithFullBackoff() throws Exception {
		this.stack.refresher.setWaitTimeout(Duration.ofMillis(100));
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		MockHttpSession session = this.stack.sessionWith(signedIn);
		this.stack.clock.advance(Duration.ofMinutes(6));
		CountDownLatch gate = new CountDownLatch(1);
		this.stack.refreshGate.set(gate);
		CompletableFuture<Throwable> first = refreshAsync(signedIn, session);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.stack.lock.isLocked(session.getId()));

		Throwable second = catchThrowable(
				() -> this.stack.refresher.refresh(signedIn, requestIn(session), new MockHttpServletResponse()));

		assertThat(second).isInstanceOfSatisfying(IdTokenRefreshUnavailableException.class, (ex) -> {
			assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.UPSTREAM_TIMEOUT);
			assertThat(ex.getRetryAfter()).isEqualTo(Duration.ofSeconds(5));
		});
		gate.countDown();
		assertThat(first.get(10, TimeUnit.SECONDS)).isNull();
		assertThat(this.stack.refreshRequests()).hasSize(1);
	}

	@Test
	void refreshWhenWaitingForRefreshInFlightIsInterruptedThen503AndInterruptKept() throws Exception {
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		MockHttpSession session = this.stack.sessionWith(signedIn);
		this.stack.clock.advance(Duration.ofMinutes(6));
		CountDownLatch gate = new CountDownLatch(1);
		this.stack.refreshGate.set(gate);
		CompletableFuture<Throwable> first = refreshAsync(signedIn, session);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.stack.lock.isLocked(session.getId()));
		CompletableFuture<Throwable> second = refreshAsync(signedIn, session);
		awaitParked(second);

		this.threads.get(second).interrupt(); // e.g. the server shutting down

		assertThat(second.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(IdTokenRefreshUnavailableException.class,
				(ex) -> assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.UPSTREAM_TIMEOUT));
		assertThat(this.interruptedAfter.get(second)).isTrue();
		gate.countDown();
		assertThat(first.get(10, TimeUnit.SECONDS)).isNull();
		assertThat(session.isInvalid()).isFalse();
	}

	@Test
	void refreshWhenWaitingForRotatedTokenIsInterruptedThenStopsWaitingAndInterruptKept() throws Exception {
		this.stack.refresher.setRotatedSessionTokenWait(Duration.ofSeconds(30));
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		MockHttpSession session = this.stack.sessionWith(signedIn);
		this.stack.idaas.disableUser(this.stack.alice);
		this.stack.clock.advance(DUE);
		// counts the reads of the session after IDaaS rejected the token: the re-reads for a rotation
		AtomicInteger rereads = new AtomicInteger();
		this.stack.refresher.setSecurityContextRepository(new IdTokenRefreshFilterTests.LaggingRepository(
				new HttpSessionSecurityContextRepository(), new SecurityContextImpl(signedIn), () -> {
					if (this.stack.idaas.refreshRequestCount() >= 1) {
						rereads.incrementAndGet();
					}
					return false;
				}));
		CompletableFuture<Throwable> refresh = refreshAsync(signedIn, session);
		await().atMost(Duration.ofSeconds(10)).until(() -> rereads.get() >= 2);
		awaitParked(refresh);

		this.threads.get(refresh).interrupt();

		assertThat(refresh.get(10, TimeUnit.SECONDS)).isInstanceOf(IdaasSessionExpiredException.class);
		assertThat(this.interruptedAfter.get(refresh)).isTrue();
		assertThat(session.isInvalid()).isTrue();
	}

	@Test
	void refreshWhenRepositoryAsksForTheSessionWithoutArgumentThenTheExistingOneIsGiven() {
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		MockHttpSession session = this.stack.sessionWith(signedIn);
		// a repository written against getSession(): it must get the session the refresh started in
		this.stack.refresher.setSecurityContextRepository(new HttpSessionSecurityContextRepository() {
			@Override
			public void saveContext(org.springframework.security.core.context.SecurityContext context,
					jakarta.servlet.http.HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response) {
				request.getSession().setAttribute(SPRING_SECURITY_CONTEXT_KEY, context);
			}
		});
		this.stack.clock.advance(DUE);

		IdaasAuthenticationToken refreshed = this.stack.refresher.refresh(signedIn, requestIn(session),
				new MockHttpServletResponse());

		assertThat(RefreshTestStack.stored(session)).isSameAs(refreshed);
		assertThat(refreshed.getSessionState().refreshCount()).isEqualTo(1);
	}

	/** A refresh on a thread of its own; completes with what it threw, {@code null} for none. */
	private CompletableFuture<Throwable> refreshAsync(IdaasAuthenticationToken current, MockHttpSession session) {
		CompletableFuture<Throwable> result = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			try {
				// as the filter chain loaded it from the session
				SecurityContextHolder.getContext().setAuthentication(current);
				Throwable thrown = catchThrowable(() -> this.stack.refresher.refresh(current, requestIn(session),
						new MockHttpServletResponse()));
				this.interruptedAfter.put(result, Thread.currentThread().isInterrupted());
				this.authenticationAfter.put(result,
						Optional.ofNullable(SecurityContextHolder.getContext().getAuthentication()));
				result.complete(thrown);
			}
			finally {
				SecurityContextHolder.clearContext();
			}
		});
		this.threads.put(result, thread);
		thread.start();
		return result;
	}

	/** Waits until the refresh's thread is parked (here: waiting for the refresh in flight). */
	private void awaitParked(CompletableFuture<Throwable> refresh) {
		Thread thread = this.threads.get(refresh);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING);
		assertThat(refresh).isNotDone();
	}

	private static MockHttpServletRequest requestIn(MockHttpSession session) {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setSession(session);
		return request;
	}

	private IdaasAuthenticationToken withSessionToken(IdaasAuthenticationToken authentication,
			TokenRefreshResult result) {
		IdaasSessionState state = authentication.getSessionState()
			.refreshed(result.sessionToken(), this.stack.clock.instant().plus(result.sessionExpiresIn()));
		return authentication.withRefreshed(authentication.getPrincipal(), authentication.getAuthorities(), state);
	}

}

package dev.idaas.spring.web.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.authentication.IdaasSessionState;
import dev.idaas.spring.client.TokenRefreshResult;
import dev.idaas.spring.test.simulator.SimulatedUser;

import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * Tests for {@link IdTokenRefreshFilter} and {@link IdTokenRefresher} on the real stack.
 */
class IdTokenRefreshFilterTests {

	private RefreshTestStack stack;

	private IdTokenRefreshFilter filter;

	private MockMvc mvc;

	private int controllerCalls;

	@BeforeEach
	void setUp() {
		this.stack = new RefreshTestStack();
		this.filter = new IdTokenRefreshFilter(this.stack.refresher);
		this.mvc = mvc(new HttpSessionSecurityContextRepository());
	}

	@AfterEach
	void tearDown() {
		this.stack.close();
		SecurityContextHolder.clearContext();
	}

	private MockMvc mvc(SecurityContextRepository repository) {
		this.stack.refresher.setSecurityContextRepository(repository);
		return MockMvcBuilders.standaloneSetup(new RefreshCountController())
			.addFilters(new SecurityContextHolderFilter(repository), this.filter)
			.build();
	}

	private MockHttpServletResponse perform(MockHttpServletRequestBuilder request) throws Exception {
		return this.mvc.perform(request).andReturn().getResponse();
	}

	@Test
	void doFilterWhenIdTokenFreshThenNoUpstreamCall() throws Exception {
		MockHttpSession session = this.stack.sessionWith(this.stack.signIn());
		this.stack.clock.advance(Duration.ofMinutes(3));
		MockHttpServletResponse response = perform(get("/count").session(session));
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentAsString()).isEqualTo("0");
		assertThat(this.stack.idaas.refreshRequestCount()).isZero();
	}

	@Test
	void doFilterWhenNotIdaasAuthenticationThenNoUpstreamCall() throws Exception {
		MockHttpServletResponse response = perform(get("/count"));
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentAsString()).isEqualTo("none");
		assertThat(this.stack.idaas.refreshRequestCount()).isZero();
	}

	@Test
	void doFilterWhenWithinRefreshAheadThenRefreshedAndStoredInSameSession() throws Exception {
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		MockHttpSession session = this.stack.sessionWith(signedIn);
		String sessionId = session.getId();
		this.stack.clock.advance(Duration.ofMinutes(4).plusSeconds(10)); // 50 s before exp
		MockHttpServletResponse response = perform(get("/count").session(session));
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentAsString()).isEqualTo("1");
		assertThat(this.stack.idaas.refreshRequestCount()).isEqualTo(1);
		IdaasAuthenticationToken stored = RefreshTestStack.stored(session);
		assertThat(stored.getSessionState().refreshCount()).isEqualTo(1);
		assertThat(stored.getIdToken().getExpiresAt()).isEqualTo(this.stack.clock.instant().plus(Duration.ofMinutes(5)));
		assertThat(session.getId()).isEqualTo(sessionId);
		assertThat(session.isInvalid()).isFalse();
		assertThat(this.stack.events(IdTokenRefreshedEvent.class)).singleElement().satisfies((event) -> {
			assertThat(event.getPrincipalName()).isEqualTo("alice");
			assertThat(event.isSessionTokenRotated()).isFalse();
			assertThat(event.getRefreshCount()).isEqualTo(1);
		});
	}

	@Test
	void doFilterWhenBeforeRefreshAheadThenNotRefreshed() throws Exception {
		MockHttpSession session = this.stack.sessionWith(this.stack.signIn());
		this.stack.clock.advance(Duration.ofMinutes(3).plusSeconds(50)); // 70 s before exp
		assertThat(perform(get("/count").session(session)).getContentAsString()).isEqualTo("0");
		assertThat(this.stack.idaas.refreshRequestCount()).isZero();
	}

	@Test
	void doFilterWhenShortLivedIdTokenThenRefreshAheadClampedToHalfLifetime() throws Exception {
		this.stack.idaas.idTokenTtl(Duration.ofSeconds(60));
		MockHttpSession session = this.stack.sessionWith(this.stack.signIn());
		// 40 s before exp: inside the 60 s refresh-ahead, outside half the 60 s lifetime
		this.stack.clock.advance(Duration.ofSeconds(20));
		assertThat(perform(get("/count").session(session)).getContentAsString()).isEqualTo("0");
		assertThat(this.stack.idaas.refreshRequestCount()).isZero();
		this.stack.clock.advance(Duration.ofSeconds(11)); // 29 s before exp
		assertThat(perform(get("/count").session(session)).getContentAsString()).isEqualTo("1");
		assertThat(this.stack.idaas.refreshRequestCount()).isEqualTo(1);
	}

	@Test
	void doFilterWhenJitterThenRefreshTimeSpreadWithinJitterAndDeterministic() throws Exception {
		this.stack.refresher.setRefreshJitter(Duration.ofSeconds(5));
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		this.stack.clock.advance(Duration.ofMinutes(4)); // exactly refresh-ahead: not yet due with jitter > 0
		boolean dueAtAhead = this.stack.refresher.requiresRefresh(signedIn);
		this.stack.clock.advance(Duration.ofSeconds(5)); // past the largest jitter
		assertThat(this.stack.refresher.requiresRefresh(signedIn)).isTrue();
		this.stack.clock.advance(Duration.ofSeconds(-5));
		assertThat(this.stack.refresher.requiresRefresh(signedIn)).isEqualTo(dueAtAhead);
		this.stack.clock.advance(Duration.ofSeconds(-1));
		assertThat(this.stack.refresher.requiresRefresh(signedIn)).isFalse();
	}

	@Test
	void doFilterWhenSessionTokenRotatedThenNewTokenStoredAndOldNeverSentAgain() throws Exception {
		this.stack.idaas.sessionTokenRotation(true);
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		String first = signedIn.getSessionState().sessionToken();
		MockHttpSession session = this.stack.sessionWith(signedIn);
		this.stack.clock.advance(Duration.ofMinutes(4).plusSeconds(10));
		assertThat(perform(get("/count").session(session)).getContentAsString()).isEqualTo("1");
		String second = RefreshTestStack.stored(session).getSessionState().sessionToken();
		assertThat(second).isNotEqualTo(first);
		assertThat(this.stack.idaas.isSessionTokenValid(first)).isFalse();
		this.stack.clock.advance(Duration.ofMinutes(4).plusSeconds(10));
		assertThat(perform(get("/count").session(session)).getContentAsString()).isEqualTo("2");
		this.stack.clock.advance(Duration.ofMinutes(4).plusSeconds(10));
		assertThat(perform(get("/count").session(session)).getContentAsString()).isEqualTo("3");
		List<String> sent = this.stack.sentSessionTokens();
		assertThat(sent).hasSize(3);
		assertThat(sent.get(0)).isEqualTo(first);
		assertThat(sent.get(1)).isEqualTo(second);
		assertThat(sent.subList(1, 3)).doesNotContain(first);
		assertThat(this.stack.events(IdTokenRefreshedEvent.class)).allMatch(IdTokenRefreshedEvent::isSessionTokenRotated);
	}

	@Test
	void doFilterWhenSameSessionTokenAnsweredThenOnlyIdTokenReplaced() throws Exception {
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		MockHttpSession session = this.stack.sessionWith(signedIn);
		this.stack.clock.advance(Duration.ofMinutes(4).plusSeconds(10));
		perform(get("/count").session(session));
		IdaasAuthenticationToken stored = RefreshTestStack.stored(session);
		assertThat(stored.getSessionState().sessionToken()).isEqualTo(signedIn.getSessionState().sessionToken());
		assertThat(stored.getSessionState().signedInAt()).isEqualTo(signedIn.getSessionState().signedInAt());
		assertThat(stored.getIdToken().getTokenValue()).isNotEqualTo(signedIn.getIdToken().getTokenValue());
		assertThat(stored.getName()).isEqualTo("alice");
		assertThat(this.stack.sentSessionTokens()).containsExactly(signedIn.getSessionState().sessionToken());
	}

	@Test
	void doFilterWhenConcurrentRequestsWithExpiredIdTokenThenOneUpstreamCall() throws Exception {
		MockHttpSession session = this.stack.sessionWith(this.stack.signIn());
		this.stack.clock.advance(Duration.ofMinutes(6)); // expired
		CountDownLatch gate = new CountDownLatch(1);
		this.stack.refreshGate.set(gate);
		int n = 20;
		List<Thread> threads = new ArrayList<>();
		List<CompletableFuture<MockHttpServletResponse>> results = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			CompletableFuture<MockHttpServletResponse> result = new CompletableFuture<>();
			results.add(result);
			Thread thread = new Thread(() -> {
				try {
					result.complete(perform(get("/count").session(session)));
				}
				catch (Throwable ex) {
					result.completeExceptionally(ex);
				}
			});
			threads.add(thread);
			thread.start();
		}
		// every request is parked: one at the upstream gate, the others waiting for its refresh
		await().atMost(Duration.ofSeconds(10))
			.until(() -> threads.stream()
				.allMatch((t) -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING));
		assertThat(this.stack.lock.isLocked(session.getId())).isTrue();
		gate.countDown();
		for (CompletableFuture<MockHttpServletResponse> result : results) {
			MockHttpServletResponse response = result.get(10, TimeUnit.SECONDS);
			assertThat(response.getStatus()).isEqualTo(200);
			assertThat(response.getContentAsString()).isEqualTo("1");
		}
		assertThat(this.stack.idaas.refreshRequestCount()).isEqualTo(1);
		assertThat(this.stack.events(IdTokenRefreshedEvent.class)).hasSize(1);
	}

	@Test
	void doFilterWhenRefreshInFlightAndIdTokenStillValidThenDoesNotWait() throws Exception {
		MockHttpSession session = this.stack.sessionWith(this.stack.signIn());
		this.stack.clock.advance(Duration.ofMinutes(4).plusSeconds(10)); // due, still valid
		CountDownLatch gate = new CountDownLatch(1);
		this.stack.refreshGate.set(gate);
		CompletableFuture<MockHttpServletResponse> first = CompletableFuture.supplyAsync(() -> {
			try {
				return perform(get("/count").session(session));
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> this.stack.lock.isLocked(session.getId()));
		MockHttpServletResponse second = perform(get("/count").session(session));
		assertThat(second.getStatus()).isEqualTo(200);
		assertThat(second.getContentAsString()).isEqualTo("0");
		assertThat(first).isNotDone();
		gate.countDown();
		assertThat(first.get(10, TimeUnit.SECONDS).getContentAsString()).isEqualTo("1");
		assertThat(this.stack.idaas.refreshRequestCount()).isEqualTo(1);
	}

	@Test
	void doFilterWhenSessionTokenInvalidAndBrowserThenRedirectedToLoginExpiredAndSessionInvalidated()
			throws Exception {
		MockHttpSession session = this.stack.sessionWith(this.stack.signIn());
		this.stack.idaas.disableUser(this.stack.alice); // refresh answers PARAM.0023
		this.stack.clock.advance(Duration.ofMinutes(4).plusSeconds(10));
		MockHttpServletResponse response = perform(get("/count").session(session).accept(MediaType.TEXT_HTML));
		assertThat(response.getStatus()).isEqualTo(302);
		assertThat(response.getRedirectedUrl()).isEqualTo("/login?expired");
		assertThat(session.isInvalid()).isTrue();
		assertThat(this.controllerCalls).isZero();
		assertThat(this.stack.idaas.refreshRequestCount()).isEqualTo(1);
		assertThat(this.stack.events(IdaasSessionEndedEvent.class)).singleElement().satisfies((event) -> {
			assertThat(event.getReason()).isEqualTo(IdaasSessionEndReason.INVALID_SESSION_TOKEN);
			assertThat(event.getErrorCode()).isEqualTo("IDAAS.SDK.PARAM.0023");
			assertThat(event.getSubject()).isEqualTo("alice");
		});
	}

	@Test
	void doFilterWhenSessionTokenInvalidAndJsonRequestThen401WithErrorBody() throws Exception {
		MockHttpSession session = this.stack.sessionWith(this.stack.signIn());
		this.stack.idaas.disableUser(this.stack.alice);
		this.stack.clock.advance(Duration.ofMinutes(4).plusSeconds(10));
		MockHttpServletResponse response = perform(
				get("/count").session(session).accept(MediaType.APPLICATION_JSON));
		assertThat(response.getStatus()).isEqualTo(401);
		assertThat(response.getContentType()).startsWith(MediaType.APPLICATION_JSON_VALUE);
		assertThat(response.getContentAsString())
			.isEqualTo("{\"error_code\":\"IDAAS.SDK.PARAM.0023\",\"error_msg\":\"Invalid or expired session token\"}");
		assertThat(session.isInvalid()).isTrue();
	}

	@Test
	void doFilterWhenSessionTokenInvalidAndXhrInChineseThen401WithChineseMessage() throws Exception {
		MockHttpSession session = this.stack.sessionWith(this.stack.signIn());
		this.stack.idaas.disableUser(this.stack.alice);
		this.stack.clock.advance(Duration.ofMinutes(4).plusSeconds(10));
		MockHttpServletResponse response = perform(get("/count").session(session)
			.header("X-Requested-With", "XMLHttpRequest")
			.locale(Locale.SIMPLIFIED_CHINESE));
		assertThat(response.getStatus()).isEqualTo(401);
		assertThat(response.getContentAsString(java.nio.charset.StandardCharsets.UTF_8))
			.isEqualTo("{\"error_code\":\"IDAAS.SDK.PARAM.0023\",\"error_msg\":\"会话令牌无效或已过期\"}");
	}

	@Test
	void doFilterWhenSessionTokenInvalidButNewerTokenInStoreThenRetriedWithItAndNotSignedOut() throws Exception {
		this.stack.idaas.sessionTokenRotation(true);
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		String first = signedIn.getSessionState().sessionToken();
		this.stack.clock.advance(Duration.ofMinutes(4).plusSeconds(10));
		// "another node" rotates the session token and stores it, with the old id_token
		TokenRefreshResult elsewhere = this.stack.client.refreshIdToken(first, RefreshTestStack.DEVICE);
		IdaasSessionState rotatedState = signedIn.getSessionState()
			.refreshed(elsewhere.sessionToken(), this.stack.clock.instant().plus(elsewhere.sessionExpiresIn()));
		IdaasAuthenticationToken rotated = signedIn.withRefreshed(signedIn.getPrincipal(), signedIn.getAuthorities(),
				rotatedState);
		MockHttpSession session = this.stack.sessionWith(rotated);
		// ...but this node reads the old context until its own call (with the old token) went out
		SecurityContextRepository lagging = new LaggingRepository(new HttpSessionSecurityContextRepository(),
				new SecurityContextImpl(signedIn), () -> this.stack.idaas.refreshRequestCount() >= 2);
		this.mvc = mvc(lagging);
		MockHttpServletResponse response = perform(get("/count").session(session));
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(session.isInvalid()).isFalse();
		assertThat(this.stack.sentSessionTokens()).containsExactly(first, first, elsewhere.sessionToken());
		IdaasAuthenticationToken stored = RefreshTestStack.stored(session);
		assertThat(stored.getSessionState().sessionToken()).isNotIn(first, elsewhere.sessionToken());
		assertThat(this.stack.idaas.isSessionTokenValid(stored.getSessionState().sessionToken())).isTrue();
		assertThat(this.stack.events(IdaasSessionEndedEvent.class)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(ints = { 400, 500 })
	void doFilterWhenSystemBusyAndIdTokenValidThenServedAndNotRetriedWithinBackoff(int status) throws Exception {
		MockHttpSession session = this.stack.sessionWith(this.stack.signIn());
		this.stack.idaas.failNext(1, status);
		this.stack.clock.advance(Duration.ofMinutes(4).plusSeconds(10));
		MockHttpServletResponse response = perform(get("/count").session(session));
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentAsString()).isEqualTo("0");
		assertThat(this.stack.idaas.refreshRequestCount()).isEqualTo(1);
		this.stack.clock.advance(Duration.ofSeconds(4)); // within the 5 s backoff
		assertThat(perform(get("/count").session(session)).getContentAsString()).isEqualTo("0");
		assertThat(this.stack.idaas.refreshRequestCount()).isEqualTo(1);
		this.stack.clock.advance(Duration.ofSeconds(1)); // backoff over
		assertThat(perform(get("/count").session(session)).getContentAsString()).isEqualTo("1");
		assertThat(this.stack.idaas.refreshRequestCount()).isEqualTo(2);
		assertThat(session.isInvalid()).isFalse();
		assertThat(this.stack.events(IdaasSessionEndedEvent.class)).isEmpty();
	}

	@Test
	void doFilterWhenSystemBusyAndIdTokenExpiredThen503WithRetryAfterAndSessionKept() throws Exception {
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		MockHttpSession session = this.stack.sessionWith(signedIn);
		this.stack.idaas.failNext(1, 500);
		this.stack.clock.advance(Duration.ofMinutes(6));
		MockHttpServletResponse response = perform(get("/count").session(session).accept(MediaType.TEXT_HTML));
		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getHeader("Retry-After")).isEqualTo("5");
		assertThat(this.controllerCalls).isZero();
		assertThat(session.isInvalid()).isFalse();
		assertThat(RefreshTestStack.stored(session)).isSameAs(signedIn);
		// within the backoff: answered at once, without another upstream call
		this.stack.clock.advance(Duration.ofSeconds(3));
		MockHttpServletResponse json = perform(get("/count").session(session).accept(MediaType.APPLICATION_JSON));
		assertThat(json.getStatus()).isEqualTo(503);
		assertThat(json.getHeader("Retry-After")).isEqualTo("2");
		assertThat(json.getContentAsString()).isEqualTo(
				"{\"error_code\":\"IDAAS.STARTER.UPSTREAM_UNAVAILABLE\",\"error_msg\":\"The identity service is unavailable, please try again later\"}");
		assertThat(this.stack.idaas.refreshRequestCount()).isEqualTo(1);
		// after it: refreshed
		this.stack.clock.advance(Duration.ofSeconds(2));
		assertThat(perform(get("/count").session(session)).getContentAsString()).isEqualTo("1");
	}

	@Test
	void doFilterWhenSystemBusyAndIdTokenExpiredAndJsonThen503WithUpstreamCode() throws Exception {
		MockHttpSession session = this.stack.sessionWith(this.stack.signIn());
		this.stack.idaas.failNext(1, 400);
		this.stack.clock.advance(Duration.ofMinutes(6));
		MockHttpServletResponse response = perform(
				get("/count").session(session).accept(MediaType.APPLICATION_JSON));
		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getHeader("Retry-After")).isEqualTo("5");
		assertThat(response.getContentAsString())
			.isEqualTo("{\"error_code\":\"IDAAS.SDK.COM.0002\",\"error_msg\":\"System busy, please try again later\"}");
		assertThat(session.isInvalid()).isFalse();
	}

	@Test
	void doFilterWhenReadTimeoutThenExactlyOneRefreshRequestAndServed() throws Exception {
		this.stack.close();
		this.stack = new RefreshTestStack(Duration.ofMillis(300));
		this.stack.client.setMaxAttempts(3); // the client's own retries must not re-send either
		this.filter = new IdTokenRefreshFilter(this.stack.refresher);
		this.mvc = mvc(new HttpSessionSecurityContextRepository());
		MockHttpSession session = this.stack.sessionWith(this.stack.signIn());
		this.stack.idaas.delayNext(Duration.ofSeconds(2));
		this.stack.clock.advance(Duration.ofMinutes(4).plusSeconds(10));
		MockHttpServletResponse response = perform(get("/count").session(session));
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentAsString()).isEqualTo("0");
		await().during(Duration.ofMillis(500))
			.atMost(Duration.ofSeconds(2))
			.until(() -> this.stack.idaas.refreshRequestCount() == 1);
		assertThat(session.isInvalid()).isFalse();
	}

	@Test
	void doFilterWhenRefreshedIdTokenHasOtherSubjectThenSignedOut() throws Exception {
		SimulatedUser mallory = SimulatedUser.of("mallory", "Mallory", null, "mallory@example.com");
		this.stack.idaas.registerUser(mallory);
		// the session token belongs to mallory: its refresh answers mallory's id_token
		IdaasAuthenticationToken signedIn = this.stack.signIn(this.stack.alice, mallory, Duration.ofDays(5));
		MockHttpSession session = this.stack.sessionWith(signedIn);
		this.stack.clock.advance(Duration.ofMinutes(4).plusSeconds(10));
		MockHttpServletResponse response = perform(get("/count").session(session));
		assertThat(response.getStatus()).isEqualTo(302);
		assertThat(response.getRedirectedUrl()).isEqualTo("/login?expired");
		assertThat(session.isInvalid()).isTrue();
		assertThat(this.controllerCalls).isZero();
		assertThat(this.stack.events(IdaasSessionEndedEvent.class)).singleElement().satisfies((event) -> {
			assertThat(event.getReason()).isEqualTo(IdaasSessionEndReason.SUBJECT_CHANGED);
			assertThat(event.getErrorCode()).isEqualTo("IDAAS.STARTER.SUBJECT_CHANGED");
		});
	}

	@Test
	void doFilterWhenAbsoluteTimeoutPassedThenSignedOutWithoutUpstreamCall() throws Exception {
		this.stack.refresher.setAbsoluteTimeout(Duration.ofHours(8));
		MockHttpSession session = this.stack.sessionWith(this.stack.signIn());
		this.stack.clock.advance(Duration.ofHours(8));
		MockHttpServletResponse response = perform(get("/count").session(session).accept(MediaType.APPLICATION_JSON));
		assertThat(response.getStatus()).isEqualTo(401);
		assertThat(response.getContentAsString()).isEqualTo(
				"{\"error_code\":\"IDAAS.STARTER.SESSION_EXPIRED\",\"error_msg\":\"Your session has expired, please sign in again\"}");
		assertThat(session.isInvalid()).isTrue();
		assertThat(this.stack.idaas.refreshRequestCount()).isZero();
		assertThat(this.stack.events(IdaasSessionEndedEvent.class)).singleElement()
			.extracting(IdaasSessionEndedEvent::getReason)
			.isEqualTo(IdaasSessionEndReason.ABSOLUTE_EXPIRY);
	}

	@Test
	void doFilterWhenAbsoluteTimeoutNotPassedThenRefreshed() throws Exception {
		this.stack.refresher.setAbsoluteTimeout(Duration.ofHours(8));
		MockHttpSession session = this.stack.sessionWith(this.stack.signIn());
		this.stack.clock.advance(Duration.ofHours(8).minusSeconds(1));
		assertThat(perform(get("/count").session(session)).getContentAsString()).isEqualTo("1");
		assertThat(session.isInvalid()).isFalse();
	}

	@Test
	void doFilterWhenSessionTokenExpiredThenSignedOutWithoutUpstreamCall() throws Exception {
		MockHttpSession session = this.stack.sessionWith(
				this.stack.signIn(this.stack.alice, this.stack.alice, Duration.ofMinutes(10)));
		this.stack.clock.advance(Duration.ofMinutes(10));
		MockHttpServletResponse response = perform(get("/count").session(session));
		assertThat(response.getStatus()).isEqualTo(302);
		assertThat(response.getRedirectedUrl()).isEqualTo("/login?expired");
		assertThat(session.isInvalid()).isTrue();
		assertThat(this.stack.idaas.refreshRequestCount()).isZero();
	}

	@Test
	void doFilterWhenSessionExpiredHandlerReplacedThenItAnswers() throws Exception {
		this.filter.setSessionExpiredHandler((request, response, ex) -> response.sendError(418, ex.getErrorCode()));
		MockHttpSession session = this.stack.sessionWith(
				this.stack.signIn(this.stack.alice, this.stack.alice, Duration.ofMinutes(10)));
		this.stack.clock.advance(Duration.ofMinutes(10));
		MockHttpServletResponse response = perform(get("/count").session(session));
		assertThat(response.getStatus()).isEqualTo(418);
		assertThat(response.getErrorMessage()).isEqualTo("IDAAS.STARTER.SESSION_EXPIRED");
	}

	@RestController
	class RefreshCountController {

		@GetMapping("/count")
		String count() {
			IdTokenRefreshFilterTests.this.controllerCalls++;
			Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
			return (authentication instanceof IdaasAuthenticationToken idaas)
					? Integer.toString(idaas.getSessionState().refreshCount()) : "none";
		}

	}

	/**
	 * A repository whose reads lag behind the store until a condition holds, as a node that
	 * has not yet seen another node's write.
	 */
	static final class LaggingRepository implements SecurityContextRepository {

		private final SecurityContextRepository delegate;

		private final SecurityContext stale;

		private final Supplier<Boolean> caughtUp;

		LaggingRepository(SecurityContextRepository delegate, SecurityContext stale, Supplier<Boolean> caughtUp) {
			this.delegate = delegate;
			this.stale = stale;
			this.caughtUp = caughtUp;
		}

		@Override
		@SuppressWarnings("deprecation")
		public SecurityContext loadContext(
				org.springframework.security.web.context.HttpRequestResponseHolder requestResponseHolder) {
			throw new UnsupportedOperationException();
		}

		@Override
		public org.springframework.security.core.context.DeferredSecurityContext loadDeferredContext(
				HttpServletRequest request) {
			org.springframework.security.core.context.DeferredSecurityContext real = this.delegate
				.loadDeferredContext(request);
			return new org.springframework.security.core.context.DeferredSecurityContext() {
				@Override
				public SecurityContext get() {
					return LaggingRepository.this.caughtUp.get() ? real.get() : LaggingRepository.this.stale;
				}

				@Override
				public boolean isGenerated() {
					return false;
				}
			};
		}

		@Override
		public void saveContext(SecurityContext context, HttpServletRequest request, HttpServletResponse response) {
			this.delegate.saveContext(context, request, response);
		}

		@Override
		public boolean containsContext(HttpServletRequest request) {
			return this.delegate.containsContext(request);
		}

	}

}

package dev.idaas.spring.web;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.idaas.spring.authentication.IdaasAuthenticationException;
import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.authentication.IdaasAuthenticationTokenFactory;
import dev.idaas.spring.client.DeviceContext;
import dev.idaas.spring.client.IdaasErrorCategory;
import dev.idaas.spring.client.IdaasErrorCodes;
import dev.idaas.spring.client.RestClientIdaasClient;
import dev.idaas.spring.jwt.JwkSetKeySource;
import dev.idaas.spring.jwt.JwksIdTokenVerifier;
import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.Malformation;
import dev.idaas.spring.test.simulator.MutableClock;
import dev.idaas.spring.test.simulator.SimulatedUser;
import dev.idaas.spring.web.session.IdTokenRefreshFilter;
import dev.idaas.spring.web.session.FixedRandom;
import dev.idaas.spring.web.session.IdTokenRefresher;
import dev.idaas.spring.web.session.RefreshFailureBackoff;

import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * What a signed-in user sees when IDaaS (or the network to it) misbehaves while the id_token is
 * refreshed, and that the session with its still-valid session token survives every fault:
 * the real stack (RestClientIdaasClient over real HTTP, JWKS verification, IdTokenRefresher,
 * IdTokenRefreshFilter), upstream = the IDaaS simulator or a raw MockWebServer.
 */
class UpstreamFaultTests {

	private static final DeviceContext DEVICE = new DeviceContext("ios17.5", "fp-0001", "192.0.2.10", "JUnit", null);

	private static final Duration READ_TIMEOUT = Duration.ofMillis(400);

	private final MutableClock clock = new MutableClock(Instant.now());

	private final IdaasSimulator idaas = new IdaasSimulator().start();

	private final MockWebServer raw = new MockWebServer();

	private final SimulatedUser alice = SimulatedUser.of("alice", "Alice", "+8613800000001", "alice@example.com");

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private JwkSetKeySource keySource;

	private IdaasAuthenticationTokenFactory factory;

	private MockMvc mvc;

	@BeforeEach
	void setUp() throws IOException {
		this.raw.start();
		this.idaas.registerUser(this.alice);
		this.keySource = new JwkSetKeySource(RestClient.create(), this.idaas.jwksUri());
		this.keySource.setClock(this.clock);
		JwksIdTokenVerifier verifier = new JwksIdTokenVerifier(this.keySource, this.idaas.issuer(),
				this.idaas.clientId());
		this.factory = new IdaasAuthenticationTokenFactory(verifier);
		upstream(this.idaas.baseUrl(), 3, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofSeconds(1));
	}

	@AfterEach
	void tearDown() throws Exception {
		SecurityContextHolder.clearContext();
		this.idaas.close();
		this.raw.close();
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
	}

	private IdTokenRefresher refresher;

	/** Points the refresh client at this base URL. */
	private void upstream(URI baseUrl, int maxAttempts, Duration initialBackoff, Duration maxBackoff,
			Duration connectTimeout) {
		RestClient restClient = RestClientIdaasClient.createRestClient(RestClient.builder(), baseUrl, connectTimeout,
				READ_TIMEOUT);
		RestClientIdaasClient client = new RestClientIdaasClient(restClient, this.idaas.clientId());
		client.setMaxAttempts(maxAttempts);
		client.setBackoff(initialBackoff, maxBackoff);
		IdTokenRefresher refresher = new IdTokenRefresher(client, this.factory, (request, response) -> DEVICE);
		this.refresher = refresher;
		refresher.setClock(this.clock);
		refresher.setRefreshJitter(Duration.ZERO);
		refresher.setWaitTimeout(READ_TIMEOUT);
		HttpSessionSecurityContextRepository repository = new HttpSessionSecurityContextRepository();
		refresher.setSecurityContextRepository(repository);
		this.mvc = MockMvcBuilders.standaloneSetup(new MeController())
			.addFilters(new SecurityContextHolderFilter(repository), new IdTokenRefreshFilter(refresher))
			.build();
	}

	private MockHttpSession signedIn() {
		IdaasAuthenticationToken token = this.factory.signIn(this.idaas.mintIdToken(this.alice),
				this.idaas.issueSessionToken(this.alice), Duration.ofSeconds(432000), null);
		MockHttpSession session = new MockHttpSession();
		session.setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY,
				new SecurityContextImpl(token));
		return session;
	}

	private static IdaasAuthenticationToken stored(MockHttpSession session) {
		SecurityContextImpl context = (SecurityContextImpl) session
			.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
		return (IdaasAuthenticationToken) context.getAuthentication();
	}

	private MockHttpServletResponse me(MockHttpSession session) throws Exception {
		return this.mvc.perform(get("/me").session(session).accept(MediaType.APPLICATION_JSON))
			.andReturn()
			.getResponse();
	}

	/**
	 * Moves past the id_token's expiry, asks once and checks the user got a 503 with this code,
	 * and that the session, its authentication and its session token are all still there.
	 */
	private void assertUnavailableAndSessionKept(MockHttpSession session, String errorCode) throws Exception {
		IdaasAuthenticationToken before = stored(session);
		this.clock.setInstant(Instant.now().plus(Duration.ofMinutes(6)));
		MockHttpServletResponse response = me(session);
		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getHeader("Retry-After")).isEqualTo("5");
		assertThat(response.getContentAsString()).startsWith("{\"error_code\":\"" + errorCode + "\"");
		assertThat(session.isInvalid()).isFalse();
		assertThat(stored(session)).isSameAs(before);
		assertThat(this.idaas.isSessionTokenValid(before.getSessionState().sessionToken())).isTrue();
	}

	/** After the refresh backoff, with IDaaS healthy again, the same session refreshes. */
	private void assertRecovers(MockHttpSession session) throws Exception {
		upstream(this.idaas.baseUrl(), 3, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofSeconds(1));
		String idTokenBefore = stored(session).getIdToken().getTokenValue();
		MockHttpServletResponse response = me(session);
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentAsString()).isEqualTo("alice");
		assertThat(stored(session).getIdToken().getTokenValue()).isNotEqualTo(idTokenBefore);
	}

	// ---- the network

	@Test
	void refreshWhenConnectionRefusedThen503AndSessionKept() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		upstream(URI.create("http://127.0.0.1:" + closedPort), 3, Duration.ofMillis(1), Duration.ofMillis(1),
				Duration.ofSeconds(1));
		MockHttpSession session = signedIn();
		assertUnavailableAndSessionKept(session, IdaasErrorCodes.UPSTREAM_UNAVAILABLE);
		assertThat(this.idaas.refreshRequestCount()).isZero();
		assertRecovers(session);
	}

	@Test
	void refreshWhenConnectTimeoutThen503WithinBoundAndSessionKept() throws Exception {
		// a loopback listener that never accepts, its backlog filled: further SYNs go unanswered
		ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
		this.closeables.add(listener);
		for (int i = 0; i < 8; i++) {
			Socket filler = new Socket();
			this.closeables.add(filler);
			try {
				filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()), 100);
			}
			catch (IOException ex) {
				break; // the backlog is full
			}
		}
		upstream(URI.create("http://127.0.0.1:" + listener.getLocalPort()), 2, Duration.ofMillis(1),
				Duration.ofMillis(1), Duration.ofMillis(200));
		MockHttpSession session = signedIn();
		CompletableFuture<Void> request = CompletableFuture
			.runAsync(() -> uncheck(() -> assertUnavailableAndSessionKept(session, IdaasErrorCodes.UPSTREAM_UNAVAILABLE)));
		// 2 attempts x 200 ms connect timeout (+ backoff), generously bounded
		await().atMost(Duration.ofSeconds(5)).until(request::isDone);
		request.get();
	}

	@Test
	void refreshWhenReadTimeoutThen503OneRequestAndSessionKept() throws Exception {
		MockHttpSession session = signedIn();
		this.idaas.stallNext();
		assertUnavailableAndSessionKept(session, IdaasErrorCodes.UPSTREAM_TIMEOUT);
		// the outcome was unknown: never re-sent, not even by the client's retries
		assertThat(this.idaas.refreshRequestCount()).isEqualTo(1);
		this.clock.setInstant(this.clock.instant().plusSeconds(5));
		assertRecovers(session);
	}

	@Test
	void refreshWhenBodyStallsMidwayThen503WithinBoundAndSessionKept() throws Exception {
		String body = "{\"session_token\":\"s\",\"expire\":604800,\"id_token\":\"" + "x".repeat(2000) + "\"}";
		this.raw.enqueue(new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "application/json")
			.body(body)
			.throttleBody(64, 1, TimeUnit.SECONDS)
			.build());
		upstream(this.raw.url("/").uri(), 3, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofSeconds(1));
		MockHttpSession session = signedIn();
		CompletableFuture<Void> request = CompletableFuture
			.runAsync(() -> uncheck(() -> assertUnavailableAndSessionKept(session, IdaasErrorCodes.UPSTREAM_TIMEOUT)));
		// without a body read timeout this would take 2000 / 64 = 31 s
		await().atMost(Duration.ofSeconds(5)).until(request::isDone);
		request.get();
		assertThat(this.raw.getRequestCount()).isEqualTo(1);
	}

	// ---- broken answers

	@Test
	void refreshWhenHtmlBadGatewayThen503NotRetriedAndSessionKept() throws Exception {
		MockHttpSession session = signedIn();
		// a gateway's 502 may come after IDaaS rotated the session token: not repeated
		this.idaas.malformedNext(Malformation.HTML_BAD_GATEWAY);
		assertUnavailableAndSessionKept(session, IdaasErrorCodes.UPSTREAM_UNAVAILABLE);
		assertThat(this.idaas.refreshRequestCount()).isEqualTo(1);
		this.clock.setInstant(this.clock.instant().plusSeconds(5));
		assertRecovers(session);
	}

	@Test
	void refreshWhenTruncatedJsonThen503NotRetriedAndSessionKept() throws Exception {
		MockHttpSession session = signedIn();
		this.idaas.malformedNext(Malformation.TRUNCATED_JSON);
		assertUnavailableAndSessionKept(session, IdaasErrorCodes.MALFORMED_RESPONSE);
		assertThat(this.idaas.refreshRequestCount()).isEqualTo(1);
		this.clock.setInstant(this.clock.instant().plusSeconds(5));
		assertRecovers(session);
	}

	@Test
	void refreshWhen200WithBusyErrorBodyThenRetriedAsBusy503AndSessionKept() throws Exception {
		for (int i = 0; i < 3; i++) {
			this.raw.enqueue(new MockResponse.Builder().code(200)
				.addHeader("Content-Type", "application/json")
				.body("{\"error_code\":\"IDAAS.SDK.COM.0002\",\"error_msg\":\"System busy\"}")
				.build());
		}
		upstream(this.raw.url("/").uri(), 3, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofSeconds(1));
		MockHttpSession session = signedIn();
		assertUnavailableAndSessionKept(session, IdaasErrorCodes.SYSTEM_BUSY);
		assertThat(this.raw.getRequestCount()).isEqualTo(3);
	}

	@Test
	void refreshWhenWrongContentTypeAndNotJsonThen503NotRetriedAndSessionKept() throws Exception {
		this.raw.enqueue(new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "text/html")
			.body("<html><body>Welcome to nginx!</body></html>")
			.build());
		upstream(this.raw.url("/").uri(), 3, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofSeconds(1));
		MockHttpSession session = signedIn();
		assertUnavailableAndSessionKept(session, IdaasErrorCodes.MALFORMED_RESPONSE);
		assertThat(this.raw.getRequestCount()).isEqualTo(1);
	}

	@Test
	void refreshWhenBodyOverOneMebibyteThen503NotRetriedAndSessionKept() throws Exception {
		this.raw.enqueue(new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "application/json")
			.body("{\"pad\":\"" + "x".repeat(1024 * 1024) + "\"}")
			.build());
		upstream(this.raw.url("/").uri(), 3, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofSeconds(1));
		MockHttpSession session = signedIn();
		assertUnavailableAndSessionKept(session, IdaasErrorCodes.MALFORMED_RESPONSE);
		assertThat(this.raw.getRequestCount()).isEqualTo(1);
	}

	// ---- a busy storm

	@Test
	void refreshWhenSystemBusyForAMinuteThenBoundedRetriesBackoffAndThreadReleased() throws Exception {
		Duration initialBackoff = Duration.ofMillis(20);
		Duration maxBackoff = Duration.ofMillis(40);
		upstream(this.idaas.baseUrl(), 3, initialBackoff, maxBackoff, Duration.ofSeconds(1));
		// the jitter always draws the middle of its range
		this.refresher.setRefreshFailureBackoff(new RefreshFailureBackoff(Duration.ofSeconds(5), Duration.ofSeconds(30),
				Duration.ofSeconds(1), RefreshFailureBackoff.DEFAULT_MAX_ENTRIES, new FixedRandom(0.5)));
		this.idaas.failNext(1000, 500);
		MockHttpSession session = signedIn();
		IdaasAuthenticationToken before = stored(session);
		Instant start = Instant.now().plus(Duration.ofMinutes(6));
		// a minute of traffic: one request a second from this user
		for (int second = 0; second < 60; second++) {
			this.clock.setInstant(start.plusSeconds(second));
			CompletableFuture<MockHttpServletResponse> request = CompletableFuture
				.supplyAsync(() -> uncheck(() -> me(session)));
			// read timeout x attempts + backoffs, with a generous margin: the thread is released
			await().atMost(READ_TIMEOUT.multipliedBy(3).plus(maxBackoff.multipliedBy(2)).plusSeconds(2))
				.until(request::isDone);
			MockHttpServletResponse response = request.get();
			assertThat(response.getStatus()).isEqualTo(503);
			assertThat(response.getHeader("Retry-After")).isNotNull();
		}
		// one refresh episode (3 attempts) each time the session's back-off is over: at 0 s, then
		// after 5, 7.5, 12.5 and 17.5 s (5 s, doubling with jitter, capped at 30 s): 0, 5, 13, 26, 44
		assertThat(this.idaas.refreshRequestCount()).isEqualTo(5 * 3);
		assertThat(session.isInvalid()).isFalse();
		assertThat(stored(session)).isSameAs(before);
		this.idaas.resetRecordsAndFaults();
		this.clock.setInstant(start.plusSeconds(65));
		assertRecovers(session);
		assertThat(this.idaas.refreshRequestCount()).isEqualTo(1);
	}

	// ---- the key set

	@Test
	void signInWhenJwksDownThenUpstreamUnavailableAndLaterWorksWithoutRestart() {
		this.idaas.failNextJwks(3, 503);
		String sessionToken = this.idaas.issueSessionToken(this.alice);
		String idToken = this.idaas.mintIdToken(this.alice);
		assertThatExceptionOfType(IdaasAuthenticationException.class)
			.isThrownBy(() -> this.factory.signIn(idToken, sessionToken, Duration.ofSeconds(432000), null))
			.satisfies((ex) -> {
				// an outage, not a bad token: answered 503 and never signs anyone out
				assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.UPSTREAM_UNAVAILABLE);
				assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.TRANSIENT);
				assertThat(ex.getMessage()).doesNotContain(idToken).doesNotContain(sessionToken);
			});
		int fetches = this.idaas.jwksRequestCount();
		assertThat(fetches).isEqualTo(1);
		// within the minimum refetch interval: no hammering of the key set
		assertThatExceptionOfType(IdaasAuthenticationException.class)
			.isThrownBy(() -> this.factory.signIn(idToken, sessionToken, Duration.ofSeconds(432000), null));
		assertThat(this.idaas.jwksRequestCount()).isEqualTo(fetches);
		this.idaas.resetRecordsAndFaults();
		this.clock.setInstant(this.clock.instant().plusSeconds(31));
		IdaasAuthenticationToken token = this.factory.signIn(this.idaas.mintIdToken(this.alice), sessionToken,
				Duration.ofSeconds(432000), null);
		assertThat(token.getName()).isEqualTo("alice");
		assertThat(this.idaas.jwksRequestCount()).isEqualTo(1);
	}

	@Test
	void refreshWhenKeysRotatedDuringTrafficThenSessionsKeepWorkingAndNewKeyVerified() throws Exception {
		MockHttpSession session = signedIn();
		String oldKid = this.idaas.activeKeyId();
		int fetches = this.idaas.jwksRequestCount();
		String newKid = this.idaas.rotateKeys(false);
		assertThat(newKid).isNotEqualTo(oldKid);
		// signed in with the old key: still served, without a refresh or a key fetch
		MockHttpServletResponse response = me(session);
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(this.idaas.refreshRequestCount()).isZero();
		assertThat(this.idaas.jwksRequestCount()).isEqualTo(fetches);
		// the next refresh brings a token under the new kid: one key set fetch, verified
		this.clock.setInstant(Instant.now().plus(Duration.ofMinutes(6)));
		assertThat(me(session).getStatus()).isEqualTo(200);
		assertThat(this.idaas.refreshRequestCount()).isEqualTo(1);
		assertThat(this.idaas.jwksRequestCount()).isEqualTo(fetches + 1);
		assertThat(stored(session).getIdToken().getTokenValue()).isNotEqualTo(null);
		assertThat(headerKid(stored(session).getIdToken().getTokenValue())).isEqualTo(newKid);
	}

	private static String headerKid(String jwt) {
		String header = new String(java.util.Base64.getUrlDecoder().decode(jwt.substring(0, jwt.indexOf('.'))),
				java.nio.charset.StandardCharsets.UTF_8);
		int at = header.indexOf("\"kid\":\"") + 7;
		return header.substring(at, header.indexOf('"', at));
	}

	interface ThrowingSupplier<T> {

		T get() throws Exception;

	}

	interface ThrowingRunnable {

		void run() throws Exception;

	}

	private static <T> T uncheck(ThrowingSupplier<T> supplier) {
		try {
			return supplier.get();
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void uncheck(ThrowingRunnable runnable) {
		uncheck(() -> {
			runnable.run();
			return null;
		});
	}

	@RestController
	static class MeController {

		@GetMapping("/me")
		String me() {
			return SecurityContextHolder.getContext().getAuthentication().getName();
		}

	}

}

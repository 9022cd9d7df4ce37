package dev.idaas.spring.web.session;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.authentication.IdaasAuthenticationTokenFactory;
import dev.idaas.spring.client.DeviceContext;
import dev.idaas.spring.client.RestClientIdaasClient;
import dev.idaas.spring.jwt.JwkSetKeySource;
import dev.idaas.spring.jwt.JwksIdTokenVerifier;
import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.MutableClock;
import dev.idaas.spring.test.simulator.RecordedIdaasRequest;
import dev.idaas.spring.test.simulator.SimulatedUser;

import org.springframework.context.ApplicationEvent;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.web.client.RestClient;

/**
 * The real stack for the refresh tests: simulator → RestClientIdaasClient → JwksIdTokenVerifier →
 * IdaasAuthenticationTokenFactory → IdTokenRefresher, all on one mutable clock.
 */
final class RefreshTestStack implements AutoCloseable {

	static final DeviceContext DEVICE = new DeviceContext("ios17.5", "fp-0001", "192.0.2.10", "JUnit", null);

	final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	final IdaasSimulator idaas;

	final RestClientIdaasClient client;

	final IdaasAuthenticationTokenFactory factory;

	final IdTokenRefresher refresher;

	final InMemoryIdTokenRefreshLock lock = new InMemoryIdTokenRefreshLock();

	final List<ApplicationEvent> events = new CopyOnWriteArrayList<>();

	final SimulatedUser alice = SimulatedUser.of("alice", "Alice", "+8613800000001", "alice@example.com");

	/** When set, every refresh call waits for this latch before it goes out. */
	final AtomicReference<CountDownLatch> refreshGate = new AtomicReference<>();

	RefreshTestStack() {
		this(Duration.ofSeconds(2));
	}

	RefreshTestStack(Duration readTimeout) {
		this.idaas = new IdaasSimulator().clock(this.clock).start();
		this.idaas.registerUser(this.alice);
		RestClient.Builder builder = RestClient.builder().requestInterceptor((request, body, execution) -> {
			CountDownLatch gate = this.refreshGate.get();
			if (gate != null && request.getURI().getPath().equals(IdaasSimulator.REFRESH_PATH)) {
				try {
					gate.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			return execution.execute(request, body);
		});
		RestClient restClient = RestClientIdaasClient.createRestClient(builder, this.idaas.baseUrl(),
				Duration.ofSeconds(1), readTimeout);
		this.client = new RestClientIdaasClient(restClient, this.idaas.clientId());
		// one attempt, so a queued fault is the answer the refresher sees
		this.client.setMaxAttempts(1);
		JwkSetKeySource keySource = new JwkSetKeySource(RestClient.create(), this.idaas.jwksUri());
		keySource.setClock(this.clock);
		JwksIdTokenVerifier verifier = new JwksIdTokenVerifier(keySource, this.idaas.issuer(), this.idaas.clientId());
		verifier.setClock(this.clock);
		this.factory = new IdaasAuthenticationTokenFactory(verifier);
		this.factory.setClock(this.clock);
		this.refresher = new IdTokenRefresher(this.client, this.factory, (request, response) -> DEVICE);
		this.refresher.setClock(this.clock);
		this.refresher.setRefreshJitter(Duration.ZERO);
		this.refresher.setRefreshLock(this.lock);
		this.refresher.setApplicationEventPublisher((event) -> this.events.add((ApplicationEvent) event));
	}

	/** Signs alice in as the login filter would, with the session token's real lifetime. */
	IdaasAuthenticationToken signIn() {
		return signIn(this.alice, this.alice, Duration.ofSeconds(432000));
	}

	IdaasAuthenticationToken signIn(SimulatedUser idTokenUser, SimulatedUser sessionUser, Duration sessionExpiresIn) {
		String sessionToken = this.idaas.issueSessionToken(sessionUser);
		return this.factory.signIn(this.idaas.mintIdToken(idTokenUser), sessionToken, sessionExpiresIn, null);
	}

	MockHttpSession sessionWith(IdaasAuthenticationToken authentication) {
		MockHttpSession session = new MockHttpSession();
		session.setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY,
				new SecurityContextImpl(authentication));
		return session;
	}

	static IdaasAuthenticationToken stored(MockHttpSession session) {
		SecurityContextImpl context = (SecurityContextImpl) session
			.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
		return (IdaasAuthenticationToken) context.getAuthentication();
	}

	List<String> sentSessionTokens() {
		return this.idaas.recordedRequests(IdaasSimulator.REFRESH_PATH)
			.stream()
			.map((request) -> request.header(IdaasSimulator.DEFAULT_SESSION_TOKEN_HEADER))
			.toList();
	}

	List<RecordedIdaasRequest> refreshRequests() {
		return this.idaas.recordedRequests(IdaasSimulator.REFRESH_PATH);
	}

	<T extends ApplicationEvent> List<T> events(Class<T> type) {
		return this.events.stream().filter(type::isInstance).map(type::cast).toList();
	}

	@Override
	public void close() {
		this.idaas.close();
	}

}

package dev.idaas.benchmarks;

import java.time.Clock;
import java.time.Duration;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.authentication.IdaasAuthenticationTokenFactory;
import dev.idaas.spring.client.DeviceContext;
import dev.idaas.spring.client.RestClientIdaasClient;
import dev.idaas.spring.jwt.JwkSetKeySource;
import dev.idaas.spring.jwt.JwksIdTokenVerifier;
import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.SimulatedUser;
import dev.idaas.spring.web.session.IdTokenRefreshFilter;
import dev.idaas.spring.web.session.IdTokenRefresher;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.web.client.RestClient;

/**
 * The real refresh stack, as {@code RefreshTestStack} in the auto-configuration tests builds it:
 * simulator → {@link RestClientIdaasClient} → {@link JwksIdTokenVerifier} →
 * {@link IdaasAuthenticationTokenFactory} → {@link IdTokenRefresher} → {@link IdTokenRefreshFilter},
 * all on one clock, over real HTTP on loopback with real RS256 id_tokens.
 */
final class RefreshStack implements AutoCloseable {

	static final DeviceContext DEVICE = new DeviceContext("ios17.5", "fp-0001", "127.0.0.1", "JMH", null);

	final IdaasSimulator idaas;

	final RestClientIdaasClient client;

	final IdaasAuthenticationTokenFactory factory;

	final IdTokenRefresher refresher;

	final HttpSessionSecurityContextRepository repository = new HttpSessionSecurityContextRepository();

	final SimulatedUser alice = SimulatedUser.of("alice", "Alice", "+8613800000001", "alice@example.com");

	RefreshStack(Clock clock, Duration idTokenTtl) {
		this.idaas = new IdaasSimulator().clock(clock).idTokenTtl(idTokenTtl).start();
		this.idaas.registerUser(this.alice);
		RestClient restClient = RestClientIdaasClient.createRestClient(RestClient.builder(), this.idaas.baseUrl(),
				Duration.ofSeconds(2), Duration.ofSeconds(10));
		this.client = new RestClientIdaasClient(restClient, this.idaas.clientId());
		this.client.setMaxAttempts(1);
		JwkSetKeySource keySource = new JwkSetKeySource(RestClient.create(), this.idaas.jwksUri());
		keySource.setClock(clock);
		JwksIdTokenVerifier verifier = new JwksIdTokenVerifier(keySource, this.idaas.issuer(), this.idaas.clientId());
		verifier.setClock(clock);
		this.factory = new IdaasAuthenticationTokenFactory(verifier);
		this.factory.setClock(clock);
		this.refresher = new IdTokenRefresher(this.client, this.factory, (request, response) -> DEVICE);
		this.refresher.setClock(clock);
		this.refresher.setSecurityContextRepository(this.repository);
		this.refresher.setWaitTimeout(Duration.ofSeconds(10));
	}

	/** Signs alice in as the login filter would: a real id_token, verified, and a session token. */
	IdaasAuthenticationToken signIn() {
		String sessionToken = this.idaas.issueSessionToken(this.alice);
		return this.factory.signIn(this.idaas.mintIdToken(this.alice), sessionToken, Duration.ofSeconds(432000), null);
	}

	/** The chain's filters: load the security context from the session, then (optionally) refresh. */
	Filter[] filters(boolean withRefreshFilter) {
		SecurityContextHolderFilter holderFilter = new SecurityContextHolderFilter(this.repository);
		if (!withRefreshFilter) {
			return new Filter[] { holderFilter };
		}
		return new Filter[] { holderFilter, new IdTokenRefreshFilter(this.refresher) };
	}

	@Override
	public void close() {
		this.idaas.close();
	}

	/**
	 * The application behind the chain: reads the authentication, as {@code GET /api/me} does,
	 * so both variants load the security context from the session.
	 */
	static final class MeServlet extends HttpServlet {

		static final String NAME_ATTRIBUTE = MeServlet.class.getName() + ".name";

		@Override
		protected void service(HttpServletRequest request, HttpServletResponse response) {
			Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
			request.setAttribute(NAME_ATTRIBUTE, (authentication != null) ? authentication.getName() : null);
			response.setStatus(HttpServletResponse.SC_OK);
		}

	}

}

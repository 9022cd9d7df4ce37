package dev.idaas.spring.web.session;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.web.client.RestClient;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link IdaasBearerTokenInterceptor}.
 */
class IdaasBearerTokenInterceptorTests {

	private final RefreshTestStack stack = new RefreshTestStack();

	private final MockWebServer api = new MockWebServer();

	private final MockWebServer other = new MockWebServer();

	private MockHttpSession session;

	private IdaasAuthenticationToken signedIn;

	@BeforeEach
	void setUp() throws IOException {
		this.api.start();
		this.other.start();
		this.signedIn = this.stack.signIn();
		this.session = this.stack.sessionWith(this.signedIn);
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/page");
		request.setSession(this.session);
		RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request, new MockHttpServletResponse()));
		SecurityContextHolder.setContext(new SecurityContextImpl(this.signedIn));
	}

	@AfterEach
	void tearDown() {
		RequestContextHolder.resetRequestAttributes();
		SecurityContextHolder.clearContext();
		this.api.close();
		this.other.close();
		this.stack.close();
	}

	private RestClient restClient(List<URI> allowed) {
		IdaasBearerTokenInterceptor interceptor = new IdaasBearerTokenInterceptor(this.stack.refresher, allowed);
		interceptor.setClock(this.stack.clock);
		return RestClient.builder().requestInterceptor(interceptor).build();
	}

	private RecordedRequest call(RestClient client, MockWebServer server) throws InterruptedException {
		server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
		client.get().uri(server.url("/data").uri()).retrieve().toBodilessEntity();
		return server.takeRequest();
	}

	private URI origin(MockWebServer server) {
		return URI.create("http://" + server.getHostName() + ":" + server.getPort());
	}

	@Test
	void interceptWhenAllowedOriginThenBearerIdTokenAdded() throws Exception {
		RecordedRequest received = call(restClient(List.of(origin(this.api))), this.api);
		assertThat(received.getHeaders().get("Authorization"))
			.isEqualTo("Bearer " + this.signedIn.getIdToken().getTokenValue());
		assertThat(this.stack.idaas.refreshRequestCount()).isZero();
	}

	@Test
	void interceptWhenOtherOriginThenNoAuthorization() throws Exception {
		RecordedRequest received = call(restClient(List.of(origin(this.api))), this.other);
		assertThat(received.getHeaders().get("Authorization")).isNull();
	}

	@Test
	void interceptWhenEmptyAllowlistThenNoAuthorization() throws Exception {
		RecordedRequest received = call(restClient(List.of()), this.api);
		assertThat(received.getHeaders().get("Authorization")).isNull();
	}

	@Test
	void interceptWhenSameHostOtherSchemeThenNoAuthorization() throws Exception {
		URI https = URI.create("https://" + this.api.getHostName() + ":" + this.api.getPort());
		RecordedRequest received = call(restClient(List.of(https)), this.api);
		assertThat(received.getHeaders().get("Authorization")).isNull();
	}

	@Test
	void interceptWhenIdTokenDueThenRefreshedFirstAndNewTokenSent() throws Exception {
		this.stack.clock.advance(Duration.ofMinutes(4).plusSeconds(10));
		RecordedRequest received = call(restClient(List.of(origin(this.api))), this.api);
		IdaasAuthenticationToken stored = RefreshTestStack.stored(this.session);
		assertThat(this.stack.idaas.refreshRequestCount()).isEqualTo(1);
		assertThat(stored.getSessionState().refreshCount()).isEqualTo(1);
		assertThat(received.getHeaders().get("Authorization"))
			.isEqualTo("Bearer " + stored.getIdToken().getTokenValue())
			.isNotEqualTo("Bearer " + this.signedIn.getIdToken().getTokenValue());
	}

	@Test
	void interceptWhenNotSignedInThenNoAuthorization() throws Exception {
		SecurityContextHolder.clearContext();
		RecordedRequest received = call(restClient(List.of(origin(this.api))), this.api);
		assertThat(received.getHeaders().get("Authorization")).isNull();
	}

}

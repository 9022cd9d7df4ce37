package dev.idaas.spring.web.apple;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link AppleAuthorizationStateCookieRepository}: the signed state cookie, on one
 * node and across nodes.
 */
class AppleAuthorizationStateCookieRepositoryTests {

	private static final String CALLBACK = "/login/idaas/apple/callback";

	private static final String SECRET = "cluster-secret-0123456789abcdefghijklmnopqr";

	private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

	@Test
	void consumeWhenSameRepositoryThenState() {
		AppleAuthorizationStateCookieRepository repository = repository(null);
		Issued issued = issue(repository, "/orders?id=7");
		AppleAuthorizationState state = consume(repository, issued.state().state(), issued.cookie());
		assertThat(state).isNotNull();
		assertThat(state.state()).isEqualTo(issued.state().state());
		assertThat(state.targetPath()).isEqualTo("/orders?id=7");
	}

	@Test
	void consumeWhenOtherNodeWithSameSecretThenState() {
		AppleAuthorizationStateCookieRepository authorizeNode = repository(SECRET);
		AppleAuthorizationStateCookieRepository callbackNode = repository(SECRET);
		Issued issued = issue(authorizeNode, "/orders");
		AppleAuthorizationState state = consume(callbackNode, issued.state().state(), issued.cookie());
		assertThat(state).isNotNull();
		assertThat(state.targetPath()).isEqualTo("/orders");
	}

	@Test
	void consumeWhenOtherNodeWithRandomKeysThenNull() {
		AppleAuthorizationStateCookieRepository authorizeNode = repository(null);
		AppleAuthorizationStateCookieRepository callbackNode = repository(null);
		Issued issued = issue(authorizeNode, null);
		assertThat(consume(callbackNode, issued.state().state(), issued.cookie())).isNull();
		// and the cookie was not spent: its own node still accepts it
		assertThat(consume(authorizeNode, issued.state().state(), issued.cookie())).isNotNull();
	}

	@Test
	void consumeWhenOtherNodeWithDifferentSecretThenNull() {
		AppleAuthorizationStateCookieRepository authorizeNode = repository(SECRET);
		AppleAuthorizationStateCookieRepository callbackNode = repository(SECRET.replace('0', '1'));
		Issued issued = issue(authorizeNode, null);
		assertThat(consume(callbackNode, issued.state().state(), issued.cookie())).isNull();
	}

	@Test
	void consumeWhenAnyPartChangedThenNull() {
		AppleAuthorizationStateCookieRepository repository = repository(SECRET);
		Issued issued = issue(repository, "/orders");
		String[] parts = issued.cookie().split("\\.", -1);
		assertThat(parts).hasSize(4);
		String state = parts[0];
		assertThat(consume(repository, state, "x" + parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[3]))
			.isNull();
		assertThat(consume(repository, state, parts[0] + ".L2FkbWlu." + parts[2] + "." + parts[3])).isNull();
		assertThat(consume(repository, state, parts[0] + ".." + parts[2] + "." + parts[3])).isNull();
		assertThat(consume(repository, state, parts[0] + "." + parts[1] + "." + (Long.parseLong(parts[2]) + 1) + "."
				+ parts[3])).isNull();
		assertThat(consume(repository, state, parts[0] + "." + parts[1] + "." + parts[2])).isNull();
		assertThat(consume(repository, state, parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[3] + ".x"))
			.isNull();
		// none of the refusals spent the state
		assertThat(consume(repository, state, issued.cookie())).isNotNull();
	}

	@Test
	void consumeWhenSignedButExpiredThenNull() {
		AppleAuthorizationStateCookieRepository repository = repository(SECRET);
		Issued issued = issue(repository, null);
		repository.setClock(Clock.fixed(NOW.plus(Duration.ofMinutes(10)).plusSeconds(1), ZoneOffset.UTC));
		assertThat(consume(repository, issued.state().state(), issued.cookie())).isNull();
	}

	@Test
	void setSecretWhenShorterThanMinimumThenIllegalArgument() {
		AppleAuthorizationStateCookieRepository repository = new AppleAuthorizationStateCookieRepository(CALLBACK);
		assertThatIllegalArgumentException().isThrownBy(() -> repository.setSecret("x".repeat(31)))
			.withMessage("secret must be at least 32 characters");
	}

	@Test
	void createWhenCalledThenCookieNamedWithSecurePrefix() {
		MockHttpServletResponse response = new MockHttpServletResponse();
		repository(null).create(null, new MockHttpServletRequest("GET", "/login/idaas/apple/authorize"), response);
		assertThat(response.getHeader("Set-Cookie")).startsWith("__Secure-IDAAS_APPLE_STATE=")
			.contains("; Path=" + CALLBACK + ";")
			.contains("; Secure");
	}

	private static AppleAuthorizationStateCookieRepository repository(String secret) {
		AppleAuthorizationStateCookieRepository repository = new AppleAuthorizationStateCookieRepository(CALLBACK);
		repository.setClock(Clock.fixed(NOW, ZoneOffset.UTC));
		if (secret != null) {
			repository.setSecret(secret);
		}
		return repository;
	}

	private static Issued issue(AppleAuthorizationStateCookieRepository repository, String targetPath) {
		MockHttpServletResponse response = new MockHttpServletResponse();
		AppleAuthorizationState state = repository.create(targetPath,
				new MockHttpServletRequest("GET", "/login/idaas/apple/authorize"), response);
		Cookie cookie = response.getCookie(AppleAuthorizationStateCookieRepository.DEFAULT_COOKIE_NAME);
		assertThat(cookie).isNotNull();
		return new Issued(state, cookie.getValue());
	}

	private static AppleAuthorizationState consume(AppleAuthorizationStateCookieRepository repository,
			String postedState, String cookieValue) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", CALLBACK);
		request.setCookies(new Cookie(AppleAuthorizationStateCookieRepository.DEFAULT_COOKIE_NAME, cookieValue));
		return repository.consume(postedState, request, new MockHttpServletResponse());
	}

	private record Issued(AppleAuthorizationState state, String cookie) {
	}

}

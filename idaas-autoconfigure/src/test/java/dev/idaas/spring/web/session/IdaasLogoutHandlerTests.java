package dev.idaas.spring.web.session;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.Test;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.authentication.IdaasSessionState;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link IdaasLogoutHandler}.
 */
class IdaasLogoutHandlerTests {

	private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

	private final IdaasLogoutHandler handler = new IdaasLogoutHandler();

	private final MockHttpServletRequest request = new MockHttpServletRequest("POST", "/logout");

	private final MockHttpServletResponse response = new MockHttpServletResponse();

	@Test
	void logoutWhenSecureRequestThenClearSiteDataCookies() {
		this.request.setSecure(true);
		this.handler.logout(this.request, this.response, authentication());
		assertThat(this.response.getHeader("Clear-Site-Data")).isEqualTo("\"cookies\"");
	}

	@Test
	void logoutWhenPlainHttpThenNoClearSiteData() {
		this.handler.logout(this.request, this.response, authentication());
		assertThat(this.response.getHeader("Clear-Site-Data")).isNull();
	}

	@Test
	void logoutWhenCookiesToClearThenExpiredOnTheirPath() {
		Cookie state = new Cookie("IDAAS_APPLE_STATE", "x");
		state.setPath("/login/idaas/apple/callback");
		state.setSecure(true);
		this.handler.setCookiesToClear(List.of(state));
		this.handler.logout(this.request, this.response, authentication());
		Cookie expired = this.response.getCookie("IDAAS_APPLE_STATE");
		assertThat(expired).isNotNull();
		assertThat(expired.getMaxAge()).isZero();
		assertThat(expired.getPath()).isEqualTo("/login/idaas/apple/callback");
		assertThat(expired.getValue()).isEmpty();
		assertThat(expired.getSecure()).isTrue();
		assertThat(this.response.getCookie("IDAAS_DEVICE")).isNull();
	}

	@Test
	void logoutWhenIdaasAuthenticationThenUpstreamHookCalledAndEventPublishedWithoutTokens() {
		List<IdaasAuthenticationToken> hooked = new ArrayList<>();
		List<Object> events = new ArrayList<>();
		this.handler.setUpstreamLogout((authentication, request, response) -> hooked.add(authentication));
		this.handler.setApplicationEventPublisher(events::add);
		this.handler.setClock(Clock.fixed(NOW, ZoneOffset.UTC));
		IdaasAuthenticationToken authentication = authentication();
		this.handler.logout(this.request, this.response, authentication);
		assertThat(hooked).containsExactly(authentication);
		assertThat(events).singleElement().isInstanceOfSatisfying(IdaasSessionEndedEvent.class, (event) -> {
			assertThat(event.getReason()).isEqualTo(IdaasSessionEndReason.LOGOUT);
			assertThat(event.getPrincipalName()).isEqualTo("alice");
			assertThat(event.getErrorCode()).isNull();
			assertThat(event.getTimestamp()).isEqualTo(NOW.toEpochMilli());
			assertThat(event.toString()).doesNotContain("session-token-1").doesNotContain("id-token-1");
		});
	}

	@Test
	void logoutWhenUpstreamHookFailsThenLocalLogoutGoesOn() {
		this.request.setSecure(true);
		this.handler.setUpstreamLogout((authentication, request, response) -> {
			throw new IllegalStateException("down");
		});
		this.handler.logout(this.request, this.response, authentication());
		assertThat(this.response.getHeader("Clear-Site-Data")).isEqualTo("\"cookies\"");
	}

	@Test
	void logoutWhenNoAuthenticationThenHeadersOnly() {
		List<Object> events = new ArrayList<>();
		this.handler.setApplicationEventPublisher(events::add);
		this.request.setSecure(true);
		this.handler.logout(this.request, this.response, null);
		assertThat(this.response.getHeader("Clear-Site-Data")).isEqualTo("\"cookies\"");
		assertThat(events).isEmpty();
	}

	private static IdaasAuthenticationToken authentication() {
		OidcIdToken idToken = OidcIdToken.withTokenValue("id-token-1")
			.subject("alice")
			.issuedAt(NOW)
			.expiresAt(NOW.plusSeconds(300))
			.build();
		return new IdaasAuthenticationToken(new DefaultOidcUser(Set.of(), idToken), Set.of(),
				new IdaasSessionState("session-token-1", NOW.plusSeconds(3600), NOW, 0));
	}

}

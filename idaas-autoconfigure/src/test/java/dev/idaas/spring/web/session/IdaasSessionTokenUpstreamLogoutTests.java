package dev.idaas.spring.web.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.authentication.IdaasSessionState;
import dev.idaas.spring.client.DeviceContext;
import dev.idaas.spring.client.IdaasApiException;
import dev.idaas.spring.client.IdaasErrorCategory;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link IdaasSessionTokenUpstreamLogout}: whatever the client or the device resolver
 * does, nothing is thrown and the token is not logged. (Its HTTP behaviour is proven against the
 * simulator in {@link IdaasUpstreamLogoutTests}.)
 */
@ExtendWith(OutputCaptureExtension.class)
class IdaasSessionTokenUpstreamLogoutTests {

	private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

	private static final String SESSION_TOKEN = "sessionTokenZq9Xw2Lk8Pm4Rt6";

	private static final DeviceContext DEVICE = new DeviceContext("ios17.5", "fp-1", null, "JUnit", null);

	private final MockHttpServletRequest request = new MockHttpServletRequest("POST", "/logout");

	private final MockHttpServletResponse response = new MockHttpServletResponse();

	@Test
	void logoutWhenClientSucceedsThenSessionTokenAndDeviceForwarded() {
		List<String> calls = new ArrayList<>();
		new IdaasSessionTokenUpstreamLogout((token, device) -> calls.add(token + "@" + device.fingerprint()),
				(request, response) -> DEVICE)
			.logout(authentication(), this.request, this.response);
		assertThat(calls).containsExactly(SESSION_TOKEN + "@fp-1");
	}

	@Test
	void logoutWhenClientFailsThenNothingThrownAndTokenNotLogged(CapturedOutput output) {
		IdaasSessionTokenUpstreamLogout failing = new IdaasSessionTokenUpstreamLogout((token, device) -> {
			throw new IdaasApiException("IDAAS.SDK.COM.0002", IdaasErrorCategory.TRANSIENT, 500, null, null);
		}, (request, response) -> DEVICE);
		assertThatNoException().isThrownBy(() -> failing.logout(authentication(), this.request, this.response));
		IdaasSessionTokenUpstreamLogout crashing = new IdaasSessionTokenUpstreamLogout((token, device) -> {
			throw new IllegalStateException("boom " + token);
		}, (request, response) -> DEVICE);
		assertThatNoException().isThrownBy(() -> crashing.logout(authentication(), this.request, this.response));
		IdaasSessionTokenUpstreamLogout noDevice = new IdaasSessionTokenUpstreamLogout((token, device) -> {
		}, (request, response) -> {
			throw new IllegalArgumentException("fingerprint cannot be empty");
		});
		assertThatNoException().isThrownBy(() -> noDevice.logout(authentication(), this.request, this.response));
		assertThat(output.getAll()).contains("Could not end the session token at IDaaS (IDAAS.SDK.COM.0002")
			.contains("Could not end the session token at IDaaS (IllegalStateException)")
			.contains("Could not end the session token at IDaaS (IllegalArgumentException)")
			.doesNotContain(SESSION_TOKEN);
	}

	private static IdaasAuthenticationToken authentication() {
		OidcIdToken idToken = OidcIdToken.withTokenValue("id-token-1")
			.subject("alice")
			.issuedAt(NOW)
			.expiresAt(NOW.plusSeconds(300))
			.build();
		return new IdaasAuthenticationToken(new DefaultOidcUser(Set.of(), idToken), Set.of(),
				new IdaasSessionState(SESSION_TOKEN, NOW.plusSeconds(3600), NOW, 0));
	}

}

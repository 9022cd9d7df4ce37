package dev.idaas.spring.web.apple;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.Test;

import dev.idaas.spring.client.DeviceContext;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link AppleAuthorizationRequestRedirectFilter}: the device fingerprint it records in
 * the state for the cross-site callback.
 */
class AppleAuthorizationRequestRedirectFilterTests {

	private static final String CALLBACK = "/login/idaas/apple/callback";

	private final AppleAuthorizationRequestRedirectFilter filter = new AppleAuthorizationRequestRedirectFilter(
			URI.create("https://appleid.apple.com/auth/authorize"), "com.example.web",
			new AppleAuthorizationStateCookieRepository(CALLBACK));

	@Test
	void doFilterWhenDeviceResolverSetThenItsFingerprintRecordedInState() throws Exception {
		this.filter.setDeviceContextResolver(
				(request, response) -> new DeviceContext("ios17.5", "device-of-the-app", null, "App/1.0", null));
		MockHttpServletResponse response = authorize();
		assertThat(response.getStatus()).isEqualTo(302);
		assertThat(stateParts(response)[4]).isEqualTo(encode("device-of-the-app"));
		// that resolver sets no cookie, so only the state and the nonce are set
		assertThat(response.getHeaders("Set-Cookie")).hasSize(2);
	}

	@Test
	void doFilterWhenDefaultResolverAndDeviceCookieThenThatIdRecordedAndNoNewCookie() throws Exception {
		MockHttpServletResponse response = authorize(new Cookie("IDAAS_DEVICE", "browser-device-0001"));
		assertThat(stateParts(response)[4]).isEqualTo(encode("browser-device-0001"));
		assertThat(response.getCookie("IDAAS_DEVICE")).isNull();
	}

	@Test
	void setDeviceContextResolverWhenNullThenIllegalArgument() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.filter.setDeviceContextResolver(null))
			.withMessage("deviceContextResolver cannot be null");
	}

	private MockHttpServletResponse authorize(Cookie... cookies) throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/login/idaas/apple/authorize");
		request.setServerName("localhost");
		if (cookies.length > 0) {
			request.setCookies(cookies);
		}
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.filter.doFilter(request, response, new MockFilterChain());
		return response;
	}

	private static String[] stateParts(MockHttpServletResponse response) {
		return response.getCookie(AppleAuthorizationStateCookieRepository.DEFAULT_COOKIE_NAME)
			.getValue()
			.split("\\.", -1);
	}

	private static String encode(String text) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

}

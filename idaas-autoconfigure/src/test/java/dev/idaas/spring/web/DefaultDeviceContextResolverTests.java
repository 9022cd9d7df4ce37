package dev.idaas.spring.web;

import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.idaas.spring.client.DeviceContext;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link DefaultDeviceContextResolver}.
 */
class DefaultDeviceContextResolverTests {

	private final DefaultDeviceContextResolver resolver = new DefaultDeviceContextResolver();

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			Mozilla/5.0 (iPhone; CPU iPhone OS 13_3 like Mac OS X) AppleWebKit/605.1.15 | ios13.3
			Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 | ios17.5
			Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/126.0 Mobile | android14
			Mozilla/5.0 (Linux; Android 9.0.1; SM-G960F) | android9.0.1
			Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 | windows10.0
			Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Safari/605.1.15 | macos10.15.7
			Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) | chromeos
			Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0 | linux
			curl/8.5.0 | unknown
			""")
	void parseOsVersionWhenUserAgentThenVersion(String userAgent, String expected) {
		assertThat(DefaultDeviceContextResolver.parseOsVersion(userAgent)).isEqualTo(expected);
	}

	@Test
	void resolveWhenBrowserThenFactsFromRequest() {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/login/idaas/apple");
		request.addHeader("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)");
		request.addHeader("X-Forwarded-For", "203.0.113.66");
		request.setRemoteAddr("198.51.100.7");
		MockHttpServletResponse response = new MockHttpServletResponse();
		DeviceContext device = this.resolver.resolve(request, response);
		assertThat(device.userAgent()).isEqualTo("Mozilla/5.0 (Windows NT 10.0; Win64; x64)");
		assertThat(device.operatingSystemVersion()).isEqualTo("windows10.0");
		assertThat(device.ipAddress()).isEqualTo("198.51.100.7");
		assertThat(device.locale()).isNull();
		assertThat(response.getCookie("IDAAS_DEVICE").getValue()).isEqualTo(device.fingerprint());
	}

	@Test
	void resolveWhenAcceptLanguageThenLocale() {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.addHeader("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.8");
		request.addPreferredLocale(Locale.SIMPLIFIED_CHINESE);
		assertThat(this.resolver.resolve(request, new MockHttpServletResponse()).locale())
			.isEqualTo(Locale.SIMPLIFIED_CHINESE);
	}

	@Test
	void resolveWhenNoUserAgentThenUnknown() {
		DeviceContext device = this.resolver.resolve(new MockHttpServletRequest(), new MockHttpServletResponse());
		assertThat(device.userAgent()).isEqualTo("unknown");
		assertThat(device.operatingSystemVersion()).isEqualTo("unknown");
	}

	@Test
	void resolveWhenFingerprintGivenThenPresentedWithoutDeviceCookie() {
		// Apple's cross-site callback: no device cookie, the fingerprint recorded at authorize
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/login/idaas/apple/callback");
		request.addHeader("User-Agent", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)");
		request.addHeader("Accept-Language", "en-GB");
		request.addPreferredLocale(Locale.UK);
		request.setRemoteAddr("198.51.100.7");
		MockHttpServletResponse response = new MockHttpServletResponse();
		DeviceContext device = this.resolver.resolve(request, response, "browser-device-0001");
		assertThat(device).isEqualTo(new DeviceContext("macos10.15.7", "browser-device-0001", "198.51.100.7",
				"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)", Locale.UK));
		assertThat(response.getHeaders("Set-Cookie")).isEmpty();
		// a later step of the same request (e.g. the second factor) presents it too, still with no cookie
		assertThat(this.resolver.resolve(request, response).fingerprint()).isEqualTo("browser-device-0001");
		assertThat(response.getHeaders("Set-Cookie")).isEmpty();
	}

	@Test
	void resolveWhenFingerprintGivenEmptyThenIllegalArgument() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.resolver.resolve(new MockHttpServletRequest(), new MockHttpServletResponse(), " "))
			.withMessage("fingerprint cannot be empty");
	}

	@Test
	void resolveWhenCustomResolverGivenFingerprintThenItsFactsWithThatFingerprint() {
		DeviceContextResolver custom = (request, response) -> new DeviceContext("ios17.5", "its-own", "192.0.2.1",
				"App/1.0", Locale.CHINA);
		assertThat(custom.resolve(new MockHttpServletRequest(), new MockHttpServletResponse(), "recorded-device"))
			.isEqualTo(new DeviceContext("ios17.5", "recorded-device", "192.0.2.1", "App/1.0", Locale.CHINA));
	}

	@Test
	void resolveWhenResolvedTwiceInOneRequestThenOneFingerprintAndOneCookie() {
		MockHttpServletRequest request = new MockHttpServletRequest();
		MockHttpServletResponse response = new MockHttpServletResponse();
		String first = this.resolver.resolve(request, response).fingerprint();
		String second = this.resolver.resolve(request, response).fingerprint();
		assertThat(second).isEqualTo(first);
		assertThat(response.getHeaders("Set-Cookie")).hasSize(1);
	}

	@Test
	void resolveWhenSecureRequestThenSecureCookie() {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setSecure(true);
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.resolver.resolve(request, response);
		assertThat(response.getHeader("Set-Cookie")).contains("Secure").contains("HttpOnly").contains("SameSite=Lax");
	}

	@Test
	void resolveWhenInvalidNativeHeadersThenIgnored() {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.addHeader("User-Agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)");
		request.addHeader("X-Device-Fingerprint", "short");
		request.addHeader("X-OS-Version", "ios\r\nX-Injected: 1");
		MockHttpServletResponse response = new MockHttpServletResponse();
		DeviceContext device = this.resolver.resolve(request, response);
		assertThat(device.fingerprint()).isNotEqualTo("short").matches("[A-Za-z0-9_-]{22}");
		assertThat(device.operatingSystemVersion()).isEqualTo("ios17.5");
	}

}

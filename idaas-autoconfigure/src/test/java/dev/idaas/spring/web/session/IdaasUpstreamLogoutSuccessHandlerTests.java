package dev.idaas.spring.web.session;

import java.net.URI;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.web.authentication.logout.HttpStatusReturningLogoutSuccessHandler;
import org.springframework.security.web.authentication.logout.SimpleUrlLogoutSuccessHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link IdaasUpstreamLogoutSuccessHandler}.
 */
class IdaasUpstreamLogoutSuccessHandlerTests {

	private static final URI ENDPOINT = URI.create("https://tenant.idaas.example/api/v1/logout");

	private final MockHttpServletRequest request = new MockHttpServletRequest("POST", "/shop/logout");

	private final MockHttpServletResponse response = new MockHttpServletResponse();

	IdaasUpstreamLogoutSuccessHandlerTests() {
		this.request.setScheme("https");
		this.request.setServerName("shop.example.com");
		this.request.setServerPort(443);
		this.request.setContextPath("/shop");
		this.request.addHeader("Accept", "text/html,application/xhtml+xml");
	}

	@Test
	void onLogoutSuccessWhenBrowserThenIdaasLogoutWithFormEncodedAbsoluteTarget() throws Exception {
		handler("/login?logout&lang=zh CN").onLogoutSuccess(this.request, this.response, null);
		assertThat(this.response.getStatus()).isEqualTo(302);
		assertThat(this.response.getRedirectedUrl()).isEqualTo("https://tenant.idaas.example/api/v1/logout"
				+ "?redirect_url=https%3A%2F%2Fshop.example.com%2Fshop%2Flogin%3Flogout%26lang%3Dzh+CN");
	}

	@Test
	void onLogoutSuccessWhenTargetAbsoluteAndEndpointHasQueryThenKeptAndAppended() throws Exception {
		new IdaasUpstreamLogoutSuccessHandler(URI.create("https://tenant.idaas.example/api/v1/logout?app=1"),
				simpleUrl("https://www.example.com/bye"))
			.onLogoutSuccess(this.request, this.response, null);
		assertThat(this.response.getRedirectedUrl()).isEqualTo(
				"https://tenant.idaas.example/api/v1/logout?app=1&redirect_url=https%3A%2F%2Fwww.example.com%2Fbye");
	}

	@Test
	void onLogoutSuccessWhenJsonOrXhrThenApplicationRedirectUntouched() throws Exception {
		MockHttpServletRequest xhr = new MockHttpServletRequest("POST", "/logout");
		xhr.addHeader("X-Requested-With", "XMLHttpRequest");
		handler("/login?logout").onLogoutSuccess(xhr, this.response, null);
		assertThat(this.response.getRedirectedUrl()).isEqualTo("/login?logout");
	}

	@Test
	void onLogoutSuccessWhenApplicationAnswersWithoutRedirectThenItsAnswerStands() throws Exception {
		new IdaasUpstreamLogoutSuccessHandler(ENDPOINT, new HttpStatusReturningLogoutSuccessHandler())
			.onLogoutSuccess(this.request, this.response, null);
		assertThat(this.response.getStatus()).isEqualTo(200);
		assertThat(this.response.getRedirectedUrl()).isNull();
	}

	@Test
	void constructorWhenEndpointRelativeThenRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new IdaasUpstreamLogoutSuccessHandler(URI.create("/api/v1/logout"), simpleUrl("/")));
	}

	private static IdaasUpstreamLogoutSuccessHandler handler(String successUrl) {
		return new IdaasUpstreamLogoutSuccessHandler(ENDPOINT, simpleUrl(successUrl));
	}

	private static SimpleUrlLogoutSuccessHandler simpleUrl(String url) {
		SimpleUrlLogoutSuccessHandler handler = new SimpleUrlLogoutSuccessHandler();
		handler.setDefaultTargetUrl(url);
		return handler;
	}

}

package dev.idaas.demo;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.idaas.spring.authentication.IdaasAuthenticationException;
import dev.idaas.spring.client.IdaasErrorCategory;

import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.web.WebAttributes;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The demo's sign-in page after IDaaS ended a session with its own answer
 * ({@code /login?expired&code=..}): the vendor's words once, kept in the session, never taken
 * from the URL.
 */
class LoginPageTests extends MockMvcTestSupport {

	private static final String CODE = "IDAAS.SDK.RISK.0001";

	@Test
	void loginWhenSessionRefusedByIdaasThenVendorsWordsOnceWithTheCode() throws Exception {
		MockHttpSession session = new MockHttpSession();
		session.setAttribute(WebAttributes.AUTHENTICATION_EXCEPTION, new IdaasAuthenticationException(CODE,
				"IDaaS refused the session", IdaasErrorCategory.VENDOR_REFUSED, "Account <frozen>", null));
		String first = page(session, "expired", "", "code", CODE);
		assertThat(first).contains("Your session has ended. Please sign in again.")
			.contains("<span id=\"expired-text\">Account &lt;frozen&gt;</span>")
			.contains("<code id=\"expired-code\">" + CODE + "</code>")
			.doesNotContain("Account <frozen>");
		String second = page(session, "expired", "", "code", CODE);
		assertThat(second).contains("<code id=\"expired-code\">" + CODE + "</code>")
			.contains("Identity service error " + CODE)
			.doesNotContain("frozen");
	}

	@Test
	void loginWhenExpiredWithoutOrWithHostileCodeThenOnlyTheGenericText() throws Exception {
		assertThat(page(new MockHttpSession(), "expired", "")).contains("Your session has ended.")
			.doesNotContain("expired-text")
			.doesNotContain("expired-code");
		assertThat(page(new MockHttpSession(), "expired", "", "code", "<b>x</b>")).contains("Your session has ended.")
			.doesNotContain("expired-code")
			.doesNotContain("<b>x</b>");
	}

	private String page(MockHttpSession session, String... parameters) throws Exception {
		MockHttpServletRequestBuilder request = get("/login").session(session).accept(MediaType.TEXT_HTML);
		for (int i = 0; i < parameters.length; i += 2) {
			request.param(parameters[i], parameters[i + 1]);
		}
		return this.mvc.perform(request)
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8);
	}

}

package dev.idaas.demo;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The demo's security headers, sign-out and localized sign-in errors.
 */
class SecurityHeadersTests extends MockMvcTestSupport {

	@Test
	void loginPageThenStrictSecurityHeaders() throws Exception {
		int simulatorPort = this.embedded.simulator().baseUrl().getPort();
		this.mvc.perform(get("/login").accept(MediaType.TEXT_HTML))
			.andExpect(status().isOk())
			.andExpect(header().string("Content-Security-Policy",
					"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
							+ "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self' "
							+ "http://127.0.0.1:" + simulatorPort))
			.andExpect(header().string("X-Frame-Options", "DENY"))
			.andExpect(header().string("Referrer-Policy", "same-origin"))
			.andExpect(header().string("X-Content-Type-Options", "nosniff"))
			.andExpect(header().string(HttpHeaders.CACHE_CONTROL, containsString("no-store")))
			// no inline script or style for the policy to block
			.andExpect(content().string(org.hamcrest.Matchers.not(containsString("<script>"))))
			.andExpect(content().string(org.hamcrest.Matchers.not(containsString("style="))));
	}

	@Test
	void profileWhenSignedInThenNotStored() throws Exception {
		MockHttpSession session = signInAsAlice();
		this.mvc.perform(get("/").session(session).accept(MediaType.TEXT_HTML).header(HttpHeaders.USER_AGENT, USER_AGENT))
			.andExpect(status().isOk())
			.andExpect(header().string(HttpHeaders.CACHE_CONTROL, containsString("no-store")))
			.andExpect(content().string(containsString("id=\"claim-sub\">alice<")))
			.andExpect(content().string(org.hamcrest.Matchers.not(containsString("eyJ"))));
	}

	@Test
	void logoutWhenSignedInOverHttpsThenClearSiteDataAndSignInPage() throws Exception {
		MockHttpSession session = signInAsAlice();
		// Spring Security writes Clear-Site-Data on secure requests only (browsers ignore it elsewhere)
		this.mvc
			.perform(post("/logout").secure(true).session(session).with(csrf())
				.header(HttpHeaders.USER_AGENT, USER_AGENT))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/login?logout"))
			.andExpect(header().string("Clear-Site-Data", "\"cookies\""));
		this.mvc.perform(get("/api/me").session(session).accept(MediaType.APPLICATION_JSON))
			.andExpect(status().isUnauthorized());
	}

	@Test
	void logoutWhenNoCsrfTokenThenForbidden() throws Exception {
		MockHttpSession session = signInAsAlice();
		this.mvc.perform(post("/logout").session(session).header(HttpHeaders.USER_AGENT, USER_AGENT))
			.andExpect(status().isForbidden());
	}

	@Test
	void loginPageWhenErrorCodeAndChineseThenChineseText() throws Exception {
		this.mvc
			.perform(get("/login").param("error", "").param("code", "IDAAS.SDK.USER.0039")
				.header(HttpHeaders.ACCEPT_LANGUAGE, "zh-CN,zh;q=0.9"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("用户已被禁用")))
			.andExpect(content().string(containsString("IDAAS.SDK.USER.0039")));
	}

	@Test
	void loginPageWhenCodeIsNotAnErrorCodeThenNotShown() throws Exception {
		this.mvc.perform(get("/login").param("error", "").param("code", "<b>phish</b>"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Sign-in failed.")))
			.andExpect(content().string(org.hamcrest.Matchers.not(containsString("phish"))));
	}

}

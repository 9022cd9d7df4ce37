package dev.idaas.demo;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.matchesPattern;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code GET /api/me}: {@code 401} JSON without a session, the user's claims with one.
 */
class MeApiTests extends MockMvcTestSupport {

	@Test
	void meWhenNotSignedInThenUnauthorizedJson() throws Exception {
		this.mvc.perform(get("/api/me").accept(MediaType.APPLICATION_JSON))
			.andExpect(status().isUnauthorized())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.UNAUTHENTICATED"))
			.andExpect(jsonPath("$.error_msg").isString());
	}

	@Test
	void meWhenBrowserNavigatesWithoutSessionThenStillUnauthorizedJson() throws Exception {
		this.mvc.perform(get("/api/me").accept(MediaType.TEXT_HTML))
			.andExpect(status().isUnauthorized())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.error_code").value("IDAAS.STARTER.UNAUTHENTICATED"));
	}

	@Test
	void pageWhenNotSignedInThenRedirectedToSignIn() throws Exception {
		this.mvc.perform(get("/").accept(MediaType.TEXT_HTML))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/login"));
	}

	@Test
	void meWhenSignedInThenClaimsWithoutTokens() throws Exception {
		MockHttpSession session = signInAsAlice();
		String body = this.mvc
			.perform(get("/api/me").session(session)
				.accept(MediaType.APPLICATION_JSON)
				.header(HttpHeaders.USER_AGENT, USER_AGENT))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.sub").value("alice"))
			.andExpect(jsonPath("$.name").value("Alice Existing"))
			.andExpect(jsonPath("$.email").value("alice@example.com"))
			.andExpect(jsonPath("$.mobile").value("+8613800000001"))
			.andExpect(jsonPath("$.id").value("1000000000001"))
			.andExpect(jsonPath("$.refresh_count").value(0))
			.andExpect(jsonPath("$.id_token_expires_at").value(matchesPattern("\\d{4}-\\d\\d-\\d\\dT.*Z")))
			.andExpect(header().string(HttpHeaders.CACHE_CONTROL, org.hamcrest.Matchers.containsString("no-store")))
			.andReturn()
			.getResponse()
			.getContentAsString();
		String expiresAt = com.jayway.jsonpath.JsonPath.read(body, "$.id_token_expires_at");
		assertThat(Instant.parse(expiresAt)).isAfter(Instant.now());
		assertThat(body).doesNotContain("eyJ").doesNotContain("session_token").doesNotContain("id_token\"");
	}

}

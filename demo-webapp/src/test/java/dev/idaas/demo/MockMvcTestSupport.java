package dev.idaas.demo;

import dev.idaas.demo.simulator.EmbeddedIdaasSimulator;
import dev.idaas.spring.test.simulator.SamplePeople;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The demo with the simulator embedded, through MockMvc: one context for these test classes.
 */
@SpringBootTest
@AutoConfigureMockMvc
abstract class MockMvcTestSupport {

	static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) DemoTests";

	@Autowired
	MockMvc mvc;

	@Autowired
	EmbeddedIdaasSimulator embedded;

	/**
	 * Signs Alice in for real: an Apple code from the simulator, posted as JSON to the starter's
	 * login endpoint, which calls the simulated IDaaS and verifies its id_token.
	 * @return the signed-in session
	 */
	MockHttpSession signInAsAlice() throws Exception {
		String code = this.embedded.simulator().issueAppleCode(SamplePeople.ALICE_PERSON);
		MvcResult result = this.mvc
			.perform(post("/login/idaas/apple").contentType(MediaType.APPLICATION_JSON)
				.accept(MediaType.APPLICATION_JSON)
				.header(HttpHeaders.USER_AGENT, USER_AGENT)
				.content("{\"code\":\"" + code + "\"}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("SUCCESS"))
			.andReturn();
		MockHttpSession session = (MockHttpSession) result.getRequest().getSession(false);
		assertThat(session).isNotNull();
		return session;
	}

}

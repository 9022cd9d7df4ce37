package dev.idaas.spring.web.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.test.simulator.Outage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * {@link IdTokenRefresher} with {@link RefreshFailureBackoff} while IDaaS is down, on one node:
 * many due sessions cost one upstream call per probe, nobody is signed out, and after recovery
 * the sessions come back at their slots.
 */
class IdTokenRefresherOutageTests {

	private static final int SESSIONS = 20;

	private RefreshTestStack stack;

	private MockMvc mvc;

	@BeforeEach
	void setUp() {
		this.stack = new RefreshTestStack();
		// the jitter always draws the middle of its range
		this.stack.refresher.setRefreshFailureBackoff(new RefreshFailureBackoff(Duration.ofSeconds(5),
				Duration.ofSeconds(30), Duration.ofSeconds(1), RefreshFailureBackoff.DEFAULT_MAX_ENTRIES,
				new FixedRandom(0.5)));
		HttpSessionSecurityContextRepository repository = new HttpSessionSecurityContextRepository();
		this.stack.refresher.setSecurityContextRepository(repository);
		this.mvc = MockMvcBuilders.standaloneSetup(new RefreshCountController())
			.addFilters(new SecurityContextHolderFilter(repository), new IdTokenRefreshFilter(this.stack.refresher))
			.build();
	}

	@AfterEach
	void tearDown() {
		this.stack.close();
		SecurityContextHolder.clearContext();
	}

	@Test
	void refreshWhenOutageAndManySessionsDueThenOneCallPerProbeAndSlotsAfterRecovery() throws Exception {
		List<MockHttpSession> sessions = signIn();
		this.stack.clock.advance(Duration.ofMinutes(4).plusSeconds(10)); // due, still valid
		this.stack.idaas.outage(Outage.SYSTEM_BUSY);
		assertThat(answers(sessions)).containsOnly("200 0");
		// the first failure opened the circuit: the 19 others were held back without a call
		assertThat(this.stack.idaas.refreshRequestCount()).isEqualTo(1);
		this.stack.clock.advance(Duration.ofSeconds(1));
		// each held-back session waits its first back-off (5 s): no probe yet
		assertThat(answers(sessions)).containsOnly("200 0");
		assertThat(this.stack.idaas.refreshRequestCount()).isEqualTo(1);
		this.stack.clock.advance(Duration.ofSeconds(4));
		assertThat(answers(sessions)).containsOnly("200 0");
		assertThat(this.stack.idaas.refreshRequestCount()).isEqualTo(2);

		this.stack.idaas.outage(Outage.NONE);
		this.stack.clock.advance(Duration.ofSeconds(8)); // every own back-off is over
		List<String> recovering = answers(sessions);
		// one probe succeeded and closed the circuit; the rest wait for their slot in a window
		// as long as the outage (13 s), with their still-valid id_token
		assertThat(recovering).filteredOn("200 1"::equals).hasSizeBetween(1, SESSIONS - 1);
		assertThat(recovering).filteredOn("200 0"::equals).hasSizeBetween(1, SESSIONS - 1);
		int calls = this.stack.idaas.refreshRequestCount();
		assertThat(calls).isEqualTo(2 + recovering.stream().filter("200 1"::equals).count());
		this.stack.clock.advance(Duration.ofSeconds(13));
		assertThat(answers(sessions)).containsOnly("200 1");
		// one call per session after recovery, nobody signed out
		assertThat(this.stack.idaas.refreshRequestCount()).isEqualTo(2 + SESSIONS);
		assertThat(sessions).noneMatch(MockHttpSession::isInvalid);
		assertThat(this.stack.events(IdaasSessionEndedEvent.class)).isEmpty();
	}

	@Test
	void refreshWhenOutageAndIdTokensExpiredThen503WithTheSessionsOwnWaitAndOneCall() throws Exception {
		List<MockHttpSession> sessions = signIn();
		this.stack.clock.advance(Duration.ofMinutes(6));
		this.stack.idaas.outage(Outage.SYSTEM_BUSY);
		MockHttpServletResponse probe = request(sessions.get(0));
		assertThat(probe.getStatus()).isEqualTo(503);
		assertThat(probe.getHeader("Retry-After")).isEqualTo("5");
		assertThat(probe.getContentAsString()).contains("\"error_code\":\"IDAAS.SDK.COM.0002\"");
		for (MockHttpSession session : sessions.subList(1, SESSIONS)) {
			MockHttpServletResponse held = request(session);
			assertThat(held.getStatus()).isEqualTo(503);
			assertThat(held.getHeader("Retry-After")).isEqualTo("5");
			assertThat(held.getContentAsString()).contains("\"error_code\":\"IDAAS.STARTER.UPSTREAM_UNAVAILABLE\"");
		}
		assertThat(this.stack.idaas.refreshRequestCount()).isEqualTo(1);
		assertThat(sessions).noneMatch(MockHttpSession::isInvalid);
		assertThat(this.stack.events(IdaasSessionEndedEvent.class)).isEmpty();
	}

	private List<MockHttpSession> signIn() {
		List<MockHttpSession> sessions = new ArrayList<>();
		for (int i = 0; i < SESSIONS; i++) {
			IdaasAuthenticationToken token = this.stack.signIn();
			sessions.add(this.stack.sessionWith(token));
		}
		return sessions;
	}

	private List<String> answers(List<MockHttpSession> sessions) throws Exception {
		List<String> answers = new ArrayList<>();
		for (MockHttpSession session : sessions) {
			MockHttpServletResponse response = request(session);
			answers.add(response.getStatus() + " " + response.getContentAsString());
		}
		return answers;
	}

	private MockHttpServletResponse request(MockHttpSession session) throws Exception {
		return this.mvc.perform(get("/count").session(session).accept(MediaType.APPLICATION_JSON))
			.andReturn()
			.getResponse();
	}

	@RestController
	static class RefreshCountController {

		@GetMapping("/count")
		String count() {
			Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
			return (authentication instanceof IdaasAuthenticationToken idaas)
					? Integer.toString(idaas.getSessionState().refreshCount()) : "none";
		}

	}

}

package dev.idaas.spring.autoconfigure;

import java.time.Duration;
import java.util.List;

import dev.idaas.spring.web.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outage scenario of {@link OutageScenario}, small and on a simulated clock (one second a
 * round): 3 nodes on a real Redis, 100 sessions, IDaaS answering COM.0002 for 10 s then closing
 * every connection for 10 s. Asserts counts only: nobody signed out, only {@code 503} with
 * {@code Retry-After} while an expired id_token cannot be refreshed, at most one probe per node
 * per second during the outage (each probe being one refresh call the client may retry), and
 * every session left behind by the outage fresh again within the longest back-off.
 */
class RecoveryAfterOutageRedisTests {

	private static final int NODES = 3;

	private static final int SESSIONS = 100;

	/** {@code idaas.http.max-attempts}: the client's own retries of one refresh call. */
	private static final int CLIENT_ATTEMPTS = 3;

	/** {@code idaas.id-token.refresh-failure-backoff-max} (the default). */
	private static final int MAX_BACKOFF_SECONDS = 30;

	private static RedisServerProcess redis;

	@BeforeAll
	static void start() throws Exception {
		redis = RedisServerProcess.start();
	}

	@AfterAll
	static void stop() {
		if (redis != null) {
			redis.close();
		}
	}

	@Test
	void outageWhenSessionsFallDueThenBoundedAttemptsNobodySignedOutAndAllFreshWithinMaxBackoff() throws Exception {
		// id_tokens live 30 s and are refreshed 10 s ahead: all 100 fall due during the 20 s outage
		OutageScenario.Settings settings = new OutageScenario.Settings(NODES, SESSIONS, Duration.ofSeconds(30),
				Duration.ofSeconds(10), 20, 20, 10, 10, 5, MAX_BACKOFF_SECONDS + 5, 8, true,
				List.of("idaas.http.max-attempts=" + CLIENT_ATTEMPTS, "idaas.http.initial-backoff=1ms",
						"idaas.http.max-backoff=1ms"));
		OutageScenario.Result result = new OutageScenario(settings).run(redis, (line) -> {
		});
		System.out.println("[outage] " + result.summary());
		System.out.println(result.table());

		assertThat(result.steadyRate()).isPositive();
		// nobody signed out, during the run or after it
		assertThat(result.total(OutageScenario.Round::signedOut)).isZero();
		assertThat(result.lostAtEnd()).isZero();
		// no answer but 200 and 503 with Retry-After
		assertThat(result.total(OutageScenario.Round::other)).isZero();
		assertThat(result.total(OutageScenario.Round::unavailable)).isPositive();
		assertThat(result.unavailableCodes().keySet()).allMatch((code) -> code.startsWith("503 "));
		// the outage: at most one probe per node per second, however many sessions are due
		for (OutageScenario.Round round : result.rounds()) {
			if (round.phase().isOutage()) {
				assertThat(round.attempts()).as("round %d", round.index()).isLessThanOrEqualTo(NODES * CLIENT_ATTEMPTS);
			}
		}
		// the outage left every session due, and each one got a new id_token within the longest back-off
		assertThat(result.affected()).isEqualTo(SESSIONS);
		assertThat(result.roundsToFresh()).isNotNull().isLessThanOrEqualTo(MAX_BACKOFF_SECONDS + 1);
	}

}

package dev.idaas.spring.cluster.load;

import java.time.Duration;
import java.util.List;

import dev.idaas.spring.web.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outage scenario of {@link OutageScenario}, small and on a simulated clock (one second a
 * round): 3 nodes on a real Redis, 100 sessions, IDaaS answering COM.0002 for 8 s then closing
 * every connection for 8 s. Asserts counts only: nobody signed out, only {@code 503} with
 * {@code Retry-After} while an expired id_token cannot be refreshed, at most one probe per node
 * per second during the outage (each probe being one refresh call the client may retry), a
 * recovery without a burst, and every session left behind by the outage fresh again within a
 * window as long as the outage.
 */
class RecoveryAfterOutageRedisTests {

	private static final int NODES = 3;

	private static final int SESSIONS = 100;

	/** {@code idaas.http.max-attempts}: the client's own retries of one refresh call. */
	private static final int CLIENT_ATTEMPTS = 3;

	/** {@code idaas.id-token.refresh-failure-backoff-max} (the default). */
	private static final int MAX_BACKOFF_SECONDS = 30;

	private static final int BUSY_ROUNDS = 8;

	private static final int CLOSED_ROUNDS = 8;

	private static final int CLIENTS = 8;

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
		// id_tokens live 30 s and are refreshed 10 s ahead (every ~20 s); signed in over 20 s, most
		// sessions fall due during the 16 s outage
		OutageScenario.Settings settings = new OutageScenario.Settings(NODES, SESSIONS, Duration.ofSeconds(30),
				Duration.ofSeconds(10), 20, 12, BUSY_ROUNDS, CLOSED_ROUNDS, 1, MAX_BACKOFF_SECONDS + 5, CLIENTS, true,
				List.of("idaas.http.max-attempts=" + CLIENT_ATTEMPTS, "idaas.http.initial-backoff=1ms",
						"idaas.http.max-backoff=1ms"));
		long started = System.nanoTime();
		OutageScenario.Result result = new OutageScenario(settings).run(redis,
				(line) -> System.out.println((System.nanoTime() - started) / 1_000_000 + " ms " + line));
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
		// the outage: at most one probe per node per second, however many sessions are due, plus
		// on each node the requests already in flight when its first refresh failed
		int outageRounds = BUSY_ROUNDS + CLOSED_ROUNDS;
		int outageAttempts = result.rounds()
			.stream()
			.filter((round) -> round.phase().isOutage())
			.mapToInt(OutageScenario.Round::attempts)
			.sum();
		assertThat(outageAttempts)
			.isLessThanOrEqualTo(NODES * CLIENT_ATTEMPTS * outageRounds + NODES * CLIENTS * CLIENT_ATTEMPTS);
		// recovery: the backlog comes back spread, never twice as much a second as the busiest
		// second of steady state
		assertThat(result.maxAttempts(OutageScenario.Phase.RECOVERY))
			.isLessThanOrEqualTo(2 * result.maxAttempts(OutageScenario.Phase.STEADY));
		// the outage left most sessions due or expired, and each one got a new id_token within a
		// recovery window as long as the outage
		assertThat(result.affected()).isGreaterThan(SESSIONS / 2);
		assertThat(result.roundsToFresh()).isNotNull().isLessThanOrEqualTo(outageRounds + 1);
	}

}

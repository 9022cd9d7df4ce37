package dev.idaas.spring.cluster.load;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.autoconfigure.ClusterNodes;
import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.MutableClock;
import dev.idaas.spring.test.simulator.Outage;
import dev.idaas.spring.test.simulator.SimulatedUser;
import dev.idaas.spring.web.RedisServerProcess;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Recovery after an IDaaS outage, at any size: N nodes sharing their sessions through Spring
 * Session on a real Redis (refresh lock as the auto-configuration sets it up) and one
 * {@link IdaasSimulator}. S sessions sign in spread over one refresh period, so their id_tokens
 * fall due spread over time; the cluster runs in steady state, then IDaaS answers COM.0002,
 * then closes every connection, then recovers. Every round (one second) a client sends one
 * request for every session, through the nodes in turn, so each session goes through every
 * node. Each round records the refresh attempts IDaaS received (its counter), the answers, and
 * how many of the sessions the outage left due are fresh again.
 * <p>
 * Two clocks: {@link Settings#simulated() simulated} puts the nodes and the simulator on one
 * {@link MutableClock} advanced by a second per round (for a CI test: counts only, no waiting);
 * otherwise the rounds follow the wall clock (the benchmark).
 */
final class OutageScenario {

	private final Settings settings;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	OutageScenario(Settings settings) {
		this.settings = settings;
	}

	/**
	 * Runs the scenario.
	 * @param redis the shared store
	 * @param log where progress goes, one line a round
	 * @return what happened
	 */
	Result run(RedisServerProcess redis, java.util.function.Consumer<String> log) throws Exception {
		Settings s = this.settings;
		MutableClock simulatedClock = new MutableClock(Instant.now());
		Clock clock = s.simulated() ? simulatedClock : Clock.systemUTC();
		IdaasSimulator idaas = new IdaasSimulator().clock(clock).sessionTokenRotation(true).idTokenTtl(s.idTokenTtl());
		List<SimulatedUser> users = new ArrayList<>();
		for (int i = 0; i < s.sessions(); i++) {
			SimulatedUser user = SimulatedUser.of(String.format(Locale.ROOT, "user%04d", i), "User " + i, null,
					"user" + i + "@example.com");
			users.add(user);
			idaas.registerUser(user);
		}
		idaas.start();
		List<ConfigurableApplicationContext> nodes = new ArrayList<>();
		ExecutorService clients = Executors.newFixedThreadPool(s.concurrency());
		try {
			String namespace = "idaas-outage:" + System.nanoTime();
			long startup = System.nanoTime();
			for (int n = 0; n < s.nodes(); n++) {
				ConfigurableApplicationContext node = ClusterNodes.start(OutageNodeApplication.class, idaas, redis,
						namespace, s.nodeProperties().toArray(String[]::new));
				nodes.add(s.simulated() ? ClusterNodes.onClock(node, simulatedClock) : node);
			}
			log.accept("  " + s.nodes() + " nodes started in " + (System.nanoTime() - startup) / 1_000_000 + " ms");
			return new Run(s, idaas, clock, simulatedClock, nodes, clients, users, log).execute();
		}
		finally {
			clients.shutdownNow();
			for (int n = nodes.size() - 1; n >= 0; n--) {
				nodes.get(n).close();
			}
			idaas.close();
		}
	}

	/** One run: the sessions' cookies and what they last saw. */
	private final class Run {

		private final Settings s;

		private final IdaasSimulator idaas;

		private final Clock clock;

		private final MutableClock simulatedClock;

		private final List<ConfigurableApplicationContext> nodes;

		private final ExecutorService clients;

		private final List<SimulatedUser> users;

		private final java.util.function.Consumer<String> log;

		private final String[] cookies;

		private final long[] issuedAt;

		private final long[] expiresAt;

		private final long startNanos = System.nanoTime();

		Run(Settings s, IdaasSimulator idaas, Clock clock, MutableClock simulatedClock,
				List<ConfigurableApplicationContext> nodes, ExecutorService clients, List<SimulatedUser> users,
				java.util.function.Consumer<String> log) {
			this.s = s;
			this.idaas = idaas;
			this.clock = clock;
			this.simulatedClock = simulatedClock;
			this.nodes = nodes;
			this.clients = clients;
			this.users = users;
			this.log = log;
			this.cookies = new String[s.sessions()];
			this.issuedAt = new long[s.sessions()];
			this.expiresAt = new long[s.sessions()];
		}

		Result execute() throws Exception {
			List<Round> rounds = new ArrayList<>();
			Map<String, Integer> unavailableCodes = new TreeMap<>();
			int signedIn = 0;
			int round = 0;
			long outageStartSecond = 0;
			long recoveredAt = 0;
			boolean[] affected = null;
			int affectedCount = 0;
			Integer roundsToFresh = null;
			Double secondsToFresh = null;
			long recoveryStartNanos = 0;
			int lastCount = this.idaas.refreshRequestCount();
			int signInEnd = this.s.signInRounds();
			int steadyEnd = signInEnd + this.s.steadyRounds();
			int busyEnd = steadyEnd + this.s.busyRounds();
			int outageEnd = busyEnd + this.s.closedRounds();
			while (true) {
				Phase phase = (round < signInEnd) ? Phase.SIGN_IN : (round < steadyEnd) ? Phase.STEADY
						: (round < busyEnd) ? Phase.BUSY : (round < outageEnd) ? Phase.CLOSED : Phase.RECOVERY;
				if (round == steadyEnd) {
					outageStartSecond = (this.clock.millis() + 999) / 1000;
					this.idaas.outage(Outage.SYSTEM_BUSY);
				}
				else if (round == busyEnd) {
					this.idaas.outage(Outage.CONNECTION_CLOSED);
				}
				else if (round == outageEnd) {
					this.idaas.outage(Outage.NONE);
					recoveredAt = this.clock.millis();
					recoveryStartNanos = System.nanoTime();
					affected = new boolean[this.s.sessions()];
					for (int i = 0; i < this.s.sessions(); i++) {
						// due (or expired) when IDaaS came back: the outage left it behind
						if (this.expiresAt[i] * 1000 - this.s.refreshAhead().toMillis() <= recoveredAt) {
							affected[i] = true;
							affectedCount++;
						}
					}
				}
				long roundStartNanos = System.nanoTime();
				if (phase == Phase.SIGN_IN) {
					int target = (int) ((long) (round + 1) * this.s.sessions() / signInEnd);
					long signInStart = System.nanoTime();
					int from = signedIn;
					for (; signedIn < target; signedIn++) {
						this.cookies[signedIn] = signIn(signedIn);
					}
					this.log.accept("  signed in " + (signedIn - from) + " in "
							+ (System.nanoTime() - signInStart) / 1_000_000 + " ms");
				}
				int[] counts = new int[4];
				List<Future<Answer>> answers = new ArrayList<>();
				for (int i = 0; i < signedIn; i++) {
					ConfigurableApplicationContext node = this.nodes.get((round + i) % this.nodes.size());
					String cookie = this.cookies[i];
					answers.add(this.clients.submit(() -> get(node, cookie)));
				}
				for (int i = 0; i < answers.size(); i++) {
					Answer answer = answers.get(i).get(60, TimeUnit.SECONDS);
					if (answer.status() == 200) {
						counts[0]++;
						String[] parts = answer.body().split(" ");
						this.issuedAt[i] = Long.parseLong(parts[1]);
						this.expiresAt[i] = Long.parseLong(parts[2]);
					}
					else if (answer.status() == 503 && answer.retryAfter() != null) {
						counts[1]++;
						unavailableCodes.merge(errorCode(answer.body()), 1, Integer::sum);
					}
					else if (answer.status() == 401) {
						counts[2]++;
					}
					else {
						counts[3]++;
						unavailableCodes.merge(answer.status() + " " + answer.body(), 1, Integer::sum);
					}
				}
				int fresh = 0;
				if (affected != null) {
					for (int i = 0; i < this.s.sessions(); i++) {
						if (affected[i] && this.issuedAt[i] >= outageStartSecond) {
							fresh++;
						}
					}
				}
				int count = this.idaas.refreshRequestCount();
				int attempts = count - lastCount;
				lastCount = count;
				long elapsedMillis = (System.nanoTime() - roundStartNanos) / 1_000_000;
				advance(roundStartNanos);
				long durationMillis = this.s.simulated() ? 1000
						: Math.max(1000, (System.nanoTime() - roundStartNanos) / 1_000_000);
				Round record = new Round(round, phase, (roundStartNanos - this.startNanos) / 1_000_000,
						durationMillis, elapsedMillis, attempts, counts[0], counts[1], counts[2], counts[3], fresh,
						affectedCount);
				rounds.add(record);
				this.log.accept(record.line());
				if (phase == Phase.RECOVERY) {
					int recoveryRound = round - outageEnd + 1;
					if (roundsToFresh == null && fresh == affectedCount) {
						roundsToFresh = recoveryRound;
						secondsToFresh = (System.nanoTime() - recoveryStartNanos) / 1e9;
						if (this.s.simulated()) {
							secondsToFresh = (double) recoveryRound;
						}
					}
					if ((roundsToFresh != null && recoveryRound >= this.s.minRecoveryRounds())
							|| recoveryRound >= this.s.maxRecoveryRounds()) {
						break;
					}
				}
				round++;
			}
			// No session lost: every one still answers 200 on every node
			long checkStart = System.nanoTime();
			int lostAtEnd = 0;
			for (int i = 0; i < this.s.sessions(); i++) {
				for (ConfigurableApplicationContext node : this.nodes) {
					if (get(node, this.cookies[i]).status() != 200) {
						lostAtEnd++;
					}
				}
			}
			this.log.accept("  final check in " + (System.nanoTime() - checkStart) / 1_000_000 + " ms");
			return new Result(this.s, List.copyOf(rounds), Map.copyOf(unavailableCodes), affectedCount, roundsToFresh,
					secondsToFresh, lostAtEnd);
		}

		private void advance(long roundStartNanos) {
			if (this.s.simulated()) {
				this.simulatedClock.advance(Duration.ofSeconds(1));
				return;
			}
			// A round lasts a second at least; one that overran is recorded with its real length
			long next = roundStartNanos + 1_000_000_000L;
			long wait = next - System.nanoTime();
			while (wait > 0) {
				LockSupport.parkNanos(wait);
				wait = next - System.nanoTime();
			}
		}

		private String signIn(int i) throws Exception {
			ConfigurableApplicationContext node = this.nodes.get(i % this.nodes.size());
			HttpRequest login = HttpRequest.newBuilder(ClusterNodes.uri(node, "/login/idaas/apple"))
				.header("Content-Type", "application/json")
				.header("Accept", "application/json")
				.POST(HttpRequest.BodyPublishers
					.ofString("{\"code\":\"" + this.idaas.issueAppleCode(this.users.get(i)) + "\"}"))
				.build();
			HttpResponse<String> response = OutageScenario.this.http.send(login, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("Sign-in " + i + " answered " + response.statusCode());
			}
			String cookie = ClusterNodes.sessionCookie(response)
				.orElseThrow();
			Answer first = get(node, cookie);
			String[] parts = first.body().split(" ");
			this.issuedAt[i] = Long.parseLong(parts[1]);
			this.expiresAt[i] = Long.parseLong(parts[2]);
			return cookie;
		}

		private Answer get(ConfigurableApplicationContext node, String cookie) throws Exception {
			HttpRequest request = HttpRequest.newBuilder(ClusterNodes.uri(node, "/me"))
				.header("Cookie", cookie)
				.header("Accept", "application/json")
				.timeout(Duration.ofSeconds(30))
				.GET()
				.build();
			HttpResponse<String> response = OutageScenario.this.http.send(request,
					HttpResponse.BodyHandlers.ofString());
			return new Answer(response.statusCode(), response.body(),
					response.headers().firstValue("Retry-After").orElse(null));
		}

	}

	private static String errorCode(String body) {
		int start = body.indexOf("\"error_code\":\"");
		if (start < 0) {
			return "503 " + body;
		}
		start += "\"error_code\":\"".length();
		return "503 " + body.substring(start, body.indexOf('"', start));
	}

	/**
	 * The size and timing of a run.
	 * @param nodes how many nodes
	 * @param sessions how many sessions (one user each)
	 * @param idTokenTtl the id_token lifetime the simulator gives
	 * @param refreshAhead {@code idaas.id-token.refresh-ahead} of the nodes
	 * @param signInRounds over how many rounds the sessions sign in (one refresh period spreads
	 * their refreshes evenly)
	 * @param steadyRounds rounds of steady state measured before the outage
	 * @param busyRounds rounds answered COM.0002
	 * @param closedRounds rounds whose connections are closed
	 * @param minRecoveryRounds rounds recorded after recovery at least
	 * @param maxRecoveryRounds rounds after recovery at most
	 * @param concurrency client threads
	 * @param simulated one simulated second per round instead of the wall clock
	 * @param extraProperties more node properties
	 */
	record Settings(int nodes, int sessions, Duration idTokenTtl, Duration refreshAhead, int signInRounds,
			int steadyRounds, int busyRounds, int closedRounds, int minRecoveryRounds, int maxRecoveryRounds,
			int concurrency, boolean simulated, List<String> extraProperties) {

		List<String> nodeProperties() {
			List<String> properties = new ArrayList<>(List.of("idaas.id-token.refresh-ahead=" + this.refreshAhead.toMillis() + "ms",
					"logging.level.dev.idaas=ERROR", "server.tomcat.threads.max=64"));
			properties.addAll(this.extraProperties);
			return properties;
		}

	}

	enum Phase {

		SIGN_IN, STEADY, BUSY, CLOSED, RECOVERY;

		boolean isOutage() {
			return this == BUSY || this == CLOSED;
		}

	}

	/**
	 * One round.
	 * @param index the round
	 * @param phase its phase
	 * @param startMillis when it started, since the run started (wall clock)
	 * @param durationMillis how long it counts for: a second, or longer when it overran
	 * @param elapsedMillis how long its requests took
	 * @param attempts refresh requests IDaaS received during the round
	 * @param ok 200 answers
	 * @param unavailable 503 answers with Retry-After
	 * @param signedOut 401 answers
	 * @param other any other answer
	 * @param fresh sessions left due by the outage that have a new id_token
	 * @param affected sessions left due by the outage
	 */
	record Round(int index, Phase phase, long startMillis, long durationMillis, long elapsedMillis, int attempts,
			int ok, int unavailable, int signedOut, int other, int fresh, int affected) {

		double attemptsPerSecond() {
			return this.attempts * 1000.0 / this.durationMillis;
		}

		String line() {
			return String.format(Locale.ROOT, "%5d %-8s %6.1f %8d %9.1f %6d %6d %6d %6d %9s", this.index, this.phase,
					this.startMillis / 1000.0, this.attempts, attemptsPerSecond(), this.ok, this.unavailable,
					this.signedOut, this.other, (this.phase == Phase.RECOVERY) ? this.fresh + "/" + this.affected : "");
		}

		static String header() {
			return String.format(Locale.ROOT, "%5s %-8s %6s %8s %9s %6s %6s %6s %6s %9s", "round", "phase", "t(s)",
					"attempts", "attempt/s", "200", "503", "401", "other", "fresh");
		}

	}

	/**
	 * What a run measured.
	 * @param settings the settings
	 * @param rounds every round
	 * @param unavailableCodes the error codes of the 503 answers (and any other answer), counted
	 * @param affected sessions due or expired when IDaaS recovered
	 * @param roundsToFresh rounds after recovery until all of them had a new id_token, or
	 * {@code null} if they never did
	 * @param secondsToFresh the same in seconds
	 * @param lostAtEnd (session, node) pairs not answered 200 after the run
	 */
	record Result(Settings settings, List<Round> rounds, Map<String, Integer> unavailableCodes, int affected,
			Integer roundsToFresh, Double secondsToFresh, int lostAtEnd) {

		/** Refresh attempts per second in steady state (no outage), measured in this run. */
		double steadyRate() {
			long attempts = 0;
			long millis = 0;
			for (Round round : this.rounds) {
				if (round.phase() == Phase.STEADY) {
					attempts += round.attempts();
					millis += round.durationMillis();
				}
			}
			return attempts * 1000.0 / millis;
		}

		double peakRate(boolean outage) {
			return this.rounds.stream()
				.filter((round) -> outage ? round.phase().isOutage() : round.phase() == Phase.RECOVERY)
				.mapToDouble(Round::attemptsPerSecond)
				.max()
				.orElse(0);
		}

		/** The highest attempt rate over {@code seconds} consecutive rounds of these phases. */
		double peakAverageRate(boolean outage, int seconds) {
			List<Round> selected = this.rounds.stream()
				.filter((round) -> outage ? round.phase().isOutage() : round.phase() == Phase.RECOVERY)
				.toList();
			double peak = 0;
			for (int i = 0; i + seconds <= selected.size(); i++) {
				long attempts = 0;
				long millis = 0;
				for (Round round : selected.subList(i, i + seconds)) {
					attempts += round.attempts();
					millis += round.durationMillis();
				}
				peak = Math.max(peak, attempts * 1000.0 / millis);
			}
			return peak;
		}

		/** The highest attempt rate of one steady-state round: the noise floor of the ratio. */
		double steadyPeakRate() {
			return this.rounds.stream()
				.filter((round) -> round.phase() == Phase.STEADY)
				.mapToDouble(Round::attemptsPerSecond)
				.max()
				.orElse(0);
		}

		int maxAttempts(Phase phase) {
			return this.rounds.stream().filter((r) -> r.phase() == phase).mapToInt(Round::attempts).max().orElse(0);
		}

		int total(java.util.function.ToIntFunction<Round> field) {
			return this.rounds.stream().mapToInt(field).sum();
		}

		int signOuts() {
			return total(Round::signedOut) + this.lostAtEnd;
		}

		String table() {
			StringBuilder table = new StringBuilder(Round.header()).append('\n');
			this.rounds.forEach((round) -> table.append(round.line()).append('\n'));
			return table.toString();
		}

		String summary() {
			double steady = steadyRate();
			return String.format(Locale.ROOT,
					"nodes=%d sessions=%d id-token-ttl=%ss refresh-ahead=%ss outage=%ds (COM.0002 %ds, connections closed %ds)%n"
							+ "steady-state refresh attempts/s: %.2f (busiest steady second: %.1f, %.2fx)%n"
							+ "peak attempts/s during the outage: %.1f (%.2fx steady); over 5 s: %.1f (%.2fx)%n"
							+ "peak attempts/s during recovery: %.1f (%.2fx steady); over 5 s: %.1f (%.2fx)%n"
							+ "sign-outs (401 during the run + sessions not answered 200 at the end): %d%n"
							+ "non-2xx answers: %s%n"
							+ "sessions due or expired at recovery: %d; all fresh again after %s s (%s rounds)%n",
					this.settings.nodes(), this.settings.sessions(), this.settings.idTokenTtl().toSeconds(),
					this.settings.refreshAhead().toSeconds(),
					this.settings.busyRounds() + this.settings.closedRounds(), this.settings.busyRounds(),
					this.settings.closedRounds(), steady, steadyPeakRate(), steadyPeakRate() / steady, peakRate(true),
					peakRate(true) / steady, peakAverageRate(true, 5), peakAverageRate(true, 5) / steady,
					peakRate(false), peakRate(false) / steady, peakAverageRate(false, 5),
					peakAverageRate(false, 5) / steady, signOuts(), this.unavailableCodes, this.affected,
					(this.secondsToFresh != null) ? String.format(Locale.ROOT, "%.1f", this.secondsToFresh) : "never",
					this.roundsToFresh);
		}

	}

	record Answer(int status, String body, String retryAfter) {
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(IdTokenController.class)
	static class OutageNodeApplication {

	}

	/** Answers {@code name iat exp} of the id_token the request was served with. */
	@RestController
	static class IdTokenController {

		@GetMapping("/me")
		String me(Authentication authentication) {
			IdaasAuthenticationToken token = (IdaasAuthenticationToken) authentication;
			return token.getName() + " " + token.getIdToken().getIssuedAt().getEpochSecond() + " "
					+ token.getIdToken().getExpiresAt().getEpochSecond();
		}

	}

}

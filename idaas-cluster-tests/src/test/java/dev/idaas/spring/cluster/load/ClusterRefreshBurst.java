package dev.idaas.spring.cluster.load;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.idaas.spring.autoconfigure.ClusterNodes;
import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.MutableClock;
import dev.idaas.spring.test.simulator.SimulatedUser;
import dev.idaas.spring.web.RedisServerProcess;
import dev.idaas.spring.web.session.IdTokenRefreshLock;
import dev.idaas.spring.web.session.IdTokenRefreshedEvent;
import dev.idaas.spring.web.session.IdaasSessionEndedEvent;
import dev.idaas.spring.web.session.RedisIdTokenRefreshLock;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The refresh burst at cluster scale (issue 13): {@code N} nodes sharing their sessions through
 * Spring Session Data Redis on a real {@code redis-server}, one {@link IdaasSimulator} with
 * session token rotation upstream, {@code S} sessions signed in, their id_tokens expired
 * together (the shared clock moves past their lifetime), then for every session
 * {@code requestsPerNode} requests through every node at once, from a bounded pool of client
 * threads on keep-alive connections. A first round refreshes; the following rounds must not.
 * <p>
 * Counts upstream refresh calls, sign-outs ({@link IdaasSessionEndedEvent} on any node), answers
 * by status, and Redis commands ({@code INFO commandstats} deltas); measures the latency of the
 * burst requests, of the later rounds' requests (no refresh) and of single uncontended refreshes
 * (one request of an expired session, alone), all in the same run. Used at 3 × 100 by
 * {@code ClusterRefreshBurstRedisTests} and at 3 × 1,000 by {@link ClusterRefreshBurstBenchmark}.
 */
public final class ClusterRefreshBurst {

	/** The id_token lifetime of the simulator; the clock moves one second past it. */
	public static final Duration ID_TOKEN_TTL = Duration.ofMinutes(5);

	private static final AtomicInteger runs = new AtomicInteger();

	private ClusterRefreshBurst() {
	}

	/**
	 * Signs in the sessions, expires them, sends the rounds and counts.
	 * @param settings the size of the run
	 * @param redis the Redis the nodes share (each run has a namespace of its own)
	 * @return what was counted and measured
	 * @throws Exception when a node or the simulator cannot start, or a sign-in fails
	 */
	public static Result run(Settings settings, RedisServerProcess redis) throws Exception {
		MutableClock clock = new MutableClock(Instant.now());
		Map<String, Long> phases = new LinkedHashMap<>();
		long phaseStart = System.nanoTime();
		String namespace = "idaas-load:" + runs.incrementAndGet() + "-" + (settings.clusterLock() ? "lock" : "nolock");
		List<ConfigurableApplicationContext> nodes = new ArrayList<>();
		ExecutorService pool = Executors.newFixedThreadPool(settings.clientThreads());
		HttpClient http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		try (IdaasSimulator idaas = new IdaasSimulator().clock(clock)
			.sessionTokenRotation(true)
			.idTokenTtl(ID_TOKEN_TTL)
			.start()) {
			for (int i = 0; i < settings.nodes(); i++) {
				nodes.add(ClusterNodes.onClock(ClusterNodes.start(LoadNodeApplication.class, idaas, redis, namespace,
						"idaas.session.cluster-lock=" + settings.clusterLock(), "logging.level.dev.idaas=WARN",
						"logging.level.org.springframework.boot.autoconfigure=WARN"), clock));
			}
			boolean redisLock = nodes.get(0).getBean(IdTokenRefreshLock.class) instanceof RedisIdTokenRefreshLock;
			if (redisLock != settings.clusterLock()) {
				throw new IllegalStateException("cluster-lock=" + settings.clusterLock() + " but the refresh lock is "
						+ nodes.get(0).getBean(IdTokenRefreshLock.class).getClass().getSimpleName());
			}
			Client client = new Client(http, pool, nodes);
			phaseStart = phase(phases, "start nodes", phaseStart);

			// sign in the burst's sessions and the single-refresh ones, in parallel, spread over the nodes
			int total = settings.sessions() + settings.singleRefreshes();
			List<SignedIn> signedIn = client.signIn(idaas, total);
			List<SignedIn> burstSessions = signedIn.subList(0, settings.sessions());
			List<SignedIn> singleSessions = signedIn.subList(settings.sessions(), total);
			phaseStart = phase(phases, "sign in", phaseStart);

			// every id_token expires at once
			clock.advance(ID_TOKEN_TTL.plusSeconds(1));

			// single uncontended refreshes, one after the other; the first third warms up
			long[] singles = new long[singleSessions.size()];
			int singleFailures = 0;
			for (int i = 0; i < singleSessions.size(); i++) {
				int before = idaas.refreshRequestCount();
				Answer answer = client.get(i % nodes.size(), singleSessions.get(i));
				singles[i] = answer.nanos();
				if (answer.status() != 200 || idaas.refreshRequestCount() != before + 1) {
					singleFailures++;
				}
			}
			long[] measuredSingles = Arrays.copyOfRange(singles, singles.length / 3, singles.length);
			Arrays.sort(measuredSingles);
			phaseStart = phase(phases, "single refreshes", phaseStart);

			int[] refreshedBefore = client.refreshedPerNode();
			int signOutsBefore = client.signOuts();
			int refreshCallsBefore = idaas.refreshRequestCount();
			int logoutsBefore = idaas.requestCount(IdaasSimulator.LOGOUT_PATH);
			RedisCommandStats redisBefore = RedisCommandStats.read(redis.port());
			Round burst = client.round(burstSessions, settings.requestsPerNode());
			RedisCommandStats redisAfterBurst = RedisCommandStats.read(redis.port());
			phaseStart = phase(phases, "burst round", phaseStart);
			int refreshCallsInBurst = idaas.refreshRequestCount() - refreshCallsBefore;
			int[] refreshedAfterBurst = client.refreshedPerNode();

			List<Round> later = new ArrayList<>();
			for (int i = 1; i < settings.rounds(); i++) {
				later.add(client.round(burstSessions, settings.requestsPerNode()));
			}
			RedisCommandStats redisAfter = RedisCommandStats.read(redis.port());
			phase(phases, "later rounds", phaseStart);
			int refreshCallsAfterBurst = idaas.refreshRequestCount() - refreshCallsBefore - refreshCallsInBurst;

			List<Integer> refreshesPerNode = new ArrayList<>();
			for (int i = 0; i < nodes.size(); i++) {
				refreshesPerNode.add(refreshedAfterBurst[i] - refreshedBefore[i]);
			}
			SortedMap<Integer, Integer> statuses = new TreeMap<>(burst.statuses());
			int wrongBodies = burst.wrongBodies();
			List<Long> laterLatencies = new ArrayList<>();
			int laterRequests = 0;
			for (Round round : later) {
				round.statuses().forEach((status, count) -> statuses.merge(status, count, Integer::sum));
				wrongBodies += round.wrongBodies();
				laterRequests += round.latencies().length;
				Arrays.stream(round.latencies()).forEach(laterLatencies::add);
			}
			return new Result(settings, signedIn.size(), refreshCallsInBurst, refreshCallsAfterBurst,
					List.copyOf(refreshesPerNode), client.signOuts() - signOutsBefore, Map.copyOf(client.signOutReasons()),
					idaas.requestCount(IdaasSimulator.LOGOUT_PATH) - logoutsBefore, statuses, wrongBodies,
					burst.latencies().length, laterRequests, redisAfterBurst.minus(redisBefore),
					redisAfter.minus(redisAfterBurst), Latencies.of(burst.latencies()),
					Latencies.of(laterLatencies.stream().mapToLong(Long::longValue).toArray()),
					Latencies.of(measuredSingles), singleFailures, burst.wallNanos(),
					Collections.unmodifiableMap(phases));
		}
		finally {
			pool.shutdownNow();
			for (ConfigurableApplicationContext node : nodes) {
				node.close();
			}
		}
	}

	private static long phase(Map<String, Long> phases, String name, long start) {
		long now = System.nanoTime();
		phases.put(name, (now - start) / 1_000_000);
		return now;
	}

	/**
	 * The size of a run.
	 *
	 * @param nodes application nodes sharing the sessions, at least 2
	 * @param sessions sessions in the burst
	 * @param requestsPerNode requests per session and node sent together, in every round
	 * @param rounds rounds: the first refreshes, the others find fresh id_tokens
	 * @param clientThreads client threads, at least {@code nodes × requestsPerNode} (the requests
	 * of one session start together)
	 * @param singleRefreshes more sessions, each refreshed alone before the burst; the last two
	 * thirds are measured
	 * @param clusterLock {@code idaas.session.cluster-lock}
	 */
	public record Settings(int nodes, int sessions, int requestsPerNode, int rounds, int clientThreads,
			int singleRefreshes, boolean clusterLock) {

		/**
		 * Checks the settings.
		 * @param nodes application nodes
		 * @param sessions sessions in the burst
		 * @param requestsPerNode requests per session and node
		 * @param rounds rounds
		 * @param clientThreads client threads
		 * @param singleRefreshes sessions refreshed alone
		 * @param clusterLock {@code idaas.session.cluster-lock}
		 */
		public Settings {
			if (nodes < 2 || sessions < 1 || requestsPerNode < 1 || rounds < 1 || singleRefreshes < 0) {
				throw new IllegalArgumentException("nodes >= 2, sessions >= 1, requestsPerNode >= 1, rounds >= 1");
			}
			if (clientThreads < nodes * requestsPerNode) {
				throw new IllegalArgumentException("clientThreads must be at least nodes × requestsPerNode");
			}
		}

		/**
		 * The same settings with the cluster lock on or off.
		 * @param on whether the cluster lock is on
		 * @return the settings
		 */
		public Settings withClusterLock(boolean on) {
			return new Settings(this.nodes, this.sessions, this.requestsPerNode, this.rounds, this.clientThreads,
					this.singleRefreshes, on);
		}

	}

	/**
	 * What one run counted and measured.
	 *
	 * @param settings the size of the run
	 * @param signIns sessions signed in (burst and single refreshes)
	 * @param refreshCalls upstream refresh calls during the burst round
	 * @param refreshCallsAfterBurst upstream refresh calls during the later rounds
	 * @param refreshesPerNode successful refreshes ({@link IdTokenRefreshedEvent}) per node during
	 * the burst round
	 * @param signOuts sessions ended by the refresh ({@link IdaasSessionEndedEvent}), all rounds
	 * @param signOutReasons the reasons of those sign-outs
	 * @param upstreamLogouts upstream logout calls, all rounds
	 * @param statuses answers by HTTP status over all rounds ({@code -1}: no answer)
	 * @param wrongBodies 200 answers naming another user than the session's
	 * @param burstRequests requests of the burst round
	 * @param laterRequests requests of the later rounds
	 * @param burstRedis Redis commands during the burst round
	 * @param laterRedis Redis commands during the later rounds
	 * @param burstLatency latency of the burst round's requests
	 * @param laterLatency latency of the later rounds' requests
	 * @param singleRefreshLatency latency of one uncontended refresh
	 * @param singleRefreshFailures single refreshes not answered 200 after exactly one call
	 * @param burstWallNanos first request in to last answer out, burst round
	 * @param phaseMillis wall time of each phase, in milliseconds
	 */
	public record Result(Settings settings, int signIns, int refreshCalls, int refreshCallsAfterBurst,
			List<Integer> refreshesPerNode, int signOuts, Map<String, Integer> signOutReasons, int upstreamLogouts,
			SortedMap<Integer, Integer> statuses, int wrongBodies, int burstRequests, int laterRequests,
			RedisCommandStats burstRedis, RedisCommandStats laterRedis, Latencies burstLatency,
			Latencies laterLatency, Latencies singleRefreshLatency, int singleRefreshFailures, long burstWallNanos,
			Map<String, Long> phaseMillis) {

		/**
		 * Answers that were not 2xx (or no answer at all), all rounds.
		 * @return the count
		 */
		public int non2xx() {
			return this.statuses.entrySet()
				.stream()
				.filter((entry) -> entry.getKey() < 200 || entry.getKey() > 299)
				.mapToInt(Map.Entry::getValue)
				.sum();
		}

		/**
		 * Redis commands of the burst round per upstream refresh call.
		 * @return the ratio
		 */
		public double redisCommandsPerRefresh() {
			return (double) this.burstRedis.total() / Math.max(1, this.refreshCalls);
		}

		/**
		 * Redis commands of the burst round per session.
		 * @return the ratio
		 */
		public double redisCommandsPerSession() {
			return (double) this.burstRedis.total() / this.settings.sessions();
		}

		/**
		 * Redis commands of a request that did not refresh (later rounds).
		 * @return commands per request
		 */
		public double redisCommandsPerPlainRequest() {
			return (double) this.laterRedis.total() / Math.max(1, this.laterRequests);
		}

		/**
		 * Redis commands the refresh adds to the requests of one session in the burst: the
		 * burst's commands less what its requests cost without a refresh (later rounds), per
		 * session.
		 * @return the added commands per session
		 */
		public double addedRedisCommandsPerSession() {
			return (this.burstRedis.total() - redisCommandsPerPlainRequest() * this.burstRequests)
					/ this.settings.sessions();
		}

		/**
		 * The same as {@link #addedRedisCommandsPerSession()} for one command.
		 * @param command the command, e.g. {@code exists}
		 * @return the added calls per session
		 */
		public double addedRedisCallsPerSession(String command) {
			double plain = (double) this.laterRedis.calls(command) / Math.max(1, this.laterRequests);
			return (this.burstRedis.calls(command) - plain * this.burstRequests) / this.settings.sessions();
		}

		/**
		 * One line per figure, for logs.
		 * @return the summary
		 */
		public String summary() {
			return String.format(Locale.ROOT,
					"cluster-lock=%s: %d nodes x %d sessions, %d burst requests: %d refresh calls (+%d later), "
							+ "refreshes per node %s, %d sign-outs %s, %d non-2xx, statuses %s, Redis %.1f commands per "
							+ "refresh %s, burst p50 %.1f ms p99 %.1f ms, single refresh %.1f ms, phases (ms) %s",
					this.settings.clusterLock(), this.settings.nodes(), this.settings.sessions(), this.burstRequests,
					this.refreshCalls, this.refreshCallsAfterBurst, this.refreshesPerNode, this.signOuts,
					this.signOutReasons, non2xx(), this.statuses, redisCommandsPerRefresh(), this.burstRedis.calls(),
					this.burstLatency.p50Millis(), this.burstLatency.p99Millis(),
					this.singleRefreshLatency.p50Millis(), this.phaseMillis);
		}

	}

	/**
	 * Latency percentiles.
	 *
	 * @param samples how many requests
	 * @param p50Nanos median
	 * @param p99Nanos 99th percentile
	 * @param maxNanos slowest
	 */
	public record Latencies(int samples, long p50Nanos, long p99Nanos, long maxNanos) {

		static Latencies of(long[] nanos) {
			if (nanos.length == 0) {
				return new Latencies(0, 0, 0, 0);
			}
			long[] sorted = nanos.clone();
			Arrays.sort(sorted);
			return new Latencies(sorted.length, percentile(sorted, 50), percentile(sorted, 99),
					sorted[sorted.length - 1]);
		}

		private static long percentile(long[] sorted, int percentile) {
			int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
			return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
		}

		/**
		 * @return the median in milliseconds
		 */
		public double p50Millis() {
			return this.p50Nanos / 1e6;
		}

		/**
		 * @return the 99th percentile in milliseconds
		 */
		public double p99Millis() {
			return this.p99Nanos / 1e6;
		}

		/**
		 * @return the slowest in milliseconds
		 */
		public double maxMillis() {
			return this.maxNanos / 1e6;
		}

	}

	/** A signed-in session: its cookie and its user's name. */
	record SignedIn(String cookie, String name) {

		@Override
		public String toString() {
			return "SignedIn[cookie=***, name=" + this.name + "]";
		}

	}

	record Answer(int status, String body, long nanos) {
	}

	/** The answers of one round. */
	record Round(long[] latencies, SortedMap<Integer, Integer> statuses, int wrongBodies, long wallNanos) {
	}

	/** Sends the requests: a bounded pool of threads, one keep-alive HTTP client. */
	private static final class Client {

		private final HttpClient http;

		private final ExecutorService pool;

		private final List<ConfigurableApplicationContext> nodes;

		Client(HttpClient http, ExecutorService pool, List<ConfigurableApplicationContext> nodes) {
			this.http = http;
			this.pool = pool;
			this.nodes = nodes;
		}

		List<SignedIn> signIn(IdaasSimulator idaas, int count) throws Exception {
			List<Future<SignedIn>> futures = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				int index = i;
				SimulatedUser user = SimulatedUser.of(String.format(Locale.ROOT, "load%05d", i), "Load User " + i,
						String.format(Locale.ROOT, "+86139%08d", i), String.format(Locale.ROOT, "load%05d@example.com", i));
				String code = idaas.issueAppleCode(user);
				futures.add(this.pool.submit(() -> signIn(index % this.nodes.size(), code)));
			}
			List<SignedIn> signedIn = new ArrayList<>();
			for (Future<SignedIn> future : futures) {
				signedIn.add(future.get(60, TimeUnit.SECONDS));
			}
			return signedIn;
		}

		private SignedIn signIn(int node, String code) throws Exception {
			HttpRequest login = HttpRequest.newBuilder(ClusterNodes.uri(this.nodes.get(node), "/login/idaas/apple"))
				.header("Content-Type", "application/json")
				.header("Accept", "application/json")
				.timeout(Duration.ofSeconds(30))
				.POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"" + code + "\"}"))
				.build();
			HttpResponse<String> response = this.http.send(login, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("sign-in answered " + response.statusCode());
			}
			String cookie = ClusterNodes.sessionCookie(response)
				.orElseThrow(() -> new IllegalStateException("sign-in set no SESSION cookie"));
			Answer me = get(node, new SignedIn(cookie, ""));
			if (me.status() != 200 || me.body().isBlank()) {
				throw new IllegalStateException("signed-in session answered " + me.status());
			}
			return new SignedIn(cookie, me.body());
		}

		Answer get(int node, SignedIn session) {
			HttpRequest request = HttpRequest.newBuilder(ClusterNodes.uri(this.nodes.get(node), "/me"))
				.header("Cookie", session.cookie())
				.header("Accept", "application/json")
				.timeout(Duration.ofSeconds(30))
				.GET()
				.build();
			long start = System.nanoTime();
			try {
				HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
				return new Answer(response.statusCode(), response.body(), System.nanoTime() - start);
			}
			catch (Exception ex) {
				if (ex instanceof InterruptedException) {
					Thread.currentThread().interrupt();
				}
				return new Answer(-1, String.valueOf(ex), System.nanoTime() - start);
			}
		}

		/**
		 * For every session, {@code perNode} requests through every node, started together;
		 * sessions queue for the pool in order.
		 */
		Round round(List<SignedIn> sessions, int perNode) throws Exception {
			int group = this.nodes.size() * perNode;
			long[] latencies = new long[sessions.size() * group];
			long[] starts = new long[latencies.length];
			long[] ends = new long[latencies.length];
			int[] statuses = new int[latencies.length];
			boolean[] wrongBody = new boolean[latencies.length];
			List<Future<?>> futures = new ArrayList<>(latencies.length);
			for (int s = 0; s < sessions.size(); s++) {
				SignedIn session = sessions.get(s);
				CountDownLatch together = new CountDownLatch(group);
				for (int r = 0; r < group; r++) {
					int index = s * group + r;
					int node = r % this.nodes.size();
					futures.add(this.pool.submit(() -> {
						together.countDown();
						together.await(60, TimeUnit.SECONDS);
						starts[index] = System.nanoTime();
						Answer answer = get(node, session);
						ends[index] = System.nanoTime();
						latencies[index] = answer.nanos();
						statuses[index] = answer.status();
						wrongBody[index] = answer.status() == 200 && !answer.body().equals(session.name());
						return null;
					}));
				}
			}
			for (Future<?> future : futures) {
				future.get(10, TimeUnit.MINUTES);
			}
			SortedMap<Integer, Integer> byStatus = new TreeMap<>();
			int wrong = 0;
			for (int i = 0; i < latencies.length; i++) {
				byStatus.merge(statuses[i], 1, Integer::sum);
				wrong += wrongBody[i] ? 1 : 0;
			}
			long wall = Arrays.stream(ends).max().orElse(0) - Arrays.stream(starts).min().orElse(0);
			return new Round(latencies, byStatus, wrong, wall);
		}

		int[] refreshedPerNode() {
			return this.nodes.stream().mapToInt((node) -> node.getBean(SessionEvents.class).refreshed.get()).toArray();
		}

		Map<String, Integer> signOutReasons() {
			Map<String, Integer> reasons = new TreeMap<>();
			this.nodes.forEach((node) -> node.getBean(SessionEvents.class).reasons
				.forEach((reason, count) -> reasons.merge(reason, count.get(), Integer::sum)));
			return reasons;
		}

		int signOuts() {
			return this.nodes.stream().mapToInt((node) -> node.getBean(SessionEvents.class).signedOut.get()).sum();
		}

	}

	/** A node: the starter's defaults, {@code /me}, and counters of the session events. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import({ MeController.class, SessionEvents.class })
	static class LoadNodeApplication {

	}

	@RestController
	static class MeController {

		@GetMapping("/me")
		String me(Authentication authentication) {
			return authentication.getName();
		}

	}

	/** Counts the refreshes and sign-outs of one node. */
	static class SessionEvents {

		final AtomicInteger refreshed = new AtomicInteger();

		final AtomicInteger signedOut = new AtomicInteger();

		final Map<String, AtomicInteger> reasons = new ConcurrentHashMap<>();

		@EventListener
		void on(IdTokenRefreshedEvent event) {
			this.refreshed.incrementAndGet();
		}

		@EventListener
		void on(IdaasSessionEndedEvent event) {
			this.signedOut.incrementAndGet();
			this.reasons.computeIfAbsent(event.getReason() + "/" + event.getErrorCode(), (key) -> new AtomicInteger())
				.incrementAndGet();
		}

	}

}

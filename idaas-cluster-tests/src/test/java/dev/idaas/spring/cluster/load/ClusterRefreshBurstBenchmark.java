package dev.idaas.spring.cluster.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Function;

import dev.idaas.spring.cluster.load.ClusterRefreshBurst.Result;
import dev.idaas.spring.cluster.load.ClusterRefreshBurst.Settings;
import dev.idaas.spring.web.RedisServerProcess;

/**
 * {@code benchmarks/run.sh cluster}: the {@link ClusterRefreshBurst} at full size, with the
 * cluster lock on and then off, after a small warm-up run, printed side by side. Exits with 1
 * when the lock-on run misses a target (exactly one refresh call per session, no sign-out, no
 * non-2xx answer).
 * <p>
 * Arguments: {@code [nodes=3] [sessions=1000] [requestsPerNode=2] [rounds=2] [clientThreads=48]
 * [singleRefreshes=30]}.
 */
public final class ClusterRefreshBurstBenchmark {

	private ClusterRefreshBurstBenchmark() {
	}

	/**
	 * Runs the warm-up, the lock-on and the lock-off run, and prints the table.
	 * @param args {@code [nodes] [sessions] [requestsPerNode] [rounds] [clientThreads] [singleRefreshes]}
	 * @throws Exception when Redis, a node or the simulator cannot start
	 */
	public static void main(String[] args) throws Exception {
		int nodes = intArg(args, 0, 3);
		int sessions = intArg(args, 1, 1000);
		int requestsPerNode = intArg(args, 2, 2);
		int rounds = intArg(args, 3, 2);
		int clientThreads = intArg(args, 4, 48);
		int singles = intArg(args, 5, 30);
		Settings lockOn = new Settings(nodes, sessions, requestsPerNode, rounds, clientThreads, singles, true);
		System.out.printf(Locale.ROOT, "Cluster refresh burst: %d nodes, %d sessions, %d request(s) per node per session "
				+ "at once, %d round(s), %d client threads, %d single refreshes (last %d measured)%n", nodes, sessions,
				requestsPerNode, rounds, clientThreads, singles, singles - singles / 3);
		System.out.printf(Locale.ROOT, "Machine: %d CPUs, %s %s, Java %s; load average before: %s%n",
				Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
				System.getProperty("os.version"), System.getProperty("java.version"), loadAverage());
		List<Result> results = new ArrayList<>();
		try (RedisServerProcess redis = RedisServerProcess.start()) {
			Result warmup = ClusterRefreshBurst
				.run(new Settings(nodes, Math.min(100, sessions), requestsPerNode, 1, clientThreads, 3, true), redis);
			System.out.println("warm-up (discarded): " + warmup.summary());
			for (boolean lock : new boolean[] { true, false }) {
				Result result = ClusterRefreshBurst.run(lockOn.withClusterLock(lock), redis);
				System.out.println("run: " + result.summary());
				results.add(result);
			}
		}
		System.out.printf(Locale.ROOT, "Load average after: %s; JVM uptime %d s%n%n", loadAverage(),
				ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
		Result on = results.get(0);
		Result off = results.get(1);
		row("", "lock on", "lock off");
		row("upstream refresh calls, burst (target " + sessions + ")", on, off, (r) -> r.refreshCalls());
		row("upstream refresh calls, later rounds (target 0)", on, off, (r) -> r.refreshCallsAfterBurst());
		row("successful refreshes per node", on, off, (r) -> r.refreshesPerNode());
		row("sign-outs (target 0)", on, off, (r) -> r.signOuts() + (r.signOuts() > 0 ? " " + r.signOutReasons() : ""));
		row("non-2xx answers (target 0)", on, off, (r) -> r.non2xx());
		row("answers by status, all rounds", on, off, (r) -> r.statuses());
		row("200s naming another user", on, off, (r) -> r.wrongBodies());
		row("burst requests / later-round requests", on, off, (r) -> r.burstRequests() + " / " + r.laterRequests());
		row("Redis commands, burst round", on, off, (r) -> r.burstRedis().total());
		row("Redis commands per upstream refresh call", on, off, (r) -> fmt(r.redisCommandsPerRefresh()));
		row("Redis commands per session, burst round", on, off, (r) -> fmt(r.redisCommandsPerSession()));
		row("Redis commands per request without refresh", on, off, (r) -> fmt(r.redisCommandsPerPlainRequest()));
		row("Redis commands the refresh adds per session", on, off, (r) -> fmt(r.addedRedisCommandsPerSession()));
		TreeSet<String> commands = new TreeSet<>(on.burstRedis().calls().keySet());
		commands.addAll(off.burstRedis().calls().keySet());
		for (String command : commands) {
			row("  " + command + ": per session in the burst / added", on, off,
					(r) -> fmt((double) r.burstRedis().calls(command) / r.settings().sessions()) + " / "
							+ fmt(r.addedRedisCallsPerSession(command)));
		}
		row("single uncontended refresh, median ms", on, off, (r) -> fmt(r.singleRefreshLatency().p50Millis()));
		row("request without refresh (later rounds), p50 ms", on, off, (r) -> fmt(r.laterLatency().p50Millis()));
		row("burst request p50 ms", on, off, (r) -> fmt(r.burstLatency().p50Millis()));
		row("burst request p99 ms", on, off, (r) -> fmt(r.burstLatency().p99Millis()));
		row("burst request max ms", on, off, (r) -> fmt(r.burstLatency().maxMillis()));
		row("added over single refresh, p50 ms", on, off,
				(r) -> fmt(r.burstLatency().p50Millis() - r.singleRefreshLatency().p50Millis()));
		row("added over single refresh, p99 ms", on, off,
				(r) -> fmt(r.burstLatency().p99Millis() - r.singleRefreshLatency().p50Millis()));
		row("burst p50 / single refresh", on, off,
				(r) -> fmt(r.burstLatency().p50Millis() / r.singleRefreshLatency().p50Millis()));
		row("burst p99 / single refresh", on, off,
				(r) -> fmt(r.burstLatency().p99Millis() / r.singleRefreshLatency().p50Millis()));
		row("burst p50 added over requests without refresh, ms", on, off,
				(r) -> fmt(r.burstLatency().p50Millis() - r.laterLatency().p50Millis()));
		row("whole burst round, s", on, off, (r) -> fmt(r.burstWallNanos() / 1e9));
		row("phases, ms", on, off, (r) -> r.phaseMillis());
		List<String> missed = new ArrayList<>();
		if (on.refreshCalls() != sessions) {
			missed.add("refresh calls " + on.refreshCalls() + " != " + sessions);
		}
		if (on.refreshCallsAfterBurst() != 0) {
			missed.add("refresh calls after the burst " + on.refreshCallsAfterBurst());
		}
		if (on.signOuts() != 0) {
			missed.add("sign-outs " + on.signOuts());
		}
		if (on.non2xx() != 0) {
			missed.add("non-2xx " + on.non2xx());
		}
		System.out.println();
		if (missed.isEmpty()) {
			System.out.println("Targets (lock on): met");
		}
		else {
			System.out.println("Targets (lock on): MISSED: " + String.join(", ", missed));
			System.exit(1);
		}
	}

	private static void row(String name, Result on, Result off, Function<Result, Object> figure) {
		row(name, String.valueOf(figure.apply(on)), String.valueOf(figure.apply(off)));
	}

	private static void row(String name, String on, String off) {
		System.out.printf(Locale.ROOT, "%-52s %-28s %s%n", name, on, off);
	}

	private static String fmt(double value) {
		return String.format(Locale.ROOT, "%.2f", value);
	}

	private static int intArg(String[] args, int index, int fallback) {
		return (args.length > index) ? Integer.parseInt(args[index]) : fallback;
	}

	private static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).trim();
		}
		catch (IOException ex) {
			return String.format(Locale.ROOT, "%.2f (1 min)",
					ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
		}
	}

}

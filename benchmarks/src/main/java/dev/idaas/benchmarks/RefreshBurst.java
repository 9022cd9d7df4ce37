package dev.idaas.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.Filter;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.test.simulator.MutableClock;
import dev.idaas.spring.web.session.IdTokenRefreshFilter;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;

/**
 * The refresh burst: N concurrent requests of one session whose id_token has expired, through
 * {@code SecurityContextHolderFilter} → {@code IdTokenRefreshFilter} → a servlet, against the
 * real simulator on loopback. Reports the upstream refresh calls per burst (must be 1) and the
 * per-request latency of the burst (p50/p99/max) next to a single, uncontended refresh
 * measured in the same run, for each simulated upstream delay.
 * <p>
 * Arguments: {@code [requests=200] [rounds=10] [warmupRounds=5] [upstreamDelaysMs=0,100]}.
 */
public final class RefreshBurst {

	private RefreshBurst() {
	}

	public static void main(String[] args) throws Exception {
		int requests = (args.length > 0) ? Integer.parseInt(args[0]) : 200;
		int rounds = (args.length > 1) ? Integer.parseInt(args[1]) : 10;
		int warmupRounds = (args.length > 2) ? Integer.parseInt(args[2]) : 5;
		long[] delays = Arrays.stream(((args.length > 3) ? args[3] : "0,100").split(","))
			.mapToLong(Long::parseLong)
			.toArray();
		MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
		boolean allSingleFlight = true;
		try (RefreshStack stack = new RefreshStack(clock, Duration.ofMinutes(5))) {
			Filter[] filters = stack.filters(true);
			System.out.printf(Locale.ROOT, "Refresh burst: %d concurrent requests of one session, %d rounds (+%d warm-up)%n",
					requests, rounds, warmupRounds);
			for (long delayMs : delays) {
				Duration delay = Duration.ofMillis(delayMs);
				// warm-up: single refreshes and bursts, results discarded
				for (int i = 0; i < warmupRounds; i++) {
					single(stack, clock, filters, delay);
					burst(stack, clock, filters, requests, delay);
				}
				long[] singles = new long[rounds];
				long[] upstream = new long[rounds];
				long[] walls = new long[rounds];
				long[] roundMax = new long[rounds];
				List<Long> latencies = new ArrayList<>();
				int[] refreshCalls = new int[rounds];
				int failures = 0;
				for (int i = 0; i < rounds; i++) {
					upstream[i] = upstreamRoundTrip(stack, delay);
					singles[i] = single(stack, clock, filters, delay);
					Burst burst = burst(stack, clock, filters, requests, delay);
					refreshCalls[i] = burst.refreshCalls;
					walls[i] = burst.wall;
					roundMax[i] = Arrays.stream(burst.latencies).max().getAsLong();
					failures += burst.failures;
					for (long latency : burst.latencies) {
						latencies.add(latency);
					}
				}
				long[] all = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
				Arrays.sort(singles);
				Arrays.sort(upstream);
				String perRound = Arrays.stream(roundMax)
					.mapToObj((nanos) -> String.format(Locale.ROOT, "%.0f", ms(nanos)))
					.toList()
					.toString();
				Arrays.sort(walls);
				double singleMs = ms(singles[singles.length / 2]);
				double upstreamMs = ms(upstream[upstream.length / 2]);
				double p50 = ms(percentile(all, 50));
				double p99 = ms(percentile(all, 99));
				double max = ms(all[all.length - 1]);
				boolean singleFlight = Arrays.stream(refreshCalls).allMatch((calls) -> calls == 1) && failures == 0;
				allSingleFlight &= singleFlight;
				System.out.printf(Locale.ROOT, "%nupstream delay %d ms%n", delayMs);
				System.out.printf(Locale.ROOT, "  upstream refresh calls per burst: %s (non-200 answers: %d)%n",
						Arrays.toString(refreshCalls), failures);
				System.out.printf(Locale.ROOT, "  raw upstream round trip (client.refreshIdToken), median: %.2f ms%n",
						upstreamMs);
				System.out.printf(Locale.ROOT, "  single expired request through the filter, median: %.2f ms%n", singleMs);
				System.out.printf(Locale.ROOT, "  burst latency per request (%d samples): p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
						all.length, p50, p99, max);
				System.out.printf(Locale.ROOT, "  slowest request of each burst, in order (ms): %s%n", perRound);
				System.out.printf(Locale.ROOT, "  whole burst (first request in to last out), median: %.2f ms%n",
						ms(walls[walls.length / 2]));
				System.out.printf(Locale.ROOT, "  burst p50 / single refresh = %.2f, burst p99 / single refresh = %.2f%n",
						p50 / singleMs, p99 / singleMs);
				System.out.printf(Locale.ROOT, "  added over single refresh: p50 %+.2f ms, p99 %+.2f ms%n", p50 - singleMs,
						p99 - singleMs);
			}
		}
		if (!allSingleFlight) {
			System.out.println("FAILED: a burst made more than one upstream refresh call or answered non-200");
			System.exit(1);
		}
	}

	/** One refresh call straight to the upstream, with a separate sign-in so no test session is touched. */
	private static long upstreamRoundTrip(RefreshStack stack, Duration delay) {
		String sessionToken = stack.idaas.issueSessionToken(stack.alice);
		delayNext(stack, delay);
		long start = System.nanoTime();
		stack.client.refreshIdToken(sessionToken, RefreshStack.DEVICE);
		return System.nanoTime() - start;
	}

	/** One request of an expired session, alone: refresh, verify, store, serve. */
	private static long single(RefreshStack stack, MutableClock clock, Filter[] filters, Duration delay)
			throws Exception {
		MockHttpSession session = expiredSession(stack, clock);
		delayNext(stack, delay);
		int before = stack.idaas.refreshRequestCount();
		long start = System.nanoTime();
		MockHttpServletResponse response = serve(filters, session);
		long elapsed = System.nanoTime() - start;
		check(response.getStatus() == 200 && stack.idaas.refreshRequestCount() == before + 1,
				"single refresh failed: " + response.getStatus());
		return elapsed;
	}

	private static Burst burst(RefreshStack stack, MutableClock clock, Filter[] filters, int requests, Duration delay)
			throws Exception {
		MockHttpSession session = expiredSession(stack, clock);
		delayNext(stack, delay);
		int before = stack.idaas.refreshRequestCount();
		CountDownLatch ready = new CountDownLatch(requests);
		CountDownLatch go = new CountDownLatch(1);
		long[] latencies = new long[requests];
		long[] ends = new long[requests];
		long[] starts = new long[requests];
		AtomicInteger failures = new AtomicInteger();
		List<Thread> threads = new ArrayList<>(requests);
		for (int i = 0; i < requests; i++) {
			int index = i;
			Thread thread = new Thread(() -> {
				ready.countDown();
				try {
					go.await();
					long start = System.nanoTime();
					MockHttpServletResponse response = serve(filters, session);
					long end = System.nanoTime();
					starts[index] = start;
					ends[index] = end;
					latencies[index] = end - start;
					if (response.getStatus() != 200) {
						failures.incrementAndGet();
					}
				}
				catch (Exception ex) {
					failures.incrementAndGet();
				}
			}, "burst-" + i);
			threads.add(thread);
			thread.start();
		}
		ready.await();
		go.countDown();
		for (Thread thread : threads) {
			thread.join();
		}
		long wall = Arrays.stream(ends).max().getAsLong() - Arrays.stream(starts).min().getAsLong();
		return new Burst(latencies, wall, stack.idaas.refreshRequestCount() - before, failures.get());
	}

	private static MockHttpServletResponse serve(Filter[] filters, MockHttpSession session) throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/me");
		request.setSession(session);
		request.addHeader("Accept", "application/json");
		MockHttpServletResponse response = new MockHttpServletResponse();
		new MockFilterChain(new RefreshStack.MeServlet(), filters).doFilter(request, response);
		return response;
	}

	/** A new sign-in whose id_token has expired (the session token has not). */
	private static MockHttpSession expiredSession(RefreshStack stack, MutableClock clock) {
		IdaasAuthenticationToken authentication = stack.signIn();
		MockHttpSession session = new SynchronizedHttpSession();
		session.setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY,
				new SecurityContextImpl(authentication));
		clock.advance(Duration.ofMinutes(6));
		return session;
	}

	private static void delayNext(RefreshStack stack, Duration delay) {
		if (!delay.isZero()) {
			stack.idaas.delayNext(delay);
		}
	}

	private static long percentile(long[] sorted, int percentile) {
		int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
	}

	private static double ms(long nanos) {
		return nanos / 1_000_000.0;
	}

	private static void check(boolean condition, String message) {
		if (!condition) {
			throw new IllegalStateException(message);
		}
	}

	private record Burst(long[] latencies, long wall, int refreshCalls, int failures) {
	}

}

package dev.idaas.benchmarks.throughput;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.SimulatedUser;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code GET /api/me} throughput of the app signed in through the starter against the same app
 * with plain form login, both in this JVM on 127.0.0.1, driven by {@code wrk} when installed
 * (else a bounded Java {@link HttpClient} loop). Rounds alternate A B B A ... so drift hits both
 * apps alike; the ratio is starter / form login over the sum of all measured rounds.
 * <p>
 * Arguments: {@code [seconds per round=10] [rounds per app=4] [connections=16] [warm-up seconds=15]}.
 */
public final class ThroughputComparison {

	private static final HttpClient http = HttpClient.newBuilder()
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	private ThroughputComparison() {
	}

	public static void main(String[] args) throws Exception {
		int seconds = (args.length > 0) ? Integer.parseInt(args[0]) : 10;
		int rounds = (args.length > 1) ? Integer.parseInt(args[1]) : 4;
		int connections = (args.length > 2) ? Integer.parseInt(args[2]) : 16;
		int warmup = (args.length > 3) ? Integer.parseInt(args[3]) : 15;
		boolean wrk = wrkInstalled();
		SimulatedUser alice = SimulatedUser.of("alice", "Alice", "+8613800000001", "alice@example.com");
		try (IdaasSimulator idaas = new IdaasSimulator().idTokenTtl(Duration.ofHours(1)).start()) {
			idaas.registerUser(alice);
			try (ConfigurableApplicationContext starter = new SpringApplicationBuilder(StarterApp.class)
				.properties(common()).properties("idaas.base-url=" + idaas.baseUrl(), "idaas.client-id=" + idaas.clientId())
				.run();
					ConfigurableApplicationContext form = new SpringApplicationBuilder(FormLoginApp.class)
						.properties(common()).properties("idaas.enabled=false")
						.run()) {
				App a = new App("starter (IDaaS DSL)", port(starter), starter.getBean(MeController.class),
						signInThroughStarter(port(starter), idaas.issueAppleCode(alice)));
				App b = new App("form login", port(form), form.getBean(MeController.class),
						signInWithForm(port(form)));
				System.out.printf(Locale.ROOT, "Load: %s, %d connections, %d s per round, %d rounds per app, %d s warm-up each%n",
						wrk ? "wrk -t2" : "Java HttpClient, 2 threads", connections, seconds, rounds, warmup);
				for (App app : List.of(a, b)) {
					load(app, warmup, connections, wrk);
				}
				int refreshesBefore = idaas.refreshRequestCount();
				List<App> order = new ArrayList<>();
				for (int i = 0; i < rounds; i++) {
					order.addAll((i % 2 == 0) ? List.of(a, b) : List.of(b, a));
				}
				for (App app : order) {
					Round round = load(app, seconds, connections, wrk);
					app.rounds.add(round);
					System.out.printf(Locale.ROOT, "  %-20s %10.1f req/s  (requests %d, served signed in %d)%n", app.name,
							round.requestsPerSecond(), round.requests, round.served);
				}
				double rpsA = a.requestsPerSecond();
				double rpsB = b.requestsPerSecond();
				System.out.printf(Locale.ROOT, "%n%-20s %10.1f req/s%n%-20s %10.1f req/s%n", a.name, rpsA, b.name, rpsB);
				System.out.printf(Locale.ROOT, "ratio starter / form login = %.3f (target >= 0.95)%n", rpsA / rpsB);
				System.out.printf(Locale.ROOT, "upstream refresh calls during the measured rounds: %d%n",
						idaas.refreshRequestCount() - refreshesBefore);
			}
		}
	}

	private static String[] common() {
		return new String[] { "server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
				"logging.level.root=WARN", "spring.jmx.enabled=false" };
	}

	private static int port(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
	}

	/** {@code POST /login/idaas/apple} with a simulator-issued Apple code, as a native app does. */
	private static String signInThroughStarter(int port, String code) throws Exception {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(port, "/login/idaas/apple"))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"" + code + "\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		check(response.statusCode() == 200, "starter sign-in answered " + response.statusCode());
		return signedIn(port, sessionCookie(response));
	}

	/** {@code GET /login} for the CSRF token, then {@code POST /login} with it. */
	private static String signInWithForm(int port) throws Exception {
		HttpResponse<String> page = http.send(HttpRequest.newBuilder(uri(port, "/login")).build(),
				HttpResponse.BodyHandlers.ofString());
		Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(page.body());
		check(csrf.find(), "no CSRF token on the login page");
		String form = "username=" + FormLoginApp.USERNAME + "&password=" + FormLoginApp.PASSWORD + "&_csrf="
				+ URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(port, "/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Cookie", sessionCookie(page))
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), HttpResponse.BodyHandlers.ofString());
		check(response.statusCode() == 302 && !response.headers().firstValue("Location").orElse("").contains("error"),
				"form sign-in answered " + response.statusCode());
		return signedIn(port, sessionCookie(response));
	}

	private static String signedIn(int port, String cookie) throws Exception {
		HttpResponse<String> me = http.send(me(port, cookie), HttpResponse.BodyHandlers.ofString());
		check(me.statusCode() == 200 && me.body().contains("\"name\""), "GET /api/me answered " + me.statusCode());
		return cookie;
	}

	private static Round load(App app, int seconds, int connections, boolean wrk) throws Exception {
		long servedBefore = app.controller.served.get();
		long requests = wrk ? wrk(app, seconds, connections) : javaLoop(app, seconds, connections);
		long served = app.controller.served.get() - servedBefore;
		// every request must have reached /api/me signed in; wrk does not count the ones in flight
		// when it stops, and their late answers may land in the next round's count
		check(served >= requests - connections && served <= requests + 2L * connections, app.name + ": " + requests + " requests but " + served
				+ " served signed in");
		return new Round(requests, served, seconds);
	}

	private static long wrk(App app, int seconds, int connections) throws Exception {
		Process process = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--timeout", "5s",
				"-H", "Cookie: " + app.cookie, "-H", "Accept: application/json", uri(app.port, "/api/me").toString())
			.redirectErrorStream(true)
			.start();
		StringBuilder output = new StringBuilder();
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
			reader.lines().forEach((line) -> output.append(line).append('\n'));
		}
		check(process.waitFor() == 0, "wrk failed:\n" + output);
		check(!output.toString().contains("Non-2xx"), "wrk saw non-2xx answers:\n" + output);
		Matcher total = Pattern.compile("(\\d+) requests in").matcher(output);
		check(total.find(), "no request count in wrk's output:\n" + output);
		return Long.parseLong(total.group(1));
	}

	/** The fallback: bounded in time, 2 threads each keeping connections/2 requests going. */
	private static long javaLoop(App app, int seconds, int connections) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
		AtomicLong ok = new AtomicLong();
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < connections; i++) {
			Thread thread = new Thread(() -> {
				HttpRequest request = me(app.port, app.cookie);
				while (System.nanoTime() < deadline) {
					try {
						if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
							ok.incrementAndGet();
						}
					}
					catch (Exception ex) {
						return;
					}
				}
			});
			threads.add(thread);
			thread.start();
		}
		for (Thread thread : threads) {
			thread.join();
		}
		return ok.get();
	}

	private static HttpRequest me(int port, String cookie) {
		return HttpRequest.newBuilder(uri(port, "/api/me"))
			.header("Cookie", cookie)
			.header("Accept", "application/json")
			.build();
	}

	private static String sessionCookie(HttpResponse<?> response) {
		return response.headers()
			.allValues("Set-Cookie")
			.stream()
			.filter((value) -> value.startsWith("JSESSIONID="))
			.map((value) -> value.substring(0, value.indexOf(';')))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("no session cookie"));
	}

	private static URI uri(int port, String path) {
		return URI.create("http://127.0.0.1:" + port + path);
	}

	private static boolean wrkInstalled() {
		return System.getenv("PATH") != null && java.util.Arrays.stream(System.getenv("PATH").split(":"))
			.anyMatch((dir) -> Files.isExecutable(Path.of(dir, "wrk")));
	}

	private static void check(boolean condition, String message) {
		if (!condition) {
			throw new IllegalStateException(message);
		}
	}

	private record Round(long requests, long served, int seconds) {

		double requestsPerSecond() {
			return this.requests / (double) this.seconds;
		}

	}

	private static final class App {

		final String name;

		final int port;

		final MeController controller;

		final String cookie;

		final List<Round> rounds = new ArrayList<>();

		App(String name, int port, MeController controller, String cookie) {
			this.name = name;
			this.port = port;
			this.controller = controller;
			this.cookie = cookie;
		}

		double requestsPerSecond() {
			return this.rounds.stream().mapToLong(Round::requests).sum()
					/ (double) this.rounds.stream().mapToInt(Round::seconds).sum();
		}

	}

}

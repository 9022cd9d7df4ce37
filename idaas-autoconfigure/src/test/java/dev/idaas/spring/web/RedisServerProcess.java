package dev.idaas.spring.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * A throw-away {@code redis-server} on a free loopback port, without persistence, for the
 * {@code *RedisTests}. Tests are skipped (with the reason) when the binary is missing, unless
 * {@code IDAAS_REQUIRE_REDIS=true}, where they fail.
 */
public final class RedisServerProcess implements AutoCloseable {

	/** The Debian package's binary; {@code REDIS_SERVER} overrides it. */
	static final Path DEFAULT_BINARY = Path.of("/usr/bin/redis-server");

	private final Process process;

	private final int port;

	private RedisServerProcess(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/**
	 * Starts a server and waits until it answers {@code PING}; aborts the calling test (or
	 * fails it when Redis is required) when no binary is installed.
	 */
	public static RedisServerProcess start() throws IOException {
		String override = System.getenv("REDIS_SERVER");
		Path binary = (override != null && !override.isBlank()) ? Path.of(override) : DEFAULT_BINARY;
		if (!Files.isExecutable(binary)) {
			String reason = "redis-server not found at " + binary + " (apt-get install redis-server, or set REDIS_SERVER)";
			if ("true".equalsIgnoreCase(System.getenv("IDAAS_REQUIRE_REDIS"))) {
				fail(reason + " but IDAAS_REQUIRE_REDIS=true");
			}
			Assumptions.abort(reason);
		}
		int port = freePort();
		Process process = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--save", "",
				"--appendonly", "no", "--bind", "127.0.0.1")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		RedisServerProcess server = new RedisServerProcess(process, port);
		try {
			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(20))
				.ignoreExceptions()
				.until(() -> process.isAlive() && server.ping());
		}
		catch (RuntimeException | Error ex) {
			server.close();
			throw ex;
		}
		return server;
	}

	/** The port the server listens on, at {@code 127.0.0.1}. */
	public int port() {
		return this.port;
	}

	/** A started Lettuce connection factory for this server; the caller destroys it. */
	public LettuceConnectionFactory connectionFactory() {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", this.port));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	private boolean ping() throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 500);
			socket.setSoTimeout(500);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] answer = in.readNBytes(7);
			return "+PONG\r\n".equals(new String(answer, StandardCharsets.US_ASCII));
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
	}

}

package dev.idaas.spring.cluster.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code INFO commandstats} of a Redis server: calls per command, read over a plain socket
 * (so the reading itself costs one {@code INFO}, which is left out).
 *
 * @param calls calls per command name (lower case, e.g. {@code hgetall}, {@code client|setinfo})
 */
public record RedisCommandStats(Map<String, Long> calls) {

	/**
	 * Copies the map.
	 * @param calls calls per command name
	 */
	public RedisCommandStats {
		calls = Map.copyOf(calls);
	}

	/**
	 * Reads the current counters.
	 * @param port the server's port on {@code 127.0.0.1}
	 * @return the counters, without {@code info}
	 * @throws IOException when the server cannot be read
	 */
	public static RedisCommandStats read(int port) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			out.write("*2\r\n$4\r\nINFO\r\n$12\r\ncommandstats\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			String header = readLine(in);
			if (!header.startsWith("$")) {
				throw new IOException("Unexpected answer to INFO: " + header);
			}
			int length = Integer.parseInt(header.substring(1));
			String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
			return parse(body);
		}
	}

	static RedisCommandStats parse(String info) {
		Map<String, Long> calls = new TreeMap<>();
		for (String line : info.split("\r?\n")) {
			if (!line.startsWith("cmdstat_")) {
				continue;
			}
			int colon = line.indexOf(':');
			String command = line.substring("cmdstat_".length(), colon);
			for (String field : line.substring(colon + 1).split(",")) {
				if (field.startsWith("calls=")) {
					calls.put(command, Long.parseLong(field.substring("calls=".length())));
				}
			}
		}
		calls.remove("info");
		return new RedisCommandStats(calls);
	}

	/**
	 * The calls made since an earlier reading, per command, leaving out commands not called.
	 * @param before the earlier reading
	 * @return the difference
	 */
	public RedisCommandStats minus(RedisCommandStats before) {
		Map<String, Long> delta = new TreeMap<>();
		this.calls.forEach((command, count) -> {
			long difference = count - before.calls.getOrDefault(command, 0L);
			if (difference != 0) {
				delta.put(command, difference);
			}
		});
		return new RedisCommandStats(delta);
	}

	/**
	 * All calls.
	 * @return the sum over every command
	 */
	public long total() {
		return this.calls.values().stream().mapToLong(Long::longValue).sum();
	}

	/**
	 * The calls of one command.
	 * @param command the command name, e.g. {@code set}
	 * @return the calls, zero when never called
	 */
	public long calls(String command) {
		return this.calls.getOrDefault(command, 0L);
	}

	private static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) != -1 && b != '\n') {
			if (b != '\r') {
				line.write(b);
			}
		}
		return line.toString(StandardCharsets.US_ASCII);
	}

}

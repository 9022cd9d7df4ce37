package dev.idaas.spring.cluster.load;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

import dev.idaas.spring.web.RedisServerProcess;

/**
 * The "Recovery after an outage" benchmark ({@code benchmarks/run.sh outage}): the
 * {@link OutageScenario} at full size on the wall clock. Prints the per-second table and the
 * summary, and draws the attempt-rate curve as a PNG.
 * <p>
 * Arguments: {@code nodes sessions outage-seconds png-path} (default {@code 3 300 30
 * outage.png}). The outage is COM.0002 for its first half, closed connections for the second.
 */
public final class OutageBenchmark {

	private static final Map<OutageScenario.Phase, Color> COLORS = new EnumMap<>(Map.of(OutageScenario.Phase.SIGN_IN,
			new Color(0xB0B0B0), OutageScenario.Phase.STEADY, new Color(0x4C78A8), OutageScenario.Phase.BUSY,
			new Color(0xE45756), OutageScenario.Phase.CLOSED, new Color(0x9D2A2A), OutageScenario.Phase.RECOVERY,
			new Color(0x54A24B)));

	private OutageBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int nodes = (args.length > 0) ? Integer.parseInt(args[0]) : 3;
		int sessions = (args.length > 1) ? Integer.parseInt(args[1]) : 300;
		int outage = (args.length > 2) ? Integer.parseInt(args[2]) : 30;
		Path png = Path.of((args.length > 3) ? args[3] : "outage.png");
		// id_tokens live 60 s and are refreshed 20 s ahead: a session refreshes every ~40 s, so
		// signing in over 40 s spreads the refreshes evenly, and the 40 s after are steady state
		OutageScenario.Settings settings = new OutageScenario.Settings(nodes, sessions, Duration.ofSeconds(60),
				Duration.ofSeconds(20), 40, 40, outage / 2, outage - outage / 2, 40, 90, 16, false, List.of());
		System.out.println("Recovery after an IDaaS outage: " + nodes + " nodes x " + sessions + " sessions, "
				+ outage + " s outage; " + Runtime.getRuntime().availableProcessors() + " CPUs, "
				+ System.getProperty("java.version"));
		System.out.println(OutageScenario.Round.header());
		OutageScenario.Result result;
		try (RedisServerProcess redis = RedisServerProcess.start()) {
			result = new OutageScenario(settings).run(redis, System.out::println);
		}
		System.out.println();
		System.out.print(result.summary());
		draw(result, png);
		System.out.println("plot: " + png.toAbsolutePath());
		System.exit(0);
	}

	/**
	 * Draws upstream refresh attempts per second, one bar a round colored by phase, with the
	 * steady-state rate and twice it as lines.
	 */
	static void draw(OutageScenario.Result result, Path png) throws IOException {
		int width = 1100;
		int height = 520;
		int left = 70;
		int right = 20;
		int top = 50;
		int bottom = 70;
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, width, height);
		List<OutageScenario.Round> rounds = result.rounds();
		double steady = result.steadyRate();
		double max = Math.max(2 * steady,
				rounds.stream().mapToDouble(OutageScenario.Round::attemptsPerSecond).max().orElse(1)) * 1.1;
		double seconds = rounds.get(rounds.size() - 1).startMillis() / 1000.0
				+ rounds.get(rounds.size() - 1).durationMillis() / 1000.0;
		int plotWidth = width - left - right;
		int plotHeight = height - top - bottom;
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
		// axes and grid
		g.setColor(new Color(0xDDDDDD));
		int step = (max > 50) ? 10 : (max > 20) ? 5 : 2;
		for (int y = 0; y <= max; y += step) {
			int py = top + plotHeight - (int) (y / max * plotHeight);
			g.setColor(new Color(0xE5E5E5));
			g.drawLine(left, py, left + plotWidth, py);
			g.setColor(Color.DARK_GRAY);
			g.drawString(Integer.toString(y), left - 30, py + 4);
		}
		for (int x = 0; x <= seconds; x += 20) {
			int px = left + (int) (x / seconds * plotWidth);
			g.setColor(Color.DARK_GRAY);
			g.drawString(Integer.toString(x), px - 8, top + plotHeight + 18);
		}
		// bars
		for (OutageScenario.Round round : rounds) {
			int x0 = left + (int) (round.startMillis() / 1000.0 / seconds * plotWidth);
			int x1 = left + (int) ((round.startMillis() + round.durationMillis()) / 1000.0 / seconds * plotWidth);
			int h = (int) (round.attemptsPerSecond() / max * plotHeight);
			g.setColor(COLORS.get(round.phase()));
			g.fillRect(x0, top + plotHeight - h, Math.max(1, x1 - x0 - 1), h);
		}
		// reference lines
		g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] { 8f, 6f }, 0f));
		int steadyY = top + plotHeight - (int) (steady / max * plotHeight);
		int twiceY = top + plotHeight - (int) (2 * steady / max * plotHeight);
		g.setColor(new Color(0x4C78A8));
		g.drawLine(left, steadyY, left + plotWidth, steadyY);
		g.drawString(String.format(Locale.ROOT, "steady state %.1f/s", steady), left + plotWidth - 150, steadyY - 4);
		g.setColor(Color.BLACK);
		g.drawLine(left, twiceY, left + plotWidth, twiceY);
		g.drawString(String.format(Locale.ROOT, "target: 2x steady = %.1f/s", 2 * steady), left + plotWidth - 190,
				twiceY - 4);
		g.setStroke(new BasicStroke(1f));
		g.setColor(Color.BLACK);
		g.drawLine(left, top, left, top + plotHeight);
		g.drawLine(left, top + plotHeight, left + plotWidth, top + plotHeight);
		// titles and legend
		g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
		OutageScenario.Settings s = result.settings();
		g.drawString(String.format(Locale.ROOT,
				"Refresh attempts IDaaS received per second: %d nodes x %d sessions, %d s outage", s.nodes(),
				s.sessions(), s.busyRounds() + s.closedRounds()), left, 25);
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
		g.drawString("time since start (s)", left + plotWidth / 2 - 50, top + plotHeight + 38);
		g.drawString("attempts/s", 5, top - 8);
		int lx = left;
		for (Map.Entry<OutageScenario.Phase, Color> entry : COLORS.entrySet()) {
			g.setColor(entry.getValue());
			g.fillRect(lx, height - 22, 14, 12);
			g.setColor(Color.BLACK);
			String label = switch (entry.getKey()) {
				case SIGN_IN -> "sign-ins";
				case STEADY -> "steady state";
				case BUSY -> "outage: COM.0002";
				case CLOSED -> "outage: connections closed";
				case RECOVERY -> "recovery";
			};
			g.drawString(label, lx + 18, height - 11);
			lx += 40 + g.getFontMetrics().stringWidth(label);
		}
		g.dispose();
		Path parent = png.toAbsolutePath().getParent();
		if (parent != null) {
			Files.createDirectories(parent);
		}
		ImageIO.write(image, "png", png.toFile());
	}

}

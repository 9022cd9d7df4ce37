package dev.idaas.spring.test.simulator;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;

import javax.imageio.ImageIO;

/**
 * Draws the slider puzzles of {@code GET /api/v2/sdk/captcha}: a {@value #WIDTH}x{@value #HEIGHT}
 * background PNG with a visible jigsaw-shaped notch at a random {@code x}, and the
 * {@value #PIECE_SIZE}x{@value #PIECE_SIZE} piece PNG (transparent outside its shape) cut from
 * the same spot. The piece's top edge is always at {@value #PIECE_Y} pixels, the {@code y} of the
 * vendor's {@code point_json}; the user only slides it horizontally. Drawn with Java2D in headless
 * mode: no display is needed.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSimulator#captchaSolutionX()
 */
final class SliderCaptcha {

	/**
	 * Width of the background image.
	 */
	static final int WIDTH = 310;

	/**
	 * Height of the background image.
	 */
	static final int HEIGHT = 155;

	/**
	 * Width and height of the piece image.
	 */
	static final int PIECE_SIZE = 47;

	/**
	 * Where the piece's top edge is, in background pixels: the contract's {@code y} of 5.0.
	 */
	static final int PIECE_Y = 5;

	/**
	 * The notch never starts closer than this to the left edge, so that a piece left where it
	 * starts (x = 0) never passes.
	 */
	static final int MIN_X = 60;

	static {
		if (System.getProperty("java.awt.headless") == null) {
			System.setProperty("java.awt.headless", "true");
		}
	}

	private SliderCaptcha() {
	}

	/**
	 * Draws a new puzzle.
	 * @param random the source of the notch position and the background's shapes
	 * @return the puzzle
	 */
	static Puzzle draw(Random random) {
		int x = MIN_X + random.nextInt(WIDTH - PIECE_SIZE - 8 - MIN_X + 1);
		BufferedImage background = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = background.createGraphics();
		try {
			g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
			g.setPaint(new GradientPaint(0, 0, randomColor(random, 90, 200), WIDTH, HEIGHT,
					randomColor(random, 40, 160)));
			g.fillRect(0, 0, WIDTH, HEIGHT);
			for (int i = 0; i < 18; i++) {
				g.setColor(withAlpha(randomColor(random, 0, 255), 110));
				int size = 12 + random.nextInt(60);
				g.fillOval(random.nextInt(WIDTH) - size / 2, random.nextInt(HEIGHT) - size / 2, size, size);
			}
			g.setStroke(new BasicStroke(2f));
			for (int i = 0; i < 6; i++) {
				g.setColor(withAlpha(randomColor(random, 0, 255), 150));
				g.drawLine(random.nextInt(WIDTH), random.nextInt(HEIGHT), random.nextInt(WIDTH),
						random.nextInt(HEIGHT));
			}
		}
		finally {
			g.dispose();
		}
		Shape pieceShape = pieceShape();
		BufferedImage piece = new BufferedImage(PIECE_SIZE, PIECE_SIZE, BufferedImage.TYPE_INT_ARGB);
		Graphics2D p = piece.createGraphics();
		try {
			p.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
			p.setClip(pieceShape);
			p.drawImage(background, -x, -PIECE_Y, null);
			p.setClip(null);
			p.setColor(new Color(255, 255, 255, 230));
			p.setStroke(new BasicStroke(2f));
			p.draw(pieceShape);
		}
		finally {
			p.dispose();
		}
		Graphics2D n = background.createGraphics();
		try {
			// the notch: the piece's shape, darkened and outlined where the piece belongs
			n.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
			Shape notch = AffineTransform.getTranslateInstance(x, PIECE_Y).createTransformedShape(pieceShape);
			n.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.6f));
			n.setColor(Color.BLACK);
			n.fill(notch);
			n.setComposite(AlphaComposite.SrcOver);
			n.setColor(new Color(255, 255, 255, 200));
			n.setStroke(new BasicStroke(1.5f));
			n.draw(notch);
		}
		finally {
			n.dispose();
		}
		return new Puzzle(x, png(background), png(piece));
	}

	/**
	 * A rounded square with a knob on its right and a knob on its bottom, inside the piece box.
	 */
	private static Shape pieceShape() {
		double knob = 12;
		double body = PIECE_SIZE - knob + 2;
		Area area = new Area(new RoundRectangle2D.Double(1, 1, body - 2, body - 2, 8, 8));
		area.add(new Area(new Ellipse2D.Double(body - knob / 2 - 2, (body - knob) / 2, knob, knob)));
		area.add(new Area(new Ellipse2D.Double((body - knob) / 2, body - knob / 2 - 2, knob, knob)));
		return area;
	}

	private static Color randomColor(Random random, int min, int max) {
		return new Color(min + random.nextInt(max - min + 1), min + random.nextInt(max - min + 1),
				min + random.nextInt(max - min + 1));
	}

	private static Color withAlpha(Color color, int alpha) {
		return new Color(color.getRed(), color.getGreen(), color.getBlue(), alpha);
	}

	private static byte[] png(BufferedImage image) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
		try {
			if (!ImageIO.write(image, "png", out)) {
				throw new IllegalStateException("No PNG writer available");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	/**
	 * A drawn puzzle.
	 *
	 * @param x where the notch starts: the {@code x} that solves the puzzle
	 * @param background the background PNG
	 * @param piece the piece PNG
	 */
	record Puzzle(int x, byte[] background, byte[] piece) {
	}

}

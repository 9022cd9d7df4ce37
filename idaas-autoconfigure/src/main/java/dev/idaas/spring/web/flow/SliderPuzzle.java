package dev.idaas.spring.web.flow;

import java.util.Base64;

import dev.idaas.spring.authentication.IdaasAuthenticationException;
import dev.idaas.spring.client.CaptchaChallenge;
import dev.idaas.spring.client.IdaasErrorCategory;
import dev.idaas.spring.client.IdaasErrorCodes;

import org.springframework.util.Assert;

/**
 * The slider puzzle as a page gets it from {@code GET {url}/captcha}: both PNGs as
 * {@code data:} URIs and their sizes, read from the PNG headers. The vendor's puzzle token is
 * not part of it: it stays in the pending flow.
 *
 * @param background the background image with the notch, {@code data:image/png;base64,..}
 * @param piece the piece to drag, {@code data:image/png;base64,..}
 * @param width the background's width in pixels; {@code captcha_x} is in these pixels
 * @param height the background's height in pixels
 * @param pieceWidth the piece's width in pixels
 * @param pieceHeight the piece's height in pixels
 * @param pieceY where the piece sits vertically on the background, in pixels (the vendor's
 * {@code y}, always 5)
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSocialFlowService#getCaptcha
 */
public record SliderPuzzle(String background, String piece, int width, int height, int pieceWidth,
		int pieceHeight, int pieceY) {

	/**
	 * The vertical position of the piece in every vendor puzzle ({@code "y":5.0}).
	 */
	public static final int PIECE_Y = 5;

	private static final String DATA_URI_PREFIX = "data:image/png;base64,";

	private static final byte[] PNG_SIGNATURE = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

	/**
	 * Creates a puzzle.
	 */
	public SliderPuzzle {
		Assert.hasText(background, "background cannot be empty");
		Assert.hasText(piece, "piece cannot be empty");
	}

	/**
	 * Builds the page's puzzle from the vendor's.
	 * @param challenge what {@code GET /api/v2/sdk/captcha} answered
	 * @return the puzzle
	 * @throws IdaasAuthenticationException ({@link IdaasErrorCodes#MALFORMED_RESPONSE}) when an
	 * image is not a base64 PNG
	 */
	public static SliderPuzzle of(CaptchaChallenge challenge) {
		Assert.notNull(challenge, "challenge cannot be null");
		String background = base64(challenge.backgroundImageBase64());
		String piece = base64(challenge.pieceImageBase64());
		int[] backgroundSize = size(background);
		int[] pieceSize = size(piece);
		return new SliderPuzzle(DATA_URI_PREFIX + background, DATA_URI_PREFIX + piece, backgroundSize[0],
				backgroundSize[1], pieceSize[0], pieceSize[1], PIECE_Y);
	}

	private static String base64(String image) {
		String value = image.strip();
		if (value.startsWith(DATA_URI_PREFIX)) {
			value = value.substring(DATA_URI_PREFIX.length());
		}
		return value.replaceAll("\\s", "");
	}

	/**
	 * Width and height from the IHDR chunk, which every PNG starts with.
	 */
	private static int[] size(String base64) {
		byte[] png;
		try {
			png = Base64.getDecoder().decode(base64);
		}
		catch (IllegalArgumentException ex) {
			throw malformed();
		}
		if (png.length < 24) {
			throw malformed();
		}
		for (int i = 0; i < PNG_SIGNATURE.length; i++) {
			if (png[i] != PNG_SIGNATURE[i]) {
				throw malformed();
			}
		}
		if (png[12] != 'I' || png[13] != 'H' || png[14] != 'D' || png[15] != 'R') {
			throw malformed();
		}
		int width = readInt(png, 16);
		int height = readInt(png, 20);
		if (width <= 0 || height <= 0 || width > 4096 || height > 4096) {
			throw malformed();
		}
		return new int[] { width, height };
	}

	private static int readInt(byte[] bytes, int offset) {
		return ((bytes[offset] & 0xff) << 24) | ((bytes[offset + 1] & 0xff) << 16) | ((bytes[offset + 2] & 0xff) << 8)
				| (bytes[offset + 3] & 0xff);
	}

	private static IdaasAuthenticationException malformed() {
		return new IdaasAuthenticationException(IdaasErrorCodes.MALFORMED_RESPONSE,
				"The captcha images are not base64 PNGs", IdaasErrorCategory.PROTOCOL, null);
	}

	@Override
	public String toString() {
		return "SliderPuzzle[width=" + this.width + ", height=" + this.height + ", pieceWidth=" + this.pieceWidth
				+ ", pieceHeight=" + this.pieceHeight + ", pieceY=" + this.pieceY + "]";
	}

}

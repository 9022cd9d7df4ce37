package dev.idaas.spring.web.flow;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import dev.idaas.spring.authentication.IdaasAuthenticationException;
import dev.idaas.spring.client.CaptchaChallenge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link SliderPuzzle} and {@link PendingSocialFlowView#mask(String)}.
 */
class SliderPuzzleTests {

	@Test
	void ofWhenVendorPngsThenDataUrisAndSizesFromHeaders() throws IOException {
		String background = png(310, 155);
		String piece = png(47, 47);
		SliderPuzzle puzzle = SliderPuzzle.of(new CaptchaChallenge("puzzle-token", background, "data:image/png;base64,"
				+ piece));
		assertThat(puzzle.background()).isEqualTo("data:image/png;base64," + background);
		assertThat(puzzle.piece()).isEqualTo("data:image/png;base64," + piece);
		assertThat(puzzle.width()).isEqualTo(310);
		assertThat(puzzle.height()).isEqualTo(155);
		assertThat(puzzle.pieceWidth()).isEqualTo(47);
		assertThat(puzzle.pieceHeight()).isEqualTo(47);
		assertThat(puzzle.pieceY()).isEqualTo(5);
		assertThat(puzzle.toString()).doesNotContain("puzzle-token");
	}

	@Test
	void ofWhenNotBase64PngThenMalformedResponse() throws IOException {
		String gif = Base64.getEncoder().encodeToString("GIF89a-not-a-png-at-all-123".getBytes());
		for (String image : new String[] { "%%%not base64%%%", gif, "iVBORw0KGgo=" }) {
			assertThatExceptionOfType(IdaasAuthenticationException.class)
				.isThrownBy(() -> SliderPuzzle.of(new CaptchaChallenge("t", image, png(47, 47))))
				.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo("IDAAS.STARTER.MALFORMED_RESPONSE"));
		}
	}

	@Test
	void maskWhenPhoneOrEmailThenOnlyEdgesShown() {
		assertThat(PendingSocialFlowView.mask("13812345678")).isEqualTo("138****5678");
		assertThat(PendingSocialFlowView.mask("+8613812345678")).isEqualTo("+86*******5678");
		assertThat(PendingSocialFlowView.mask("alice@example.com")).isEqualTo("a***@example.com");
		assertThat(PendingSocialFlowView.mask("1234567")).isEqualTo("*****67");
	}

	private static String png(int width, int height) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB), "png", out);
		return Base64.getEncoder().encodeToString(out.toByteArray());
	}

}

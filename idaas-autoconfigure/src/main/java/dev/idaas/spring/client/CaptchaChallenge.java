package dev.idaas.spring.client;

import org.springframework.util.Assert;

/**
 * A slider puzzle from {@code GET /api/v2/sdk/captcha}: a background PNG with a hole and the
 * piece that fills it. The user drags the piece horizontally; where it is dropped ({@code x},
 * in background-image pixels) goes to
 * {@link IdaasSocialFlowClient#verifyCaptcha(String, double, String, DeviceContext)} with the
 * {@link #token()}.
 *
 * @param token the vendor's puzzle token; kept server-side, never sent to a browser
 * @param backgroundImageBase64 {@code originalImageBase64}: the background PNG, base64
 * @param pieceImageBase64 {@code jigsawImageBase64}: the piece PNG, base64
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSocialFlowClient#getCaptcha(DeviceContext)
 */
public record CaptchaChallenge(String token, String backgroundImageBase64, String pieceImageBase64) {

	/**
	 * Creates the challenge.
	 */
	public CaptchaChallenge {
		Assert.hasText(token, "token cannot be empty");
		Assert.hasText(backgroundImageBase64, "backgroundImageBase64 cannot be empty");
		Assert.hasText(pieceImageBase64, "pieceImageBase64 cannot be empty");
	}

	@Override
	public String toString() {
		return "CaptchaChallenge[token=***, backgroundImage=" + this.backgroundImageBase64.length()
				+ " chars, pieceImage=" + this.pieceImageBase64.length() + " chars]";
	}

}

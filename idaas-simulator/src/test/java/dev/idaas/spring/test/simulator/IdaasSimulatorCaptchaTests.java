package dev.idaas.spring.test.simulator;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The slider captcha and the code sends it guards, over real HTTP.
 */
class IdaasSimulatorCaptchaTests {

	private static final String MOBILE = "+8613800000002";

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private IdaasSimulator simulator;

	private IdaasHttp http;

	@BeforeEach
	void start() {
		this.simulator = new IdaasSimulator().clock(this.clock).start();
		this.http = new IdaasHttp(this.simulator);
	}

	@AfterEach
	void stop() {
		this.simulator.close();
	}

	@Test
	void captchaWhenGetThenTokenAndDecodablePngsOfExpectedSizesWithOtherFieldsNull() throws IOException {
		IdaasHttp.Response response = this.http.get(IdaasSimulator.CAPTCHA_PATH, this.http.deviceHeaders());
		assertThat(response.status()).isEqualTo(200);
		Map<String, Object> json = response.json();
		assertThat(json.get("token")).asString().isNotBlank();
		assertThat(json).containsEntry("secretKey", null).containsEntry("pointJson", null);
		BufferedImage background = decode(json.get("originalImageBase64"));
		BufferedImage piece = decode(json.get("jigsawImageBase64"));
		assertThat(background.getWidth()).isEqualTo(310);
		assertThat(background.getHeight()).isEqualTo(155);
		assertThat(piece.getWidth()).isEqualTo(47);
		assertThat(piece.getHeight()).isEqualTo(47);
		// the piece is transparent outside its shape (a corner) and opaque inside (its middle)
		assertThat(piece.getRGB(46, 0) >>> 24).isZero();
		assertThat(piece.getRGB(20, 20) >>> 24).isEqualTo(255);
		int x = this.simulator.captchaSolutionX((String) json.get("token"));
		assertThat(this.simulator.captchaSolutionX()).isEqualTo(x);
		assertThat(x).isBetween(60, 310 - 47);
	}

	@Test
	void captchaWhenDrawnThenNotchVisibleAtSolutionX() throws IOException {
		Map<String, Object> json = this.http.get(IdaasSimulator.CAPTCHA_PATH, this.http.deviceHeaders()).json();
		BufferedImage background = decode(json.get("originalImageBase64"));
		BufferedImage piece = decode(json.get("jigsawImageBase64"));
		int x = this.simulator.captchaSolutionX();
		// inside the notch the background is darkened: the piece (cut from the undarkened image)
		// is brighter there than the background is
		int inside = brightness(background.getRGB(x + 18, 5 + 18));
		int original = brightness(piece.getRGB(18, 18));
		assertThat(inside).isLessThan(original);
	}

	@Test
	void captchaWhenDrawnManyTimesThenNotchPositionsVary() {
		Set<Integer> positions = new HashSet<>();
		for (int i = 0; i < 12; i++) {
			this.http.get(IdaasSimulator.CAPTCHA_PATH, this.http.deviceHeaders());
			positions.add(this.simulator.captchaSolutionX());
		}
		assertThat(positions).hasSizeGreaterThan(3);
	}

	@Test
	void verifyWhenWithinToleranceThenCaptchaTokenIsTokenAndPointJson() {
		String token = newPuzzle();
		int x = this.simulator.captchaSolutionX(token);
		String pointJson = "{\"x\":" + (x + 4) + ".0,\"y\":5.0}";
		IdaasHttp.Response response = verify(token, pointJson, MOBILE);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json()).containsExactly(Map.entry("captcha_token", token + "---" + pointJson));
		String lower = newPuzzle();
		assertThat(verify(lower, point(this.simulator.captchaSolutionX(lower) - 4), MOBILE).status()).isEqualTo(200);
		assertThat(this.simulator.captchaVerifyRequestCount(MOBILE)).isEqualTo(2);
	}

	@Test
	void verifyWhenOffByTenThenCaptcha0002() {
		String token = newPuzzle();
		IdaasHttp.Response response = verify(token, point(this.simulator.captchaSolutionX(token) + 10), MOBILE);
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json()).containsEntry("error_code", "IDAAS.SDK.CAPTCHA.0002")
			.containsEntry("error_msg", "Graphic verification code verification failed");
		String left = newPuzzle();
		assertThat(verify(left, point(this.simulator.captchaSolutionX(left) - 10), MOBILE).errorCode())
			.isEqualTo("IDAAS.SDK.CAPTCHA.0002");
	}

	@Test
	void verifyWhenTokenReusedThenCaptcha0002EvenAfterAWrongSlide() {
		String token = newPuzzle();
		int x = this.simulator.captchaSolutionX(token);
		assertThat(verify(token, point(x), MOBILE).status()).isEqualTo(200);
		assertThat(verify(token, point(x), MOBILE).errorCode()).isEqualTo("IDAAS.SDK.CAPTCHA.0002");
		String wrong = newPuzzle();
		int wrongX = this.simulator.captchaSolutionX(wrong);
		assertThat(verify(wrong, point(wrongX + 30), MOBILE).errorCode()).isEqualTo("IDAAS.SDK.CAPTCHA.0002");
		// a wrong slide spent the puzzle: the right one fails now
		assertThat(verify(wrong, point(wrongX), MOBILE).errorCode()).isEqualTo("IDAAS.SDK.CAPTCHA.0002");
	}

	@Test
	void verifyWhenPuzzleExpiredThenCaptcha0002() {
		String token = newPuzzle();
		this.clock.advance(Duration.ofMinutes(2));
		assertThat(verify(token, point(this.simulator.captchaSolutionX(token)), MOBILE).errorCode())
			.isEqualTo("IDAAS.SDK.CAPTCHA.0002");
	}

	@Test
	void sendWhenCaptchaTokenOfThisSenderThenEmpty200AndCodeSentOnce() {
		String captchaToken = solve(MOBILE);
		IdaasHttp.Response sent = send(MOBILE, "BIND_MOBILE_SMS", captchaToken);
		assertThat(sent.status()).isEqualTo(200);
		assertThat(sent.body()).isEmpty();
		assertThat(this.simulator.lastVerificationCode(MOBILE)).isEqualTo("123456");
		// single-use
		IdaasHttp.Response again = send(MOBILE, "BIND_MOBILE_SMS", captchaToken);
		assertThat(again.errorCode()).isEqualTo("IDAAS.SDK.CAPTCHA.0002");
		assertThat(this.simulator.sentVerificationCodes()).hasSize(1);
		assertThat(this.simulator.sendRequestCount(MOBILE)).isEqualTo(2);
	}

	@Test
	void sendWhenCaptchaTokenMissingUnknownOrOfAnotherSenderThenCaptcha0002AndNothingSent() {
		Map<String, Object> withoutToken = new LinkedHashMap<>();
		withoutToken.put("mobile", MOBILE);
		withoutToken.put("type", "BIND_MOBILE_SMS");
		assertThat(this.http.post(IdaasSimulator.SMS_SEND_PATH, this.http.deviceHeaders(), IdaasHttp.json(withoutToken))
			.errorCode()).isEqualTo("IDAAS.SDK.CAPTCHA.0002");
		assertThat(send(MOBILE, "BIND_MOBILE_SMS", "forged---{\"x\":1.0,\"y\":5.0}").errorCode())
			.isEqualTo("IDAAS.SDK.CAPTCHA.0002");
		String forOther = solve("+8613800000003");
		assertThat(send(MOBILE, "BIND_MOBILE_SMS", forOther).errorCode()).isEqualTo("IDAAS.SDK.CAPTCHA.0002");
		assertThat(this.simulator.sentVerificationCodes()).isEmpty();
		assertThat(this.simulator.lastVerificationCode(MOBILE)).isNull();
	}

	@Test
	void sendWhenCaptchaTokenOlderThanTwoMinutesThenCaptcha0002() {
		String captchaToken = solve("bob@example.com");
		this.clock.advance(Duration.ofMinutes(2));
		IdaasHttp.Response response = this.http.post(IdaasSimulator.EMAIL_SEND_PATH, this.http.deviceHeaders(),
				IdaasHttp.json(Map.of("email", "bob@example.com", "type", "BIND_EMAIL_EMS", "captcha_token",
						captchaToken)));
		assertThat(response.errorCode()).isEqualTo("IDAAS.SDK.CAPTCHA.0002");
		assertThat(this.simulator.sentVerificationCodes()).isEmpty();
	}

	@Test
	void sendWhenFailNextSendsThenCaptcha0006AndCaptchaTokenSpent() {
		this.simulator.failNextSends(1);
		String captchaToken = solve(MOBILE);
		IdaasHttp.Response response = send(MOBILE, "REGISTER_SMS", captchaToken);
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.errorCode()).isEqualTo("IDAAS.SDK.CAPTCHA.0006");
		assertThat(send(MOBILE, "REGISTER_SMS", captchaToken).errorCode()).isEqualTo("IDAAS.SDK.CAPTCHA.0002");
		assertThat(send(MOBILE, "REGISTER_SMS", solve(MOBILE)).status()).isEqualTo(200);
		assertThat(this.simulator.sentVerificationCodes()).hasSize(1);
	}

	@Test
	void captchaWhenPostedOrVerifyWhenGetThen405() {
		assertThat(this.http.post(IdaasSimulator.CAPTCHA_PATH, this.http.deviceHeaders(), "").status()).isEqualTo(405);
		assertThat(this.http.get(IdaasSimulator.CAPTCHA_VERIFY_PATH, this.http.deviceHeaders()).status())
			.isEqualTo(405);
	}

	private String newPuzzle() {
		return this.http.get(IdaasSimulator.CAPTCHA_PATH, this.http.deviceHeaders()).field("token");
	}

	private String solve(String sender) {
		String token = newPuzzle();
		IdaasHttp.Response response = verify(token, point(this.simulator.captchaSolutionX(token)), sender);
		assertThat(response.status()).isEqualTo(200);
		return response.field("captcha_token");
	}

	private static String point(int x) {
		return "{\"x\":" + x + ".0,\"y\":5.0}";
	}

	private IdaasHttp.Response verify(String token, String pointJson, String sender) {
		return this.http.post(IdaasSimulator.CAPTCHA_VERIFY_PATH, this.http.deviceHeaders(),
				IdaasHttp.json(Map.of("point_json", pointJson, "token", token, "sender", sender)));
	}

	private IdaasHttp.Response send(String mobile, String type, String captchaToken) {
		return this.http.post(IdaasSimulator.SMS_SEND_PATH, this.http.deviceHeaders(),
				IdaasHttp.json(Map.of("mobile", mobile, "type", type, "captcha_token", captchaToken)));
	}

	private static BufferedImage decode(Object base64) throws IOException {
		BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode((String) base64)));
		assertThat(image).isNotNull();
		return image;
	}

	private static int brightness(int rgb) {
		return ((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff);
	}

}

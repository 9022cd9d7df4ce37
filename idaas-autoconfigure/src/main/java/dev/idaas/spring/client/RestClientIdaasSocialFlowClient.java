package dev.idaas.spring.client;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.util.Assert;
import org.springframework.web.client.RestClient;

/**
 * An {@link IdaasSocialFlowClient} on Spring's {@link RestClient}, sharing the request and
 * answer handling of {@link RestClientIdaasClient}: the same device headers checked the same
 * way before anything is sent, the same lenient parsing, the same error codes and categories.
 * <p>
 * <b>Input.</b> A target (phone number or email address) or captcha {@code sender} must be 1 to
 * 254 printable ASCII characters, a verification code 1 to 32 printable ASCII characters without
 * blanks, a puzzle token 1 to 4096 and a {@code captcha_token} 1 to 8192 printable ASCII
 * characters, a slide {@code x} between 0 and 10000; otherwise
 * {@link IdaasErrorCodes#INVALID_VERIFICATION} is thrown and nothing is sent. The state token
 * travels in the {@code X-state-token} header only and must be printable ASCII of at most 4096
 * characters ({@link IdaasErrorCodes#INVALID_HEADER}). No value ever appears in an exception
 * message or a log line.
 * <p>
 * <b>Answers.</b> A code send is done when IDaaS answers 2xx with any body but a JSON
 * {@code error_code}: empty (as documented), {@code {}}, any other JSON, or text such as
 * {@code OK}. A bind, register-and-bind or second-factor answer is
 * read leniently: {@code status} trimmed and compared ignoring case, and absent when a
 * {@code session_token} came (the vendor's examples omit it); {@code id_token} and
 * {@code expire} optional (see {@link SocialFlowResult.Authenticated});
 * {@code MFA_AUTH} with a {@code state_token} asks for a second factor (a second-factor answer
 * asking for another one is a {@link IdaasErrorCategory#PROTOCOL} error).
 * <p>
 * <b>Retries.</b> Reads ({@code GET captcha}, {@code GET mobile-by-token}) are retried on
 * {@link IdaasErrorCategory#TRANSIENT} failures like the other clients' calls. Everything that
 * spends something at IDaaS (captcha verify, code sends, {@code social/bind},
 * {@code social/register-bind}, {@code mfa/*}) is retried only when the request never left
 * (connection refused, connect timeout): once IDaaS has seen one, the puzzle, the
 * {@code captcha_token}, the code or the state token may already be spent (or a second code
 * would go out), so an answered {@code COM.0002} or 5xx, and a read timeout
 * ({@link IdaasErrorCategory#UNKNOWN_OUTCOME}), are reported, not repeated.
 * <p>
 * <b>Logging.</b> At debug level, under this class's logger, the outcome of each attempt (path,
 * HTTP status, attempt number, error code and category, whether it is retried); never a value.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSocialFlowClient
 * @see RestClientIdaasClient#createRestClient(RestClient.Builder, java.net.URI, Duration, Duration)
 */
public final class RestClientIdaasSocialFlowClient implements IdaasSocialFlowClient {

	static final String BIND_PATH = "/api/v2/sdk/social/bind";

	static final String REGISTER_BIND_PATH = "/api/v2/sdk/social/register-bind";

	static final String CAPTCHA_PATH = "/api/v2/sdk/captcha";

	static final String CAPTCHA_VERIFY_PATH = "/api/v2/sdk/captcha/verify";

	static final String MOBILE_BY_TOKEN_PATH = "/api/v2/sdk/mobile-by-token";

	static final String MFA_SMS_PATH = "/api/v2/sdk/mfa/sms";

	static final String MFA_EMAIL_PATH = "/api/v2/sdk/mfa/email";

	static final String STATE_TOKEN_HEADER = "X-state-token";

	static final int MAX_CAPTCHA_TOKEN_LENGTH = 8192;

	static final double MAX_CAPTCHA_X = 10_000;

	static final double CAPTCHA_Y = 5.0;

	static final int MAX_TARGET_LENGTH = 254;

	static final int MAX_VERIFY_CODE_LENGTH = 32;

	static final int MAX_STATE_TOKEN_LENGTH = 4096;

	private final Log logger = LogFactory.getLog(getClass());

	private final IdaasApiExchange exchange;

	/**
	 * Creates a client.
	 * @param restClient the client to call IDaaS with, already carrying the tenant base URL and
	 * timeouts (see {@link RestClientIdaasClient#createRestClient(RestClient.Builder, java.net.URI)})
	 * @param clientId the application's client id, sent as {@code X-client-id}
	 * @throws IllegalArgumentException when the client id is empty, longer than 128 characters or
	 * not printable ASCII
	 * @since 0.1
	 */
	public RestClientIdaasSocialFlowClient(RestClient restClient, String clientId) {
		this.exchange = new IdaasApiExchange(restClient, clientId, this.logger);
	}

	/**
	 * Sets how many attempts in total a call makes when failures are
	 * {@link IdaasErrorCategory#TRANSIENT} (calls that spend something at IDaaS only when nothing was sent).
	 * @param maxAttempts the number of attempts, at least 1 (1 disables retries); defaults to 3
	 * @since 0.1
	 */
	public void setMaxAttempts(int maxAttempts) {
		this.exchange.setMaxAttempts(maxAttempts);
	}

	/**
	 * Sets the backoff between attempts: the wait doubles from {@code initial} up to {@code max},
	 * and a random jitter takes up to half of it off.
	 * @param initial the wait before the second attempt; defaults to 200 ms
	 * @param max the longest wait; defaults to 2 s
	 * @since 0.1
	 */
	public void setBackoff(Duration initial, Duration max) {
		this.exchange.setBackoff(initial, max);
	}

	/**
	 * Sets the source of the texts of thrown {@link IdaasApiException}s.
	 * @param errorMessages the texts; defaults to the bundled English and Chinese texts
	 * @since 0.1
	 */
	public void setErrorMessages(IdaasErrorMessages errorMessages) {
		this.exchange.setErrorMessages(errorMessages);
	}

	@Override
	public CaptchaChallenge getCaptcha(DeviceContext device) {
		Assert.notNull(device, "device cannot be null");
		ObjectNode answer = this.exchange.get(CAPTCHA_PATH, this.exchange.headers(device));
		return new CaptchaChallenge(this.exchange.requiredText(answer, "token"),
				this.exchange.requiredText(answer, "originalImageBase64"),
				this.exchange.requiredText(answer, "jigsawImageBase64"));
	}

	@Override
	public String verifyCaptcha(String captchaToken, double x, String sender, DeviceContext device) {
		Assert.notNull(captchaToken, "captchaToken cannot be null");
		Assert.notNull(sender, "sender cannot be null");
		Assert.notNull(device, "device cannot be null");
		String validToken = validate(captchaToken, MAX_STATE_TOKEN_LENGTH, "token");
		String validSender = validate(sender, MAX_TARGET_LENGTH, "sender");
		if (!Double.isFinite(x) || x < 0 || x > MAX_CAPTCHA_X) {
			throw this.exchange.failure(IdaasErrorCodes.INVALID_VERIFICATION, IdaasErrorCategory.INVALID_REQUEST,
					"x is not between 0 and " + MAX_CAPTCHA_X);
		}
		Map<String, String> headers = this.exchange.headers(device);
		ObjectNode point = this.exchange.jsonMapper().createObjectNode();
		// one decimal, as the vendor's example "237.0": sub-pixel precision means nothing here
		point.put("x", Math.round(x * 10) / 10.0);
		point.put("y", CAPTCHA_Y);
		ObjectNode body = this.exchange.jsonMapper().createObjectNode();
		body.put("point_json", this.exchange.jsonMapper().writeValueAsString(point));
		body.put("token", validToken);
		body.put("sender", validSender);
		// a puzzle is answered once: a verify that reached IDaaS is never repeated
		ObjectNode answer = this.exchange.execute(CAPTCHA_VERIFY_PATH, headers,
				this.exchange.jsonMapper().writeValueAsBytes(body), false);
		return this.exchange.requiredText(answer, "captcha_token");
	}

	@Override
	public void sendVerificationCode(VerificationChannel channel, String target, VerificationPurpose purpose,
			String captchaToken, DeviceContext device) {
		Assert.notNull(channel, "channel cannot be null");
		Assert.notNull(target, "target cannot be null");
		Assert.notNull(purpose, "purpose cannot be null");
		Assert.notNull(captchaToken, "captchaToken cannot be null");
		Assert.notNull(device, "device cannot be null");
		Assert.isTrue(purpose.channel() == channel, "purpose must match channel");
		String validTarget = validate(target, MAX_TARGET_LENGTH, "target");
		String validCaptchaToken = validate(captchaToken, MAX_CAPTCHA_TOKEN_LENGTH, "captcha_token");
		Map<String, String> headers = this.exchange.headers(device);
		ObjectNode body = this.exchange.jsonMapper().createObjectNode();
		body.put(channel.targetField(), validTarget);
		body.put("type", purpose.name());
		body.put("captcha_token", validCaptchaToken);
		// a 2xx without an error_code is "sent", whatever its body; a send that reached IDaaS is never
		// repeated: the user might get two codes, and the captcha_token is spent
		this.exchange.executeAcceptingAnyBody(channel.sendPath(), headers,
				this.exchange.jsonMapper().writeValueAsBytes(body), false);
	}

	@Override
	public SocialFlowResult bind(String stateToken, VerificationChannel channel, String target, String verifyCode,
			DeviceContext device) {
		return finish(BIND_PATH, stateToken, channel, target, verifyCode, device, true);
	}

	@Override
	public SocialFlowResult registerAndBind(String stateToken, VerificationChannel channel, String target,
			String verifyCode, DeviceContext device) {
		return finish(REGISTER_BIND_PATH, stateToken, channel, target, verifyCode, device, true);
	}

	@Override
	public String getMobileOnFile(String stateToken, DeviceContext device) {
		Assert.notNull(stateToken, "stateToken cannot be null");
		Assert.notNull(device, "device cannot be null");
		Map<String, String> headers = this.exchange.headers(device);
		headers.put(STATE_TOKEN_HEADER,
				this.exchange.headerValue(STATE_TOKEN_HEADER, stateToken, MAX_STATE_TOKEN_LENGTH, false));
		ObjectNode answer = this.exchange.get(MOBILE_BY_TOKEN_PATH, headers);
		return this.exchange.requiredText(answer, "mobile");
	}

	@Override
	public SocialFlowResult verifySecondFactor(String stateToken, VerificationChannel channel, String target,
			String verifyCode, DeviceContext device) {
		Assert.notNull(channel, "channel cannot be null");
		String path = (channel == VerificationChannel.SMS) ? MFA_SMS_PATH : MFA_EMAIL_PATH;
		return finish(path, stateToken, channel, target, verifyCode, device, false);
	}

	private SocialFlowResult finish(String path, String stateToken, VerificationChannel channel, String target,
			String verifyCode, DeviceContext device, boolean secondFactorAllowed) {
		Assert.notNull(stateToken, "stateToken cannot be null");
		Assert.notNull(channel, "channel cannot be null");
		Assert.notNull(target, "target cannot be null");
		Assert.notNull(verifyCode, "verifyCode cannot be null");
		Assert.notNull(device, "device cannot be null");
		String validTarget = validate(target, MAX_TARGET_LENGTH, "target");
		String validCode = validate(verifyCode, MAX_VERIFY_CODE_LENGTH, "verify_code");
		if (validCode.indexOf(' ') >= 0) {
			throw this.exchange.failure(IdaasErrorCodes.INVALID_VERIFICATION, IdaasErrorCategory.INVALID_REQUEST,
					"verify_code holds a blank");
		}
		Map<String, String> headers = this.exchange.headers(device);
		headers.put(STATE_TOKEN_HEADER,
				this.exchange.headerValue(STATE_TOKEN_HEADER, stateToken, MAX_STATE_TOKEN_LENGTH, false));
		ObjectNode body = this.exchange.jsonMapper().createObjectNode();
		body.put(channel.targetField(), validTarget);
		body.put("verify_code", validCode);
		ObjectNode answer = this.exchange.execute(path, headers, this.exchange.jsonMapper().writeValueAsBytes(body),
				false);
		return result(answer, secondFactorAllowed);
	}

	private SocialFlowResult result(ObjectNode answer, boolean secondFactorAllowed) {
		String rawStatus = IdaasApiExchange.text(answer, "status");
		// the vendor's examples sometimes omit status: a session token alone means signed in
		String status = (rawStatus != null) ? rawStatus.strip().toUpperCase(Locale.ROOT) : "SUCCESS";
		switch (status) {
			case "SUCCESS" -> {
				String sessionToken = this.exchange.requiredText(answer, "session_token");
				String idToken = IdaasApiExchange.text(answer, "id_token");
				// the state token is spent: an answer without a usable expire is taken, and the
				// caller refreshes for it rather than failing a flow that can no longer be retried
				return new SocialFlowResult.Authenticated(sessionToken, IdaasApiExchange.optionalExpire(answer),
						(idToken != null) ? idToken.strip() : null);
			}
			case "MFA_AUTH" -> {
				if (secondFactorAllowed) {
					return new SocialFlowResult.SecondFactorRequired(this.exchange.requiredText(answer, "state_token"));
				}
			}
			case "ACCESS_DENIED" -> {
				return new SocialFlowResult.AccessDenied();
			}
			default -> {
			}
		}
		throw this.exchange.failure(IdaasErrorCodes.MALFORMED_RESPONSE, IdaasErrorCategory.PROTOCOL, 200, null,
				rawStatus, "unexpected status '" + IdaasErrorMessages.printable(String.valueOf(rawStatus), 64) + "'",
				null);
	}

	private String validate(String value, int maxLength, String name) {
		String stripped = value.strip();
		if (stripped.isEmpty()) {
			throw this.exchange.failure(IdaasErrorCodes.INVALID_VERIFICATION, IdaasErrorCategory.INVALID_REQUEST,
					name + " is empty");
		}
		if (stripped.length() > maxLength) {
			throw this.exchange.failure(IdaasErrorCodes.INVALID_VERIFICATION, IdaasErrorCategory.INVALID_REQUEST,
					name + " is longer than " + maxLength + " characters");
		}
		if (!IdaasApiExchange.isPrintableAscii(stripped)) {
			throw this.exchange.failure(IdaasErrorCodes.INVALID_VERIFICATION, IdaasErrorCategory.INVALID_REQUEST,
					name + " holds a control or non-ASCII character");
		}
		return stripped;
	}

}

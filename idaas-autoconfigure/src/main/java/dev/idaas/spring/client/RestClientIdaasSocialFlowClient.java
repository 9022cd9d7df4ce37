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
 * <b>Input.</b> A target (phone number or email address) must be 1 to 254 printable ASCII
 * characters, a verification code 1 to 32 printable ASCII characters without blanks; otherwise
 * {@link IdaasErrorCodes#INVALID_VERIFICATION} is thrown and nothing is sent. The state token
 * travels in the {@code X-state-token} header only and must be printable ASCII of at most 4096
 * characters ({@link IdaasErrorCodes#INVALID_HEADER}). No value ever appears in an exception
 * message or a log line.
 * <p>
 * <b>Retries.</b> Sending a code is retried on {@link IdaasErrorCategory#TRANSIENT} failures
 * like the other calls. {@code social/bind} and {@code social/register-bind} are retried only
 * when the request never left (connection refused, connect timeout): once IDaaS has seen one, the
 * code or the state token may already be consumed, so an answered {@code COM.0002} or a read
 * timeout ({@link IdaasErrorCategory#UNKNOWN_OUTCOME}) is reported, not repeated.
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

	static final String STATE_TOKEN_HEADER = "X-state-token";

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
	 * {@link IdaasErrorCategory#TRANSIENT} (bind and register only when nothing was sent).
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
	public void sendVerificationCode(VerificationChannel channel, String target, VerificationPurpose purpose,
			DeviceContext device) {
		Assert.notNull(channel, "channel cannot be null");
		Assert.notNull(target, "target cannot be null");
		Assert.notNull(purpose, "purpose cannot be null");
		Assert.notNull(device, "device cannot be null");
		Assert.isTrue(purpose.channel() == channel, "purpose must match channel");
		String validTarget = validate(target, MAX_TARGET_LENGTH, "target");
		Map<String, String> headers = this.exchange.headers(device);
		ObjectNode body = this.exchange.jsonMapper().createObjectNode();
		body.put(channel.targetField(), validTarget);
		body.put("type", purpose.name());
		ObjectNode answer = this.exchange.execute(channel.sendPath(), headers,
				this.exchange.jsonMapper().writeValueAsBytes(body), true);
		requireSuccessStatusIfPresent(answer);
	}

	@Override
	public SocialFlowResult bind(String stateToken, VerificationChannel channel, String target, String verifyCode,
			DeviceContext device) {
		return finish(BIND_PATH, stateToken, channel, target, verifyCode, device);
	}

	@Override
	public SocialFlowResult registerAndBind(String stateToken, VerificationChannel channel, String target,
			String verifyCode, DeviceContext device) {
		return finish(REGISTER_BIND_PATH, stateToken, channel, target, verifyCode, device);
	}

	private SocialFlowResult finish(String path, String stateToken, VerificationChannel channel, String target,
			String verifyCode, DeviceContext device) {
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
		requireSuccessStatusIfPresent(answer);
		String sessionToken = this.exchange.requiredText(answer, "session_token");
		String idToken = IdaasApiExchange.text(answer, "id_token");
		return new SocialFlowResult(sessionToken, this.exchange.expire(answer),
				(idToken != null) ? idToken.strip() : null);
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

	private void requireSuccessStatusIfPresent(ObjectNode answer) {
		String status = IdaasApiExchange.text(answer, "status");
		if (status != null && !"SUCCESS".equals(status.strip().toUpperCase(Locale.ROOT))) {
			throw this.exchange.failure(IdaasErrorCodes.MALFORMED_RESPONSE, IdaasErrorCategory.PROTOCOL, 200, null,
					status, "unexpected status '" + IdaasErrorMessages.printable(status, 64) + "'", null);
		}
	}

}

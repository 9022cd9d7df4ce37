package dev.idaas.spring.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLHandshakeException;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * The request/answer machinery shared by the IDaaS clients: the common device headers and
 * their validation, the exchange with retries and backoff, the size-bounded lenient reading of
 * answers and the mapping of failures to {@link IdaasApiException}. Values (tokens, codes,
 * header values such as the device fingerprint) never reach a log line or an exception message.
 * <p>
 * Log lines (the outcome of each attempt at debug level) are written to the {@link Log} of the
 * client that owns the exchange, so that they appear under the logger of the class the caller
 * uses.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see RestClientIdaasClient
 * @see RestClientIdaasSocialFlowClient
 */
final class IdaasApiExchange {

	static final int MAX_BODY_BYTES = 1024 * 1024;

	static final int MAX_HEADER_VALUE_LENGTH = 128;

	static final int MAX_USER_AGENT_LENGTH = 512;

	private final Log logger;

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	private final RestClient restClient;

	private final String clientId;

	private int maxAttempts = 3;

	private Duration initialBackoff = Duration.ofMillis(200);

	private Duration maxBackoff = Duration.ofSeconds(2);

	private IdaasErrorMessages errorMessages = IdaasErrorMessages.defaults();

	/**
	 * Creates an exchange.
	 * @param restClient the client to call IDaaS with
	 * @param clientId the application's client id; checked before trimming, so a trailing CR or
	 * LF is rejected
	 * @param logger the log of the owning client, where the outcome of each attempt is written
	 */
	IdaasApiExchange(RestClient restClient, String clientId, Log logger) {
		Assert.notNull(restClient, "restClient cannot be null");
		Assert.hasText(clientId, "clientId cannot be empty");
		Assert.isTrue(clientId.strip().length() <= MAX_HEADER_VALUE_LENGTH && isPrintableAscii(clientId),
				"clientId must be printable ASCII of at most 128 characters");
		Assert.notNull(logger, "logger cannot be null");
		this.restClient = restClient;
		this.clientId = clientId.strip();
		this.logger = logger;
	}

	JsonMapper jsonMapper() {
		return this.jsonMapper;
	}

	void setMaxAttempts(int maxAttempts) {
		Assert.isTrue(maxAttempts >= 1, "maxAttempts must be at least 1");
		this.maxAttempts = maxAttempts;
	}

	void setBackoff(Duration initial, Duration max) {
		Assert.notNull(initial, "initial cannot be null");
		Assert.notNull(max, "max cannot be null");
		Assert.isTrue(!initial.isNegative() && !max.isNegative(), "backoff cannot be negative");
		Assert.isTrue(initial.compareTo(max) <= 0, "initial cannot be longer than max");
		this.initialBackoff = initial;
		this.maxBackoff = max;
	}

	void setErrorMessages(IdaasErrorMessages errorMessages) {
		Assert.notNull(errorMessages, "errorMessages cannot be null");
		this.errorMessages = errorMessages;
	}

	Map<String, String> headers(DeviceContext device) {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("X-operating-sys-version", headerValue("X-operating-sys-version",
				device.operatingSystemVersion(), MAX_HEADER_VALUE_LENGTH, false));
		headers.put("X-device-fingerprint",
				headerValue("X-device-fingerprint", device.fingerprint(), MAX_HEADER_VALUE_LENGTH, false));
		String ipAddress = device.ipAddress();
		if (ipAddress != null) {
			headers.put("X-device-ip", headerValue("X-device-ip", ipAddress, MAX_HEADER_VALUE_LENGTH, false));
		}
		headers.put("X-agent", headerValue("X-agent", device.userAgent(), MAX_USER_AGENT_LENGTH, true));
		Locale locale = device.locale();
		if (locale != null && !locale.getLanguage().isEmpty()) {
			headers.put("X-L", headerValue("X-L", locale.getLanguage(), MAX_HEADER_VALUE_LENGTH, false));
		}
		headers.put("X-client-id", headerValue("X-client-id", this.clientId, MAX_HEADER_VALUE_LENGTH, false));
		return headers;
	}

	String headerValue(String name, String value, int maxLength, boolean truncate) {
		// Checked before trimming: a trailing CR or LF is rejected, never silently dropped.
		if (!isPrintableAscii(value)) {
			throw failure(IdaasErrorCodes.INVALID_HEADER, IdaasErrorCategory.INVALID_REQUEST,
					name + " holds a control or non-ASCII character");
		}
		String stripped = value.strip();
		if (stripped.isEmpty()) {
			throw failure(IdaasErrorCodes.INVALID_HEADER, IdaasErrorCategory.INVALID_REQUEST, name + " is empty");
		}
		if (stripped.length() > maxLength) {
			if (!truncate) {
				throw failure(IdaasErrorCodes.INVALID_HEADER, IdaasErrorCategory.INVALID_REQUEST,
						name + " is longer than " + maxLength + " characters");
			}
			return stripped.substring(0, maxLength).strip();
		}
		return stripped;
	}

	static boolean isPrintableAscii(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < 0x20 || c > 0x7e) {
				return false;
			}
		}
		return true;
	}

	static boolean isHeaderName(String name) {
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			boolean token = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
					|| "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
			if (!token) {
				return false;
			}
		}
		return true;
	}

	// Exchange and retries

	/**
	 * Sends a {@code POST} and reads the answer, a JSON object, retrying
	 * {@link IdaasErrorCategory#TRANSIENT} failures of requests that never left (connection
	 * refused, connect timeout). When {@code retryWhenSent} is {@code true}, an answered failure
	 * is retried too, but only when the answer says the call was not processed:
	 * {@code COM.0002} ("system busy"), or a 429 or 503 without an error code. A 500, 502 or 504
	 * without a code may come after IDaaS acted (a gateway's timeout is a read timeout one hop
	 * further), so a call that consumes what it sends (an Apple code, a rotated session token)
	 * is not repeated. When {@code false}, no answered failure is retried: the call consumes a
	 * verification code, a puzzle or a state token.
	 */
	ObjectNode execute(String path, Map<String, String> headers, byte @Nullable [] body, boolean retryWhenSent) {
		return execute(HttpMethod.POST, path, headers, body, Retry.ofPost(retryWhenSent), false);
	}

	/**
	 * Sends a {@code GET} and reads the answer, a JSON object, retrying
	 * {@link IdaasErrorCategory#TRANSIENT} failures (a read changes nothing at IDaaS).
	 */
	ObjectNode get(String path, Map<String, String> headers) {
		return execute(HttpMethod.GET, path, headers, null, Retry.ALWAYS, false);
	}

	/**
	 * Sends a {@code POST} whose success is a 2xx with any body that is not a JSON
	 * {@code error_code}: empty, {@code {}}, any other JSON, or text such as {@code OK} (the
	 * contract documents an empty body, gateways and editions vary; the call did its work). A JSON
	 * {@code error_code}, a 5xx, 429 or other non-2xx status is still an error. Answers an empty
	 * object when the body is not a JSON object.
	 */
	ObjectNode executeAcceptingAnyBody(String path, Map<String, String> headers, byte[] body,
			boolean retryWhenSent) {
		return execute(HttpMethod.POST, path, headers, body, Retry.ofPost(retryWhenSent), true);
	}

	private ObjectNode execute(HttpMethod method, String path, Map<String, String> headers, byte @Nullable [] body,
			Retry retryPolicy, boolean anyBody) {
		for (int attempt = 1;; attempt++) {
			try {
				Answer answer = exchange(method, path, headers, body, anyBody);
				if (this.logger.isDebugEnabled()) {
					this.logger.debug("IDaaS " + method + " " + path + " answered HTTP " + answer.httpStatus()
							+ " (attempt " + attempt + "/" + this.maxAttempts + ")");
				}
				return answer.body();
			}
			catch (IdaasApiException ex) {
				boolean retry = ex.getCategory() == IdaasErrorCategory.TRANSIENT && attempt < this.maxAttempts
						&& retryPolicy.allows(ex);
				if (this.logger.isDebugEnabled()) {
					this.logger.debug("IDaaS " + method + " " + path + " failed (attempt " + attempt + "/" + this.maxAttempts
							+ ", HTTP " + ex.getHttpStatus() + ", " + ex.getErrorCode() + ", " + ex.getCategory()
							+ ((retry) ? ", retrying)" : ")"));
				}
				if (!retry) {
					throw ex;
				}
				if (!sleep(backoff(attempt))) {
					throw ex;
				}
			}
		}
	}

	private Answer exchange(HttpMethod method, String path, Map<String, String> headers, byte @Nullable [] body,
			boolean anyBody) {
		try {
			RestClient.RequestBodySpec request = this.restClient.method(method).uri(path).headers((httpHeaders) -> {
				headers.forEach(httpHeaders::set);
				httpHeaders.setContentType(MediaType.APPLICATION_JSON);
				httpHeaders.setAccept(List.of(MediaType.APPLICATION_JSON));
			});
			if (body != null) {
				request.body(body);
			}
			return request.exchange((clientRequest, response) -> readAnswer(response, anyBody), true);
		}
		catch (ResourceAccessException ex) {
			throw ioFailure(ex);
		}
	}

	private IdaasApiException ioFailure(ResourceAccessException ex) {
		for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
			// Failures while connecting: the request never left, so retrying is safe.
			if (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException
					|| cause instanceof UnknownHostException || cause instanceof NoRouteToHostException
					|| cause instanceof SSLHandshakeException) {
				return failure(IdaasErrorCodes.UPSTREAM_UNAVAILABLE, IdaasErrorCategory.TRANSIENT, 0, null, null,
						cause.getClass().getSimpleName(), ex);
			}
		}
		// Anything else (read timeout, connection dropped mid-answer): IDaaS may have acted on it.
		Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
		return failure(IdaasErrorCodes.UPSTREAM_TIMEOUT, IdaasErrorCategory.UNKNOWN_OUTCOME, 0, null, null,
				cause.getClass().getSimpleName(), ex);
	}

	Duration backoff(int failedAttempt) {
		// at most half of Long.MAX_VALUE, so that doubling never overflows
		long max = Math.min(this.maxBackoff.toNanos(), Long.MAX_VALUE / 2);
		long delay = this.initialBackoff.toNanos();
		// 62 doublings take any positive delay past the cap
		int doublings = Math.min(failedAttempt - 1, 62);
		for (int i = 0; i < doublings; i++) {
			delay = Math.min(delay * 2, max);
		}
		long half = delay / 2;
		return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(delay - half + 1));
	}

	/**
	 * Which answered {@link IdaasErrorCategory#TRANSIENT} failures a call may repeat; one that
	 * never reached IDaaS (no HTTP status) may always be repeated.
	 */
	private enum Retry {

		/** A read: repeating it changes nothing at IDaaS. */
		ALWAYS,

		/** Repeated only when the answer says the call was not processed. */
		WHEN_NOT_PROCESSED,

		/** Consumes what it sends: an answered failure is never repeated. */
		WHEN_NOT_SENT;

		static Retry ofPost(boolean retryWhenSent) {
			return retryWhenSent ? WHEN_NOT_PROCESSED : WHEN_NOT_SENT;
		}

		boolean allows(IdaasApiException ex) {
			int status = ex.getHttpStatus();
			return switch (this) {
				case ALWAYS -> true;
				case WHEN_NOT_PROCESSED -> status == 0 || IdaasErrorCodes.SYSTEM_BUSY.equals(ex.getErrorCode())
						|| status == 429 || status == 503;
				case WHEN_NOT_SENT -> status == 0;
			};
		}

	}

	private static boolean sleep(Duration delay) {
		try {
			TimeUnit.NANOSECONDS.sleep(delay.toNanos());
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	// Answers

	/**
	 * Fails on an answer that is not a success, whatever was asked: an {@code error_code} in a
	 * JSON body, a 5xx or 429, or any other non-2xx status.
	 */
	private void failIfNotSuccess(int status, @Nullable JsonNode json) {
		if (json != null) {
			String errorCode = text(json, "error_code");
			if (errorCode != null) {
				throw failure(errorCode, category(errorCode, status), status, text(json, "error_msg"), null, null,
						null);
			}
		}
		if (status >= 500 || status == 429) {
			throw failure(IdaasErrorCodes.UPSTREAM_UNAVAILABLE, IdaasErrorCategory.TRANSIENT, status, null, null,
					"HTTP " + status, null);
		}
		if (status < 200 || status > 299) {
			throw failure(IdaasErrorCodes.MALFORMED_RESPONSE, IdaasErrorCategory.PROTOCOL, status, null, null,
					"HTTP " + status + " without an error code", null);
		}
	}

	private Answer readAnswer(ClientHttpResponse response, boolean anyBody) throws IOException {
		int status = response.getStatusCode().value();
		byte[] body = readBody(response, status);
		JsonNode json = parse(body);
		failIfNotSuccess(status, json);
		if (anyBody) {
			// a 2xx that is not an error_code: done, whatever else the body says
			return new Answer(status, (json instanceof ObjectNode object) ? object : this.jsonMapper.createObjectNode());
		}
		if (!(json instanceof ObjectNode object)) {
			throw failure(IdaasErrorCodes.MALFORMED_RESPONSE, IdaasErrorCategory.PROTOCOL, status, null, null,
					(body.length == 0) ? "empty body" : "body is not a JSON object", null);
		}
		return new Answer(status, object);
	}

	private byte[] readBody(ClientHttpResponse response, int status) throws IOException {
		if (response.getHeaders().getContentLength() > MAX_BODY_BYTES) {
			throw oversized(status);
		}
		try (InputStream in = response.getBody()) {
			byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
			if (body.length > MAX_BODY_BYTES) {
				throw oversized(status);
			}
			return body;
		}
	}

	private IdaasApiException oversized(int status) {
		return failure(IdaasErrorCodes.MALFORMED_RESPONSE, IdaasErrorCategory.PROTOCOL, status, null, null,
				"body larger than " + MAX_BODY_BYTES + " bytes", null);
	}

	private @Nullable JsonNode parse(byte[] body) {
		if (body.length == 0) {
			return null;
		}
		try {
			return this.jsonMapper.readTree(body);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	static IdaasErrorCategory category(String errorCode, int httpStatus) {
		return switch (errorCode.strip().toUpperCase(Locale.ROOT)) {
			case IdaasErrorCodes.SESSION_TOKEN_EMPTY, IdaasErrorCodes.SESSION_TOKEN_INVALID ->
				IdaasErrorCategory.INVALID_SESSION;
			case IdaasErrorCodes.SYSTEM_BUSY -> IdaasErrorCategory.TRANSIENT;
			case IdaasErrorCodes.DEVICE_INFO_INCOMPLETE, IdaasErrorCodes.CLIENT_ID_EMPTY,
					IdaasErrorCodes.APP_NOT_REGISTERED ->
				IdaasErrorCategory.CLIENT_CONFIGURATION;
			case IdaasErrorCodes.USER_DISABLED -> IdaasErrorCategory.USER_DISABLED;
			case IdaasErrorCodes.APPLE_CODE_EMPTY, IdaasErrorCodes.ID_TOKEN_INVALID, IdaasErrorCodes.INVALID_PARAMETER,
					IdaasErrorCodes.VERIFY_CODE_INVALID, IdaasErrorCodes.USER_NOT_FOUND,
					IdaasErrorCodes.USER_ALREADY_EXISTS, IdaasErrorCodes.CAPTCHA_INVALID,
					IdaasErrorCodes.CODE_NOT_SENT, IdaasErrorCodes.VERIFY_CODE_INCORRECT,
					IdaasErrorCodes.STATE_TOKEN_INVALID ->
				IdaasErrorCategory.INVALID_REQUEST;
			default -> {
				if (httpStatus >= 500) {
					yield IdaasErrorCategory.TRANSIENT;
				}
				yield IdaasErrorCodes.isWellFormed(errorCode.strip()) ? IdaasErrorCategory.VENDOR_REFUSED
						: IdaasErrorCategory.UNKNOWN;
			}
		};
	}

	Duration expire(ObjectNode answer) {
		Duration expire = optionalExpire(answer);
		if (expire == null) {
			throw failure(IdaasErrorCodes.MALFORMED_RESPONSE, IdaasErrorCategory.PROTOCOL, 200, null, null,
					"no valid expire", null);
		}
		return expire;
	}

	/**
	 * The {@code expire} seconds of an answer (a number, or a number in a string), or
	 * {@code null} when it is absent, negative or not a number.
	 */
	static @Nullable Duration optionalExpire(ObjectNode answer) {
		JsonNode expire = answer.get("expire");
		if (expire != null && expire.isNumber() && expire.canConvertToLong() && expire.longValue() >= 0) {
			return Duration.ofSeconds(expire.longValue());
		}
		if (expire != null && expire.isString()) {
			try {
				long seconds = Long.parseLong(expire.stringValue().strip());
				if (seconds >= 0) {
					return Duration.ofSeconds(seconds);
				}
			}
			catch (NumberFormatException ex) {
				// not a usable expire
			}
		}
		return null;
	}

	String requiredText(ObjectNode answer, String field) {
		String value = text(answer, field);
		if (value == null) {
			throw failure(IdaasErrorCodes.MALFORMED_RESPONSE, IdaasErrorCategory.PROTOCOL, 200, null, null,
					"no " + field, null);
		}
		return value.strip();
	}

	static @Nullable String text(JsonNode json, String field) {
		JsonNode value = json.get(field);
		if (value == null || !value.isString() || !StringUtils.hasText(value.stringValue())) {
			return null;
		}
		return value.stringValue();
	}

	IdaasApiException failure(String errorCode, IdaasErrorCategory category, String detail) {
		return failure(errorCode, category, 0, null, null, detail, null);
	}

	IdaasApiException failure(String errorCode, IdaasErrorCategory category, int httpStatus,
			@Nullable String vendorMessage, @Nullable String upstreamStatus, @Nullable String detail,
			@Nullable Throwable cause) {
		return new IdaasApiException(errorCode.strip(), category, httpStatus, vendorMessage, upstreamStatus, detail,
				this.errorMessages, cause);
	}

	/**
	 * Sends a {@code GET} once (no retries: the callers, the upstream logout's key, clock and
	 * logout calls, must not hold a sign-out up for longer than one timeout each) and returns the
	 * raw successful answer, whatever its body. An {@code error_code} in a JSON body, a 5xx or 429,
	 * or any other non-2xx answer fails as for {@code POST}.
	 */
	RawAnswer getRaw(String path, Map<String, String> headers) {
		try {
			RawAnswer answer = this.restClient.get().uri(path).headers((httpHeaders) -> {
				headers.forEach(httpHeaders::set);
				// a common header the vendor requires on every call, a GET without a body included
				httpHeaders.setContentType(MediaType.APPLICATION_JSON);
				httpHeaders.setAccept(List.of(MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN, MediaType.ALL));
			}).exchange((clientRequest, response) -> readRawAnswer(response), true);
			if (this.logger.isDebugEnabled()) {
				this.logger.debug("IDaaS GET " + path + " answered HTTP " + answer.httpStatus());
			}
			return answer;
		}
		catch (ResourceAccessException ex) {
			IdaasApiException failure = ioFailure(ex);
			logGetFailure(path, failure);
			throw failure;
		}
		catch (IdaasApiException ex) {
			logGetFailure(path, ex);
			throw ex;
		}
	}

	private void logGetFailure(String path, IdaasApiException ex) {
		if (this.logger.isDebugEnabled()) {
			this.logger.debug("IDaaS GET " + path + " failed (HTTP " + ex.getHttpStatus() + ", " + ex.getErrorCode()
					+ ", " + ex.getCategory() + ")");
		}
	}

	private RawAnswer readRawAnswer(ClientHttpResponse response) throws IOException {
		int status = response.getStatusCode().value();
		byte[] body = readBody(response, status);
		JsonNode json = parse(body);
		failIfNotSuccess(status, json);
		long date = response.getHeaders().getDate();
		return new RawAnswer(status, body, json, (date >= 0) ? Instant.ofEpochMilli(date) : null);
	}

	/**
	 * A successful answer of a {@code GET}, kept raw for lenient reading.
	 * @param httpStatus the 2xx status
	 * @param body the body, possibly empty
	 * @param json the body as JSON, or {@code null} when it is not JSON
	 * @param date the HTTP {@code Date} header, or {@code null}
	 */
	record RawAnswer(int httpStatus, byte[] body, @Nullable JsonNode json, @Nullable Instant date) {
	}

	/**
	 * A successful answer: its HTTP status and JSON object body.
	 */
	private record Answer(int httpStatus, ObjectNode body) {
	}

}

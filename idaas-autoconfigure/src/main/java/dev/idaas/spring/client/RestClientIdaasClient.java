package dev.idaas.spring.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLHandshakeException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * An {@link IdaasClient} on Spring's {@link RestClient}.
 * <p>
 * <b>Requests.</b> Every call sends {@code X-operating-sys-version}, {@code X-device-fingerprint},
 * {@code X-device-ip} (omitted when unknown), {@code X-agent}, {@code X-L} (the language of
 * {@link DeviceContext#locale()}, e.g. {@code zh}; omitted when unknown), {@code X-client-id},
 * {@code Content-Type: application/json} and {@code Accept: application/json}. Header values are
 * checked before anything is sent: a value holding a control character (CR, LF, ...) or a
 * non-ASCII character, a device fact or client id longer than 128 characters, or a session token
 * longer than 1024 characters is rejected with {@link IdaasErrorCodes#INVALID_HEADER}
 * ({@link IdaasErrorCategory#INVALID_REQUEST}); a user agent longer than 512 characters is cut to
 * 512. An Apple code that is empty, longer than 4096 characters or holds control characters is
 * rejected with {@link IdaasErrorCodes#INVALID_CODE}. Values are never part of the exception
 * message.
 * <p>
 * <b>Answers.</b> Parsed leniently: {@code status} is trimmed and compared ignoring case,
 * {@code data} may be a JSON document inside a string, absent, empty or garbage (then no flows),
 * unknown fields are ignored. A body larger than 1 MiB is never buffered and is a
 * {@link IdaasErrorCategory#PROTOCOL} error. An {@code error_code} in the body is an error
 * whatever the HTTP status (even 200); a known code decides the category, an unknown code is kept
 * raw as {@link IdaasErrorCategory#UNKNOWN} (or {@link IdaasErrorCategory#TRANSIENT} with a 5xx).
 * A 5xx or 429 without an error code is {@link IdaasErrorCategory#TRANSIENT}
 * ({@link IdaasErrorCodes#UPSTREAM_UNAVAILABLE}); any other answer that is not a 2xx JSON object is
 * {@link IdaasErrorCategory#PROTOCOL} ({@link IdaasErrorCodes#MALFORMED_RESPONSE}). Redirects are
 * not followed.
 * <p>
 * <b>Retries.</b> Only {@link IdaasErrorCategory#TRANSIENT} failures (IDaaS unreachable, 5xx,
 * {@code COM.0002}) are retried, up to {@link #setMaxAttempts(int) maxAttempts} attempts in
 * total with exponential backoff and jitter. A request whose outcome is unknown (read timeout) is
 * never retried: an Apple code is single-use and a refresh may already have rotated the session
 * token.
 * <p>
 * The {@link RestClient} must carry the tenant base URL and timeouts; build one with
 * {@link #createRestClient(RestClient.Builder, URI, Duration, Duration)}.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasClient
 * @see IdaasApiException
 */
public final class RestClientIdaasClient implements IdaasClient {

	/**
	 * The default connect timeout.
	 */
	public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

	/**
	 * The default read timeout.
	 */
	public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(5);

	/**
	 * The default name of the header carrying the session token on refresh.
	 */
	public static final String DEFAULT_SESSION_TOKEN_HEADER_NAME = "session-token";

	static final String LOGIN_PATH = "/api/v2/sdk/login/apple";

	static final String REFRESH_PATH = "/api/v2/sdk/sso/session-token/id-token";

	static final int MAX_BODY_BYTES = 1024 * 1024;

	static final int MAX_HEADER_VALUE_LENGTH = 128;

	static final int MAX_USER_AGENT_LENGTH = 512;

	static final int MAX_SESSION_TOKEN_LENGTH = 1024;

	static final int MAX_CODE_LENGTH = 4096;

	private static final String FLOWS_FIELD = "socialBindOrRegisterFlow";

	private final Log logger = LogFactory.getLog(getClass());

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	private final RestClient restClient;

	private final String clientId;

	private String sessionTokenHeaderName = DEFAULT_SESSION_TOKEN_HEADER_NAME;

	private int maxAttempts = 3;

	private Duration initialBackoff = Duration.ofMillis(200);

	private Duration maxBackoff = Duration.ofSeconds(2);

	private IdaasErrorMessages errorMessages = IdaasErrorMessages.defaults();

	/**
	 * Creates a client.
	 * @param restClient the client to call IDaaS with, already carrying the tenant base URL and
	 * timeouts
	 * @param clientId the application's client id, sent as {@code X-client-id}
	 * @throws IllegalArgumentException when the client id is empty, longer than 128 characters or
	 * not printable ASCII
	 * @since 0.1
	 */
	public RestClientIdaasClient(RestClient restClient, String clientId) {
		Assert.notNull(restClient, "restClient cannot be null");
		Assert.hasText(clientId, "clientId cannot be empty");
		Assert.isTrue(clientId.strip().length() <= MAX_HEADER_VALUE_LENGTH && isPrintableAscii(clientId),
				"clientId must be printable ASCII of at most 128 characters");
		this.restClient = restClient;
		this.clientId = clientId.strip();
	}

	/**
	 * Builds a {@link RestClient} for IDaaS with the default timeouts (connect 2 s, read 5 s).
	 * @param builder the builder to start from, e.g. Spring Boot's; it is cloned, not changed
	 * @param baseUri the tenant base URL, e.g. {@code https://example.idaas.com}
	 * @return the configured client
	 * @see #createRestClient(RestClient.Builder, URI, Duration, Duration)
	 * @since 0.1
	 */
	public static RestClient createRestClient(RestClient.Builder builder, URI baseUri) {
		return createRestClient(builder, baseUri, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT);
	}

	/**
	 * Builds a {@link RestClient} for IDaaS on the JDK {@link HttpClient}
	 * ({@link JdkClientHttpRequestFactory}). The JDK client reports a connect timeout as
	 * {@link HttpConnectTimeoutException}, distinct from a read timeout, so a request that was never
	 * sent ({@link IdaasErrorCategory#TRANSIENT}, retried) is told apart from one whose answer did
	 * not come ({@link IdaasErrorCategory#UNKNOWN_OUTCOME}, never retried). Unlike
	 * {@code HttpURLConnection}, it never silently re-sends a {@code POST}. Redirects are not
	 * followed. Keep the connect timeout below the read timeout: the read timeout runs from the
	 * start of the exchange, and a connect that outlasts it counts as an unknown outcome.
	 * @param builder the builder to start from, e.g. Spring Boot's; it is cloned, not changed
	 * @param baseUri the tenant base URL ({@code http} or {@code https}), e.g.
	 * {@code https://example.idaas.com}
	 * @param connectTimeout the connect timeout, positive
	 * @param readTimeout the time allowed from sending the request to the end of the answer,
	 * positive
	 * @return the configured client
	 * @since 0.1
	 */
	public static RestClient createRestClient(RestClient.Builder builder, URI baseUri, Duration connectTimeout,
			Duration readTimeout) {
		Assert.notNull(builder, "builder cannot be null");
		Assert.notNull(baseUri, "baseUri cannot be null");
		Assert.notNull(connectTimeout, "connectTimeout cannot be null");
		Assert.notNull(readTimeout, "readTimeout cannot be null");
		Assert.isTrue(baseUri.isAbsolute() && baseUri.getHost() != null
				&& ("https".equalsIgnoreCase(baseUri.getScheme()) || "http".equalsIgnoreCase(baseUri.getScheme())),
				"baseUri must be an absolute http or https URL");
		Assert.isTrue(!connectTimeout.isNegative() && !connectTimeout.isZero(), "connectTimeout must be positive");
		Assert.isTrue(!readTimeout.isNegative() && !readTimeout.isZero(), "readTimeout must be positive");
		HttpClient httpClient = HttpClient.newBuilder()
			.connectTimeout(connectTimeout)
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(httpClient);
		requestFactory.setReadTimeout(readTimeout);
		String base = baseUri.toString();
		while (base.endsWith("/")) {
			base = base.substring(0, base.length() - 1);
		}
		return builder.clone().baseUrl(base).requestFactory(requestFactory).build();
	}

	/**
	 * Sets the name of the header carrying the session token on refresh. Some IDaaS editions
	 * use {@code X-session-token}.
	 * @param sessionTokenHeaderName the header name; defaults to {@code session-token}
	 * @since 0.1
	 */
	public void setSessionTokenHeaderName(String sessionTokenHeaderName) {
		Assert.hasText(sessionTokenHeaderName, "sessionTokenHeaderName cannot be empty");
		Assert.isTrue(isHeaderName(sessionTokenHeaderName), "sessionTokenHeaderName must be a valid header name");
		this.sessionTokenHeaderName = sessionTokenHeaderName;
	}

	/**
	 * Sets how many attempts in total a call makes when failures are
	 * {@link IdaasErrorCategory#TRANSIENT}.
	 * @param maxAttempts the number of attempts, at least 1 (1 disables retries); defaults to 3
	 * @since 0.1
	 */
	public void setMaxAttempts(int maxAttempts) {
		Assert.isTrue(maxAttempts >= 1, "maxAttempts must be at least 1");
		this.maxAttempts = maxAttempts;
	}

	/**
	 * Sets the backoff between attempts: the wait doubles from {@code initial} up to {@code max},
	 * and a random jitter takes up to half of it off.
	 * @param initial the wait before the second attempt; defaults to 200 ms
	 * @param max the longest wait; defaults to 2 s
	 * @since 0.1
	 */
	public void setBackoff(Duration initial, Duration max) {
		Assert.notNull(initial, "initial cannot be null");
		Assert.notNull(max, "max cannot be null");
		Assert.isTrue(!initial.isNegative() && !max.isNegative(), "backoff cannot be negative");
		Assert.isTrue(initial.compareTo(max) <= 0, "initial cannot be longer than max");
		this.initialBackoff = initial;
		this.maxBackoff = max;
	}

	/**
	 * Sets the source of the texts of thrown {@link IdaasApiException}s.
	 * @param errorMessages the texts; defaults to the bundled English and Chinese texts
	 * @since 0.1
	 */
	public void setErrorMessages(IdaasErrorMessages errorMessages) {
		Assert.notNull(errorMessages, "errorMessages cannot be null");
		this.errorMessages = errorMessages;
	}

	@Override
	public AppleLoginResult loginWithApple(String code, DeviceContext device) {
		Assert.notNull(code, "code cannot be null");
		Assert.notNull(device, "device cannot be null");
		validateCode(code);
		Map<String, String> headers = headers(device);
		ObjectNode requestBody = this.jsonMapper.createObjectNode();
		requestBody.put("code", code);
		byte[] body = this.jsonMapper.writeValueAsBytes(requestBody);
		ObjectNode answer = execute(LOGIN_PATH, headers, body);
		return loginResult(answer);
	}

	@Override
	public TokenRefreshResult refreshIdToken(String sessionToken, DeviceContext device) {
		Assert.hasText(sessionToken, "sessionToken cannot be empty");
		Assert.notNull(device, "device cannot be null");
		Map<String, String> headers = headers(device);
		headers.put(this.sessionTokenHeaderName,
				headerValue(this.sessionTokenHeaderName, sessionToken, MAX_SESSION_TOKEN_LENGTH, false));
		ObjectNode answer = execute(REFRESH_PATH, headers, null);
		String newSessionToken = requiredText(answer, "session_token");
		String idToken = requiredText(answer, "id_token");
		return new TokenRefreshResult(newSessionToken, expire(answer), idToken);
	}

	// Requests

	private Map<String, String> headers(DeviceContext device) {
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

	private String headerValue(String name, String value, int maxLength, boolean truncate) {
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

	private void validateCode(String code) {
		if (code.isBlank()) {
			throw failure(IdaasErrorCodes.INVALID_CODE, IdaasErrorCategory.INVALID_REQUEST, "code is empty");
		}
		if (code.length() > MAX_CODE_LENGTH) {
			throw failure(IdaasErrorCodes.INVALID_CODE, IdaasErrorCategory.INVALID_REQUEST,
					"code is longer than " + MAX_CODE_LENGTH + " characters");
		}
		for (int i = 0; i < code.length(); i++) {
			if (Character.isISOControl(code.charAt(i))) {
				throw failure(IdaasErrorCodes.INVALID_CODE, IdaasErrorCategory.INVALID_REQUEST,
						"code holds a control character");
			}
		}
	}

	private static boolean isPrintableAscii(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < 0x20 || c > 0x7e) {
				return false;
			}
		}
		return true;
	}

	private static boolean isHeaderName(String name) {
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

	private ObjectNode execute(String path, Map<String, String> headers, byte @Nullable [] body) {
		for (int attempt = 1;; attempt++) {
			try {
				Answer answer = exchange(path, headers, body);
				if (this.logger.isDebugEnabled()) {
					this.logger.debug("IDaaS POST " + path + " answered HTTP " + answer.httpStatus() + " (attempt "
							+ attempt + "/" + this.maxAttempts + ")");
				}
				return answer.body();
			}
			catch (IdaasApiException ex) {
				boolean retry = ex.getCategory() == IdaasErrorCategory.TRANSIENT && attempt < this.maxAttempts;
				if (this.logger.isDebugEnabled()) {
					this.logger.debug("IDaaS POST " + path + " failed (attempt " + attempt + "/" + this.maxAttempts
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

	private Answer exchange(String path, Map<String, String> headers, byte @Nullable [] body) {
		try {
			RestClient.RequestBodySpec request = this.restClient.post().uri(path).headers((httpHeaders) -> {
				headers.forEach(httpHeaders::set);
				httpHeaders.setContentType(MediaType.APPLICATION_JSON);
				httpHeaders.setAccept(List.of(MediaType.APPLICATION_JSON));
			});
			if (body != null) {
				request.body(body);
			}
			return request.exchange((clientRequest, response) -> readAnswer(response), true);
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
		long initial = this.initialBackoff.toNanos();
		long max = this.maxBackoff.toNanos();
		long delay = initial;
		for (int i = 1; i < failedAttempt && delay < max; i++) {
			delay = (delay > max / 2) ? max : delay * 2;
		}
		delay = Math.min(delay, max);
		long half = delay / 2;
		return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(delay - half + 1));
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

	private Answer readAnswer(ClientHttpResponse response) throws IOException {
		int status = response.getStatusCode().value();
		byte[] body = readBody(response, status);
		JsonNode json = parse(body);
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
			case IdaasErrorCodes.APPLE_CODE_EMPTY, IdaasErrorCodes.ID_TOKEN_INVALID ->
				IdaasErrorCategory.INVALID_REQUEST;
			default -> (httpStatus >= 500) ? IdaasErrorCategory.TRANSIENT : IdaasErrorCategory.UNKNOWN;
		};
	}

	private AppleLoginResult loginResult(ObjectNode answer) {
		String rawStatus = text(answer, "status");
		if (rawStatus == null) {
			throw failure(IdaasErrorCodes.MALFORMED_RESPONSE, IdaasErrorCategory.PROTOCOL, 200, null, null,
					"no status", null);
		}
		String status = rawStatus.strip().toUpperCase(Locale.ROOT);
		if (this.logger.isDebugEnabled()) {
			this.logger.debug("IDaaS Apple login status " + IdaasErrorMessages.printable(status, 64));
		}
		return switch (status) {
			case "SUCCESS" -> new AppleLoginResult.Authenticated(requiredText(answer, "session_token"),
					expire(answer), requiredText(answer, "id_token"));
			case "SOCIAL_BIND" -> pendingSocialFlow(SocialFlowBranch.SOCIAL_BIND, answer);
			case "USER_REGISTER" -> pendingSocialFlow(SocialFlowBranch.USER_REGISTER, answer);
			case "ACCESS_DENIED" -> new AppleLoginResult.AccessDenied();
			default -> throw failure(IdaasErrorCodes.MALFORMED_RESPONSE, IdaasErrorCategory.PROTOCOL, 200, null,
					rawStatus, "unknown status '" + IdaasErrorMessages.printable(rawStatus, 64) + "'", null);
		};
	}

	private AppleLoginResult.PendingSocialFlow pendingSocialFlow(SocialFlowBranch branch, ObjectNode answer) {
		return new AppleLoginResult.PendingSocialFlow(branch, requiredText(answer, "state_token"),
				flows(answer.get("data")));
	}

	private List<String> flows(@Nullable JsonNode data) {
		JsonNode config = data;
		if (config != null && config.isString()) {
			String document = config.stringValue().strip();
			if (document.isEmpty()) {
				return List.of();
			}
			try {
				config = this.jsonMapper.readTree(document);
			}
			catch (JacksonException ex) {
				return List.of();
			}
		}
		if (config == null || !config.isObject()) {
			return List.of();
		}
		JsonNode flows = config.get(FLOWS_FIELD);
		if (flows == null || !flows.isArray()) {
			return List.of();
		}
		List<String> result = new ArrayList<>();
		for (JsonNode flow : flows.values()) {
			if (flow.isString() && StringUtils.hasText(flow.stringValue())) {
				result.add(flow.stringValue().strip());
			}
		}
		return result;
	}

	private Duration expire(ObjectNode answer) {
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
				// fall through to the protocol error
			}
		}
		throw failure(IdaasErrorCodes.MALFORMED_RESPONSE, IdaasErrorCategory.PROTOCOL, 200, null, null,
				"no valid expire", null);
	}

	private String requiredText(ObjectNode answer, String field) {
		String value = text(answer, field);
		if (value == null) {
			throw failure(IdaasErrorCodes.MALFORMED_RESPONSE, IdaasErrorCategory.PROTOCOL, 200, null, null,
					"no " + field, null);
		}
		return value.strip();
	}

	private static @Nullable String text(JsonNode json, String field) {
		JsonNode value = json.get(field);
		if (value == null || !value.isString() || !StringUtils.hasText(value.stringValue())) {
			return null;
		}
		return value.stringValue();
	}

	private IdaasApiException failure(String errorCode, IdaasErrorCategory category, String detail) {
		return failure(errorCode, category, 0, null, null, detail, null);
	}

	private IdaasApiException failure(String errorCode, IdaasErrorCategory category, int httpStatus,
			@Nullable String vendorMessage, @Nullable String upstreamStatus, @Nullable String detail,
			@Nullable Throwable cause) {
		return new IdaasApiException(errorCode.strip(), category, httpStatus, vendorMessage, upstreamStatus, detail,
				this.errorMessages, cause);
	}

	/**
	 * A successful answer: its HTTP status and JSON object body.
	 */
	private record Answer(int httpStatus, ObjectNode body) {
	}

}

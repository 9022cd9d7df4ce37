package dev.idaas.spring.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
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
 * {@code data} may be a JSON document inside a string, absent, empty or garbage (then no flows:
 * the web flow reads that as "no restriction known" and offers both methods),
 * unknown fields are ignored. A body larger than 1 MiB is never buffered and is a
 * {@link IdaasErrorCategory#PROTOCOL} error. An {@code error_code} in the body is an error
 * whatever the HTTP status (even 200); a known code decides the category, an unknown code is kept
 * raw as {@link IdaasErrorCategory#VENDOR_REFUSED} with the vendor's {@code error_msg} as its
 * text ({@link IdaasErrorCategory#TRANSIENT} with a 5xx; {@link IdaasErrorCategory#UNKNOWN} when
 * it is not even shaped like a code). {@code MFA_AUTH} with a {@code state_token} is
 * {@link AppleLoginResult.SecondFactorRequired}.
 * A 5xx or 429 without an error code is {@link IdaasErrorCategory#TRANSIENT}
 * ({@link IdaasErrorCodes#UPSTREAM_UNAVAILABLE}); any other answer that is not a 2xx JSON object is
 * {@link IdaasErrorCategory#PROTOCOL} ({@link IdaasErrorCodes#MALFORMED_RESPONSE}). Redirects are
 * not followed.
 * <p>
 * <b>Retries.</b> Only {@link IdaasErrorCategory#TRANSIENT} failures (IDaaS unreachable, 5xx,
 * {@code COM.0002}) are retried, up to {@link #setMaxAttempts(int) maxAttempts} attempts in
 * total with exponential backoff and jitter (the request and answer handling is shared with
 * {@link RestClientIdaasSocialFlowClient}). A request whose outcome is unknown (read timeout) is
 * never retried: an Apple code is single-use and a refresh may already have rotated the session
 * token.
 * <p>
 * <b>Logging.</b> At debug level, under this class's logger, the outcome of each attempt (path,
 * HTTP status, attempt number, error code and category, whether it is retried) and the
 * {@code status} of an Apple login answer. Tokens, codes and device facts are never logged.
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

	static final int MAX_BODY_BYTES = IdaasApiExchange.MAX_BODY_BYTES;

	static final int MAX_HEADER_VALUE_LENGTH = IdaasApiExchange.MAX_HEADER_VALUE_LENGTH;

	static final int MAX_USER_AGENT_LENGTH = IdaasApiExchange.MAX_USER_AGENT_LENGTH;

	static final int MAX_SESSION_TOKEN_LENGTH = 1024;

	static final int MAX_CODE_LENGTH = 4096;

	private static final String FLOWS_FIELD = "socialBindOrRegisterFlow";

	private final Log logger = LogFactory.getLog(getClass());

	private final IdaasApiExchange exchange;

	private String sessionTokenHeaderName = DEFAULT_SESSION_TOKEN_HEADER_NAME;

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
		this.exchange = new IdaasApiExchange(restClient, clientId, this.logger);
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
		Assert.isTrue(IdaasApiExchange.isHeaderName(sessionTokenHeaderName),
				"sessionTokenHeaderName must be a valid header name");
		this.sessionTokenHeaderName = sessionTokenHeaderName;
	}

	/**
	 * Sets how many attempts in total a call makes when failures are
	 * {@link IdaasErrorCategory#TRANSIENT}.
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
	public AppleLoginResult loginWithApple(String code, DeviceContext device) {
		Assert.notNull(code, "code cannot be null");
		Assert.notNull(device, "device cannot be null");
		validateCode(code);
		Map<String, String> headers = this.exchange.headers(device);
		ObjectNode requestBody = this.exchange.jsonMapper().createObjectNode();
		requestBody.put("code", code);
		byte[] body = this.exchange.jsonMapper().writeValueAsBytes(requestBody);
		ObjectNode answer = this.exchange.execute(LOGIN_PATH, headers, body, true);
		return loginResult(answer);
	}

	@Override
	public TokenRefreshResult refreshIdToken(String sessionToken, DeviceContext device) {
		Assert.hasText(sessionToken, "sessionToken cannot be empty");
		Assert.notNull(device, "device cannot be null");
		Map<String, String> headers = this.exchange.headers(device);
		headers.put(this.sessionTokenHeaderName,
				this.exchange.headerValue(this.sessionTokenHeaderName, sessionToken, MAX_SESSION_TOKEN_LENGTH, false));
		ObjectNode answer = this.exchange.execute(REFRESH_PATH, headers, null, true);
		String newSessionToken = this.exchange.requiredText(answer, "session_token");
		String idToken = this.exchange.requiredText(answer, "id_token");
		return new TokenRefreshResult(newSessionToken, this.exchange.expire(answer), idToken);
	}

	// Requests

	private void validateCode(String code) {
		if (code.isBlank()) {
			throw this.exchange.failure(IdaasErrorCodes.INVALID_CODE, IdaasErrorCategory.INVALID_REQUEST, "code is empty");
		}
		if (code.length() > MAX_CODE_LENGTH) {
			throw this.exchange.failure(IdaasErrorCodes.INVALID_CODE, IdaasErrorCategory.INVALID_REQUEST,
					"code is longer than " + MAX_CODE_LENGTH + " characters");
		}
		for (int i = 0; i < code.length(); i++) {
			if (Character.isISOControl(code.charAt(i))) {
				throw this.exchange.failure(IdaasErrorCodes.INVALID_CODE, IdaasErrorCategory.INVALID_REQUEST,
						"code holds a control character");
			}
		}
	}

	// Answers

	static IdaasErrorCategory category(String errorCode, int httpStatus) {
		return IdaasApiExchange.category(errorCode, httpStatus);
	}

	private AppleLoginResult loginResult(ObjectNode answer) {
		String rawStatus = IdaasApiExchange.text(answer, "status");
		if (rawStatus == null) {
			throw this.exchange.failure(IdaasErrorCodes.MALFORMED_RESPONSE, IdaasErrorCategory.PROTOCOL, 200, null, null,
					"no status", null);
		}
		String status = rawStatus.strip().toUpperCase(Locale.ROOT);
		if (this.logger.isDebugEnabled()) {
			this.logger.debug("IDaaS Apple login status " + IdaasErrorMessages.printable(status, 64));
		}
		return switch (status) {
			case "SUCCESS" -> new AppleLoginResult.Authenticated(this.exchange.requiredText(answer, "session_token"),
					this.exchange.expire(answer), this.exchange.requiredText(answer, "id_token"));
			case "SOCIAL_BIND" -> pendingSocialFlow(SocialFlowBranch.SOCIAL_BIND, answer);
			case "USER_REGISTER" -> pendingSocialFlow(SocialFlowBranch.USER_REGISTER, answer);
			case "MFA_AUTH" -> new AppleLoginResult.SecondFactorRequired(this.exchange.requiredText(answer, "state_token"));
			case "ACCESS_DENIED" -> new AppleLoginResult.AccessDenied();
			default -> throw this.exchange.failure(IdaasErrorCodes.MALFORMED_RESPONSE, IdaasErrorCategory.PROTOCOL, 200, null,
					rawStatus, "unknown status '" + IdaasErrorMessages.printable(rawStatus, 64) + "'", null);
		};
	}

	private AppleLoginResult.PendingSocialFlow pendingSocialFlow(SocialFlowBranch branch, ObjectNode answer) {
		return new AppleLoginResult.PendingSocialFlow(branch, this.exchange.requiredText(answer, "state_token"),
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
				config = this.exchange.jsonMapper().readTree(document);
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

	/**
	 * The pause before the next attempt, for tests of the backoff bounds.
	 */
	Duration backoff(int failedAttempt) {
		return this.exchange.backoff(failedAttempt);
	}

}

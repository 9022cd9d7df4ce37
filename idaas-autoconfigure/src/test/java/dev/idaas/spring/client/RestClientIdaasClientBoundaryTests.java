package dev.idaas.spring.client;

import java.time.Duration;
import java.util.Locale;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The edges of {@link IdaasApiExchange}'s rules, on MockWebServer: exactly HTTP 500 is IDaaS
 * being busy (retried), 499 is not; an {@code expire} of zero is a session token that has just
 * run out, a negative one is a broken answer.
 */
class RestClientIdaasClientBoundaryTests {

	private static final String SESSION_TOKEN = "btsiBjx85prcZu6I6Ki057Tmw3nSF2VO";

	private static final String REFRESHED = """
			{
			  "session_token": "nRUxqRE5TSlQwd3NBIiwiaW",
			  "expire": EXPIRE,
			  "id_token": "eyJraWQiOiI0NjJXEuY29tIn0.Jz3pZhvpVQDK99SSwR_SnJE1w0.69wHREjAhMw4Q2uo7CX"
			}""";

	private static final DeviceContext DEVICE = new DeviceContext("ios17.5", "fp-1", "192.0.2.1", "Mozilla/5.0",
			Locale.ENGLISH);

	@StartStop
	private final MockWebServer server = new MockWebServer();

	private RestClientIdaasClient client;

	@BeforeEach
	void setUp() {
		RestClient restClient = RestClientIdaasClient.createRestClient(RestClient.builder(),
				this.server.url("/").uri(), Duration.ofSeconds(2), Duration.ofSeconds(5));
		this.client = new RestClientIdaasClient(restClient, "client-id");
		this.client.setBackoff(Duration.ofMillis(1), Duration.ofMillis(2));
		this.client.setMaxAttempts(2);
	}

	@ParameterizedTest
	@ValueSource(strings = { "0", "\"0\"" })
	void refreshIdTokenWhenExpireIsZeroThenAcceptedAsZero(String expire) {
		enqueue(200, REFRESHED.replace("EXPIRE", expire));
		assertThat(this.client.refreshIdToken(SESSION_TOKEN, DEVICE).sessionExpiresIn()).isEqualTo(Duration.ZERO);
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "-1", "\"-1\"", "\"soon\"", "1.5e30" })
	void refreshIdTokenWhenExpireNegativeOrNotANumberThenProtocolErrorNotRetried(String expire) {
		enqueue(200, REFRESHED.replace("EXPIRE", expire));
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.refreshIdToken(SESSION_TOKEN, DEVICE))
			.satisfies((ex) -> {
				assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.MALFORMED_RESPONSE);
				assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.PROTOCOL);
			});
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void refreshIdTokenWhenUnknownVendorCodeWithStatus500ThenTransientNotRetried() {
		// a 500 may come after IDaaS rotated the session token: not repeated with the old one
		enqueue(500, "{\"error_code\":\"IDAAS.SDK.NEW.0001\",\"error_msg\":\"Something new\"}");
		enqueue(200, REFRESHED.replace("EXPIRE", "604800"));
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.refreshIdToken(SESSION_TOKEN, DEVICE))
			.satisfies((ex) -> {
				assertThat(ex.getErrorCode()).isEqualTo("IDAAS.SDK.NEW.0001");
				assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.TRANSIENT);
			});
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void refreshIdTokenWhenUnknownVendorCodeWithStatus499ThenVendorRefusedNotRetried() {
		enqueue(499, "{\"error_code\":\"IDAAS.SDK.NEW.0001\",\"error_msg\":\"Something new\"}");
		enqueue(200, REFRESHED.replace("EXPIRE", "604800"));
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.refreshIdToken(SESSION_TOKEN, DEVICE))
			.satisfies((ex) -> {
				assertThat(ex.getErrorCode()).isEqualTo("IDAAS.SDK.NEW.0001");
				assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.VENDOR_REFUSED);
			});
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void refreshIdTokenWhenStatus500WithoutErrorCodeThenUnavailableNotRetried() {
		enqueue(500, "{}");
		enqueue(200, REFRESHED.replace("EXPIRE", "604800"));
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.refreshIdToken(SESSION_TOKEN, DEVICE))
			.satisfies((ex) -> {
				assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.UPSTREAM_UNAVAILABLE);
				assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.TRANSIENT);
				assertThat(ex.getHttpStatus()).isEqualTo(500);
			});
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void refreshIdTokenWhenStatus503TwiceThenRetriedThenUnavailableTransient() {
		enqueue(503, "{}");
		enqueue(503, "{}");
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.refreshIdToken(SESSION_TOKEN, DEVICE))
			.satisfies((ex) -> {
				assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.UPSTREAM_UNAVAILABLE);
				assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.TRANSIENT);
				assertThat(ex.getHttpStatus()).isEqualTo(503);
			});
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	@Test
	void refreshIdTokenWhenStatus499WithoutErrorCodeThenProtocolErrorNotRetried() {
		enqueue(499, "{}");
		enqueue(200, REFRESHED.replace("EXPIRE", "604800"));
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.refreshIdToken(SESSION_TOKEN, DEVICE))
			.satisfies((ex) -> {
				assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.MALFORMED_RESPONSE);
				assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.PROTOCOL);
			});
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	private void enqueue(int code, String body) {
		this.server.enqueue(new MockResponse.Builder().code(code)
			.addHeader("Content-Type", "application/json")
			.body(body)
			.build());
	}

}

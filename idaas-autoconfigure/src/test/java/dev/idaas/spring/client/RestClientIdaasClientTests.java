package dev.idaas.spring.client;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link RestClientIdaasClient} against a real HTTP server.
 */
class RestClientIdaasClientTests {

	private static final String CLIENT_ID = "nTo1eRIub60vPb54WeE6aojPwYwImtl4";

	private static final String CODE = "ad12sasdsfe3dfdg3sc";

	private static final String SESSION_TOKEN = "btsiBjx85prcZu6I6Ki057Tmw3nSF2VO";

	private static final String ID_TOKEN = "eyJ0NiJ9.eyJ1cI6IjIifX0.DeWt4QuZXso";

	private static final String STATE_TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

	private static final String NEW_SESSION_TOKEN = "nRUxqRE5TSlQwd3NBIiwiaW";

	private static final String NEW_ID_TOKEN = "eyJraWQiOiI0NjJXEuY29tIn0.Jz3pZhvpVQDK99SSwR_SnJE1w0.69wHREjAhMw4Q2uo7CX";

	private static final String SUCCESS = """
			{
			  "session_token": "btsiBjx85prcZu6I6Ki057Tmw3nSF2VO",
			  "expire": 432000,
			  "status": "SUCCESS",
			  "id_token": "eyJ0NiJ9.eyJ1cI6IjIifX0.DeWt4QuZXso"
			}""";

	private static final String USER_REGISTER = """
			{
			  "state_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
			  "data": "{\\"socialBindOrRegisterFlow\\":[\\"VERIFY_PHONE\\",\\"VERIFY_EMAIL\\"]}",
			  "status": "USER_REGISTER"
			}""";

	private static final String SOCIAL_BIND = """
			{
			  "state_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
			  "data": "{\\"socialBindOrRegisterFlow\\":[\\"VERIFY_PHONE\\",\\"VERIFY_EMAIL\\"]}",
			  "status": "SOCIAL_BIND"
			}""";

	private static final String REFRESHED = """
			{
			  "session_token": "nRUxqRE5TSlQwd3NBIiwiaW",
			  "expire": 604800,
			  "id_token": "eyJraWQiOiI0NjJXEuY29tIn0.Jz3pZhvpVQDK99SSwR_SnJE1w0.69wHREjAhMw4Q2uo7CX"
			}""";

	private static final DeviceContext DEVICE = new DeviceContext("windows10.1.1", "156aysdna213sc50", "192.168.1.2",
			"Mozilla/5.0 (iPhone; CPU iPhone OS 13_3 like Mac OS X)", Locale.SIMPLIFIED_CHINESE);

	private static final DeviceContext DEVICE_WITHOUT_IP_AND_LOCALE = new DeviceContext("ios17.5", "fp-1", null,
			"Mozilla/5.0", null);

	@StartStop
	private final MockWebServer server = new MockWebServer();

	private RestClientIdaasClient client;

	@BeforeEach
	void setUp() {
		this.client = client(Duration.ofSeconds(5));
	}

	private RestClientIdaasClient client(Duration readTimeout) {
		RestClient restClient = RestClientIdaasClient.createRestClient(RestClient.builder(),
				this.server.url("/").uri(), Duration.ofSeconds(2), readTimeout);
		RestClientIdaasClient client = new RestClientIdaasClient(restClient, CLIENT_ID);
		client.setBackoff(Duration.ofMillis(1), Duration.ofMillis(2));
		return client;
	}

	private void enqueue(int code, String body) {
		this.server.enqueue(new MockResponse.Builder().code(code)
			.addHeader("Content-Type", "application/json")
			.body(body)
			.build());
	}

	private static String errorBody(String code, String message) {
		return "{\"error_code\":\"" + code + "\",\"error_msg\":\"" + message + "\"}";
	}

	// Login answers

	@Test
	void loginWithAppleWhenSuccessThenAuthenticated() throws Exception {
		enqueue(200, SUCCESS);
		AppleLoginResult result = this.client.loginWithApple(CODE, DEVICE);
		assertThat(result).isEqualTo(
				new AppleLoginResult.Authenticated(SESSION_TOKEN, Duration.ofSeconds(432000), ID_TOKEN));
		RecordedRequest request = this.server.takeRequest();
		assertThat(request.getMethod()).isEqualTo("POST");
		assertThat(request.getTarget()).isEqualTo("/api/v2/sdk/login/apple");
		assertThat(request.getBody().utf8()).isEqualTo("{\"code\":\"ad12sasdsfe3dfdg3sc\"}");
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void loginWithAppleWhenUserRegisterThenPendingRegisterFlow() {
		enqueue(200, USER_REGISTER);
		AppleLoginResult result = this.client.loginWithApple(CODE, DEVICE);
		assertThat(result).isEqualTo(new AppleLoginResult.PendingSocialFlow(SocialFlowBranch.USER_REGISTER,
				STATE_TOKEN, List.of("VERIFY_PHONE", "VERIFY_EMAIL")));
	}

	@Test
	void loginWithAppleWhenSocialBindThenPendingBindFlow() {
		enqueue(200, SOCIAL_BIND);
		AppleLoginResult result = this.client.loginWithApple(CODE, DEVICE);
		assertThat(result).isEqualTo(new AppleLoginResult.PendingSocialFlow(SocialFlowBranch.SOCIAL_BIND,
				STATE_TOKEN, List.of("VERIFY_PHONE", "VERIFY_EMAIL")));
	}

	@ParameterizedTest
	@ValueSource(strings = { " SOCIAL_BIND", "social_bind", "Social_Bind  " })
	void loginWithAppleWhenStatusPaddedOrMixedCaseThenPendingBindFlow(String status) {
		enqueue(200, SOCIAL_BIND.replace("\"SOCIAL_BIND\"", "\"" + status + "\""));
		AppleLoginResult result = this.client.loginWithApple(CODE, DEVICE);
		assertThat(result).isEqualTo(new AppleLoginResult.PendingSocialFlow(SocialFlowBranch.SOCIAL_BIND,
				STATE_TOKEN, List.of("VERIFY_PHONE", "VERIFY_EMAIL")));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", ",\"data\":\"\"", ",\"data\":\"   \"", ",\"data\":null", ",\"data\":\"{not json\"",
			",\"data\":\"[1,2]\"", ",\"data\":\"{\\\"socialBindOrRegisterFlow\\\":\\\"VERIFY_PHONE\\\"}\"",
			",\"data\":42" })
	void loginWithAppleWhenDataAbsentEmptyOrGarbageThenNoFlows(String data) {
		enqueue(200, "{\"state_token\":\"" + STATE_TOKEN + "\",\"status\":\"SOCIAL_BIND\"" + data + "}");
		AppleLoginResult result = this.client.loginWithApple(CODE, DEVICE);
		assertThat(result)
			.isEqualTo(new AppleLoginResult.PendingSocialFlow(SocialFlowBranch.SOCIAL_BIND, STATE_TOKEN, List.of()));
	}

	@Test
	void loginWithAppleWhenDataIsObjectAndUnknownFieldsThenFlowsParsed() {
		enqueue(200, "{\"state_token\":\"" + STATE_TOKEN + "\",\"status\":\"USER_REGISTER\",\"extra\":{\"a\":1},"
				+ "\"data\":{\"socialBindOrRegisterFlow\":[\"VERIFY_EMAIL\",1,\"\"],\"other\":true}}");
		AppleLoginResult result = this.client.loginWithApple(CODE, DEVICE);
		assertThat(result).isEqualTo(new AppleLoginResult.PendingSocialFlow(SocialFlowBranch.USER_REGISTER,
				STATE_TOKEN, List.of("VERIFY_EMAIL")));
	}

	@ParameterizedTest
	@ValueSource(strings = { "MFA_AUTH", " mfa_auth " })
	void loginWithAppleWhenMfaAuthThenSecondFactorRequired(String status) {
		enqueue(200, "{\"status\":\"" + status + "\",\"state_token\":\"" + STATE_TOKEN + "\"}");
		AppleLoginResult result = this.client.loginWithApple(CODE, DEVICE);
		assertThat(result).isEqualTo(new AppleLoginResult.SecondFactorRequired(STATE_TOKEN));
		assertThat(result.toString()).doesNotContain(STATE_TOKEN);
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void loginWithAppleWhenMfaAuthWithoutStateTokenThenProtocolError() {
		enqueue(200, "{\"status\":\"MFA_AUTH\"}");
		assertThatExceptionOfType(IdaasApiException.class).isThrownBy(() -> this.client.loginWithApple(CODE, DEVICE))
			.satisfies((ex) -> assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.PROTOCOL))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.MALFORMED_RESPONSE));
	}

	@Test
	void loginWithAppleWhenAccessDeniedThenAccessDenied() {
		enqueue(200, "{\"status\":\"ACCESS_DENIED\"}");
		AppleLoginResult result = this.client.loginWithApple(CODE, DEVICE);
		assertThat(result).isEqualTo(new AppleLoginResult.AccessDenied());
	}

	@ParameterizedTest
	@ValueSource(strings = { "session_token", "id_token", "expire" })
	void loginWithAppleWhenSuccessWithoutFieldThenProtocolError(String field) {
		enqueue(200, SUCCESS.replace("\"" + field + "\"", "\"ignored_" + field + "\""));
		IdaasApiException ex = assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.loginWithApple(CODE, DEVICE))
			.actual();
		assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.PROTOCOL);
		assertThat(ex.getErrorCode()).isEqualTo("IDAAS.STARTER.MALFORMED_RESPONSE");
		assertThat(ex.getHttpStatus()).isEqualTo(200);
		assertThat(ex.getMessage()).contains(field).doesNotContain(SESSION_TOKEN).doesNotContain(ID_TOKEN);
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void loginWithAppleWhenSocialBindWithoutStateTokenThenProtocolError() {
		enqueue(200, "{\"status\":\"SOCIAL_BIND\"}");
		assertThatExceptionOfType(IdaasApiException.class).isThrownBy(() -> this.client.loginWithApple(CODE, DEVICE))
			.satisfies((ex) -> assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.PROTOCOL));
	}

	@Test
	void loginWithAppleWhenUnknownStatusThenProtocolErrorKeepingRawStatus() {
		enqueue(200, "{\"status\":\" LOCKED_OUT\",\"session_token\":\"" + SESSION_TOKEN + "\"}");
		IdaasApiException ex = assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.loginWithApple(CODE, DEVICE))
			.actual();
		assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.PROTOCOL);
		assertThat(ex.getErrorCode()).isEqualTo("IDAAS.STARTER.MALFORMED_RESPONSE");
		assertThat(ex.getUpstreamStatus()).isEqualTo("LOCKED_OUT");
		assertThat(ex.getMessage()).contains("LOCKED_OUT").doesNotContain(SESSION_TOKEN);
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void loginWithAppleWhenStatusMissingThenProtocolError() {
		enqueue(200, "{\"session_token\":\"" + SESSION_TOKEN + "\"}");
		assertThatExceptionOfType(IdaasApiException.class).isThrownBy(() -> this.client.loginWithApple(CODE, DEVICE))
			.satisfies((ex) -> assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.PROTOCOL))
			.satisfies((ex) -> assertThat(ex.getUpstreamStatus()).isNull());
	}

	// Error answers

	static Stream<Arguments> loginErrors() {
		return Stream.of(
				Arguments.of("IDAAS.SDK.PARAM.0001", 400, "Device information is incomplete",
						IdaasErrorCategory.CLIENT_CONFIGURATION),
				Arguments.of("IDAAS.SDK.PARAM.0002", 400, "clientId cannot be empty",
						IdaasErrorCategory.CLIENT_CONFIGURATION),
				Arguments.of("IDAAS.SDK.PARAM.0003", 400, "The app is not registered, please register the app first",
						IdaasErrorCategory.CLIENT_CONFIGURATION),
				Arguments.of("IDAAS.SDK.PARAM.0011", 400, "Apple authorization code cannot be empty",
						IdaasErrorCategory.INVALID_REQUEST),
				Arguments.of("IDAAS.SDK.PARAM.0016", 400, "IdToken is invalid or expired",
						IdaasErrorCategory.INVALID_REQUEST),
				Arguments.of("IDAAS.SDK.CAPTCHA.0002", 400, "Graphic verification code verification failed",
						IdaasErrorCategory.INVALID_REQUEST),
				Arguments.of("IDAAS.SDK.CAPTCHA.0006", 400, "The verification code could not be sent, please try again later",
						IdaasErrorCategory.INVALID_REQUEST),
				Arguments.of("IDAAS.SDK.CAPTCHA.0007", 400, "Incorrect verification code",
						IdaasErrorCategory.INVALID_REQUEST),
				Arguments.of("IDAAS.SDK.COMMON.1007", 400, "The sign-in has expired, please sign in again",
						IdaasErrorCategory.INVALID_REQUEST),
				Arguments.of("IDAAS.SDK.USER.0039", 400, "User is disabled", IdaasErrorCategory.USER_DISABLED),
				Arguments.of("IDAAS.SDK.COM.0002", 500, "System busy, please try again later",
						IdaasErrorCategory.TRANSIENT),
				Arguments.of("IDAAS.SDK.COM.0002", 400, "System busy, please try again later",
						IdaasErrorCategory.TRANSIENT));
	}

	@ParameterizedTest
	@MethodSource("loginErrors")
	void loginWithAppleWhenErrorCodeThenCategory(String code, int status, String message,
			IdaasErrorCategory category) {
		this.client.setMaxAttempts(1);
		enqueue(status, errorBody(code, message));
		IdaasApiException ex = assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.loginWithApple(CODE, DEVICE))
			.actual();
		assertThat(ex.getErrorCode()).isEqualTo(code);
		assertThat(ex.getHttpStatus()).isEqualTo(status);
		assertThat(ex.getVendorMessage()).isEqualTo(message);
		assertThat(ex.getCategory()).isEqualTo(category);
		assertThat(ex.getMessage()).isEqualTo(code + ": " + message);
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "IDAAS.SDK.PARAM.0001", "IDAAS.SDK.PARAM.0011", "IDAAS.SDK.USER.0039" })
	void loginWithAppleWhenNonTransientErrorThenNotRetried(String code) {
		enqueue(400, errorBody(code, "x"));
		enqueue(200, SUCCESS);
		assertThatExceptionOfType(IdaasApiException.class).isThrownBy(() -> this.client.loginWithApple(CODE, DEVICE));
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	static Stream<Arguments> refreshErrors() {
		return Stream.of(
				Arguments.of("IDAAS.SDK.PARAM.0001", 400, IdaasErrorCategory.CLIENT_CONFIGURATION),
				Arguments.of("IDAAS.SDK.PARAM.0002", 400, IdaasErrorCategory.CLIENT_CONFIGURATION),
				Arguments.of("IDAAS.SDK.PARAM.0003", 400, IdaasErrorCategory.CLIENT_CONFIGURATION),
				Arguments.of("IDAAS.SDK.PARAM.0022", 400, IdaasErrorCategory.INVALID_SESSION),
				Arguments.of("IDAAS.SDK.PARAM.0023", 400, IdaasErrorCategory.INVALID_SESSION),
				Arguments.of("IDAAS.SDK.COM.0002", 400, IdaasErrorCategory.TRANSIENT));
	}

	@ParameterizedTest
	@MethodSource("refreshErrors")
	void refreshIdTokenWhenErrorCodeThenCategory(String code, int status, IdaasErrorCategory category) {
		this.client.setMaxAttempts(1);
		enqueue(status, errorBody(code, "vendor text"));
		IdaasApiException ex = assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.refreshIdToken(SESSION_TOKEN, DEVICE))
			.actual();
		assertThat(ex.getErrorCode()).isEqualTo(code);
		assertThat(ex.getHttpStatus()).isEqualTo(status);
		assertThat(ex.getCategory()).isEqualTo(category);
		assertThat(ex.getVendorMessage()).isEqualTo("vendor text");
		assertThat(ex.getMessage()).startsWith(code + ": ").doesNotContain(SESSION_TOKEN);
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@ParameterizedTest
	@ValueSource(ints = { 500, 502, 504 })
	void loginWithAppleWhen5xxWithoutCodeThenTransientAndNotRetriedBecauseTheCodeMayBeSpent(int status) {
		this.server.enqueue(new MockResponse.Builder().code(status)
			.addHeader("Content-Type", "text/html")
			.body("<html><body><h1>" + status + " Bad Gateway</h1></body></html>")
			.build());
		enqueue(200, SUCCESS);
		IdaasApiException ex = assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.loginWithApple(CODE, DEVICE))
			.actual();
		assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.TRANSIENT);
		assertThat(ex.getErrorCode()).isEqualTo("IDAAS.STARTER.UPSTREAM_UNAVAILABLE");
		assertThat(ex.getHttpStatus()).isEqualTo(status);
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@ParameterizedTest
	@ValueSource(ints = { 429, 503 })
	void loginWithAppleWhenNotProcessedWithoutCodeThenRetriedAndSucceeds(int status) {
		enqueue(status, "");
		enqueue(200, SUCCESS);
		assertThat(this.client.loginWithApple(CODE, DEVICE)).isInstanceOf(AppleLoginResult.Authenticated.class);
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	@Test
	void refreshIdTokenWhenGatewayTimeoutWithoutCodeThenNotRetriedBecauseTheTokenMayBeRotated() {
		enqueue(504, "");
		enqueue(200, SUCCESS);
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.refreshIdToken(SESSION_TOKEN, DEVICE))
			.satisfies((ex) -> assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.TRANSIENT));
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"session_token\":\"btsiBjx85prcZu6I6Ki057Tmw3nSF2VO\",\"expi", "", "   ",
			"<html>oops</html>", "not json", "[1,2,3]", "\"SUCCESS\"" })
	void loginWithAppleWhenBodyMalformedThenProtocolError(String body) {
		enqueue(200, body);
		enqueue(200, SUCCESS);
		IdaasApiException ex = assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.loginWithApple(CODE, DEVICE))
			.actual();
		assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.PROTOCOL);
		assertThat(ex.getErrorCode()).isEqualTo("IDAAS.STARTER.MALFORMED_RESPONSE");
		assertThat(ex.getHttpStatus()).isEqualTo(200);
		assertThat(ex.getMessage()).doesNotContain(SESSION_TOKEN);
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void loginWithAppleWhenHtml400ThenProtocolError() {
		this.server.enqueue(new MockResponse.Builder().code(400).body("<html>Bad Request</html>").build());
		IdaasApiException ex = assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.loginWithApple(CODE, DEVICE))
			.actual();
		assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.PROTOCOL);
		assertThat(ex.getErrorCode()).isEqualTo("IDAAS.STARTER.MALFORMED_RESPONSE");
		assertThat(ex.getHttpStatus()).isEqualTo(400);
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void loginWithAppleWhenBodyOverOneMebibyteThenProtocolError() {
		enqueue(200, oversizedSuccess());
		IdaasApiException ex = assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.loginWithApple(CODE, DEVICE))
			.actual();
		assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.PROTOCOL);
		assertThat(ex.getErrorCode()).isEqualTo("IDAAS.STARTER.MALFORMED_RESPONSE");
		assertThat(ex.getMessage()).contains("1048576");
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void loginWithAppleWhenChunkedBodyOverOneMebibyteThenProtocolError() {
		this.server.enqueue(new MockResponse.Builder().code(200).chunkedBody(oversizedSuccess(), 8192).build());
		IdaasApiException ex = assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.loginWithApple(CODE, DEVICE))
			.actual();
		assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.PROTOCOL);
		assertThat(ex.getErrorCode()).isEqualTo("IDAAS.STARTER.MALFORMED_RESPONSE");
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void loginWithAppleWhenBodyExactlyOneMebibyteThenParsed() {
		String padding = " ".repeat(RestClientIdaasClient.MAX_BODY_BYTES - SUCCESS.length());
		enqueue(200, SUCCESS + padding);
		assertThat(this.client.loginWithApple(CODE, DEVICE)).isInstanceOf(AppleLoginResult.Authenticated.class);
	}

	private static String oversizedSuccess() {
		// valid JSON, so only the size can make it fail
		return SUCCESS.replace("\"status\"", "\"padding\":\"" + "x".repeat(RestClientIdaasClient.MAX_BODY_BYTES)
				+ "\",\"status\"");
	}

	@Test
	void loginWithAppleWhen200WithErrorBodyThenThatErrorsCategory() {
		enqueue(200, errorBody("IDAAS.SDK.USER.0039", "User is disabled"));
		IdaasApiException ex = assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.loginWithApple(CODE, DEVICE))
			.actual();
		assertThat(ex.getErrorCode()).isEqualTo("IDAAS.SDK.USER.0039");
		assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.USER_DISABLED);
		assertThat(ex.getHttpStatus()).isEqualTo(200);
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void loginWithAppleWhenUnknownErrorCodeThenVendorRefusedKeepingRawCodeAndVendorMessage() {
		enqueue(400, errorBody("IDAAS.SDK.FOO.9999", "Something new"));
		IdaasApiException ex = assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.loginWithApple(CODE, DEVICE))
			.actual();
		assertThat(ex.getErrorCode()).isEqualTo("IDAAS.SDK.FOO.9999");
		assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.VENDOR_REFUSED);
		assertThat(ex.getHttpStatus()).isEqualTo(400);
		assertThat(ex.getVendorMessage()).isEqualTo("Something new");
		assertThat(ex.getMessage()).isEqualTo("IDAAS.SDK.FOO.9999: Something new");
		assertThat(ex.getLocalizedMessage(Locale.CHINESE)).isEqualTo("Something new");
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void loginWithAppleWhenUnknownErrorCodeWith503ThenTransient() {
		this.client.setMaxAttempts(1);
		enqueue(503, errorBody("IDAAS.SDK.FOO.9999", "Maintenance"));
		assertThatExceptionOfType(IdaasApiException.class).isThrownBy(() -> this.client.loginWithApple(CODE, DEVICE))
			.satisfies((ex) -> assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.TRANSIENT))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo("IDAAS.SDK.FOO.9999"));
	}

	@Test
	void loginWithAppleWhenUnknownErrorCodeWithOverlongControlCharacterMessageThenSanitized() {
		String message = "Line one\\r\\nFAKE LOG LINE\\u202e" + "x".repeat(300);
		enqueue(400, errorBody("IDAAS.SDK.FOO.0001", message));
		IdaasApiException ex = assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.loginWithApple(CODE, DEVICE))
			.actual();
		assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.VENDOR_REFUSED);
		assertThat(ex.getVendorMessage()).hasSize(200)
			.startsWith("Line one??FAKE LOG LINE?xxx")
			.doesNotContain("\r")
			.doesNotContain("\n")
			.doesNotContain("\u202e");
		assertThat(ex.getLocalizedMessage(Locale.ENGLISH)).isEqualTo(ex.getVendorMessage());
		assertThat(ex.getMessage()).doesNotContain("\r").doesNotContain("\n").doesNotContain("\u202e");
	}

	@Test
	void loginWithAppleWhenUnknownErrorCodeWithoutMessageThenGenericText() {
		enqueue(400, "{\"error_code\":\"IDAAS.SDK.FOO.0002\"}");
		IdaasApiException ex = assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.loginWithApple(CODE, DEVICE))
			.actual();
		assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.VENDOR_REFUSED);
		assertThat(ex.getVendorMessage()).isNull();
		assertThat(ex.getLocalizedMessage(Locale.ENGLISH)).isEqualTo("Identity service error IDAAS.SDK.FOO.0002");
	}

	@Test
	void loginWithAppleWhenErrorCodeHasControlCharactersThenKeptPrintable() {
		enqueue(400, errorBody("IDAAS.SDK.FOO\\r\\nFAKE LOG LINE", "x"));
		assertThatExceptionOfType(IdaasApiException.class).isThrownBy(() -> this.client.loginWithApple(CODE, DEVICE))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo("IDAAS.SDK.FOO??FAKE LOG LINE"))
			.satisfies((ex) -> assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.UNKNOWN))
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain("\r").doesNotContain("\n"));
	}

	// Headers

	@Test
	void loginWithAppleWhenDeviceKnownThenExactHeadersSent() throws Exception {
		enqueue(200, SUCCESS);
		this.client.loginWithApple(CODE, DEVICE);
		RecordedRequest request = this.server.takeRequest();
		assertThat(request.getHeaders().get("X-operating-sys-version")).isEqualTo("windows10.1.1");
		assertThat(request.getHeaders().get("X-device-fingerprint")).isEqualTo("156aysdna213sc50");
		assertThat(request.getHeaders().get("X-device-ip")).isEqualTo("192.168.1.2");
		assertThat(request.getHeaders().get("X-agent"))
			.isEqualTo("Mozilla/5.0 (iPhone; CPU iPhone OS 13_3 like Mac OS X)");
		assertThat(request.getHeaders().get("X-L")).isEqualTo("zh");
		assertThat(request.getHeaders().get("X-client-id")).isEqualTo(CLIENT_ID);
		assertThat(request.getHeaders().values("Content-Type")).containsExactly("application/json");
		assertThat(request.getHeaders().values("Accept")).containsExactly("application/json");
		assertThat(xHeaderNames(request)).containsExactly("x-agent", "x-client-id", "x-device-fingerprint",
				"x-device-ip", "x-l", "x-operating-sys-version");
		assertThat(request.getHeaders().get("session-token")).isNull();
	}

	@Test
	void loginWithAppleWhenIpAndLocaleUnknownThenHeadersOmitted() throws Exception {
		enqueue(200, SUCCESS);
		this.client.loginWithApple(CODE, DEVICE_WITHOUT_IP_AND_LOCALE);
		RecordedRequest request = this.server.takeRequest();
		assertThat(xHeaderNames(request)).containsExactly("x-agent", "x-client-id", "x-device-fingerprint",
				"x-operating-sys-version");
		assertThat(request.getHeaders().get("X-operating-sys-version")).isEqualTo("ios17.5");
	}

	@Test
	void loginWithAppleWhenLocaleEnglishThenLanguageTagEn() throws Exception {
		enqueue(200, SUCCESS);
		this.client.loginWithApple(CODE, new DeviceContext("ios17.5", "fp-1", null, "Mozilla/5.0", Locale.US));
		assertThat(this.server.takeRequest().getHeaders().get("X-L")).isEqualTo("en");
	}

	@Test
	void refreshIdTokenWhenSuccessThenNewTokensAndExactRequest() throws Exception {
		enqueue(200, REFRESHED);
		TokenRefreshResult result = this.client.refreshIdToken(SESSION_TOKEN, DEVICE);
		assertThat(result)
			.isEqualTo(new TokenRefreshResult(NEW_SESSION_TOKEN, Duration.ofSeconds(604800), NEW_ID_TOKEN));
		RecordedRequest request = this.server.takeRequest();
		assertThat(request.getMethod()).isEqualTo("POST");
		assertThat(request.getTarget()).isEqualTo("/api/v2/sdk/sso/session-token/id-token");
		assertThat(request.getBodySize()).isZero();
		assertThat(request.getHeaders().get("session-token")).isEqualTo(SESSION_TOKEN);
		assertThat(request.getHeaders().values("Content-Type")).containsExactly("application/json");
		assertThat(request.getHeaders().values("Accept")).containsExactly("application/json");
		assertThat(xHeaderNames(request)).containsExactly("session-token", "x-agent", "x-client-id",
				"x-device-fingerprint", "x-device-ip", "x-l", "x-operating-sys-version");
	}

	@Test
	void refreshIdTokenWhenCustomHeaderNameThenSessionTokenInThatHeader() throws Exception {
		this.client.setSessionTokenHeaderName("X-session-token");
		enqueue(200, REFRESHED);
		this.client.refreshIdToken(SESSION_TOKEN, DEVICE);
		RecordedRequest request = this.server.takeRequest();
		assertThat(request.getHeaders().get("X-session-token")).isEqualTo(SESSION_TOKEN);
		assertThat(request.getHeaders().get("session-token")).isNull();
	}

	@Test
	void refreshIdTokenWhenExpireIsNumericStringThenParsed() {
		enqueue(200, REFRESHED.replace("604800", "\" 604800\""));
		assertThat(this.client.refreshIdToken(SESSION_TOKEN, DEVICE).sessionExpiresIn())
			.isEqualTo(Duration.ofSeconds(604800));
	}

	@ParameterizedTest
	@ValueSource(strings = { "session_token", "id_token", "expire" })
	void refreshIdTokenWhenFieldMissingThenProtocolError(String field) {
		enqueue(200, REFRESHED.replace("\"" + field + "\"", "\"ignored\""));
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.refreshIdToken(SESSION_TOKEN, DEVICE))
			.satisfies((ex) -> assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.PROTOCOL))
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain(NEW_SESSION_TOKEN)
				.doesNotContain(NEW_ID_TOKEN));
	}

	@Test
	void createRestClientWhenBaseUrlHasPathThenPathPrefixed() throws Exception {
		RestClient restClient = RestClientIdaasClient.createRestClient(RestClient.builder(),
				this.server.url("/tenant/").uri());
		enqueue(200, SUCCESS);
		new RestClientIdaasClient(restClient, CLIENT_ID).loginWithApple(CODE, DEVICE);
		assertThat(this.server.takeRequest().getTarget()).isEqualTo("/tenant/api/v2/sdk/login/apple");
	}

	private static Set<String> xHeaderNames(RecordedRequest request) {
		Set<String> names = new TreeSet<>();
		for (String name : request.getHeaders().names()) {
			if (name.toLowerCase(Locale.ROOT).startsWith("x-") || name.equalsIgnoreCase("session-token")) {
				names.add(name.toLowerCase(Locale.ROOT));
			}
		}
		return names;
	}

	// Header and code validation: nothing may be sent

	static Stream<Arguments> invalidDevices() {
		String ok = "ok";
		return Stream.of(
				Arguments.of(new DeviceContext("ios\r\nX-Evil: 1", ok, null, ok, null), "X-operating-sys-version"),
				Arguments.of(new DeviceContext(ok, "fp\n1", null, ok, null), "X-device-fingerprint"),
				Arguments.of(new DeviceContext(ok, ok, "10.0.0.1\r", ok, null), "X-device-ip"),
				Arguments.of(new DeviceContext(ok, ok, null, "Mozilla\r\n5.0", null), "X-agent"),
				Arguments.of(new DeviceContext(ok, ok, null, "Mozilla\t5.0", null), "X-agent"),
				Arguments.of(new DeviceContext(ok, ok, null, "Mozilla\u007f5.0", null), "X-agent"),
				Arguments.of(new DeviceContext(ok, "fp\u0000", null, ok, null), "X-device-fingerprint"),
				Arguments.of(new DeviceContext(ok, "empreinte-é", null, ok, null), "X-device-fingerprint"),
				Arguments.of(new DeviceContext(ok, ok, null, "浏览器", null), "X-agent"),
				Arguments.of(new DeviceContext(ok, "f".repeat(129), null, ok, null), "X-device-fingerprint"),
				Arguments.of(new DeviceContext("v".repeat(129), ok, null, ok, null), "X-operating-sys-version"),
				Arguments.of(new DeviceContext(ok, ok, "1".repeat(129), ok, null), "X-device-ip"),
				Arguments.of(new DeviceContext(ok, ok, null, ok, new Locale("z\r\nh")), "X-L"));
	}

	@ParameterizedTest
	@MethodSource("invalidDevices")
	void loginWithAppleWhenDeviceHeaderInvalidThenRejectedBeforeSending(DeviceContext device, String header) {
		enqueue(200, SUCCESS);
		IdaasApiException ex = assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.loginWithApple(CODE, device))
			.actual();
		assertThat(ex.getErrorCode()).isEqualTo("IDAAS.STARTER.INVALID_HEADER");
		assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.INVALID_REQUEST);
		assertThat(ex.getHttpStatus()).isZero();
		assertThat(ex.getMessage()).contains(header)
			.doesNotContain("X-Evil")
			.doesNotContain("fff")
			.doesNotContain("vvv")
			.doesNotContain("Mozilla")
			.doesNotContain("\r")
			.doesNotContain("\n");
		assertThat(this.server.getRequestCount()).isZero();
	}

	@ParameterizedTest
	@MethodSource("invalidDevices")
	void refreshIdTokenWhenDeviceHeaderInvalidThenRejectedBeforeSending(DeviceContext device, String header) {
		enqueue(200, REFRESHED);
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.refreshIdToken(SESSION_TOKEN, device))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo("IDAAS.STARTER.INVALID_HEADER"))
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain(SESSION_TOKEN));
		assertThat(this.server.getRequestCount()).isZero();
	}

	@ParameterizedTest
	@ValueSource(strings = { "btsiBjx85prcZu6I6\r\nX-Evil: 1", "btsiBjx85prcZu6I6\n", "btsiBjx85prcZu6I6\u0085",
			"btsiBjx85prcZu6I6ü" })
	void refreshIdTokenWhenSessionTokenHasControlOrNonAsciiThenRejectedBeforeSending(String sessionToken) {
		enqueue(200, REFRESHED);
		IdaasApiException ex = assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.refreshIdToken(sessionToken, DEVICE))
			.actual();
		assertThat(ex.getErrorCode()).isEqualTo("IDAAS.STARTER.INVALID_HEADER");
		assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.INVALID_REQUEST);
		assertThat(ex.getMessage()).contains("session-token").doesNotContain("btsiBjx85prcZu6I6");
		assertThat(this.server.getRequestCount()).isZero();
	}

	@Test
	void refreshIdTokenWhenSessionTokenTooLongThenRejectedBeforeSending() {
		enqueue(200, REFRESHED);
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.refreshIdToken("s".repeat(1025), DEVICE))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo("IDAAS.STARTER.INVALID_HEADER"));
		assertThat(this.server.getRequestCount()).isZero();
	}

	@Test
	void loginWithAppleWhenHeaderValuesAtLimitThenSent() throws Exception {
		enqueue(200, SUCCESS);
		String agent = "A".repeat(600);
		this.client.loginWithApple(CODE, new DeviceContext("v".repeat(128), "f".repeat(128), "1".repeat(128), agent,
				null));
		RecordedRequest request = this.server.takeRequest();
		assertThat(request.getHeaders().get("X-agent")).isEqualTo("A".repeat(512));
		assertThat(request.getHeaders().get("X-device-fingerprint")).isEqualTo("f".repeat(128));
		assertThat(request.getHeaders().get("X-operating-sys-version")).isEqualTo("v".repeat(128));
		assertThat(request.getHeaders().get("X-device-ip")).isEqualTo("1".repeat(128));
	}

	@Test
	void constructorWhenClientIdHasControlCharactersThenIllegalArgument() {
		RestClient restClient = RestClient.create();
		assertThatIllegalArgumentException().isThrownBy(() -> new RestClientIdaasClient(restClient, "abc\r\nX: 1"))
			.withMessageNotContaining("abc");
		assertThatIllegalArgumentException().isThrownBy(() -> new RestClientIdaasClient(restClient, "c".repeat(129)));
		assertThatIllegalArgumentException().isThrownBy(() -> new RestClientIdaasClient(restClient, " "));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "   ", "ad12\r\nsasd", "ad12\u0000", "ad12\tx" })
	void loginWithAppleWhenCodeInvalidThenRejectedBeforeSending(String code) {
		enqueue(200, SUCCESS);
		IdaasApiException ex = assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.loginWithApple(code, DEVICE))
			.actual();
		assertThat(ex.getErrorCode()).isEqualTo("IDAAS.STARTER.INVALID_CODE");
		assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.INVALID_REQUEST);
		assertThat(ex.getMessage()).doesNotContain("ad12");
		assertThat(this.server.getRequestCount()).isZero();
	}

	@Test
	void loginWithAppleWhenCodeLongerThan4096ThenRejectedBeforeSending() {
		enqueue(200, SUCCESS);
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.loginWithApple("c".repeat(4097), DEVICE))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo("IDAAS.STARTER.INVALID_CODE"));
		assertThat(this.server.getRequestCount()).isZero();
	}

	@Test
	void loginWithAppleWhenCode4096LongThenSent() throws Exception {
		enqueue(200, SUCCESS);
		this.client.loginWithApple("c".repeat(4096), DEVICE);
		assertThat(this.server.takeRequest().getBody().utf8()).isEqualTo("{\"code\":\"" + "c".repeat(4096) + "\"}");
	}

	@Test
	void loginWithAppleWhenCodeHasQuotesThenJsonEscaped() throws Exception {
		enqueue(200, SUCCESS);
		this.client.loginWithApple("a\"b\\c", DEVICE);
		assertThat(this.server.takeRequest().getBody().utf8()).isEqualTo("{\"code\":\"a\\\"b\\\\c\"}");
	}

	// Timeouts, connection failures and retries

	@Test
	void loginWithAppleWhenReadTimeoutThenUnknownOutcomeAfterOneRequest() {
		RestClientIdaasClient client = client(Duration.ofMillis(300));
		this.server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
		enqueue(200, SUCCESS);
		IdaasApiException ex = assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> client.loginWithApple(CODE, DEVICE))
			.actual();
		assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.UNKNOWN_OUTCOME);
		assertThat(ex.getErrorCode()).isEqualTo("IDAAS.STARTER.UPSTREAM_TIMEOUT");
		assertThat(ex.getHttpStatus()).isZero();
		assertThat(ex.getMessage()).doesNotContain(CODE);
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void refreshIdTokenWhenReadTimeoutThenUnknownOutcomeAfterOneRequest() {
		RestClientIdaasClient client = client(Duration.ofMillis(300));
		this.server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
		enqueue(200, REFRESHED);
		IdaasApiException ex = assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> client.refreshIdToken(SESSION_TOKEN, DEVICE))
			.actual();
		assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.UNKNOWN_OUTCOME);
		assertThat(ex.getErrorCode()).isEqualTo("IDAAS.STARTER.UPSTREAM_TIMEOUT");
		assertThat(ex.getMessage()).doesNotContain(SESSION_TOKEN);
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void refreshIdTokenWhenSystemBusyThenRetriedAndSucceeds() {
		enqueue(400, errorBody("IDAAS.SDK.COM.0002", "System busy, please try again later"));
		enqueue(200, REFRESHED);
		TokenRefreshResult result = this.client.refreshIdToken(SESSION_TOKEN, DEVICE);
		assertThat(result.sessionToken()).isEqualTo(NEW_SESSION_TOKEN);
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	@Test
	void loginWithAppleWhenSystemBusyThenRetriedAndSucceeds() throws Exception {
		enqueue(500, errorBody("IDAAS.SDK.COM.0002", "System busy, please try again later"));
		enqueue(200, SUCCESS);
		assertThat(this.client.loginWithApple(CODE, DEVICE)).isInstanceOf(AppleLoginResult.Authenticated.class);
		assertThat(this.server.getRequestCount()).isEqualTo(2);
		assertThat(this.server.takeRequest().getBody().utf8()).isEqualTo(this.server.takeRequest().getBody().utf8());
	}

	@Test
	void refreshIdTokenWhenAlwaysBusyThenExactlyMaxAttemptsThenTransient() {
		for (int i = 0; i < 5; i++) {
			enqueue(500, errorBody("IDAAS.SDK.COM.0002", "System busy, please try again later"));
		}
		IdaasApiException ex = assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.refreshIdToken(SESSION_TOKEN, DEVICE))
			.actual();
		assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.TRANSIENT);
		assertThat(ex.getErrorCode()).isEqualTo("IDAAS.SDK.COM.0002");
		assertThat(this.server.getRequestCount()).isEqualTo(3);
	}

	@Test
	void refreshIdTokenWhenMaxAttemptsFiveThenFiveRequests() {
		this.client.setMaxAttempts(5);
		for (int i = 0; i < 6; i++) {
			enqueue(503, "");
		}
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.refreshIdToken(SESSION_TOKEN, DEVICE))
			.satisfies((ex) -> assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.TRANSIENT));
		assertThat(this.server.getRequestCount()).isEqualTo(5);
	}

	@Test
	void loginWithAppleWhenConnectionRefusedThenTransient() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		RestClient restClient = RestClientIdaasClient.createRestClient(RestClient.builder(),
				URI.create("http://127.0.0.1:" + port));
		RestClientIdaasClient client = new RestClientIdaasClient(restClient, CLIENT_ID);
		client.setBackoff(Duration.ofMillis(1), Duration.ofMillis(2));
		IdaasApiException ex = assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> client.loginWithApple(CODE, DEVICE))
			.actual();
		assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.TRANSIENT);
		assertThat(ex.getErrorCode()).isEqualTo("IDAAS.STARTER.UPSTREAM_UNAVAILABLE");
		assertThat(ex.getHttpStatus()).isZero();
		assertThat(ex.getMessage()).doesNotContain(CODE);
	}

	@Test
	void loginWithAppleWhenConnectTimeoutThenTransientAndRetried() {
		AtomicInteger attempts = new AtomicInteger();
		ClientHttpRequestFactory connectTimingOut = (uri, method) -> {
			attempts.incrementAndGet();
			throw new HttpConnectTimeoutException("HTTP connect timed out");
		};
		RestClientIdaasClient client = new RestClientIdaasClient(
				RestClient.builder().baseUrl("http://idaas.invalid").requestFactory(connectTimingOut).build(),
				CLIENT_ID);
		client.setBackoff(Duration.ofMillis(1), Duration.ofMillis(2));
		assertThatExceptionOfType(IdaasApiException.class).isThrownBy(() -> client.loginWithApple(CODE, DEVICE))
			.satisfies((ex) -> assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.TRANSIENT))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo("IDAAS.STARTER.UPSTREAM_UNAVAILABLE"));
		assertThat(attempts).hasValue(3);
	}

	@Test
	void loginWithAppleWhenRequestTimeoutThenUnknownOutcomeAndNotRetried() {
		AtomicInteger attempts = new AtomicInteger();
		ClientHttpRequestFactory timingOut = (uri, method) -> {
			attempts.incrementAndGet();
			throw new HttpTimeoutException("request timed out");
		};
		RestClientIdaasClient client = new RestClientIdaasClient(
				RestClient.builder().baseUrl("http://idaas.invalid").requestFactory(timingOut).build(), CLIENT_ID);
		assertThatExceptionOfType(IdaasApiException.class).isThrownBy(() -> client.loginWithApple(CODE, DEVICE))
			.satisfies((ex) -> assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.UNKNOWN_OUTCOME));
		assertThat(attempts).hasValue(1);
	}

	@Test
	void loginWithAppleWhenConnectionDroppedAfterRequestThenUnknownOutcome() {
		this.server.enqueue(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket(true, false, false)).build());
		enqueue(200, SUCCESS);
		assertThatExceptionOfType(IdaasApiException.class).isThrownBy(() -> this.client.loginWithApple(CODE, DEVICE))
			.satisfies((ex) -> assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.UNKNOWN_OUTCOME));
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void backoffWhenAttemptsGrowThenDoublesWithJitterUpToMax() {
		this.client.setBackoff(Duration.ofMillis(200), Duration.ofSeconds(2));
		for (int i = 0; i < 50; i++) {
			assertThat(this.client.backoff(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
			assertThat(this.client.backoff(2)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
			assertThat(this.client.backoff(3)).isBetween(Duration.ofMillis(400), Duration.ofMillis(800));
			assertThat(this.client.backoff(5)).isBetween(Duration.ofMillis(1000), Duration.ofSeconds(2));
			assertThat(this.client.backoff(100)).isBetween(Duration.ofMillis(1000), Duration.ofSeconds(2));
		}
	}

	@Test
	void backoffWhenMaxIsCenturiesThenDoublingDoesNotOverflow() {
		Duration max = Duration.ofDays(365L * 200);
		this.client.setBackoff(Duration.ofSeconds(1), max);
		assertThat(this.client.backoff(30)).isBetween(Duration.ofSeconds(1L << 28), Duration.ofSeconds(1L << 29));
		// the wait is capped at Long.MAX_VALUE / 2 nanoseconds (about 146 years), below max, so
		// that doubling never overflows; the jitter takes up to half of it off
		assertThat(this.client.backoff(Integer.MAX_VALUE)).isBetween(Duration.ofNanos(Long.MAX_VALUE / 4),
				Duration.ofNanos(Long.MAX_VALUE / 2));
	}

	@Test
	void loginWithAppleWhenRedirectThenNotFollowedAndProtocolError() {
		this.server.enqueue(new MockResponse.Builder().code(302).addHeader("Location", "/elsewhere").build());
		enqueue(200, SUCCESS);
		assertThatExceptionOfType(IdaasApiException.class).isThrownBy(() -> this.client.loginWithApple(CODE, DEVICE))
			.satisfies((ex) -> assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.PROTOCOL))
			.satisfies((ex) -> assertThat(ex.getHttpStatus()).isEqualTo(302));
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void loginWithAppleWhen429ThenTransientAndRetried() {
		enqueue(429, "");
		enqueue(200, SUCCESS);
		assertThat(this.client.loginWithApple(CODE, DEVICE)).isInstanceOf(AppleLoginResult.Authenticated.class);
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	// Setters and factory arguments

	@Test
	void settersWhenInvalidThenIllegalArgument() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.client.setMaxAttempts(0));
		assertThatIllegalArgumentException().isThrownBy(() -> this.client.setSessionTokenHeaderName(""));
		assertThatIllegalArgumentException().isThrownBy(() -> this.client.setSessionTokenHeaderName("session token"));
		assertThatIllegalArgumentException().isThrownBy(() -> this.client.setSessionTokenHeaderName("x\r\ny"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.client.setBackoff(Duration.ofSeconds(3), Duration.ofSeconds(2)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.client.setBackoff(Duration.ofMillis(-1), Duration.ofSeconds(2)));
		assertThatIllegalArgumentException().isThrownBy(() -> this.client.setErrorMessages(null))
			.withMessage("errorMessages cannot be null");
	}

	@Test
	void createRestClientWhenArgumentsInvalidThenIllegalArgument() {
		RestClient.Builder builder = RestClient.builder();
		URI base = URI.create("https://example.idaas.com");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RestClientIdaasClient.createRestClient(builder, URI.create("/relative")));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RestClientIdaasClient.createRestClient(builder, URI.create("ftp://example.com")));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RestClientIdaasClient.createRestClient(builder, base, Duration.ZERO, Duration.ofSeconds(1)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RestClientIdaasClient.createRestClient(builder, base, Duration.ofSeconds(1),
					Duration.ofSeconds(-1)));
	}

	// Tokens never leak

	@Test
	void toStringWhenResultsHoldTokensThenMasked() {
		enqueue(200, SUCCESS);
		enqueue(200, SOCIAL_BIND);
		enqueue(200, REFRESHED);
		String authenticated = this.client.loginWithApple(CODE, DEVICE).toString();
		String pending = this.client.loginWithApple(CODE, DEVICE).toString();
		String refreshed = this.client.refreshIdToken(SESSION_TOKEN, DEVICE).toString();
		assertThat(authenticated).contains("sessionToken=***").doesNotContain(SESSION_TOKEN).doesNotContain(ID_TOKEN);
		assertThat(pending).contains("stateToken=***").doesNotContain(STATE_TOKEN);
		assertThat(refreshed).contains("idToken=***")
			.doesNotContain(NEW_SESSION_TOKEN)
			.doesNotContain(NEW_ID_TOKEN)
			.doesNotContain(SESSION_TOKEN);
	}

	@Test
	void loginWithAppleWhenErrorThenExceptionChainHoldsNoToken() {
		this.client.setMaxAttempts(1);
		enqueue(400, errorBody("IDAAS.SDK.PARAM.0023", "Invalid or expired session token"));
		IdaasApiException ex = assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.refreshIdToken(SESSION_TOKEN, DEVICE))
			.actual();
		for (Throwable t = ex; t != null; t = t.getCause()) {
			assertThat(String.valueOf(t.getMessage())).doesNotContain(SESSION_TOKEN);
			assertThat(t.toString()).doesNotContain(SESSION_TOKEN);
		}
	}

}

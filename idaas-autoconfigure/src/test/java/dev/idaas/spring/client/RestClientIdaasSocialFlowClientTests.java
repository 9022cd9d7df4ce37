package dev.idaas.spring.client;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.IdaasSimulatorExtension;
import dev.idaas.spring.test.simulator.RecordedIdaasRequest;
import dev.idaas.spring.test.simulator.SimulatedUser;

import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link RestClientIdaasSocialFlowClient}: against the IDaaS simulator over real HTTP,
 * and against a plain HTTP server answering the vendor's published examples verbatim.
 */
class RestClientIdaasSocialFlowClientTests {

	@RegisterExtension
	static final IdaasSimulatorExtension extension = new IdaasSimulatorExtension();

	private static final DeviceContext DEVICE = new DeviceContext("ios17.5", "device-fingerprint-1", "192.0.2.10",
			"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)", Locale.ENGLISH);

	private IdaasSimulator idaas;

	private RestClientIdaasSocialFlowClient client;

	private RestClientIdaasClient loginClient;

	private SimulatedUser alice;

	@BeforeEach
	void setUp() {
		this.idaas = extension.simulator();
		RestClient restClient = RestClientIdaasClient.createRestClient(RestClient.builder(), this.idaas.baseUrl());
		this.client = new RestClientIdaasSocialFlowClient(restClient, this.idaas.clientId());
		this.client.setBackoff(Duration.ZERO, Duration.ZERO);
		this.loginClient = new RestClientIdaasClient(restClient, this.idaas.clientId());
		String suffix = Long.toString(System.nanoTime() % 100_000_000L);
		this.alice = SimulatedUser.of("alice" + suffix, "Alice", "+86138" + suffix, "alice" + suffix + "@example.com");
		this.idaas.registerUser(this.alice);
	}

	@Test
	void sendVerificationCodeWhenSmsThenPostsMobileAndTypeWithDeviceHeaders() {
		String captchaToken = this.idaas.issueCaptchaToken(this.alice.mobile());
		this.client.sendVerificationCode(VerificationChannel.SMS, this.alice.mobile(),
				VerificationPurpose.BIND_MOBILE_SMS, captchaToken, DEVICE);
		assertThat(this.idaas.recordedRequests()).hasSize(1);
		RecordedIdaasRequest request = this.idaas.lastRequest(IdaasSimulator.SMS_SEND_PATH);
		assertThat(request).isNotNull();
		assertThat(request.method()).isEqualTo("POST");
		assertThat(request.header("X-operating-sys-version")).isEqualTo("ios17.5");
		assertThat(request.header("X-device-fingerprint")).isEqualTo("device-fingerprint-1");
		assertThat(request.header("X-device-ip")).isEqualTo("192.0.2.10");
		assertThat(request.header("X-agent")).startsWith("Mozilla/5.0 (iPhone");
		assertThat(request.header("X-L")).isEqualTo("en");
		assertThat(request.header("X-client-id")).isEqualTo(this.idaas.clientId());
		assertThat(request.header("Content-Type")).startsWith("application/json");
		assertThat(request.header("X-state-token")).isNull();
		assertThat(request.body()).isEqualTo("{\"mobile\":\"" + this.alice.mobile()
				+ "\",\"type\":\"BIND_MOBILE_SMS\",\"captcha_token\":\"" + captchaToken.replace("\"", "\\\"") + "\"}");
		assertThat(this.idaas.lastVerificationCode(this.alice.mobile())).isEqualTo("123456");
	}

	@Test
	void sendVerificationCodeWhenEmailThenPostsEmailToEmailPath() {
		this.client.sendVerificationCode(VerificationChannel.EMAIL, "new@example.com", VerificationPurpose.REGISTER_EMS,
				solve("new@example.com"), DEVICE);
		RecordedIdaasRequest request = this.idaas.lastRequest(IdaasSimulator.EMAIL_SEND_PATH);
		assertThat(request).isNotNull();
		assertThat(request.body()).startsWith("{\"email\":\"new@example.com\",\"type\":\"REGISTER_EMS\",\"captcha_token\":\"");
		assertThat(this.idaas.lastVerificationCode("new@example.com")).isEqualTo("123456");
		assertThat(this.idaas.requestCount(IdaasSimulator.SMS_SEND_PATH)).isZero();
	}

	@Test
	void bindWhenCodeRightThenSessionTokenWithoutIdTokenAndStateTokenHeader() {
		String stateToken = pendingStateToken(this.idaas.issueSocialBindCode());
		this.client.sendVerificationCode(VerificationChannel.SMS, this.alice.mobile(),
				VerificationPurpose.BIND_MOBILE_SMS, solve(this.alice.mobile()), DEVICE);
		SocialFlowResult.Authenticated result = (SocialFlowResult.Authenticated) this.client.bind(stateToken,
				VerificationChannel.SMS, this.alice.mobile(), IdaasSimulator.DEFAULT_VERIFICATION_CODE, DEVICE);
		assertThat(result.sessionToken()).isNotBlank();
		assertThat(result.idToken()).isNull();
		assertThat(result.sessionExpiresIn()).isPositive();
		assertThat(this.idaas.isSessionTokenValid(result.sessionToken())).isTrue();
		assertThat(result.toString()).doesNotContain(result.sessionToken()).contains("sessionToken=***");
		RecordedIdaasRequest request = this.idaas.lastRequest(IdaasSimulator.BIND_PATH);
		assertThat(request).isNotNull();
		assertThat(request.header("X-state-token")).isEqualTo(stateToken);
		assertThat(request.header("X-client-id")).isEqualTo(this.idaas.clientId());
		assertThat(request.body())
			.isEqualTo("{\"mobile\":\"" + this.alice.mobile() + "\",\"verify_code\":\"123456\"}");
	}

	@Test
	void registerAndBindWhenCodeRightThenSessionAndIdToken() {
		String stateToken = pendingStateToken(this.idaas.issueUserRegisterCode());
		this.client.sendVerificationCode(VerificationChannel.EMAIL, "newcomer@example.com",
				VerificationPurpose.REGISTER_EMS, solve("newcomer@example.com"), DEVICE);
		SocialFlowResult.Authenticated result = (SocialFlowResult.Authenticated) this.client
			.registerAndBind(stateToken, VerificationChannel.EMAIL, "newcomer@example.com", "123456", DEVICE);
		assertThat(result.idToken()).isNotBlank();
		assertThat(result.toString()).doesNotContain(result.idToken());
		RecordedIdaasRequest request = this.idaas.lastRequest(IdaasSimulator.REGISTER_BIND_PATH);
		assertThat(request).isNotNull();
		assertThat(request.header("X-state-token")).isEqualTo(stateToken);
		assertThat(request.body()).isEqualTo("{\"email\":\"newcomer@example.com\",\"verify_code\":\"123456\"}");
	}

	@Test
	void bindWhenCodeWrongThenCaptcha0007AndStateTokenNotInMessage() {
		String stateToken = pendingStateToken(this.idaas.issueSocialBindCode());
		this.client.sendVerificationCode(VerificationChannel.SMS, this.alice.mobile(),
				VerificationPurpose.BIND_MOBILE_SMS, solve(this.alice.mobile()), DEVICE);
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.bind(stateToken, VerificationChannel.SMS, this.alice.mobile(), "654321",
					DEVICE))
			.satisfies((ex) -> {
				assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.VERIFY_CODE_INCORRECT);
				assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.INVALID_REQUEST);
				assertThat(ex.getHttpStatus()).isEqualTo(400);
				assertThat(ex.getMessage()).doesNotContain(stateToken).doesNotContain("654321");
				assertThat(ex.getLocalizedMessage(Locale.CHINESE)).isEqualTo("验证码错误");
			});
	}

	@Test
	void bindWhenStateTokenUnknownThenCommon1007() {
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.bind("not-a-state-token", VerificationChannel.SMS, this.alice.mobile(),
					"123456", DEVICE))
			.satisfies((ex) -> {
				assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.STATE_TOKEN_INVALID);
				assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.INVALID_REQUEST);
				assertThat(ex.getLocalizedMessage(Locale.ENGLISH))
					.isEqualTo("The sign-in has expired, please sign in again");
			});
	}

	@Test
	void sendVerificationCodeWhenCom0002As400Or500ThenTransientButNotRetriedOnceSent() {
		for (int status : new int[] { 400, 500 }) {
			this.idaas.resetRecordsAndFaults();
			this.idaas.failNext(1, status);
			String captchaToken = this.idaas.issueCaptchaToken(this.alice.mobile());
			assertThatExceptionOfType(IdaasApiException.class)
				.isThrownBy(() -> this.client.sendVerificationCode(VerificationChannel.SMS, this.alice.mobile(),
						VerificationPurpose.BIND_MOBILE_SMS, captchaToken, DEVICE))
				.satisfies((ex) -> {
					assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.SYSTEM_BUSY);
					assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.TRANSIENT);
					assertThat(ex.getHttpStatus()).isEqualTo(status);
				});
			assertThat(this.idaas.sendRequestCount(this.alice.mobile())).isEqualTo(1);
		}
		assertThat(this.idaas.lastVerificationCode(this.alice.mobile())).isNull();
	}

	@Test
	void sendVerificationCodeWhenCaptchaTokenOfAnotherSenderThenCaptcha0002AndNothingSent() {
		String forBob = solve("+8613800000099");
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.sendVerificationCode(VerificationChannel.SMS, this.alice.mobile(),
					VerificationPurpose.BIND_MOBILE_SMS, forBob, DEVICE))
			.satisfies((ex) -> {
				assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.CAPTCHA_INVALID);
				assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.INVALID_REQUEST);
				assertThat(ex.getLocalizedMessage(Locale.CHINESE)).isEqualTo("图形验证码校验失败");
			});
		assertThat(this.idaas.lastVerificationCode(this.alice.mobile())).isNull();
	}

	@Test
	void verifyCaptchaWhenSliderNearSolutionThenCaptchaTokenThatSendsOneCode() {
		CaptchaChallenge challenge = this.client.getCaptcha(DEVICE);
		assertThat(challenge.toString()).doesNotContain(challenge.token());
		int x = this.idaas.captchaSolutionX(challenge.token());
		String captchaToken = this.client.verifyCaptcha(challenge.token(), x + 2.44, this.alice.mobile(), DEVICE);
		assertThat(captchaToken).isEqualTo(challenge.token() + "---{\"x\":" + (x + 2.4) + ",\"y\":5.0}");
		this.client.sendVerificationCode(VerificationChannel.SMS, this.alice.mobile(),
				VerificationPurpose.BIND_MOBILE_SMS, captchaToken, DEVICE);
		assertThat(this.idaas.sentVerificationCodes())
			.filteredOn((sent) -> sent.recipient().equals(this.alice.mobile()))
			.hasSize(1);
		assertThat(this.idaas.captchaVerifyRequestCount(this.alice.mobile())).isEqualTo(1);
		RecordedIdaasRequest get = this.idaas.lastRequest(IdaasSimulator.CAPTCHA_PATH);
		assertThat(get).isNotNull();
		assertThat(get.method()).isEqualTo("GET");
		assertThat(get.header("X-client-id")).isEqualTo(this.idaas.clientId());
	}

	@Test
	void verifyCaptchaWhenSliderTenPixelsOffThenCaptcha0002AndPuzzleSpent() {
		CaptchaChallenge challenge = this.client.getCaptcha(DEVICE);
		int x = this.idaas.captchaSolutionX(challenge.token());
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.verifyCaptcha(challenge.token(), x + 10, this.alice.mobile(), DEVICE))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.CAPTCHA_INVALID));
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.verifyCaptcha(challenge.token(), x, this.alice.mobile(), DEVICE))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.CAPTCHA_INVALID));
		assertThat(this.idaas.captchaVerifyRequestCount(this.alice.mobile())).isEqualTo(2);
	}

	@Test
	void verifySecondFactorWhenMfaPersonaThenMobileOnFileAndSignedInWithIdToken() {
		this.idaas.requireSecondFactor(this.alice, true);
		AppleLoginResult login = this.loginClient.loginWithApple(this.idaas.issueAppleCode(this.alice), DEVICE);
		assertThat(login).isInstanceOf(AppleLoginResult.SecondFactorRequired.class);
		String stateToken = ((AppleLoginResult.SecondFactorRequired) login).stateToken();
		String mobile = this.client.getMobileOnFile(stateToken, DEVICE);
		assertThat(mobile).isEqualTo(this.alice.mobile());
		this.client.sendVerificationCode(VerificationChannel.SMS, mobile, VerificationPurpose.MFA_AUTH_SMS,
				solve(mobile), DEVICE);
		SocialFlowResult result = this.client.verifySecondFactor(stateToken, VerificationChannel.SMS, mobile,
				"123456", DEVICE);
		assertThat(result).isInstanceOfSatisfying(SocialFlowResult.Authenticated.class, (signedIn) -> {
			assertThat(signedIn.idToken()).isNotBlank();
			assertThat(this.idaas.isSessionTokenValid(signedIn.sessionToken())).isTrue();
		});
		RecordedIdaasRequest request = this.idaas.lastRequest(IdaasSimulator.MFA_SMS_PATH);
		assertThat(request).isNotNull();
		assertThat(request.header("X-state-token")).isEqualTo(stateToken);
		assertThat(request.body()).isEqualTo("{\"mobile\":\"" + mobile + "\",\"verify_code\":\"123456\"}");
		assertThat(this.idaas.requestCount(IdaasSimulator.MFA_EMAIL_PATH)).isZero();
	}

	@Test
	void bindWhenAccountHasSecondFactorThenSecondFactorRequired() {
		this.idaas.requireSecondFactor(this.alice, true);
		String stateToken = pendingStateToken(this.idaas.issueSocialBindCode());
		this.client.sendVerificationCode(VerificationChannel.SMS, this.alice.mobile(),
				VerificationPurpose.BIND_MOBILE_SMS, solve(this.alice.mobile()), DEVICE);
		SocialFlowResult result = this.client.bind(stateToken, VerificationChannel.SMS, this.alice.mobile(), "123456",
				DEVICE);
		assertThat(result).isInstanceOf(SocialFlowResult.SecondFactorRequired.class);
		assertThat(this.client.getMobileOnFile(((SocialFlowResult.SecondFactorRequired) result).stateToken(), DEVICE))
			.isEqualTo(this.alice.mobile());
	}

	@Test
	void bindWhenCom0002ThenNotRetriedOnceSent() {
		String stateToken = pendingStateToken(this.idaas.issueSocialBindCode());
		this.idaas.resetRecordsAndFaults();
		this.idaas.failNext(1, 500);
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.bind(stateToken, VerificationChannel.SMS, this.alice.mobile(), "123456",
					DEVICE))
			.satisfies((ex) -> {
				assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.SYSTEM_BUSY);
				assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.TRANSIENT);
				assertThat(ex.getHttpStatus()).isEqualTo(500);
			});
		assertThat(this.idaas.requestCount(IdaasSimulator.BIND_PATH)).isEqualTo(1);
	}

	@Test
	void registerAndBindWhenReadTimeoutThenUnknownOutcomeNotRetried() {
		String stateToken = pendingStateToken(this.idaas.issueUserRegisterCode());
		RestClient slow = RestClientIdaasClient.createRestClient(RestClient.builder(), this.idaas.baseUrl(),
				Duration.ofSeconds(1), Duration.ofMillis(300));
		RestClientIdaasSocialFlowClient slowClient = new RestClientIdaasSocialFlowClient(slow, this.idaas.clientId());
		this.idaas.resetRecordsAndFaults();
		this.idaas.delayNext(Duration.ofSeconds(2));
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> slowClient.registerAndBind(stateToken, VerificationChannel.SMS, "+8613900000000",
					"123456", DEVICE))
			.satisfies((ex) -> assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.UNKNOWN_OUTCOME));
		assertThat(this.idaas.requestCount(IdaasSimulator.REGISTER_BIND_PATH)).isEqualTo(1);
	}

	@Test
	void bindWhenStateTokenHoldsCrLfThenRejectedBeforeSending() {
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.bind("abc\r\nX-Evil: 1", VerificationChannel.SMS, this.alice.mobile(),
					"123456", DEVICE))
			.satisfies((ex) -> {
				assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.INVALID_HEADER);
				assertThat(ex.getMessage()).doesNotContain("abc").doesNotContain("Evil");
			});
		assertThat(this.idaas.recordedRequests()).isEmpty();
	}

	@Test
	void sendVerificationCodeWhenDeviceHeaderHoldsLfThenRejectedBeforeSending() {
		DeviceContext hostile = new DeviceContext("ios\n17", "fp", null, "agent", null);
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.sendVerificationCode(VerificationChannel.SMS, this.alice.mobile(),
					VerificationPurpose.BIND_MOBILE_SMS, "captcha", hostile))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.INVALID_HEADER));
		assertThat(this.idaas.recordedRequests()).isEmpty();
	}

	@Test
	void bindWhenTargetOrCodeMalformedThenInvalidVerificationBeforeSending() {
		for (String[] input : List.of(new String[] { "+861\n38", "123456" }, new String[] { "", "123456" },
				new String[] { "+8613800000000", "12 34" }, new String[] { "x".repeat(255), "123456" },
				new String[] { "+8613800000000", "1".repeat(33) })) {
			assertThatExceptionOfType(IdaasApiException.class)
				.isThrownBy(() -> this.client.bind("state", VerificationChannel.SMS, input[0], input[1], DEVICE))
				.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.INVALID_VERIFICATION));
		}
		assertThat(this.idaas.recordedRequests()).isEmpty();
	}

	@Test
	void sendVerificationCodeWhenPurposeOfOtherChannelThenIllegalArgument() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> this.client.sendVerificationCode(VerificationChannel.EMAIL, "a@example.com",
					VerificationPurpose.BIND_MOBILE_SMS, "captcha", DEVICE));
		assertThat(this.idaas.recordedRequests()).isEmpty();
	}

	@Test
	void verificationPurposeOfWhenBranchAndChannelThenContractType() {
		assertThat(VerificationPurpose.of(SocialFlowBranch.SOCIAL_BIND, VerificationChannel.SMS))
			.isEqualTo(VerificationPurpose.BIND_MOBILE_SMS);
		assertThat(VerificationPurpose.of(SocialFlowBranch.SOCIAL_BIND, VerificationChannel.EMAIL))
			.isEqualTo(VerificationPurpose.BIND_EMAIL_EMS);
		assertThat(VerificationPurpose.of(SocialFlowBranch.USER_REGISTER, VerificationChannel.SMS))
			.isEqualTo(VerificationPurpose.REGISTER_SMS);
		assertThat(VerificationPurpose.of(SocialFlowBranch.USER_REGISTER, VerificationChannel.EMAIL))
			.isEqualTo(VerificationPurpose.REGISTER_EMS);
		assertThat(VerificationChannel.fromFlow(" verify_phone ")).isEqualTo(VerificationChannel.SMS);
		assertThat(VerificationChannel.fromFlow("VERIFY_FAX")).isNull();
	}

	private String solve(String sender) {
		CaptchaChallenge challenge = this.client.getCaptcha(DEVICE);
		return this.client.verifyCaptcha(challenge.token(), this.idaas.captchaSolutionX(challenge.token()), sender,
				DEVICE);
	}

	private String pendingStateToken(String appleCode) {
		AppleLoginResult result = this.loginClient.loginWithApple(appleCode, DEVICE);
		assertThat(result).isInstanceOf(AppleLoginResult.PendingSocialFlow.class);
		this.idaas.resetRecordsAndFaults();
		return ((AppleLoginResult.PendingSocialFlow) result).stateToken();
	}

	// The vendor's published examples, verbatim, from a plain HTTP server

	private static final String STATE_TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

	private static final String SESSION_TOKEN = "btsiBjx85prcZu6I6Ki057Tmw3nSF2VO";

	private static final String ID_TOKEN = "eyJ0NiJ9.eyJ1cI6IjIifX0.DeWt4QuZXso";

	private static final String PUBLISHED_FULL_ANSWER = """
			{
			  "status": "SUCCESS",
			  "session_token": "btsiBjx85prcZu6I6Ki057Tmw3nSF2VO",
			  "expire": 432000,
			  "id_token": "eyJ0NiJ9.eyJ1cI6IjIifX0.DeWt4QuZXso"
			}""";

	private static final String PUBLISHED_ANSWER_WITHOUT_ID_TOKEN = """
			{
			  "session_token": "btsiBjx85prcZu6I6Ki057Tmw3nSF2VO",
			  "expire": 432000
			}""";

	@StartStop
	private final MockWebServer server = new MockWebServer();

	private RestClientIdaasSocialFlowClient serverClient(Duration readTimeout) {
		RestClient restClient = RestClientIdaasClient.createRestClient(RestClient.builder(),
				this.server.url("/").uri(), Duration.ofSeconds(2), readTimeout);
		RestClientIdaasSocialFlowClient client = new RestClientIdaasSocialFlowClient(restClient, "nTo1eRIub60vPb54WeE6aojPwYwImtl4");
		client.setBackoff(Duration.ofMillis(1), Duration.ofMillis(2));
		return client;
	}

	private RestClientIdaasSocialFlowClient serverClient() {
		return serverClient(Duration.ofSeconds(5));
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

	@Test
	void sendVerificationCodeWhenPublished200WithEmptyBodyThenSent() throws Exception {
		this.server.enqueue(new MockResponse.Builder().code(200).build());
		serverClient().sendVerificationCode(VerificationChannel.SMS, "13800000001", VerificationPurpose.REGISTER_SMS,
				"tok---{\"x\":237.0,\"y\":5.0}", DEVICE);
		RecordedRequest request = this.server.takeRequest();
		assertThat(request.getMethod()).isEqualTo("POST");
		assertThat(request.getUrl().encodedPath()).isEqualTo("/api/v2/sdk/sms/send");
		assertThat(request.getBody().utf8()).isEqualTo(
				"{\"mobile\":\"13800000001\",\"type\":\"REGISTER_SMS\",\"captcha_token\":\"tok---{\\\"x\\\":237.0,\\\"y\\\":5.0}\"}");
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{}", "{\"status\":\"SUCCESS\"}", "{\"data\":null,\"anything\":[1,2]}", "[]", "true",
			"  \n" })
	void sendVerificationCodeWhen200WithEmptyObjectOrAnyJsonThenSent(String body) {
		enqueue(200, body);
		serverClient().sendVerificationCode(VerificationChannel.EMAIL, "a@example.com", VerificationPurpose.BIND_EMAIL_EMS,
				"captcha", DEVICE);
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			200 | text/plain       | OK
			200 | text/html        | <html>sent</html>
			201 | application/json | success
			202 | text/plain       | 发送成功
			""")
	void sendVerificationCodeWhen2xxWithTextBodyThenSent(int code, String contentType, String body) {
		this.server.enqueue(new MockResponse.Builder().code(code)
			.addHeader("Content-Type", contentType)
			.body(body)
			.build());
		serverClient().sendVerificationCode(VerificationChannel.SMS, "13800000001", VerificationPurpose.BIND_MOBILE_SMS,
				"captcha", DEVICE);
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@ParameterizedTest
	@ValueSource(ints = { 200, 400 })
	void sendVerificationCodeWhenJsonErrorCodeThenFailsWhateverTheStatus(int code) {
		this.server.enqueue(new MockResponse.Builder().code(code)
			.addHeader("Content-Type", "text/plain")
			.body(errorBody("IDAAS.SDK.CAPTCHA.0006", "Failed to send the verification code"))
			.build());
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> serverClient().sendVerificationCode(VerificationChannel.EMAIL, "a@example.com",
					VerificationPurpose.BIND_EMAIL_EMS, "captcha", DEVICE))
			.satisfies((ex) -> {
				assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.CODE_NOT_SENT);
				assertThat(ex.getHttpStatus()).isEqualTo(code);
			});
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void sendVerificationCodeWhen3xxOr4xxWithTextThenNotSent() {
		this.server.enqueue(new MockResponse.Builder().code(302).addHeader("Location", "/login").body("OK").build());
		this.server.enqueue(new MockResponse.Builder().code(404).addHeader("Content-Type", "text/plain").body("OK").build());
		for (int i = 0; i < 2; i++) {
			assertThatExceptionOfType(IdaasApiException.class)
				.isThrownBy(() -> serverClient().sendVerificationCode(VerificationChannel.SMS, "13800000001",
						VerificationPurpose.BIND_MOBILE_SMS, "captcha", DEVICE))
				.satisfies((ex) -> assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.PROTOCOL));
		}
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	@Test
	void sendVerificationCodeWhenCaptcha0006ThenInvalidRequestNotRetried() {
		enqueue(400, errorBody("IDAAS.SDK.CAPTCHA.0006", "Failed to send the verification code"));
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> serverClient().sendVerificationCode(VerificationChannel.SMS, "13800000001",
					VerificationPurpose.BIND_MOBILE_SMS, "captcha", DEVICE))
			.satisfies((ex) -> {
				assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.CODE_NOT_SENT);
				assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.INVALID_REQUEST);
				assertThat(ex.getLocalizedMessage(Locale.CHINESE)).isEqualTo("验证码发送失败,请稍后再试");
			});
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void sendVerificationCodeWhenCaptchaTokenEmptyThenRefusedBeforeSending() {
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> serverClient().sendVerificationCode(VerificationChannel.SMS, "13800000001",
					VerificationPurpose.BIND_MOBILE_SMS, " ", DEVICE))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.INVALID_VERIFICATION));
		assertThat(this.server.getRequestCount()).isZero();
	}

	@Test
	void bindWhenPublishedFullAnswerThenAuthenticatedWithIdToken() throws Exception {
		enqueue(200, PUBLISHED_FULL_ANSWER);
		SocialFlowResult result = serverClient().bind(STATE_TOKEN, VerificationChannel.SMS, "13800000001", "123456",
				DEVICE);
		assertThat(result).isEqualTo(new SocialFlowResult.Authenticated(SESSION_TOKEN, Duration.ofSeconds(432000),
				ID_TOKEN));
		assertThat(result.toString()).doesNotContain(SESSION_TOKEN).doesNotContain(ID_TOKEN);
		RecordedRequest request = this.server.takeRequest();
		assertThat(request.getUrl().encodedPath()).isEqualTo("/api/v2/sdk/social/bind");
		assertThat(request.getHeaders().get("X-state-token")).isEqualTo(STATE_TOKEN);
	}

	@Test
	void registerAndBindWhenPublishedAnswerWithoutIdTokenThenAuthenticatedWithoutIdToken() {
		enqueue(200, PUBLISHED_ANSWER_WITHOUT_ID_TOKEN);
		SocialFlowResult result = serverClient().registerAndBind(STATE_TOKEN, VerificationChannel.EMAIL,
				"a@example.com", "123456", DEVICE);
		assertThat(result).isEqualTo(new SocialFlowResult.Authenticated(SESSION_TOKEN, Duration.ofSeconds(432000),
				null));
	}

	@ParameterizedTest
	@ValueSource(strings = { " success ", "Success" })
	void bindWhenStatusPaddedOrMixedCaseWithoutIdTokenThenAuthenticated(String status) {
		enqueue(200, "{\"status\":\"" + status + "\",\"session_token\":\"" + SESSION_TOKEN + "\",\"expire\":\"60\"}");
		assertThat(serverClient().bind(STATE_TOKEN, VerificationChannel.SMS, "13800000001", "123456", DEVICE))
			.isEqualTo(new SocialFlowResult.Authenticated(SESSION_TOKEN, Duration.ofSeconds(60), null));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			{"session_token":"%s"}                                                |
			{"status":"SUCCESS","session_token":"%s","expire":"soon"}             |
			{"status":"SUCCESS","session_token":"%s","expire":-1}                 |
			{"status":"SUCCESS","session_token":"%s","expire":null,"id_token":"h.p.s"} | h.p.s
			""")
	void bindWhenSessionTokenWithoutUsableExpireThenAuthenticatedWithoutExpire(String body, String idToken) {
		enqueue(200, body.formatted(SESSION_TOKEN));
		assertThat(serverClient().bind(STATE_TOKEN, VerificationChannel.SMS, "13800000001", "123456", DEVICE))
			.isEqualTo(new SocialFlowResult.Authenticated(SESSION_TOKEN, null, idToken));
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void bindWhenMfaAuthThenSecondFactorRequiredWithNewStateToken() {
		enqueue(200, "{\"status\":\" MFA_AUTH\",\"state_token\":\"second-step\"}");
		assertThat(serverClient().bind(STATE_TOKEN, VerificationChannel.SMS, "13800000001", "123456", DEVICE))
			.isEqualTo(new SocialFlowResult.SecondFactorRequired("second-step"));
	}

	@Test
	void bindWhenAccessDeniedThenAccessDenied() {
		enqueue(200, "{\"status\":\"ACCESS_DENIED\"}");
		assertThat(serverClient().bind(STATE_TOKEN, VerificationChannel.SMS, "13800000001", "123456", DEVICE))
			.isInstanceOf(SocialFlowResult.AccessDenied.class);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"status\":\"MFA_AUTH\"}", "{\"status\":\"LOCKED\",\"session_token\":\"s\",\"expire\":1}",
			"{\"expire\":60}", "{\"status\":\"SUCCESS\",\"expire\":60}", "{\"status\":\"SUCCESS\"}" })
	void bindWhenAnswerIncompleteOrUnknownStatusThenProtocolError(String body) {
		enqueue(200, body);
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> serverClient().bind(STATE_TOKEN, VerificationChannel.SMS, "13800000001", "123456",
					DEVICE))
			.satisfies((ex) -> {
				assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.PROTOCOL);
				assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.MALFORMED_RESPONSE);
			});
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			IDAAS.SDK.CAPTCHA.0007 | Incorrect verification code | 验证码错误
			IDAAS.SDK.COMMON.1007  | state_token parameter error | 登录已过期,请重新登录
			IDAAS.SDK.PARAM.0016   | IdToken is invalid or expired | IdToken无效或已过期
			""")
	void bindWhenPublishedErrorThenInvalidRequestWithBundledTextsNotRetried(String code, String vendorMessage,
			String chinese) {
		enqueue(400, errorBody(code, vendorMessage));
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> serverClient().bind(STATE_TOKEN, VerificationChannel.SMS, "13800000001", "123456",
					DEVICE))
			.satisfies((ex) -> {
				assertThat(ex.getErrorCode()).isEqualTo(code);
				assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.INVALID_REQUEST);
				assertThat(ex.getHttpStatus()).isEqualTo(400);
				assertThat(ex.getLocalizedMessage(Locale.CHINESE)).isEqualTo(chinese);
				assertThat(ex.getMessage()).doesNotContain(STATE_TOKEN);
			});
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void bindWhenUnknownVendorCodeThenVendorRefusedWithVendorsMessageNotRetried() {
		enqueue(400, errorBody("IDAAS.SDK.USER.0042", "该手机号已绑定其他Apple账号"));
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> serverClient().bind(STATE_TOKEN, VerificationChannel.SMS, "13800000001", "123456",
					DEVICE))
			.satisfies((ex) -> {
				assertThat(ex.getErrorCode()).isEqualTo("IDAAS.SDK.USER.0042");
				assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.VENDOR_REFUSED);
				assertThat(ex.getHttpStatus()).isEqualTo(400);
				assertThat(ex.getVendorMessage()).isEqualTo("该手机号已绑定其他Apple账号");
				assertThat(ex.getLocalizedMessage(Locale.ENGLISH)).isEqualTo("该手机号已绑定其他Apple账号");
			});
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void bindWhenUnknownVendorCodeWithOverlongControlCharacterMessageThenSanitized() {
		enqueue(400, errorBody("IDAAS.SDK.USER.0043", "bad\\u0000\\r\\nINFO forged" + "y".repeat(400)));
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> serverClient().bind(STATE_TOKEN, VerificationChannel.SMS, "13800000001", "123456",
					DEVICE))
			.satisfies((ex) -> {
				assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.VENDOR_REFUSED);
				assertThat(ex.getVendorMessage()).hasSize(200).startsWith("bad???INFO forgedyyy");
				assertThat(ex.getLocalizedMessage(Locale.CHINESE)).isEqualTo(ex.getVendorMessage());
			});
	}

	@Test
	void bindWhenUnknownVendorCodeWith5xxThenTransientButNotRetriedOnceSent() {
		enqueue(503, errorBody("IDAAS.SDK.FOO.0001", "Maintenance"));
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> serverClient().bind(STATE_TOKEN, VerificationChannel.SMS, "13800000001", "123456",
					DEVICE))
			.satisfies((ex) -> assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.TRANSIENT));
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void getCaptchaWhenVendorAnswerThenChallengeFromGetWithDeviceHeaders() throws Exception {
		enqueue(200, "{\"token\":\"puzzle-1\",\"originalImageBase64\":\"iVBORw0KGgo=\",\"jigsawImageBase64\":\"iVBORw0K\","
				+ "\"secretKey\":null,\"pointJson\":null,\"result\":null,\"captchaType\":null}");
		CaptchaChallenge challenge = serverClient().getCaptcha(DEVICE);
		assertThat(challenge).isEqualTo(new CaptchaChallenge("puzzle-1", "iVBORw0KGgo=", "iVBORw0K"));
		RecordedRequest request = this.server.takeRequest();
		assertThat(request.getMethod()).isEqualTo("GET");
		assertThat(request.getUrl().encodedPath()).isEqualTo("/api/v2/sdk/captcha");
		assertThat(request.getHeaders().get("X-client-id")).isEqualTo("nTo1eRIub60vPb54WeE6aojPwYwImtl4");
		assertThat(request.getHeaders().get("X-device-fingerprint")).isEqualTo("device-fingerprint-1");
		assertThat(request.getBody() == null || request.getBody().size() == 0).isTrue();
	}

	@Test
	void getCaptchaWhenBusyThenRetriedAndWhenImageMissingThenProtocolError() {
		enqueue(500, errorBody("IDAAS.SDK.COM.0002", "System busy, please try again later"));
		enqueue(200, "{\"token\":\"puzzle-1\",\"originalImageBase64\":\"AAAA\",\"jigsawImageBase64\":null}");
		assertThatExceptionOfType(IdaasApiException.class).isThrownBy(() -> serverClient().getCaptcha(DEVICE))
			.satisfies((ex) -> assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.PROTOCOL));
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	@Test
	void verifyCaptchaWhenCalledThenPublishedBodyAndCaptchaToken() throws Exception {
		enqueue(200, "{\"captcha_token\":\"puzzle-1---{\\\"x\\\":237.0,\\\"y\\\":5.0}\"}");
		String captchaToken = serverClient().verifyCaptcha("puzzle-1", 237.0, "13800000001", DEVICE);
		assertThat(captchaToken).isEqualTo("puzzle-1---{\"x\":237.0,\"y\":5.0}");
		RecordedRequest request = this.server.takeRequest();
		assertThat(request.getMethod()).isEqualTo("POST");
		assertThat(request.getUrl().encodedPath()).isEqualTo("/api/v2/sdk/captcha/verify");
		assertThat(request.getBody().utf8()).isEqualTo(
				"{\"point_json\":\"{\\\"x\\\":237.0,\\\"y\\\":5.0}\",\"token\":\"puzzle-1\",\"sender\":\"13800000001\"}");
	}

	@Test
	void verifyCaptchaWhenCaptcha0002OrBusyThenNotRetried() {
		enqueue(400, errorBody("IDAAS.SDK.CAPTCHA.0002", "Graphic verification code verification failed"));
		enqueue(500, errorBody("IDAAS.SDK.COM.0002", "System busy, please try again later"));
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> serverClient().verifyCaptcha("puzzle-1", 100, "13800000001", DEVICE))
			.satisfies((ex) -> {
				assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.CAPTCHA_INVALID);
				assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.INVALID_REQUEST);
			});
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> serverClient().verifyCaptcha("puzzle-2", 100, "13800000001", DEVICE))
			.satisfies((ex) -> assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.TRANSIENT));
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	@ParameterizedTest
	@ValueSource(doubles = { Double.NaN, Double.POSITIVE_INFINITY, -1, 10_001 })
	void verifyCaptchaWhenXNotAPositionThenRefusedBeforeSending(double x) {
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> serverClient().verifyCaptcha("puzzle-1", x, "13800000001", DEVICE))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.INVALID_VERIFICATION));
		assertThat(this.server.getRequestCount()).isZero();
	}

	@Test
	void getMobileOnFileWhenAnsweredThenMobileFromGetWithStateTokenHeader() throws Exception {
		enqueue(200, "{\"mobile\":\"13800000006\"}");
		assertThat(serverClient().getMobileOnFile(STATE_TOKEN, DEVICE)).isEqualTo("13800000006");
		RecordedRequest request = this.server.takeRequest();
		assertThat(request.getMethod()).isEqualTo("GET");
		assertThat(request.getUrl().encodedPath()).isEqualTo("/api/v2/sdk/mobile-by-token");
		assertThat(request.getHeaders().get("X-state-token")).isEqualTo(STATE_TOKEN);
	}

	@Test
	void getMobileOnFileWhenCommon1007ThenInvalidRequest() {
		enqueue(400, errorBody("IDAAS.SDK.COMMON.1007", "state_token parameter error"));
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> serverClient().getMobileOnFile(STATE_TOKEN, DEVICE))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.STATE_TOKEN_INVALID));
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void verifySecondFactorWhenEmailThenMfaEmailPathAndPublishedAnswer() throws Exception {
		enqueue(200, PUBLISHED_FULL_ANSWER);
		SocialFlowResult result = serverClient().verifySecondFactor(STATE_TOKEN, VerificationChannel.EMAIL,
				"a@example.com", "123456", DEVICE);
		assertThat(result).isEqualTo(new SocialFlowResult.Authenticated(SESSION_TOKEN, Duration.ofSeconds(432000),
				ID_TOKEN));
		RecordedRequest request = this.server.takeRequest();
		assertThat(request.getUrl().encodedPath()).isEqualTo("/api/v2/sdk/mfa/email");
		assertThat(request.getBody().utf8()).isEqualTo("{\"email\":\"a@example.com\",\"verify_code\":\"123456\"}");
	}

	@Test
	void verifySecondFactorWhenAnotherMfaAuthThenProtocolError() {
		enqueue(200, "{\"status\":\"MFA_AUTH\",\"state_token\":\"again\"}");
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> serverClient().verifySecondFactor(STATE_TOKEN, VerificationChannel.SMS, "13800000001",
					"123456", DEVICE))
			.satisfies((ex) -> assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.PROTOCOL));
	}

	@Test
	void verifySecondFactorWhenReadTimeoutThenUnknownOutcomeNotRetried() {
		this.server.enqueue(new MockResponse.Builder().code(200)
			.body(PUBLISHED_FULL_ANSWER)
			.headersDelay(2, TimeUnit.SECONDS)
			.build());
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> serverClient(Duration.ofMillis(300)).verifySecondFactor(STATE_TOKEN,
					VerificationChannel.SMS, "13800000001", "123456", DEVICE))
			.satisfies((ex) -> assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.UNKNOWN_OUTCOME));
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

}

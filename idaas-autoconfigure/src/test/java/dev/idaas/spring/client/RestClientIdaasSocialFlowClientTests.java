package dev.idaas.spring.client;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.IdaasSimulatorExtension;
import dev.idaas.spring.test.simulator.RecordedIdaasRequest;
import dev.idaas.spring.test.simulator.SimulatedUser;

import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link RestClientIdaasSocialFlowClient} against the IDaaS simulator over real HTTP.
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
		this.client.sendVerificationCode(VerificationChannel.SMS, this.alice.mobile(),
				VerificationPurpose.BIND_MOBILE_SMS, DEVICE);
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
		assertThat(request.body()).isEqualTo("{\"mobile\":\"" + this.alice.mobile() + "\",\"type\":\"BIND_MOBILE_SMS\"}");
	}

	@Test
	void sendVerificationCodeWhenEmailThenPostsEmailToEmailPath() {
		this.client.sendVerificationCode(VerificationChannel.EMAIL, "new@example.com", VerificationPurpose.REGISTER_EMS,
				DEVICE);
		RecordedIdaasRequest request = this.idaas.lastRequest(IdaasSimulator.EMAIL_SEND_PATH);
		assertThat(request).isNotNull();
		assertThat(request.body()).isEqualTo("{\"email\":\"new@example.com\",\"type\":\"REGISTER_EMS\"}");
		assertThat(this.idaas.requestCount(IdaasSimulator.SMS_SEND_PATH)).isZero();
	}

	@Test
	void bindWhenCodeRightThenSessionTokenWithoutIdTokenAndStateTokenHeader() {
		String stateToken = pendingStateToken(this.idaas.issueSocialBindCode());
		this.client.sendVerificationCode(VerificationChannel.SMS, this.alice.mobile(),
				VerificationPurpose.BIND_MOBILE_SMS, DEVICE);
		SocialFlowResult result = this.client.bind(stateToken, VerificationChannel.SMS, this.alice.mobile(),
				IdaasSimulator.DEFAULT_VERIFICATION_CODE, DEVICE);
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
				VerificationPurpose.REGISTER_EMS, DEVICE);
		SocialFlowResult result = this.client.registerAndBind(stateToken, VerificationChannel.EMAIL,
				"newcomer@example.com", "123456", DEVICE);
		assertThat(result.idToken()).isNotBlank();
		assertThat(result.toString()).doesNotContain(result.idToken());
		RecordedIdaasRequest request = this.idaas.lastRequest(IdaasSimulator.REGISTER_BIND_PATH);
		assertThat(request).isNotNull();
		assertThat(request.header("X-state-token")).isEqualTo(stateToken);
		assertThat(request.body()).isEqualTo("{\"email\":\"newcomer@example.com\",\"verify_code\":\"123456\"}");
	}

	@Test
	void bindWhenCodeWrongThenVerifyCodeInvalidAndStateTokenNotInMessage() {
		String stateToken = pendingStateToken(this.idaas.issueSocialBindCode());
		this.client.sendVerificationCode(VerificationChannel.SMS, this.alice.mobile(),
				VerificationPurpose.BIND_MOBILE_SMS, DEVICE);
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.bind(stateToken, VerificationChannel.SMS, this.alice.mobile(), "654321",
					DEVICE))
			.satisfies((ex) -> {
				assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.VERIFY_CODE_INVALID);
				assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.INVALID_REQUEST);
				assertThat(ex.getHttpStatus()).isEqualTo(400);
				assertThat(ex.getMessage()).doesNotContain(stateToken).doesNotContain("654321");
				assertThat(ex.getLocalizedMessage(Locale.CHINESE)).isEqualTo("验证码错误或已过期");
			});
	}

	@Test
	void bindWhenStateTokenUnknownThenParam0016() {
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.bind("not-a-state-token", VerificationChannel.SMS, this.alice.mobile(),
					"123456", DEVICE))
			.satisfies((ex) -> {
				assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.ID_TOKEN_INVALID);
				assertThat(ex.getLocalizedMessage(Locale.ENGLISH)).isEqualTo("IdToken invalid or expired");
			});
	}

	@Test
	void sendVerificationCodeWhenCom0002As400And500ThenRetriedAsTransient() {
		this.idaas.failNext(1, 400).failNext(1, 500);
		this.client.sendVerificationCode(VerificationChannel.SMS, this.alice.mobile(),
				VerificationPurpose.BIND_MOBILE_SMS, DEVICE);
		assertThat(this.idaas.requestCount(IdaasSimulator.SMS_SEND_PATH)).isEqualTo(3);
	}

	@Test
	void sendVerificationCodeWhenAlwaysBusyThenTransientAfterMaxAttempts() {
		this.idaas.failNext(3, 400);
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.sendVerificationCode(VerificationChannel.SMS, this.alice.mobile(),
					VerificationPurpose.BIND_MOBILE_SMS, DEVICE))
			.satisfies((ex) -> {
				assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.SYSTEM_BUSY);
				assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.TRANSIENT);
				assertThat(ex.getHttpStatus()).isEqualTo(400);
			});
		assertThat(this.idaas.requestCount(IdaasSimulator.SMS_SEND_PATH)).isEqualTo(3);
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
					VerificationPurpose.BIND_MOBILE_SMS, hostile))
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
					VerificationPurpose.BIND_MOBILE_SMS, DEVICE));
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

	private String pendingStateToken(String appleCode) {
		AppleLoginResult result = this.loginClient.loginWithApple(appleCode, DEVICE);
		assertThat(result).isInstanceOf(AppleLoginResult.PendingSocialFlow.class);
		this.idaas.resetRecordsAndFaults();
		return ((AppleLoginResult.PendingSocialFlow) result).stateToken();
	}

}

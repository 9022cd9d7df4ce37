package dev.idaas.spring.observation;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.idaas.spring.client.AppleLoginResult;
import dev.idaas.spring.client.CaptchaChallenge;
import dev.idaas.spring.client.DeviceContext;
import dev.idaas.spring.client.IdaasApiException;
import dev.idaas.spring.client.RestClientIdaasClient;
import dev.idaas.spring.client.RestClientIdaasSocialFlowClient;
import dev.idaas.spring.client.VerificationChannel;
import dev.idaas.spring.client.VerificationPurpose;
import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.SimulatedUser;

import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ObservedIdaasClient} against the IDaaS simulator.
 */
class ObservedIdaasClientTests {

	private static final DeviceContext DEVICE = new DeviceContext("ios17.5", "device-1234567890", "203.0.113.9",
			"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)", Locale.ENGLISH);

	private final SimulatedUser alice = SimulatedUser.of("alice", "Alice Liddell", "13800000001",
			"alice@example.com");

	private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

	private IdaasSimulator simulator;

	private ObservationRegistry registry;

	private ObservedIdaasClient client;

	@BeforeEach
	void setUp() {
		this.simulator = new IdaasSimulator().start().registerUser(this.alice);
		this.registry = ObservationRegistry.create();
		ObservationRegistry registry = this.registry;
		registry.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

			@Override
			public void onStop(Observation.Context context) {
				ObservedIdaasClientTests.this.stopped.add(context);
			}

		});
		RestClientIdaasClient delegate = new RestClientIdaasClient(RestClientIdaasClient
			.createRestClient(RestClient.builder(), this.simulator.baseUrl(), Duration.ofSeconds(2), Duration.ofSeconds(5)),
				this.simulator.clientId());
		delegate.setBackoff(Duration.ofMillis(1), Duration.ofMillis(2));
		this.client = new ObservedIdaasClient(delegate, registry);
	}

	@AfterEach
	void tearDown() {
		this.simulator.close();
	}

	@Test
	void loginWithAppleWhenSuccessThenObservedWithOutcomeAndNoSecrets() {
		String code = this.simulator.issueAppleCode(this.alice);
		AppleLoginResult result = this.client.loginWithApple(code, DEVICE);
		assertThat(result).isInstanceOf(AppleLoginResult.Authenticated.class);
		assertThat(this.stopped).hasSize(1);
		Observation.Context context = this.stopped.get(0);
		assertThat(context.getName()).isEqualTo("idaas.client.requests");
		assertThat(tags(context)).containsExactlyInAnyOrderEntriesOf(
				Map.of("endpoint", "login", "outcome", "SUCCESS", "error_code", "none"));
		assertThat(context.getHighCardinalityKeyValues()).isEmpty();
		String everything = context.toString() + tags(context);
		assertThat(everything).doesNotContain(code)
			.doesNotContain(((AppleLoginResult.Authenticated) result).sessionToken());
	}

	@Test
	void loginWithAppleWhenSocialBindThenOutcomeIsBranch() {
		this.client.loginWithApple(this.simulator.issueSocialBindCode(), DEVICE);
		assertThat(tags(this.stopped.get(0))).containsEntry("outcome", "SOCIAL_BIND");
	}

	@Test
	void loginWithAppleWhenUserDisabledThenErrorCodeTagged() {
		String code = this.simulator.issueAppleCode(this.alice);
		this.simulator.disableUser(this.alice);
		assertThatExceptionOfType(IdaasApiException.class).isThrownBy(() -> this.client.loginWithApple(code, DEVICE));
		Observation.Context context = this.stopped.get(0);
		assertThat(tags(context)).containsEntry("outcome", "USER_DISABLED")
			.containsEntry("error_code", "IDAAS.SDK.USER.0039");
		assertThat(context.getError()).isInstanceOf(IdaasApiException.class);
	}

	@Test
	void refreshIdTokenWhenBusyThenRetriedInsideOneObservation() {
		String sessionToken = this.simulator.issueSessionToken(this.alice);
		this.simulator.failNext(1, 500);
		this.client.refreshIdToken(sessionToken, DEVICE);
		assertThat(this.simulator.refreshRequestCount()).isEqualTo(2);
		assertThat(this.stopped).hasSize(1);
		assertThat(tags(this.stopped.get(0))).containsEntry("endpoint", "refresh").containsEntry("outcome", "REFRESHED");
	}

	@Test
	void errorCodeTagWhenUnknownShapeThenOther() {
		assertThat(IdaasClientObservation.errorCodeTag("IDAAS.SDK.PARAM.0023")).isEqualTo("IDAAS.SDK.PARAM.0023");
		assertThat(IdaasClientObservation.errorCodeTag("IDAAS.STARTER.UPSTREAM_TIMEOUT"))
			.isEqualTo("IDAAS.STARTER.UPSTREAM_TIMEOUT");
		assertThat(IdaasClientObservation.errorCodeTag("random-" + System.nanoTime())).isEqualTo("other");
	}

	@Test
	void sendVerificationCodeWhenObservedThenEndpointAndOutcomeTagged() {
		RestClientIdaasSocialFlowClient delegate = new RestClientIdaasSocialFlowClient(RestClientIdaasClient
			.createRestClient(RestClient.builder(), this.simulator.baseUrl(), Duration.ofSeconds(2), Duration.ofSeconds(5)),
				this.simulator.clientId());
		ObservedIdaasSocialFlowClient social = new ObservedIdaasSocialFlowClient(delegate, this.registry);
		String stateToken = "not-a-state-token";
		social.sendVerificationCode(VerificationChannel.SMS, "13800000001", VerificationPurpose.BIND_MOBILE_SMS,
				this.simulator.issueCaptchaToken("13800000001"), DEVICE);
		assertThatExceptionOfType(IdaasApiException.class).isThrownBy(
				() -> social.bind(stateToken, VerificationChannel.SMS, "13800000001", "123456", DEVICE));
		assertThat(this.stopped).hasSize(2);
		assertThat(tags(this.stopped.get(0))).containsEntry("endpoint", "send-code").containsEntry("outcome", "CODE_SENT");
		assertThat(tags(this.stopped.get(1))).containsEntry("endpoint", "bind")
			.containsEntry("error_code", "IDAAS.SDK.COMMON.1007");
		assertThat(this.stopped.get(1).toString()).doesNotContain(stateToken).doesNotContain("123456");
	}

	@Test
	void secondFactorFlowWhenObservedThenEveryCallTaggedAndNoValueInContexts() {
		this.simulator.requireSecondFactor(this.alice, true);
		RestClientIdaasSocialFlowClient delegate = new RestClientIdaasSocialFlowClient(RestClientIdaasClient
			.createRestClient(RestClient.builder(), this.simulator.baseUrl(), Duration.ofSeconds(2), Duration.ofSeconds(5)),
				this.simulator.clientId());
		ObservedIdaasSocialFlowClient social = new ObservedIdaasSocialFlowClient(delegate, this.registry);
		AppleLoginResult login = this.client.loginWithApple(this.simulator.issueAppleCode(this.alice), DEVICE);
		String stateToken = ((AppleLoginResult.SecondFactorRequired) login).stateToken();
		String mobile = social.getMobileOnFile(stateToken, DEVICE);
		CaptchaChallenge challenge = social.getCaptcha(DEVICE);
		String captchaToken = social.verifyCaptcha(challenge.token(),
				this.simulator.captchaSolutionX(challenge.token()), mobile, DEVICE);
		social.sendVerificationCode(VerificationChannel.SMS, mobile, VerificationPurpose.MFA_AUTH_SMS, captchaToken,
				DEVICE);
		social.verifySecondFactor(stateToken, VerificationChannel.SMS, mobile, "123456", DEVICE);
		assertThat(this.stopped).extracting((context) -> tags(context).get("endpoint") + ":" + tags(context).get("outcome"))
			.containsExactly("login:MFA_AUTH", "mobile-by-token:SUCCESS", "captcha:CAPTCHA_ISSUED",
					"captcha-verify:CAPTCHA_PASSED", "send-code:CODE_SENT", "mfa:SUCCESS");
		assertThat(this.stopped.toString()).doesNotContain(stateToken)
			.doesNotContain(challenge.token())
			.doesNotContain(mobile);
	}

	private static Map<String, String> tags(Observation.Context context) {
		return context.getLowCardinalityKeyValues()
			.stream()
			.collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
	}

}

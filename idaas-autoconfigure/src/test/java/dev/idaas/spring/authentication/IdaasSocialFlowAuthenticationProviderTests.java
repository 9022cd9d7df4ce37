package dev.idaas.spring.authentication;

import java.time.Duration;
import java.util.Locale;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

import dev.idaas.spring.client.DeviceContext;
import dev.idaas.spring.client.IdaasApiException;
import dev.idaas.spring.client.IdaasErrorCategory;
import dev.idaas.spring.client.IdaasErrorCodes;
import dev.idaas.spring.client.RestClientIdaasClient;
import dev.idaas.spring.client.RestClientIdaasSocialFlowClient;
import dev.idaas.spring.client.SocialFlowBranch;
import dev.idaas.spring.client.VerificationChannel;
import dev.idaas.spring.jwt.JwkSetKeySource;
import dev.idaas.spring.jwt.JwksIdTokenVerifier;

import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What {@link IdaasSocialFlowAuthenticationProvider} makes of finish answers that IDaaS sent
 * after taking the code (the state token is spent): an answer that cannot be understood, or a
 * refresh after it that cannot, ends the flow with {@link IdaasErrorCodes#FLOW_ENDED}; an
 * answered refusal or a busy IDaaS does not. Against a plain HTTP server answering verbatim.
 */
class IdaasSocialFlowAuthenticationProviderTests {

	private static final DeviceContext DEVICE = new DeviceContext("ios17.5", "device-fingerprint-1", "192.0.2.10",
			"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)", Locale.ENGLISH);

	@StartStop
	private final MockWebServer server = new MockWebServer();

	private IdaasSocialFlowAuthenticationProvider provider() {
		RestClient restClient = RestClientIdaasClient.createRestClient(RestClient.builder(), this.server.url("/").uri());
		RestClientIdaasClient client = new RestClientIdaasClient(restClient, "nTo1eRIub60vPb54WeE6aojPwYwImtl4");
		client.setMaxAttempts(1);
		RestClientIdaasSocialFlowClient socialFlowClient = new RestClientIdaasSocialFlowClient(restClient,
				"nTo1eRIub60vPb54WeE6aojPwYwImtl4");
		JwksIdTokenVerifier verifier = new JwksIdTokenVerifier(
				new JwkSetKeySource(RestClient.builder().build(), this.server.url("/api/v1/oauth2/keys").uri()),
				this.server.url("/api/v1/oauth2").toString(), "nTo1eRIub60vPb54WeE6aojPwYwImtl4");
		return new IdaasSocialFlowAuthenticationProvider(socialFlowClient, client,
				new IdaasAuthenticationTokenFactory(verifier));
	}

	private static IdaasSocialFlowAuthenticationToken bind() {
		return new IdaasSocialFlowAuthenticationToken(SocialFlowBranch.SOCIAL_BIND, "state-token-1",
				VerificationChannel.SMS, "+8613800000001", "123456", DEVICE, "flow-subject", null);
	}

	private void enqueue(int code, String body) {
		this.server.enqueue(new MockResponse.Builder().code(code)
			.addHeader("Content-Type", "application/json")
			.body(body)
			.build());
	}

	@Test
	void authenticateWhenFinishAnswerTruncatedThenFlowEndedWithoutFurtherCall() {
		enqueue(200, "{\"status\":\"SUCCESS\",\"session_tok");
		IdaasSocialFlowEndedException ex = catchThrowableOfType(IdaasSocialFlowEndedException.class,
				() -> provider().authenticate(bind()));
		assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.FLOW_ENDED);
		assertThat(ex.getCause()).isInstanceOfSatisfying(IdaasApiException.class,
				(cause) -> assertThat(cause.getErrorCode()).isEqualTo(IdaasErrorCodes.MALFORMED_RESPONSE));
		assertThat(ex.getMessage()).doesNotContain("state-token-1");
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void authenticateWhenFinishWithoutExpireAndRefreshWithoutExpireThenFlowEnded() throws Exception {
		enqueue(200, "{\"session_token\":\"session-1\"}");
		enqueue(200, "{\"session_token\":\"session-1\",\"id_token\":\"h.p.s\"}");
		IdaasSocialFlowEndedException ex = catchThrowableOfType(IdaasSocialFlowEndedException.class,
				() -> provider().authenticate(bind()));
		assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.FLOW_ENDED);
		assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.PROTOCOL);
		assertThat(this.server.getRequestCount()).isEqualTo(2);
		assertThat(this.server.takeRequest().getUrl().encodedPath()).isEqualTo("/api/v2/sdk/social/bind");
		RecordedRequest refresh = this.server.takeRequest();
		assertThat(refresh.getUrl().encodedPath()).isEqualTo("/api/v2/sdk/sso/session-token/id-token");
		assertThat(refresh.getHeaders().get("session-token")).isEqualTo("session-1");
	}

	@Test
	void authenticateWhenFinishRefusedOrBusyThenFlowNotEnded() {
		enqueue(400, "{\"error_code\":\"IDAAS.SDK.CAPTCHA.0007\",\"error_msg\":\"Incorrect verification code\"}");
		this.server.enqueue(new MockResponse.Builder().code(502).body("<html>Bad Gateway</html>").build());
		IdaasAuthenticationException refused = catchThrowableOfType(IdaasAuthenticationException.class,
				() -> provider().authenticate(bind()));
		assertThat(refused).isNotInstanceOf(IdaasSocialFlowEndedException.class);
		assertThat(refused.getErrorCode()).isEqualTo(IdaasErrorCodes.VERIFY_CODE_INCORRECT);
		IdaasAuthenticationException busy = catchThrowableOfType(IdaasAuthenticationException.class,
				() -> provider().authenticate(bind()));
		assertThat(busy).isNotInstanceOf(IdaasSocialFlowEndedException.class);
		assertThat(busy.getErrorCode()).isEqualTo(IdaasErrorCodes.UPSTREAM_UNAVAILABLE);
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	@Test
	void authenticateWhenFinishAnswers3xxThenFlowNotEnded() {
		this.server.enqueue(new MockResponse.Builder().code(302).addHeader("Location", "/elsewhere").build());
		IdaasAuthenticationException ex = catchThrowableOfType(IdaasAuthenticationException.class,
				() -> provider().authenticate(bind()));
		assertThat(ex).isNotInstanceOf(IdaasSocialFlowEndedException.class);
		assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.MALFORMED_RESPONSE);
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

}

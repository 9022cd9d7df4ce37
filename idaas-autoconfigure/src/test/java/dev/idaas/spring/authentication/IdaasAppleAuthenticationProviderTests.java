package dev.idaas.spring.authentication;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.idaas.spring.client.AppleLoginResult;
import dev.idaas.spring.client.DeviceContext;
import dev.idaas.spring.client.IdaasErrorCategory;
import dev.idaas.spring.client.IdaasErrorCodes;
import dev.idaas.spring.client.RestClientIdaasClient;
import dev.idaas.spring.client.SocialFlowBranch;
import dev.idaas.spring.jwt.JwkSetKeySource;
import dev.idaas.spring.jwt.JwksIdTokenVerifier;
import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.IdaasSimulatorExtension;
import dev.idaas.spring.test.simulator.Malformation;
import dev.idaas.spring.test.simulator.SimulatedUser;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Tests for {@link IdaasAppleAuthenticationProvider} with the real client and the real id_token
 * verifier against the IDaaS simulator.
 */
class IdaasAppleAuthenticationProviderTests {

	private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

	@RegisterExtension
	static IdaasSimulatorExtension extension = new IdaasSimulatorExtension();

	private static final DeviceContext DEVICE = new DeviceContext("ios17.5", "device-fingerprint-1", "192.0.2.10",
			"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)", Locale.ENGLISH);

	private final IdaasSimulator idaas = extension.simulator();

	private SimulatedUser alice;

	private IdaasAppleAuthenticationProvider provider;

	@BeforeEach
	void setUp() {
		this.alice = SimulatedUser.of("alice", "Alice Liddell", "+8613800000001", "alice@example.com");
		this.idaas.registerUser(this.alice);
		this.provider = provider(this.idaas.clientId());
	}

	private IdaasAppleAuthenticationProvider provider(String expectedAudience) {
		RestClient restClient = RestClientIdaasClient.createRestClient(RestClient.builder(), this.idaas.baseUrl());
		RestClientIdaasClient client = new RestClientIdaasClient(restClient, this.idaas.clientId());
		client.setBackoff(Duration.ZERO, Duration.ZERO);
		JwksIdTokenVerifier verifier = new JwksIdTokenVerifier(
				new JwkSetKeySource(RestClient.builder().build(), this.idaas.jwksUri()), this.idaas.issuer(),
				expectedAudience);
		IdaasAuthenticationTokenFactory factory = new IdaasAuthenticationTokenFactory(verifier);
		factory.setClock(Clock.fixed(NOW, ZoneOffset.UTC));
		return new IdaasAppleAuthenticationProvider(client, factory);
	}

	private static AppleAuthorizationCodeAuthenticationToken request(String code) {
		return new AppleAuthorizationCodeAuthenticationToken(code, DEVICE, null);
	}

	@Test
	void authenticateWhenStatusSuccessThenAuthenticatedOidcUser() {
		String code = this.idaas.issueAppleCode(this.alice);
		Authentication result = this.provider.authenticate(request(code));
		assertThat(result).isInstanceOf(IdaasAuthenticationToken.class);
		IdaasAuthenticationToken token = (IdaasAuthenticationToken) result;
		assertThat(token.isAuthenticated()).isTrue();
		OidcUser user = token.getPrincipal();
		assertThat(user.getSubject()).isEqualTo("alice");
		assertThat(user.getName()).isEqualTo("alice");
		assertThat(user.getFullName()).isEqualTo("Alice Liddell");
		assertThat(user.getEmail()).isEqualTo("alice@example.com");
		assertThat(user.<String>getClaim("mobile")).isEqualTo("+8613800000001");
		assertThat(user.<Object>getClaim("id")).hasToString(this.alice.id());
		assertThat(user.getIdToken().getAudience()).containsExactly(this.idaas.clientId());
		assertThat(user.getIdToken().getIssuer()).hasToString(this.idaas.issuer());
		assertThat(token.getAuthorities()).extracting("authority").containsExactly("OIDC_USER");
		assertThat(this.idaas.loginRequestCount()).isEqualTo(1);
	}

	@Test
	void authenticateWhenStatusSuccessThenSessionStateHoldsSessionTokenAndExpiry() {
		String code = this.idaas.issueAppleCode(this.alice);
		IdaasAuthenticationToken token = (IdaasAuthenticationToken) this.provider.authenticate(request(code));
		IdaasSessionState state = token.getSessionState();
		assertThat(this.idaas.isSessionTokenValid(state.sessionToken())).isTrue();
		assertThat(state.sessionTokenExpiresAt()).isEqualTo(NOW.plusSeconds(432000));
		assertThat(state.signedInAt()).isEqualTo(NOW);
		assertThat(state.refreshCount()).isZero();
	}

	@Test
	void authenticateWhenStatusSuccessThenNoSecretInCredentialsOrToString() {
		String code = this.idaas.issueAppleCode(this.alice);
		IdaasAuthenticationToken token = (IdaasAuthenticationToken) this.provider.authenticate(request(code));
		assertThat(token.getCredentials()).isEqualTo("");
		String text = token.toString();
		assertThat(text).contains("alice")
			.doesNotContain(token.getSessionState().sessionToken())
			.doesNotContain(token.getIdToken().getTokenValue())
			.doesNotContain(code);
		assertThat(token.getSessionState().toString()).contains("sessionToken=***")
			.doesNotContain(token.getSessionState().sessionToken());
		assertThat(request(code).toString()).contains("code=***").doesNotContain(code);
	}

	@Test
	void authenticateWhenAppleUserNameThenGivenAndFamilyNameClaims() {
		String code = this.idaas.issueAppleCode(this.alice);
		AppleAuthorizationCodeAuthenticationToken request = new AppleAuthorizationCodeAuthenticationToken(code, DEVICE,
				new AppleUserName("Alice", "Liddell", "relay@privaterelay.appleid.com"));
		IdaasAuthenticationToken token = (IdaasAuthenticationToken) this.provider.authenticate(request);
		OidcUser user = token.getPrincipal();
		assertThat(user.getGivenName()).isEqualTo("Alice");
		assertThat(user.getFamilyName()).isEqualTo("Liddell");
		assertThat(user.<String>getClaim("apple_email")).isEqualTo("relay@privaterelay.appleid.com");
		// the verified id_token's email wins over Apple's relay address
		assertThat(user.getEmail()).isEqualTo("alice@example.com");
		assertThat(user.getSubject()).isEqualTo("alice");
	}

	@Test
	void authenticateWhenStatusSocialBindThenPendingBindResult() {
		String code = this.idaas.issueSocialBindCode();
		AppleAuthorizationCodeAuthenticationToken request = request(code);
		IdaasSocialFlowRequiredException ex = catchThrowableOfType(IdaasSocialFlowRequiredException.class,
				() -> this.provider.authenticate(request));
		AppleLoginResult.PendingSocialFlow pending = ex.getPendingFlow();
		assertThat(pending.branch()).isEqualTo(SocialFlowBranch.SOCIAL_BIND);
		assertThat(pending.flows()).containsExactly("VERIFY_PHONE", "VERIFY_EMAIL");
		assertThat(pending.stateToken()).isNotBlank();
		assertThat(ex.getLoginRequest()).isSameAs(request);
		assertThat(ex.getMessage()).doesNotContain(pending.stateToken()).doesNotContain(code);
	}

	@Test
	void authenticateWhenStatusMfaAuthThenPendingSecondFactorResult() {
		SimulatedUser frank = SimulatedUser.of("frank" + System.nanoTime(), "Frank", "+8613700001111", null);
		this.idaas.requireSecondFactor(frank, true);
		String code = this.idaas.issueAppleCode(frank);
		AppleAuthorizationCodeAuthenticationToken request = request(code);
		IdaasSocialFlowRequiredException ex = catchThrowableOfType(IdaasSocialFlowRequiredException.class,
				() -> this.provider.authenticate(request));
		AppleLoginResult.PendingSocialFlow pending = ex.getPendingFlow();
		assertThat(pending.branch()).isEqualTo(SocialFlowBranch.MFA_AUTH);
		assertThat(pending.flows()).isEmpty();
		assertThat(pending.stateToken()).isNotBlank();
		assertThat(ex.getRequest()).isSameAs(request);
		assertThat(ex.getMessage()).doesNotContain(pending.stateToken()).doesNotContain(code);
	}

	@Test
	void authenticateWhenStatusUserRegisterThenPendingRegisterResult() {
		String code = this.idaas.issueUserRegisterCode(List.of("VERIFY_EMAIL"));
		IdaasSocialFlowRequiredException ex = catchThrowableOfType(IdaasSocialFlowRequiredException.class,
				() -> this.provider.authenticate(request(code)));
		assertThat(ex.getPendingFlow().branch()).isEqualTo(SocialFlowBranch.USER_REGISTER);
		assertThat(ex.getPendingFlow().flows()).containsExactly("VERIFY_EMAIL");
	}

	@Test
	void authenticateWhenStatusAccessDeniedThenAccessDeniedError() {
		String code = this.idaas.issueAccessDeniedCode();
		IdaasAuthenticationException ex = catchThrowableOfType(IdaasAuthenticationException.class,
				() -> this.provider.authenticate(request(code)));
		assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.ACCESS_DENIED);
		assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.ACCESS_DENIED);
	}

	@Test
	void authenticateWhenUserDisabledThenUserDisabledError() {
		SimulatedUser dave = SimulatedUser.of("dave", "Dave", null, "dave@example.com");
		this.idaas.registerUser(dave);
		String code = this.idaas.issueAppleCode(dave);
		this.idaas.disableUser(dave);
		IdaasAuthenticationException ex = catchThrowableOfType(IdaasAuthenticationException.class,
				() -> this.provider.authenticate(request(code)));
		assertThat(ex.getErrorCode()).isEqualTo("IDAAS.SDK.USER.0039");
		assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.USER_DISABLED);
		assertThat(ex.getMessage()).doesNotContain(code);
		assertThat(this.idaas.loginRequestCount()).isEqualTo(1);
	}

	@Test
	void authenticateWhenSystemBusyEveryAttemptThenTransientError() {
		this.idaas.failNext(3, 500);
		String code = this.idaas.issueAppleCode(this.alice);
		IdaasAuthenticationException ex = catchThrowableOfType(IdaasAuthenticationException.class,
				() -> this.provider.authenticate(request(code)));
		assertThat(ex.getErrorCode()).isEqualTo("IDAAS.SDK.COM.0002");
		assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.TRANSIENT);
		assertThat(this.idaas.loginRequestCount()).isEqualTo(3);
	}

	@Test
	void authenticateWhenSystemBusyOnceThenRetriedAndSignedIn() {
		this.idaas.failNext(1, 400);
		String code = this.idaas.issueAppleCode(this.alice);
		Authentication result = this.provider.authenticate(request(code));
		assertThat(result.isAuthenticated()).isTrue();
		assertThat(this.idaas.loginRequestCount()).isEqualTo(2);
	}

	@Test
	void authenticateWhenUsedCodeThenInvalidRequestError() {
		String code = this.idaas.issueAppleCode(this.alice);
		this.provider.authenticate(request(code));
		IdaasAuthenticationException ex = catchThrowableOfType(IdaasAuthenticationException.class,
				() -> this.provider.authenticate(request(code)));
		assertThat(ex.getErrorCode()).isEqualTo("IDAAS.SDK.PARAM.0011");
		assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.INVALID_REQUEST);
	}

	@Test
	void authenticateWhenTruncatedAnswerThenProtocolErrorAndNoRetry() {
		this.idaas.malformedNext(Malformation.TRUNCATED_JSON);
		String code = this.idaas.issueAppleCode(this.alice);
		IdaasAuthenticationException ex = catchThrowableOfType(IdaasAuthenticationException.class,
				() -> this.provider.authenticate(request(code)));
		assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.MALFORMED_RESPONSE);
		assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.PROTOCOL);
		assertThat(this.idaas.loginRequestCount()).isEqualTo(1);
	}

	@Test
	void authenticateWhenIdTokenForAnotherAudienceThenInvalidIdTokenError() {
		IdaasAppleAuthenticationProvider other = provider("another-application");
		String code = this.idaas.issueAppleCode(this.alice);
		IdaasAuthenticationException ex = catchThrowableOfType(IdaasAuthenticationException.class,
				() -> other.authenticate(request(code)));
		assertThat(ex.getErrorCode()).isEqualTo(IdaasAuthenticationTokenFactory.INVALID_ID_TOKEN);
		assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.PROTOCOL);
		assertThat(ex.getMessage()).doesNotContain(code);
	}

	@Test
	void authenticateWhenErrorThenMessageNamesCodeOnce() {
		String code = this.idaas.issueAccessDeniedCode();
		this.idaas.failNext(3, 500);
		IdaasAuthenticationException ex = catchThrowableOfType(IdaasAuthenticationException.class,
				() -> this.provider.authenticate(request(code)));
		assertThat(ex.getMessage()).isEqualTo("IDAAS.SDK.COM.0002: System busy, please try again later");
		assertThat(ex.getError().getDescription()).isEqualTo("System busy, please try again later");
	}

	@Test
	void supportsWhenAppleCodeTokenThenTrue() {
		assertThat(this.provider.supports(AppleAuthorizationCodeAuthenticationToken.class)).isTrue();
		assertThat(this.provider.supports(IdaasAuthenticationToken.class)).isFalse();
	}

}

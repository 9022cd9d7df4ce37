package dev.idaas.spring.jackson;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.idaas.spring.authentication.IdaasAuthenticationException;
import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.authentication.AppleUserName;
import dev.idaas.spring.authentication.IdaasSessionState;
import dev.idaas.spring.client.IdaasErrorCategory;
import dev.idaas.spring.client.IdaasErrorCodes;
import dev.idaas.spring.client.IdaasErrorMessages;
import dev.idaas.spring.client.SocialFlowBranch;
import dev.idaas.spring.client.VerificationChannel;
import dev.idaas.spring.jwt.VerifiedIdTokenParser;
import dev.idaas.spring.web.IdaasAuthenticationFailureHandler;
import dev.idaas.spring.web.flow.PendingSocialFlow;
import dev.idaas.spring.web.flow.SocialFlowAuthenticationDetails;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

class IdaasJacksonModuleTests {

	private static final Instant ISSUED = Instant.parse("2026-11-30T10:00:00Z");

	private final JsonMapper mapper = JsonMapper.builder()
		.addModules(IdaasJacksonModule.withSecurityModules(getClass().getClassLoader()))
		.build();

	@Test
	void readValueWhenSecurityContextWrittenThenSameAuthenticationBack() {
		IdaasAuthenticationToken authentication = authentication();
		authentication.setDetails(new WebAuthenticationDetails(new MockHttpServletRequest()));
		SecurityContext context = new SecurityContextImpl(authentication);

		String json = this.mapper.writeValueAsString(context);
		Object read = this.mapper.readValue(json, Object.class);

		assertThat(json).contains("\"@class\":\"dev.idaas.spring.authentication.IdaasAuthenticationToken\"")
			.contains("\"@class\":\"dev.idaas.spring.authentication.IdaasSessionState\"");
		assertThat(read).isInstanceOf(SecurityContextImpl.class);
		IdaasAuthenticationToken back = (IdaasAuthenticationToken) ((SecurityContext) read).getAuthentication();
		assertThat(back).isEqualTo(authentication);
		assertThat(back.isAuthenticated()).isTrue();
		assertThat(back.getSessionState()).isEqualTo(authentication.getSessionState());
		assertThat(back.getIdToken().getTokenValue()).isEqualTo("header.payload.signature");
		assertThat(back.getIdToken().getExpiresAt()).isEqualTo(ISSUED.plusSeconds(300));
		assertThat(back.getPrincipal().getSubject()).isEqualTo("alice");
		assertThat(back.getPrincipal().getEmail()).isEqualTo("alice@example.com");
		assertThat(back.getAuthorities()).extracting("authority").containsExactlyInAnyOrder("OIDC_USER", "ROLE_USER");
		assertThat(back.getDetails()).isEqualTo(authentication.getDetails());
	}

	@Test
	void readValueWhenSessionStateHasFieldsOfANewerVersionThenIgnored() {
		String json = this.mapper.writeValueAsString(authentication().getSessionState());
		String newer = json.replace("\"refreshCount\"", "\"addedLater\":7,\"refreshCount\"");

		IdaasSessionState read = this.mapper.readValue(newer, IdaasSessionState.class);

		assertThat(read).isEqualTo(authentication().getSessionState());
	}

	@Test
	void readValueWhenFailedFormLoginLeftItsExceptionInTheSessionThenReadBackWithoutCause() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/login/idaas/apple");
		IdaasAuthenticationException failure = new IdaasAuthenticationException(IdaasErrorCodes.USER_DISABLED,
				"User is disabled", IdaasErrorCategory.USER_DISABLED, new IllegalStateException("upstream detail"));
		new IdaasAuthenticationFailureHandler("/login?error", new IdaasErrorMessages()).onAuthenticationFailure(request,
				new MockHttpServletResponse(), failure);
		Object stored = request.getSession().getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);

		String json = this.mapper.writeValueAsString(stored);
		Object read = this.mapper.readValue(json, Object.class);

		assertThat(json).doesNotContain("upstream detail").doesNotContain("stackTrace");
		assertThat(read).isInstanceOf(IdaasAuthenticationException.class);
		IdaasAuthenticationException back = (IdaasAuthenticationException) read;
		assertThat(back.getErrorCode()).isEqualTo(IdaasErrorCodes.USER_DISABLED);
		assertThat(back.getDescription()).isEqualTo("User is disabled");
		assertThat(back.getCategory()).isEqualTo(IdaasErrorCategory.USER_DISABLED);
		assertThat(back.getCause()).isNull();
	}

	@Test
	void readValueWhenPendingFlowWithPuzzleAndCodeSentThenSameFlowBack() {
		PendingSocialFlow flow = PendingSocialFlow
			.started(SocialFlowBranch.SOCIAL_BIND, "state-token-1", List.of("VERIFY_PHONE", "VERIFY_EMAIL"), ISSUED,
					new AppleUserName("Ann", "Lee", "ann@privaterelay.example"), null)
			.withPuzzle("puzzle-token-1", 310)
			.withCodeSent(VerificationChannel.SMS, "+8613800000002", ISSUED.plusSeconds(5))
			.withFailedAttempt();

		Object read = this.mapper.readValue(this.mapper.writeValueAsString(flow), Object.class);

		assertThat(read).isEqualTo(flow);
	}

	@Test
	void readValueWhenSecondFactorFlowThenSameFlowBack() {
		PendingSocialFlow flow = PendingSocialFlow.secondFactor("state-token-2", "+8613800005678", ISSUED, null, null);

		Object read = this.mapper.readValue(this.mapper.writeValueAsString(flow), Object.class);

		assertThat(read).isEqualTo(flow);
	}

	@Test
	void readValueWhenSignedInThroughAFlowThenDetailsWithBranchBack() {
		IdaasAuthenticationToken authentication = authentication();
		authentication.setDetails(new SocialFlowAuthenticationDetails("203.0.113.7", "session-1",
				SocialFlowBranch.MFA_AUTH));

		Object read = this.mapper.readValue(this.mapper.writeValueAsString(new SecurityContextImpl(authentication)),
				Object.class);

		Object details = ((SecurityContext) read).getAuthentication().getDetails();
		assertThat(details).isInstanceOf(SocialFlowAuthenticationDetails.class).isEqualTo(authentication.getDetails());
		assertThat(((SocialFlowAuthenticationDetails) details).getBranch()).isEqualTo(SocialFlowBranch.MFA_AUTH);
		assertThat(((SocialFlowAuthenticationDetails) details).getRemoteAddress()).isEqualTo("203.0.113.7");
	}

	@Test
	void writeValueWhenTokenReadBackFromJdkSessionAndUnusedThenSameAuthenticationBack() throws Exception {
		String jwt = base64Url("{\"alg\":\"RS256\",\"kid\":\"k1\"}") + "." + base64Url(
				"{\"sub\":\"alice\",\"iss\":\"https://tenant.idaas.example/api/v1/oauth2\",\"aud\":\"client-123\","
						+ "\"iat\":1795946400,\"exp\":1795946700,\"email\":\"alice@example.com\"}")
				+ ".c2lnbmF0dXJl";
		OidcIdToken idToken = VerifiedIdTokenParser.parse(jwt);
		DefaultOidcUser user = new DefaultOidcUser(
				List.of(new OidcUserAuthority(idToken), new SimpleGrantedAuthority("ROLE_USER")), idToken);
		IdaasAuthenticationToken authentication = new IdaasAuthenticationToken(user, user.getAuthorities(),
				new IdaasSessionState("session-token-1", ISSUED.plusSeconds(432000), ISSUED, 2));
		java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
		try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
			out.writeObject(new SecurityContextImpl(authentication));
		}
		SecurityContext jdk;
		try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
				new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
			jdk = (SecurityContext) in.readObject();
		}

		// the copy read back derives its principal only when the JSON writer asks for it
		String json = this.mapper.writeValueAsString(jdk);
		IdaasAuthenticationToken back = (IdaasAuthenticationToken) ((SecurityContext) this.mapper.readValue(json,
				Object.class))
			.getAuthentication();

		assertThat(json).contains("\"principal\"").contains("\"sessionState\"");
		assertThat(back).isEqualTo(authentication);
		assertThat(back.getIdTokenValue()).isEqualTo(jwt);
		assertThat(back.getName()).isEqualTo("alice");
		assertThat(back.getAuthorities()).extracting("authority").containsExactly("OIDC_USER", "ROLE_USER");
	}

	private static String base64Url(String json) {
		return java.util.Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	@Test
	void readValueWhenTypeNotAllowedThenRefused() {
		String json = "{\"@class\":\"java.net.URL\",\"protocol\":\"http\",\"host\":\"evil.example\"}";

		assertThatException().isThrownBy(() -> this.mapper.readValue(json, Object.class))
			.withMessageContaining("java.net.URL");
	}

	@Test
	void withSecurityModulesWhenCalledThenSpringSecurityModulesAndOursLast() {
		List<tools.jackson.databind.JacksonModule> modules = IdaasJacksonModule
			.withSecurityModules(getClass().getClassLoader());

		assertThat(modules.get(modules.size() - 1)).isInstanceOf(IdaasJacksonModule.class);
		assertThat(modules).extracting((module) -> module.getClass().getSimpleName())
			.contains("CoreJacksonModule", "OAuth2ClientJacksonModule");
	}

	private static IdaasAuthenticationToken authentication() {
		OidcIdToken idToken = new OidcIdToken("header.payload.signature", ISSUED, ISSUED.plusSeconds(300),
				Map.of("sub", "alice", "iss", "https://tenant.idaas.example/api/v1/oauth2", "aud", java.util.Collections.singletonList("client-123"),
						"email", "alice@example.com", "name", "Alice"));
		DefaultOidcUser user = new DefaultOidcUser(
				List.of(new OidcUserAuthority(idToken), new SimpleGrantedAuthority("ROLE_USER")), idToken);
		IdaasSessionState state = new IdaasSessionState("session-token-1", ISSUED.plusSeconds(432000), ISSUED, 2);
		return new IdaasAuthenticationToken(user, user.getAuthorities(), state);
	}

}

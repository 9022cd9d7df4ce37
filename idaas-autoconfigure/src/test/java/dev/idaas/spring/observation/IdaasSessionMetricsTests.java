package dev.idaas.spring.observation;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.idaas.spring.authentication.AppleAuthorizationCodeAuthenticationToken;
import dev.idaas.spring.authentication.IdaasAuthenticationException;
import dev.idaas.spring.authentication.IdaasAuthenticationFailureEvent;
import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.authentication.IdaasSessionState;
import dev.idaas.spring.authentication.IdaasSocialFlowAuthenticationToken;
import dev.idaas.spring.authentication.IdaasSocialFlowRequiredException;
import dev.idaas.spring.client.VerificationChannel;
import dev.idaas.spring.web.flow.SocialFlowAuthenticationDetails;
import dev.idaas.spring.client.AppleLoginResult;
import dev.idaas.spring.client.DeviceContext;
import dev.idaas.spring.client.IdaasErrorCategory;
import dev.idaas.spring.client.SocialFlowBranch;
import dev.idaas.spring.web.session.IdTokenRefreshedEvent;
import dev.idaas.spring.web.session.IdaasSessionEndReason;
import dev.idaas.spring.web.session.IdaasSessionEndedEvent;

import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link IdaasSessionMetrics}.
 */
class IdaasSessionMetricsTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final IdaasSessionMetrics metrics = new IdaasSessionMetrics(this.registry);

	@Test
	void onApplicationEventWhenRefreshedThenCountedByRotation() {
		this.metrics.onApplicationEvent(new IdTokenRefreshedEvent("alice", true, 1, Instant.now(), Clock.systemUTC()));
		this.metrics.onApplicationEvent(new IdTokenRefreshedEvent("alice", false, 2, Instant.now(), Clock.systemUTC()));
		this.metrics.onApplicationEvent(new IdTokenRefreshedEvent("bob", false, 1, Instant.now(), Clock.systemUTC()));
		assertThat(this.registry.get("idaas.refreshes").tag("result", "rotated").counter().count()).isEqualTo(1);
		assertThat(this.registry.get("idaas.refreshes").tag("result", "refreshed").counter().count()).isEqualTo(2);
	}

	@Test
	void onApplicationEventWhenSessionEndedThenCountedByReasonWithoutUser() {
		this.metrics.onApplicationEvent(new IdaasSessionEndedEvent("alice", "alice",
				IdaasSessionEndReason.SUBJECT_CHANGED, "IDAAS.STARTER.SUBJECT_CHANGED", Clock.systemUTC()));
		assertThat(this.registry.get("idaas.sessions.ended").tag("reason", "SUBJECT_CHANGED").counter().count())
			.isEqualTo(1);
		assertThat(this.registry.getMeters()).allSatisfy((meter) -> assertThat(meter.getId().getTags())
			.noneMatch((tag) -> tag.getValue().equals("alice")));
	}

	@Test
	void onApplicationEventWhenSessionEndedThenCountedByErrorCodeKeptOnlyWhenShapedLikeOne() {
		this.metrics.onApplicationEvent(new IdaasSessionEndedEvent("alice", "alice",
				IdaasSessionEndReason.VENDOR_REFUSED, "IDAAS.SDK.RISK.0001", Clock.systemUTC()));
		this.metrics.onApplicationEvent(new IdaasSessionEndedEvent("bob", "bob", IdaasSessionEndReason.VENDOR_REFUSED,
				"ACME-FROZEN-42", Clock.systemUTC()));
		this.metrics.onApplicationEvent(
				new IdaasSessionEndedEvent("carol", "carol", IdaasSessionEndReason.LOGOUT, null, Clock.systemUTC()));
		assertThat(this.registry.get("idaas.sessions.ended")
			.tag("reason", "VENDOR_REFUSED")
			.tag("error_code", "IDAAS.SDK.RISK.0001")
			.counter()
			.count()).isEqualTo(1);
		// an upstream cannot create one time series per made-up code
		assertThat(this.registry.get("idaas.sessions.ended")
			.tag("reason", "VENDOR_REFUSED")
			.tag("error_code", "other")
			.counter()
			.count()).isEqualTo(1);
		assertThat(this.registry.get("idaas.sessions.ended").tag("reason", "LOGOUT").tag("error_code", "none").counter()
			.count()).isEqualTo(1);
		assertThat(this.registry.find("idaas.sessions.ended").counters()).hasSize(3);
	}

	@Test
	void onApplicationEventWhenLoginFailsWithIdaasCodeThenCountedByCode() {
		IdaasAuthenticationException failure = new IdaasAuthenticationException("IDAAS.SDK.USER.0039", "User is disabled",
				IdaasErrorCategory.USER_DISABLED, null);
		this.metrics.onApplicationEvent(
				new AuthenticationFailureBadCredentialsEvent(new TestingAuthenticationToken("apple", ""), failure));
		this.metrics.onApplicationEvent(new AuthenticationFailureBadCredentialsEvent(
				new TestingAuthenticationToken("form", ""), new BadCredentialsException("not ours")));
		assertThat(this.registry.get("idaas.logins").tag("result", "IDAAS.SDK.USER.0039").counter().count())
			.isEqualTo(1);
		assertThat(this.registry.find("idaas.logins").counters()).hasSize(1);
	}

	@Test
	void onApplicationEventWhenSocialFlowRequiredThenCountedByBranch() {
		AppleAuthorizationCodeAuthenticationToken request = new AppleAuthorizationCodeAuthenticationToken("code-1",
				new DeviceContext("ios17", "device-12345678", null, "JUnit", null), null);
		IdaasSocialFlowRequiredException required = new IdaasSocialFlowRequiredException(
				new AppleLoginResult.PendingSocialFlow(SocialFlowBranch.USER_REGISTER, "state", List.of("VERIFY_EMAIL")),
				request);
		this.metrics.onApplicationEvent(new IdaasAuthenticationFailureEvent(request, required));
		assertThat(this.registry.get("idaas.logins").tag("result", "USER_REGISTER").counter().count()).isEqualTo(1);
	}

	@Test
	void onApplicationEventWhenFlowFinishFailsOrNeedsSecondFactorThenCountedWithFlowBranch() {
		IdaasSocialFlowAuthenticationToken finish = new IdaasSocialFlowAuthenticationToken(SocialFlowBranch.SOCIAL_BIND,
				"state", VerificationChannel.SMS, "+8613800000000", "123456",
				new DeviceContext("ios17", "device-12345678", null, "JUnit", null), "flow-1", null);
		this.metrics.onApplicationEvent(new IdaasAuthenticationFailureEvent(finish, new IdaasAuthenticationException(
				"IDAAS.SDK.CAPTCHA.0007", "Incorrect verification code", IdaasErrorCategory.INVALID_REQUEST, null)));
		this.metrics.onApplicationEvent(new IdaasAuthenticationFailureEvent(finish, new IdaasSocialFlowRequiredException(
				new AppleLoginResult.PendingSocialFlow(SocialFlowBranch.MFA_AUTH, "state-2", List.of()), finish)));
		assertThat(this.registry.get("idaas.logins").tags("result", "IDAAS.SDK.CAPTCHA.0007", "branch", "SOCIAL_BIND")
			.counter()
			.count()).isEqualTo(1);
		assertThat(this.registry.get("idaas.logins").tags("result", "MFA_AUTH", "branch", "SOCIAL_BIND")
			.counter()
			.count()).isEqualTo(1);
		assertThat(this.registry.find("idaas.logins").tag("branch", "APPLE").counters()).isEmpty();
	}

	@Test
	void onApplicationEventWhenSignedInThenCountedByBranchOfTheDetails() {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setAttribute(SocialFlowAuthenticationDetails.class.getName() + ".BRANCH", SocialFlowBranch.MFA_AUTH);
		IdaasAuthenticationToken afterMfa = signedIn();
		afterMfa.setDetails(new SocialFlowAuthenticationDetails(request));
		IdaasAuthenticationToken afterApple = signedIn();
		afterApple.setDetails(new WebAuthenticationDetails(new MockHttpServletRequest()));
		this.metrics.onApplicationEvent(new AuthenticationSuccessEvent(afterMfa));
		this.metrics.onApplicationEvent(new AuthenticationSuccessEvent(afterApple));
		this.metrics.onApplicationEvent(new AuthenticationSuccessEvent(signedIn()));
		assertThat(this.registry.get("idaas.logins").tags("result", "SUCCESS", "branch", "MFA_AUTH").counter().count())
			.isEqualTo(1);
		assertThat(this.registry.get("idaas.logins").tags("result", "SUCCESS", "branch", "APPLE").counter().count())
			.isEqualTo(2);
	}

	private static IdaasAuthenticationToken signedIn() {
		Instant now = Instant.now();
		OidcIdToken idToken = new OidcIdToken("id-token", now, now.plusSeconds(300), Map.of("sub", "alice"));
		DefaultOidcUser user = new DefaultOidcUser(List.of(), idToken);
		return new IdaasAuthenticationToken(user, List.of(),
				new IdaasSessionState("session", now.plusSeconds(3600), now, 0));
	}

	@Test
	void onApplicationEventWhenOtherAuthenticationSucceedsThenNotCounted() {
		this.metrics.onApplicationEvent(new AuthenticationSuccessEvent(new TestingAuthenticationToken("form", "")));
		assertThat(this.registry.find("idaas.logins").counters()).isEmpty();
	}

}

package dev.idaas.spring.web.flow;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.idaas.spring.client.SocialFlowBranch;
import dev.idaas.spring.client.VerificationChannel;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.AuthenticationManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The limit keys of a second-step flow (one client address is one key; no address is one shared
 * "unknown" key) and the flow authentication filter's own arguments.
 */
class SocialFlowsTests {

	private final PendingSocialFlow flow = new PendingSocialFlow(SocialFlowBranch.SOCIAL_BIND, "state-token",
			List.of("VERIFY_PHONE"), Instant.parse("2026-01-01T00:00:00Z"), null, "apple-subject", 0, null, 0, null,
			null, null, null);

	@Test
	void limitKeysWhenClientAddressKnownThenCountedPerAddress() {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setRemoteAddr("203.0.113.7");
		assertThat(SocialFlows.limitKeys(this.flow, "+8613800000001", request))
			.isEqualTo(VerificationLimitKeys.of("+8613800000001", "apple-subject", "203.0.113.7"));
	}

	@Test
	void limitKeysWhenClientAddressBlankThenOneSharedUnknownKey() {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setRemoteAddr(" ");
		assertThat(SocialFlows.limitKeys(this.flow, "+8613800000001", request))
			.isEqualTo(VerificationLimitKeys.of("+8613800000001", "apple-subject", "unknown"));
	}

	@Test
	void offeredWhenTenantListNamesNoKnownMethodThenBothElseTheKnownOnesSpelledAsTheStarterTakesThem() {
		List<String> both = List.of("VERIFY_PHONE", "VERIFY_EMAIL");
		assertThat(SocialFlows.offered(List.of())).isEqualTo(both);
		assertThat(SocialFlows.offered(List.of("VERIFY_WECHAT", " "))).isEqualTo(both);
		assertThat(SocialFlows.offered(List.of("VERIFY_WECHAT", " verify_email", "VERIFY_EMAIL")))
			.isEqualTo(List.of("VERIFY_EMAIL"));
		assertThat(SocialFlows.offered(List.of("VERIFY_EMAIL", "VERIFY_PHONE")))
			.isEqualTo(List.of("VERIFY_EMAIL", "VERIFY_PHONE"));
		PendingSocialFlow unknown = PendingSocialFlow.started(SocialFlowBranch.USER_REGISTER, "state-token", List.of(),
				Instant.parse("2026-01-01T00:00:00Z"), null, null);
		assertThat(unknown.flows()).isEqualTo(both);
		assertThatNoException().isThrownBy(() -> SocialFlows.requireAllowed(unknown, VerificationChannel.SMS));
		assertThatNoException().isThrownBy(() -> SocialFlows.requireAllowed(unknown, VerificationChannel.EMAIL));
		PendingSocialFlowView view = new PendingSocialFlowView(SocialFlowBranch.SOCIAL_BIND, List.of(" verify_phone"),
				Instant.parse("2026-01-01T00:10:00Z"), 5, Instant.parse("2026-01-01T00:00:00Z"), null);
		assertThat(view.allows("VERIFY_PHONE")).isTrue();
		assertThat(view.allows("VERIFY_EMAIL")).isFalse();
	}

	@Test
	void authenticationFilterWhenArgumentMissingThenIllegalArgument() {
		AuthenticationManager manager = (authentication) -> authentication;
		PendingSocialFlowRepository repository = new HttpSessionPendingSocialFlowRepository();
		InMemoryVerificationRateLimiter limiter = new InMemoryVerificationRateLimiter();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new IdaasSocialFlowAuthenticationFilter("/idaas/bind", "/idaas/register", "/idaas/mfa",
					manager, null, (request, response) -> null, limiter))
			.withMessage("pendingFlowRepository cannot be null");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new IdaasSocialFlowAuthenticationFilter("/idaas/bind", "/idaas/register", "/idaas/mfa",
					manager, repository, null, limiter))
			.withMessage("deviceContextResolver cannot be null");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new IdaasSocialFlowAuthenticationFilter("/idaas/bind", "/idaas/register", "/idaas/mfa",
					manager, repository, (request, response) -> null, null))
			.withMessage("rateLimiter cannot be null");
		IdaasSocialFlowAuthenticationFilter filter = new IdaasSocialFlowAuthenticationFilter("/idaas/bind",
				"/idaas/register", "/idaas/mfa", manager, repository, (request, response) -> null, limiter);
		assertThatIllegalArgumentException().isThrownBy(() -> filter.setMaxFailedAttempts(0))
			.withMessage("maxFailedAttempts must be at least 1");
		assertThatNoException().isThrownBy(() -> filter.setMaxFailedAttempts(1));
	}

}

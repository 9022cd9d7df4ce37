package dev.idaas.spring.web.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.authentication.IdaasSessionState;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link IdTokenRefreshSchedule}: pure time arithmetic on a fixed clock.
 */
class IdTokenRefreshScheduleTests {

	private static final Instant SIGNED_IN = Instant.parse("2026-01-01T00:00:00Z");

	private static final Instant EXP = SIGNED_IN.plusSeconds(300);

	private final IdTokenRefreshSchedule schedule = new IdTokenRefreshSchedule(
			Clock.fixed(SIGNED_IN, ZoneOffset.UTC), Duration.ofSeconds(60), Duration.ZERO, null);

	@Test
	void isExpiredWhenExactlyAtExpThenExpired() {
		IdaasAuthenticationToken token = token("session-token", SIGNED_IN, EXP);
		assertThat(this.schedule.isExpired(token, EXP.toEpochMilli())).isTrue();
		assertThat(this.schedule.isExpired(token, EXP.toEpochMilli() - 1)).isFalse();
		assertThat(this.schedule.isExpired(token, EXP.toEpochMilli() + 1)).isTrue();
	}

	@Test
	void isExpiredWhenNoAuthenticationThenIllegalArgument() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.schedule.isExpired(null, EXP.toEpochMilli()))
			.withMessage("authentication cannot be null");
	}

	@Test
	void refreshAtWhenNoJitterThenRefreshAheadBeforeExp() {
		IdaasAuthenticationToken token = token("session-token", SIGNED_IN, EXP);
		long refreshAt = EXP.minusSeconds(60).toEpochMilli();
		assertThat(this.schedule.refreshAt(token)).isEqualTo(refreshAt);
		assertThat(this.schedule.isDue(token, refreshAt)).isTrue();
		assertThat(this.schedule.isDue(token, refreshAt - 1)).isFalse();
	}

	@Test
	void refreshAtWhenShortLivedTokenThenAheadClampedToHalfLifetime() {
		// a 12 s token with 60 s refresh-ahead is refreshed after 6 s, not on every request
		IdaasAuthenticationToken token = token("session-token", SIGNED_IN, SIGNED_IN.plusSeconds(12));
		assertThat(this.schedule.refreshAt(token)).isEqualTo(SIGNED_IN.plusSeconds(6).toEpochMilli());
	}

	@Test
	void refreshAtWhenJitterThenWithinQuarterOfAheadAndStablePerSession() {
		IdTokenRefreshSchedule jittered = this.schedule.withRefreshJitter(Duration.ofSeconds(60));
		long earliest = EXP.minusSeconds(60).toEpochMilli();
		for (int i = 0; i < 200; i++) {
			IdaasAuthenticationToken token = token("session-token-" + i, SIGNED_IN, EXP);
			long refreshAt = jittered.refreshAt(token);
			// capped at a quarter of the effective refresh-ahead (15 s), not the configured 60 s
			assertThat(refreshAt).isBetween(earliest, earliest + 15_000 - 1);
			assertThat(jittered.refreshAt(token("session-token-" + i, SIGNED_IN, EXP))).isEqualTo(refreshAt);
		}
	}

	@Test
	void refreshAtWhenNoExpThenNever() {
		OidcIdToken idToken = OidcIdToken.withTokenValue("id-token").subject("alice").build();
		IdaasAuthenticationToken token = new IdaasAuthenticationToken(new DefaultOidcUser(List.of(), idToken),
				List.of(), state("session-token", SIGNED_IN.plusSeconds(3600)));
		assertThat(this.schedule.refreshAt(token)).isEqualTo(Long.MAX_VALUE);
		assertThat(this.schedule.isExpired(token, Long.MAX_VALUE - 1)).isFalse();
	}

	@Test
	void isSessionOverWhenExactlyAtSessionTokenExpiryThenOver() {
		IdaasSessionState state = state("session-token", SIGNED_IN.plusSeconds(3600));
		long expiry = SIGNED_IN.plusSeconds(3600).toEpochMilli();
		assertThat(this.schedule.isSessionOver(state, expiry - 1)).isFalse();
		assertThat(this.schedule.isSessionOver(state, expiry)).isTrue();
	}

	@Test
	void isSessionOverWhenAbsoluteTimeoutPassedThenOver() {
		IdTokenRefreshSchedule limited = this.schedule.withAbsoluteTimeout(Duration.ofMinutes(30));
		IdaasSessionState state = state("session-token", SIGNED_IN.plus(Duration.ofDays(5)));
		long limit = SIGNED_IN.plus(Duration.ofMinutes(30)).toEpochMilli();
		assertThat(limited.isSessionOver(state, limit - 1)).isFalse();
		assertThat(limited.isSessionOver(state, limit)).isTrue();
		assertThat(this.schedule.isSessionOver(state, limit)).isFalse();
	}

	@Test
	void nowWhenClockReplacedThenNewClock() {
		Instant later = SIGNED_IN.plusSeconds(42);
		assertThat(this.schedule.withClock(Clock.fixed(later, ZoneOffset.UTC)).now()).isEqualTo(later.toEpochMilli());
		assertThat(this.schedule.now()).isEqualTo(SIGNED_IN.toEpochMilli());
	}

	@Test
	void constructorWhenNegativeRefreshAheadThenException() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.schedule.withRefreshAhead(Duration.ofSeconds(-1)))
			.withMessage("refreshAhead cannot be negative");
	}

	private static IdaasAuthenticationToken token(String sessionToken, Instant iat, Instant exp) {
		OidcIdToken idToken = OidcIdToken.withTokenValue("id-token")
			.subject("alice")
			.issuedAt(iat)
			.expiresAt(exp)
			.build();
		return new IdaasAuthenticationToken(new DefaultOidcUser(List.of(), idToken), List.of(),
				state(sessionToken, SIGNED_IN.plusSeconds(3600)));
	}

	private static IdaasSessionState state(String sessionToken, Instant sessionTokenExpiresAt) {
		return new IdaasSessionState(sessionToken, sessionTokenExpiresAt, SIGNED_IN, 0);
	}

}

package dev.idaas.demo;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The silent id_token refresh: the profile page stays open and signed in while the starter
 * renews the short-lived (12 s) id_token with the session token.
 */
class IdTokenRefreshBrowserTests extends BrowserTestSupport {

	@Test
	void profileWhenIdTokenNearsExpiryThenRefreshedWhileSignedIn() {
		int refreshesBefore = this.embedded.simulator().refreshRequestCount();
		signInWithApple("Alice Existing");
		awaitPath("/");
		int countAtStart = Integer.parseInt(text("refresh-count"));
		String expiresAtStart = text("expires-at");
		await().atMost(Duration.ofSeconds(40))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> Integer.parseInt(text("refresh-count")) >= countAtStart + 2);
		// still the same page, still signed in, with a later id_token
		assertThat(path()).isEqualTo("/");
		assertThat(text("claim-sub")).isEqualTo("alice");
		assertThat(text("expires-at")).isNotEqualTo(expiresAtStart);
		assertThat(this.embedded.simulator().refreshRequestCount()).isGreaterThanOrEqualTo(refreshesBefore + 2);
		screenshot("profile-refreshed");
	}

}

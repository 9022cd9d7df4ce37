package dev.idaas.demo;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;

import dev.idaas.spring.web.apple.AppleAuthorizationStateCookieRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signing in with Apple, cancelling at Apple, signing out, and the session cookie, in a real
 * browser.
 */
class SignInBrowserTests extends BrowserTestSupport {

	@Test
	void signInWhenExistingUserThenProfileShowsClaims() {
		open("/login");
		screenshot("login");
		signInWithApple("Alice Existing");
		awaitPath("/");
		assertThat(text("claim-sub")).isEqualTo("alice");
		assertThat(text("claim-name")).isEqualTo("Alice Existing");
		assertThat(text("claim-email")).isEqualTo("alice@example.com");
		assertThat(text("claim-mobile")).isEqualTo("+8613800000001");
		assertThat(text("claim-id")).isEqualTo("1000000000001");
		assertThat(text("refresh-count")).matches("\\d+");
		assertThat(Integer.parseInt(text("expires-in"))).isBetween(0, 12);
		// no token of any kind on the page
		assertThat(this.driver.getPageSource()).doesNotContain("eyJ");
		screenshot("profile");
		assertThat(consoleErrors()).noneMatch((message) -> message.contains("Content Security Policy"));
	}

	@Test
	void signInWhenSignedInThenSessionCookieIsHttpOnlyAndSameSiteLax() {
		signInWithApple("Alice Existing");
		awaitPath("/");
		Cookie session = this.driver.manage().getCookieNamed("JSESSIONID");
		assertThat(session).isNotNull();
		assertThat(session.isHttpOnly()).isTrue();
		assertThat(session.getSameSite()).isEqualTo("Lax");
		// the single-use Apple state cookie is gone
		assertThat(this.driver.manage().getCookieNamed(AppleAuthorizationStateCookieRepository.DEFAULT_COOKIE_NAME)).isNull();
	}

	@Test
	void cancelAtAppleThenBackOnSignInPage() {
		signInWithApple("Cancel");
		awaitPath("/login");
		assertThat(find("sign-in-with-apple").isDisplayed()).isTrue();
		assertThat(this.driver.findElements(By.id("error"))).isEmpty();
		screenshot("login-cancelled");
	}

	@Test
	void signOutThenProtectedPageSendsToSignIn() {
		signInWithApple("Alice Existing");
		awaitPath("/");
		find("sign-out").click();
		awaitPath("/login");
		assertThat(this.driver.getCurrentUrl()).endsWith("/login?logout");
		assertThat(text("logout")).isEqualTo("You have signed out.");
		screenshot("login-signed-out");
		open("/");
		awaitPath("/login");
		assertThat(find("sign-in-with-apple").isDisplayed()).isTrue();
		assertThat(this.driver.findElements(By.id("claim-sub"))).isEmpty();
	}

	@Test
	void signInWhenDeniedThenLocalizedErrorWithCode() {
		signInWithApple("Erin Denied");
		awaitPath("/login");
		assertThat(text("error-code")).isEqualTo("IDAAS.STARTER.ACCESS_DENIED");
		assertThat(text("error-text")).isEqualTo("Access denied");
	}

}

package dev.idaas.demo;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;

import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.RecordedIdaasRequest;
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
	void signInWithAppleTwiceThenIdaasSeesOneFingerprintAndTheDeviceCookieIsKept() {
		IdaasSimulator idaas = this.embedded.simulator();
		int before = idaas.recordedRequests().size();
		signInWithApple("Alice Existing");
		awaitPath("/");
		Cookie device = this.driver.manage().getCookieNamed("IDAAS_DEVICE");
		assertThat(device).isNotNull();
		assertThat(device.isHttpOnly()).isTrue();
		assertThat(device.getSameSite()).isEqualTo("Lax");
		find("sign-out").click();
		awaitPath("/login");
		// Apple's callback is a cross-site POST: the browser does not send its Lax device cookie
		signInWithApple("Alice Existing");
		awaitPath("/");
		assertThat(this.driver.manage().getCookieNamed("IDAAS_DEVICE").getValue()).isEqualTo(device.getValue());
		List<RecordedIdaasRequest> requests = idaas.recordedRequests();
		List<RecordedIdaasRequest> ours = requests.subList(before, requests.size());
		assertThat(ours).filteredOn((request) -> request.path().equals(IdaasSimulator.LOGIN_PATH))
			.hasSize(2)
			.extracting((request) -> request.header("X-device-fingerprint"))
			.containsExactly(device.getValue(), device.getValue());
		// and every other call made for this browser (refresh, sign-out) presents it too
		assertThat(ours).filteredOn((request) -> request.header("X-device-fingerprint") != null)
			.extracting((request) -> request.header("X-device-fingerprint"))
			.containsOnly(device.getValue());
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

package dev.idaas.demo;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bind (SOCIAL_BIND) and register (USER_REGISTER) branches, finished in the browser with
 * the simulator's verification code.
 */
class SocialFlowBrowserTests extends BrowserTestSupport {

	static final String CODE = "123456";

	@Test
	void bindWhenPhoneVerifiedThenSignedInAsExistingAccount() {
		signInWithApple("Bob Binder");
		awaitPath("/idaas/bind");
		screenshot("bind");
		find("method-phone").click();
		find("send-target").sendKeys("+8613800000002");
		find("send-code").click();
		waiting().until((d) -> this.embedded.simulator()
			.sentVerificationCodes()
			.stream()
			.anyMatch((sent) -> "+8613800000002".equals(sent.recipient())));
		awaitPath("/idaas/bind");
		assertThat(find("verify-target").getAttribute("value")).isEqualTo("+8613800000002");
		find("verify-code").sendKeys(CODE);
		screenshot("bind-code-sent");
		find("verify").click();
		awaitPath("/");
		assertThat(text("claim-sub")).isEqualTo("bob");
		assertThat(text("claim-mobile")).isEqualTo("+8613800000002");
	}

	@Test
	void registerWhenEmailVerifiedThenSignedInAsNewAccount() {
		signInWithApple("Carol Newcomer");
		awaitPath("/idaas/register");
		screenshot("register");
		find("method-email").click();
		find("send-target").sendKeys("carol.new@example.com");
		find("send-code").click();
		waiting().until((d) -> this.embedded.simulator()
			.sentVerificationCodes()
			.stream()
			.anyMatch((sent) -> "carol.new@example.com".equals(sent.recipient())));
		awaitPath("/idaas/register");
		find("verify-code").sendKeys(CODE);
		find("verify").click();
		awaitPath("/");
		assertThat(text("claim-email")).isEqualTo("carol.new@example.com");
		assertThat(text("claim-name")).isEqualTo("Carol Newcomer");
	}

	@Test
	void bindPageWhenNoPendingFlowThenSaysSo() {
		open("/idaas/bind");
		assertThat(find("no-pending-flow").getText()).contains("There is no pending bind or registration");
		screenshot("no-pending-flow");
		find("back-to-sign-in").click();
		awaitPath("/login");
	}

}

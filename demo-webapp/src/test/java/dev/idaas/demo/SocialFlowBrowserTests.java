package dev.idaas.demo;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bind (SOCIAL_BIND) and register (USER_REGISTER) branches, finished in the browser with
 * the simulator's verification code.
 */
class SocialFlowBrowserTests extends BrowserTestSupport {

	static final String CODE = "123456";

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
	void bindWhenPhoneVerifiedThenSignedInAsExistingAccount() {
		// Bob's Apple ID is bound at the end, so the whole bind story is one test
		signInWithApple("Bob Binder");
		awaitPath("/idaas/bind");
		screenshot("bind");
		find("lang-zh").click();
		waiting().until((d) -> "zh".equals(d.findElement(By.tagName("html")).getAttribute("lang")));
		find("method-phone").click();
		find("send-target").sendKeys("+8613800000002");
		find("send-code").click();
		waiting().until((d) -> this.driver.getCurrentUrl().endsWith("/idaas/bind?sent"));
		assertThat(this.embedded.simulator().sentVerificationCodes())
			.anyMatch((sent) -> "+8613800000002".equals(sent.recipient()));
		assertThat(find("verify-target").getAttribute("value")).isEqualTo("+8613800000002");
		screenshot("bind-code-sent-zh");
		assertThat(text("sent")).isEqualTo("验证码已发送,请在下方输入。");
		find("verify-code").sendKeys("000000");
		find("verify").click();
		waiting().until((d) -> this.driver.getCurrentUrl().contains("/idaas/bind?error"));
		assertThat(text("error-code")).isEqualTo("IDAAS.SDK.PARAM.0017");
		assertThat(text("error-text")).isEqualTo("验证码错误或已过期");
		screenshot("bind-error-zh");
		// still pending: the right code binds and signs Bob in to his existing account
		assertThat(find("verify-target").getAttribute("value")).isEqualTo("+8613800000002");
		find("verify-code").sendKeys(CODE);
		find("verify").click();
		awaitPath("/");
		assertThat(text("claim-sub")).isEqualTo("bob");
		assertThat(text("claim-mobile")).isEqualTo("+8613800000002");
		assertThat(text("claim-id")).isEqualTo("1000000000002");
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

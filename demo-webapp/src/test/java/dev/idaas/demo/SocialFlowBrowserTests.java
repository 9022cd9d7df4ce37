package dev.idaas.demo;

import dev.idaas.spring.test.simulator.IdaasSimulator;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bind (SOCIAL_BIND), register (USER_REGISTER) and second-factor (MFA_AUTH) branches on the
 * demo's own pages, finished in the browser: the slider piece is dragged with the mouse to the
 * simulator's solution, the code is sent, then the simulator's verification code signs the user in.
 */
class SocialFlowBrowserTests extends BrowserTestSupport {

	static final String CODE = "123456";

	@Test
	void registerWhenEmailVerifiedThenSignedInAsNewAccount() {
		signInWithApple("Carol Newcomer");
		awaitPath("/idaas/register");
		find("method-email").click();
		find("send-target").sendKeys("carol.new@example.com");
		assertThat(find("send-code").isEnabled()).isFalse();
		solveSlider();
		screenshot("register");
		find("send-code").click();
		waiting().until((d) -> this.driver.getCurrentUrl().endsWith("/idaas/register?sent"));
		assertThat(this.embedded.simulator().sentVerificationCodes())
			.anyMatch((sent) -> "carol.new@example.com".equals(sent.recipient()));
		find("verify-code").sendKeys(CODE);
		find("verify").click();
		awaitPath("/");
		assertThat(text("claim-email")).isEqualTo("carol.new@example.com");
		assertThat(text("claim-name")).isEqualTo("Carol Newcomer");
		assertThat(consoleErrors()).isEmpty();
	}

	@Test
	void bindWhenPhoneVerifiedInChineseThenSignedInAsExistingAccount() {
		// Bob's Apple ID is bound at the end, so the whole bind story is one test
		signInWithApple("Bob Binder");
		awaitPath("/idaas/bind");
		screenshot("bind");
		find("lang-zh").click();
		waiting().until((d) -> "zh".equals(d.findElement(By.tagName("html")).getAttribute("lang")));
		find("method-phone").click();
		find("send-target").sendKeys("+8613800000002");
		waiting().until((d) -> "拖动拼图块,填入缺口".equals(d.findElement(By.className("idaas-slider-status")).getText()));
		// a slide far from the notch: no code is sent and a new puzzle is needed
		int solution = this.embedded.simulator().captchaSolutionX();
		slide(find("slider").findElement(By.className("idaas-slider-handle")), (solution > 150) ? solution - 50 : solution + 50);
		find("send-code").click();
		waiting().until((d) -> this.driver.getCurrentUrl().contains("/idaas/bind?error"));
		assertThat(text("error-code")).isEqualTo("IDAAS.SDK.CAPTCHA.0002");
		assertThat(this.embedded.simulator().sentVerificationCodes())
			.noneMatch((sent) -> "+8613800000002".equals(sent.recipient()));
		// the page fetched another puzzle and kept the number: solved, the code goes out
		assertThat(find("send-target").getDomProperty("value")).isEqualTo("+8613800000002");
		solveSlider();
		find("send-code").click();
		waiting().until((d) -> this.driver.getCurrentUrl().endsWith("/idaas/bind?sent"));
		assertThat(this.embedded.simulator().sentVerificationCodes())
			.filteredOn((sent) -> "+8613800000002".equals(sent.recipient()))
			.hasSize(1);
		assertThat(find("verify-target").getAttribute("value")).isEqualTo("+8613800000002");
		screenshot("bind-code-sent-zh");
		assertThat(text("sent")).isEqualTo("验证码已发送,请在下方输入。");
		find("verify-code").sendKeys("000000");
		find("verify").click();
		waiting().until((d) -> this.driver.getCurrentUrl().contains("/idaas/bind?error"));
		assertThat(text("error-code")).isEqualTo("IDAAS.SDK.CAPTCHA.0007");
		assertThat(text("error-text")).isEqualTo("验证码错误");
		screenshot("bind-error-zh");
		// a refusal with a code the starter does not know: the vendor's own words (already in the
		// user's language), kept in the session, not in the URL, and shown once
		waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".idaas-slider-ready")));
		int binds = this.embedded.simulator().requestCount(IdaasSimulator.BIND_PATH);
		this.embedded.simulator().failNextWith(400, "IDAAS.SDK.BIND-0999", "该手机号<b>暂时</b>无法绑定,请联系客服");
		find("verify-code").sendKeys(CODE);
		find("verify").click();
		waiting().until((d) -> d.getCurrentUrl().endsWith("/idaas/bind?error&code=IDAAS.SDK.BIND-0999"));
		assertThat(this.embedded.simulator().requestCount(IdaasSimulator.BIND_PATH)).isEqualTo(binds + 1);
		assertThat(text("error-code")).isEqualTo("IDAAS.SDK.BIND-0999");
		assertThat(text("error-text")).isEqualTo("该手机号<b>暂时</b>无法绑定,请联系客服");
		assertThat(find("error").findElements(By.tagName("b"))).as("escaped, not markup").isEmpty();
		screenshot("bind-vendor-error-zh");
		this.driver.navigate().refresh();
		waiting().until((d) -> "身份服务错误 IDAAS.SDK.BIND-0999".equals(text("error-text")));
		assertThat(text("error-code")).isEqualTo("IDAAS.SDK.BIND-0999");
		// still pending: the right code binds and signs Bob in to his existing account
		assertThat(find("verify-target").getAttribute("value")).isEqualTo("+8613800000002");
		find("verify-code").sendKeys(CODE);
		find("verify").click();
		awaitPath("/");
		assertThat(text("claim-sub")).isEqualTo("bob");
		assertThat(text("claim-mobile")).isEqualTo("+8613800000002");
		assertThat(text("claim-id")).isEqualTo("1000000000002");
		assertThat(consoleErrors()).isEmpty();
	}

	@Test
	void mfaWhenCodeToNumberOnFileThenSignedIn() {
		signInWithApple("Frank Factor");
		awaitPath("/idaas/mfa");
		assertThat(text("mfa-target")).isEqualTo("The code goes to +86*******0006");
		assertThat(this.driver.findElements(By.name("target"))).isEmpty();
		solveSlider();
		screenshot("mfa");
		find("send-code").click();
		waiting().until((d) -> this.driver.getCurrentUrl().endsWith("/idaas/mfa?sent"));
		assertThat(this.embedded.simulator().sentVerificationCodes())
			.anyMatch((sent) -> "+8613800000006".equals(sent.recipient()));
		find("verify-code").sendKeys(CODE);
		find("verify").click();
		awaitPath("/");
		assertThat(text("claim-sub")).isEqualTo("frank");
		assertThat(consoleErrors()).isEmpty();
	}

	@Test
	void mfaWhenChineseThenChinesePageAndSignedIn() {
		signInWithApple("Frank Factor");
		awaitPath("/idaas/mfa");
		find("lang-zh").click();
		waiting().until((d) -> "zh".equals(d.findElement(By.tagName("html")).getAttribute("lang")));
		assertThat(text("mfa-target")).isEqualTo("验证码将发送至 +86*******0006");
		solveSlider();
		assertThat(find("slider").getText()).contains("完成,现在可以发送验证码。");
		screenshot("mfa-zh");
		find("send-code").click();
		waiting().until((d) -> this.driver.getCurrentUrl().endsWith("/idaas/mfa?sent"));
		find("verify-code").sendKeys(CODE);
		find("verify").click();
		awaitPath("/");
		assertThat(text("claim-sub")).isEqualTo("frank");
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

package dev.idaas.demo;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import dev.idaas.onedependency.OneDependencyApplication;

import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's default register and second-factor pages in Chinese (the browser asks for
 * {@code zh-CN}), in an application with the starter only.
 */
@SpringBootTest(classes = OneDependencyApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "demo.simulator.id-token-ttl=12s" })
class DefaultPagesChineseBrowserTests extends BrowserTestSupport {

	static final String CODE = "123456";

	@Override
	String acceptLanguage() {
		return "zh-CN,zh";
	}

	void signInOnDefaultLoginPage(String displayName) {
		open("/login");
		waiting().until(ExpectedConditions.elementToBeClickable(By.cssSelector("a.apple"))).click();
		waiting().until(ExpectedConditions
			.elementToBeClickable(By.xpath("//button[normalize-space()='" + displayName + "']")))
			.click();
	}

	@Test
	void registerWhenEmailVerifiedThenSignedInAsNewAccount() {
		signInOnDefaultLoginPage("Carol Newcomer");
		awaitPath("/idaas/register");
		assertThat(this.driver.findElement(By.tagName("html")).getDomAttribute("lang")).isEqualTo("zh");
		assertThat(this.driver.findElement(By.tagName("h1")).getText()).isEqualTo("创建账号");
		find("idaas-method-VERIFY_EMAIL").click();
		find("idaas-target").sendKeys("carol.zh@example.com");
		waiting().until((d) -> "拖动拼图块，填入缺口"
			.equals(d.findElement(By.className("idaas-slider-status")).getText()));
		solveSlider();
		assertThat(find("idaas-slider").getText()).contains("完成，现在可以发送验证码。");
		screenshot("default-register-zh");
		find("idaas-send-code").click();
		waiting().until((d) -> d.getCurrentUrl().endsWith("/idaas/register?sent"));
		assertThat(text("idaas-sent")).isEqualTo("验证码已发送，请在下方输入。");
		assertThat(this.embedded.simulator().sentVerificationCodes())
			.anyMatch((sent) -> "carol.zh@example.com".equals(sent.recipient()));
		find("idaas-verify-code").sendKeys("000000");
		find("idaas-verify").click();
		waiting().until((d) -> d.getCurrentUrl().contains("/idaas/register?error"));
		assertThat(text("idaas-error")).startsWith("验证码错误");
		assertThat(text("idaas-error-code")).isEqualTo("IDAAS.SDK.CAPTCHA.0007");
		// method and target were kept for the second try
		find("idaas-verify-code").sendKeys(CODE);
		find("idaas-verify").click();
		awaitPath("/");
		// a new account: the tenant chose its subject
		assertThat(this.driver.findElement(By.tagName("body")).getText()).matches("Hello Carol Newcomer \\([a-z0-9_]+\\)");
		// the one-dependency app has no favicon
		assertThat(consoleErrors()).allMatch((error) -> error.contains("/favicon.ico"));
	}

	@Test
	void mfaWhenChineseThenSignedIn() {
		signInOnDefaultLoginPage("Frank Factor");
		awaitPath("/idaas/mfa");
		assertThat(this.driver.findElement(By.tagName("h1")).getText()).isEqualTo("确认是您本人");
		assertThat(text("idaas-mfa-target")).isEqualTo("验证码将发送至 +86*******0006");
		solveSlider();
		screenshot("default-mfa-zh");
		find("idaas-send-code").click();
		waiting().until((d) -> d.getCurrentUrl().endsWith("/idaas/mfa?sent"));
		find("idaas-verify-code").sendKeys(CODE);
		find("idaas-verify").click();
		awaitPath("/");
		assertThat(this.driver.findElement(By.tagName("body")).getText()).isEqualTo("Hello Frank Factor (frank)");
	}

}

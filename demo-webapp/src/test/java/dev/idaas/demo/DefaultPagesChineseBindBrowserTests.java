package dev.idaas.demo;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import dev.idaas.onedependency.OneDependencyApplication;

import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's default bind page in Chinese ({@link DefaultPagesBrowserTests} binds in
 * English), in an application with the starter only. A context of its own, so Bob is still
 * unknown to its simulator.
 */
@SpringBootTest(classes = OneDependencyApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "demo.simulator.id-token-ttl=13s" })
class DefaultPagesChineseBindBrowserTests extends BrowserTestSupport {

	@Override
	String acceptLanguage() {
		return "zh-CN,zh";
	}

	@Test
	void bindWhenPhoneVerifiedInChineseThenSignedInAsExistingAccount() {
		open("/login");
		waiting().until(ExpectedConditions.elementToBeClickable(By.cssSelector("a.apple"))).click();
		waiting().until(ExpectedConditions.elementToBeClickable(By.xpath("//button[normalize-space()='Bob Binder']")))
			.click();
		awaitPath("/idaas/bind");
		assertThat(this.driver.findElement(By.tagName("html")).getDomAttribute("lang")).isEqualTo("zh");
		find("idaas-method-VERIFY_PHONE").click();
		find("idaas-target").sendKeys("+8613800000002");
		waiting().until((d) -> "拖动拼图块，填入缺口"
			.equals(d.findElement(By.className("idaas-slider-status")).getText()));
		solveSlider();
		screenshot("default-bind-zh");
		find("idaas-send-code").click();
		waiting().until((d) -> d.getCurrentUrl().endsWith("/idaas/bind?sent"));
		assertThat(text("idaas-sent")).isEqualTo("验证码已发送，请在下方输入。");
		find("idaas-verify-code").sendKeys(DefaultPagesChineseBrowserTests.CODE);
		find("idaas-verify").click();
		awaitPath("/");
		assertThat(this.driver.findElement(By.tagName("body")).getText()).isEqualTo("Hello Bob Binder (bob)");
	}

}

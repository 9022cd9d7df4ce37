package dev.idaas.demo;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import dev.idaas.onedependency.OneDependencyApplication;

import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's default register page in English ({@link DefaultPagesChineseBrowserTests}
 * registers in Chinese), in an application with the starter only. A context of its own, so
 * Carol is still unknown to its simulator.
 */
@SpringBootTest(classes = OneDependencyApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "demo.simulator.id-token-ttl=14s" })
class DefaultPagesEnglishRegisterBrowserTests extends BrowserTestSupport {

	@Test
	void registerWhenEmailVerifiedInEnglishThenSignedInAsNewAccount() {
		open("/login");
		waiting().until(ExpectedConditions.elementToBeClickable(By.cssSelector("a.apple"))).click();
		waiting().until(
				ExpectedConditions.elementToBeClickable(By.xpath("//button[normalize-space()='Carol Newcomer']")))
			.click();
		awaitPath("/idaas/register");
		assertThat(this.driver.findElement(By.tagName("html")).getDomAttribute("lang")).isEqualTo("en");
		find("idaas-method-VERIFY_EMAIL").click();
		find("idaas-target").sendKeys("carol.en@example.com");
		solveSlider();
		screenshot("default-register-en");
		find("idaas-send-code").click();
		waiting().until((d) -> d.getCurrentUrl().endsWith("/idaas/register?sent"));
		assertThat(text("idaas-sent")).isEqualTo("A code was sent. Enter it below.");
		assertThat(this.embedded.simulator().sentVerificationCodes())
			.anyMatch((sent) -> "carol.en@example.com".equals(sent.recipient()));
		find("idaas-verify-code").sendKeys(DefaultPagesChineseBrowserTests.CODE);
		find("idaas-verify").click();
		awaitPath("/");
		assertThat(this.driver.findElement(By.tagName("body")).getText()).matches("Hello Carol Newcomer \\([a-z0-9_]+\\)");
	}

}

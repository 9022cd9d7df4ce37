package dev.idaas.demo;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.support.ui.ExpectedConditions;

import dev.idaas.onedependency.OneDependencyApplication;

import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's default bind, register and second-factor pages in an application with the
 * starter only ({@link OneDependencyApplication}), in English: the slider piece is dragged with
 * the mouse, the code is sent, the simulator's code signs the user in.
 */
@SpringBootTest(classes = OneDependencyApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "demo.simulator.id-token-ttl=12s" })
class DefaultPagesBrowserTests extends BrowserTestSupport {

	static final String CODE = "123456";

	/**
	 * From the starter's login page to the simulated Apple page, where the person is chosen.
	 */
	void signInOnDefaultLoginPage(String displayName) {
		open("/login");
		waiting().until(ExpectedConditions.elementToBeClickable(By.cssSelector("a.apple"))).click();
		waiting().until(ExpectedConditions
			.elementToBeClickable(By.xpath("//button[normalize-space()='" + displayName + "']")))
			.click();
	}

	@Test
	void bindWhenSlideFailsThenNewPuzzleThenSignedIn() {
		signInOnDefaultLoginPage("Bob Binder");
		awaitPath("/idaas/bind");
		assertThat(text("idaas-bind-page")).startsWith("Link your Apple ID");
		find("idaas-method-VERIFY_PHONE").click();
		find("idaas-target").sendKeys("+8613800000002");
		assertThat(find("idaas-send-code").isEnabled()).isFalse();
		// far from the notch: refused, nothing sent
		waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".idaas-slider-ready")));
		int solution = this.embedded.simulator().captchaSolutionX();
		slide(find("idaas-slider").findElement(By.className("idaas-slider-handle")),
				(solution > 150) ? solution - 50 : solution + 50);
		find("idaas-send-code").click();
		waiting().until((d) -> d.getCurrentUrl().contains("/idaas/bind?error"));
		assertThat(text("idaas-error-code")).isEqualTo("IDAAS.SDK.CAPTCHA.0002");
		assertThat(text("idaas-error")).startsWith("Graphic verification code verification failed");
		assertThat(this.embedded.simulator().sentVerificationCodes())
			.noneMatch((sent) -> "+8613800000002".equals(sent.recipient()));
		// a new puzzle on the reloaded page; the number was kept
		assertThat(find("idaas-target").getDomProperty("value")).isEqualTo("+8613800000002");
		solveSlider();
		screenshot("default-bind");
		find("idaas-send-code").click();
		waiting().until((d) -> d.getCurrentUrl().endsWith("/idaas/bind?sent"));
		assertThat(text("idaas-sent")).isEqualTo("A code was sent. Enter it below.");
		assertThat(this.embedded.simulator().sentVerificationCodes())
			.filteredOn((sent) -> "+8613800000002".equals(sent.recipient()))
			.hasSize(1);
		find("idaas-verify-code").sendKeys(CODE);
		find("idaas-verify").click();
		awaitPath("/");
		assertThat(this.driver.findElement(By.tagName("body")).getText()).isEqualTo("Hello Bob Binder (bob)");
		// the one-dependency app has no favicon
		assertThat(consoleErrors()).allMatch((error) -> error.contains("/favicon.ico"));
	}

	@Test
	void mfaWhenNarrowScreenThenSlideScaledAndSignedIn() {
		this.driver.manage().window().setSize(new Dimension(360, 800));
		try {
			signInOnDefaultLoginPage("Frank Factor");
			awaitPath("/idaas/mfa");
			assertThat(text("idaas-mfa-target")).isEqualTo("The code goes to +86*******0006");
			assertThat(this.driver.findElements(By.name("target"))).isEmpty();
			waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".idaas-slider-ready")));
			// the puzzle is shown smaller than its 310 pixels: the script converts the drop back
			Number width = (Number) ((org.openqa.selenium.JavascriptExecutor) this.driver)
				.executeScript("return document.querySelector('.idaas-slider-stage').clientWidth;");
			assertThat(width.intValue()).isLessThan(300);
			solveSlider();
			screenshot("default-mfa-narrow");
			find("idaas-send-code").click();
			waiting().until((d) -> d.getCurrentUrl().endsWith("/idaas/mfa?sent"));
			assertThat(this.embedded.simulator().sentVerificationCodes())
				.anyMatch((sent) -> "+8613800000006".equals(sent.recipient()));
			find("idaas-verify-code").sendKeys(CODE);
			find("idaas-verify").click();
			awaitPath("/");
			assertThat(this.driver.findElement(By.tagName("body")).getText()).isEqualTo("Hello Frank Factor (frank)");
		}
		finally {
			this.driver.manage().window().setSize(new Dimension(1100, 900));
		}
	}

	@Test
	void mfaPageWhenNoPendingFlowThenLinkToSignIn() {
		open("/idaas/mfa");
		assertThat(text("idaas-no-pending-flow")).startsWith("There is no verification in progress");
		screenshot("default-no-pending-flow");
		find("idaas-sign-in").click();
		awaitPath("/login");
	}

}

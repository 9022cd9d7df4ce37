package dev.idaas.demo;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bind in English and register in Chinese on the demo's own pages ({@link SocialFlowBrowserTests}
 * does the other language of each). A context of its own (another id_token lifetime), so Bob and
 * Carol are still unknown to its simulator.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "demo.simulator.id-token-ttl=13s", "demo.profile.poll-interval=1s" })
class SocialFlowOtherLanguageBrowserTests extends BrowserTestSupport {

	static final String CODE = "123456";

	@Test
	void bindWhenPhoneVerifiedInEnglishThenSignedInAsExistingAccount() {
		signInWithApple("Bob Binder");
		awaitPath("/idaas/bind");
		assertThat(this.driver.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");
		find("method-phone").click();
		find("send-target").sendKeys("+8613800000002");
		assertThat(find("send-code").isEnabled()).isFalse();
		solveSlider();
		find("send-code").click();
		waiting().until((d) -> this.driver.getCurrentUrl().endsWith("/idaas/bind?sent"));
		assertThat(text("sent")).isEqualTo("A code was sent. Enter it below.");
		assertThat(this.embedded.simulator().sentVerificationCodes())
			.filteredOn((sent) -> "+8613800000002".equals(sent.recipient()))
			.hasSize(1);
		find("verify-code").sendKeys(CODE);
		find("verify").click();
		awaitPath("/");
		assertThat(text("claim-sub")).isEqualTo("bob");
		assertThat(text("claim-mobile")).isEqualTo("+8613800000002");
		assertThat(consoleErrors()).isEmpty();
	}

	@Test
	void registerWhenEmailVerifiedInChineseThenSignedInAsNewAccount() {
		signInWithApple("Carol Newcomer");
		awaitPath("/idaas/register");
		find("lang-zh").click();
		waiting().until((d) -> "zh".equals(d.findElement(By.tagName("html")).getAttribute("lang")));
		find("method-email").click();
		find("send-target").sendKeys("carol.zh@example.com");
		solveSlider();
		assertThat(find("slider").getText()).contains("完成,现在可以发送验证码。");
		find("send-code").click();
		waiting().until((d) -> this.driver.getCurrentUrl().endsWith("/idaas/register?sent"));
		assertThat(text("sent")).isEqualTo("验证码已发送,请在下方输入。");
		assertThat(this.embedded.simulator().sentVerificationCodes())
			.anyMatch((sent) -> "carol.zh@example.com".equals(sent.recipient()));
		find("verify-code").sendKeys(CODE);
		find("verify").click();
		awaitPath("/");
		assertThat(text("claim-email")).isEqualTo("carol.zh@example.com");
		assertThat(consoleErrors()).isEmpty();
	}

}

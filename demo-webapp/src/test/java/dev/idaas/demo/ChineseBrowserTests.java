package dev.idaas.demo;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pages in Chinese for a browser that asks for it ({@code Accept-Language: zh-CN}), and the
 * language switch.
 */
class ChineseBrowserTests extends BrowserTestSupport {

	@Override
	String acceptLanguage() {
		return "zh-CN,zh";
	}

	@Test
	void signInWhenUserDisabledThenChineseErrorWithCode() {
		signInWithApple("Dave Disabled");
		awaitPath("/login");
		assertThat(text("error-code")).isEqualTo("IDAAS.SDK.USER.0039");
		assertThat(text("error-text")).isEqualTo("用户已被禁用");
		assertThat(find("error").getText()).contains("登录失败");
		assertThat(this.driver.findElement(By.tagName("html")).getAttribute("lang"))
			.isEqualTo("zh");
		screenshot("login-error-zh");
		// the switch keeps the page and its error, in English
		find("lang-en").click();
		waiting().until((d) -> "User is disabled".equals(text("error-text")));
		assertThat(text("error-code")).isEqualTo("IDAAS.SDK.USER.0039");
		screenshot("login-error-en");
	}

	@Test
	void profileWhenSignedInThenChineseLabels() {
		signInWithApple("Alice Existing");
		awaitPath("/");
		assertThat(find("sign-out").getText()).isEqualTo("退出登录");
		assertThat(text("claim-sub")).isEqualTo("alice");
		screenshot("profile-zh");
	}

}

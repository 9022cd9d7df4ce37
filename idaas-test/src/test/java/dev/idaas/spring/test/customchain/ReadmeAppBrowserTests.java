package dev.idaas.spring.test.customchain;

import java.net.URI;
import java.time.Duration;

import dev.idaas.demo.HeadlessChromium;
import dev.idaas.spring.test.context.IdaasSimulatorDevelopmentConfiguration;
import dev.idaas.spring.test.example.MyApp;
import dev.idaas.spring.test.simulator.IdaasSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's application assembled only from the README's pieces, in headless Chromium: its
 * {@link MyApp} with the custom chain ({@link SecurityConfiguration}) instead of the starter's
 * default one, run the way {@code TestMyApp} runs it (from its {@code main}, on the
 * {@link IdaasSimulatorDevelopmentConfiguration simulator}), on a random port in Tomcat. The app
 * is browsed on {@code localhost} and the simulated Apple page is on {@code 127.0.0.1}, so
 * Apple's callback is a real cross-site {@code POST} with the browser's own cookie rules.
 * <p>
 * Without Chromium the tests are skipped with the reason, unless
 * {@code IDAAS_REQUIRE_BROWSER=true}, when they fail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadmeAppBrowserTests {

	private ConfigurableApplicationContext context;

	private IdaasSimulator simulator;

	private URI app;

	private WebDriver driver;

	@BeforeAll
	void start() {
		this.driver = HeadlessChromium.start("en-US,en");
		// TestMyApp, with the README's SecurityConfiguration beside MyApp
		this.context = SpringApplication.from(MyApp::main)
			.with(IdaasSimulatorDevelopmentConfiguration.class, SecurityConfiguration.class)
			.run("--server.port=0")
			.getApplicationContext();
		this.simulator = this.context.getBean(IdaasSimulator.class);
		this.app = URI.create("http://localhost:" + this.context.getEnvironment().getProperty("local.server.port"));
	}

	@AfterAll
	void stop() {
		if (this.driver != null) {
			this.driver.quit();
		}
		if (this.context != null) {
			this.context.close();
		}
	}

	@BeforeEach
	void signedOutBrowser() {
		open("/login");
		this.driver.manage().deleteAllCookies();
	}

	@Test
	void apiMeWhenCustomChainThenSignInWithAppleShowsUserAndSignOutEndsIt() {
		this.simulator.resetRecordsAndFaults();
		open("/api/me");
		// the custom chain's entry point sends the browser to the page the DSL generates
		awaitPath("/login");
		assertThat(this.driver.getTitle()).isEqualTo("Sign in");
		WebElement signIn = this.driver.findElement(By.cssSelector("a.apple"));
		assertThat(signIn.getText()).isEqualTo("Sign in with Apple");
		signIn.click();

		// "Apple" is another site than the app
		WebElement alice = waiting().until(ExpectedConditions
			.elementToBeClickable(By.xpath("//button[normalize-space()='Alice Existing']")));
		URI apple = URI.create(this.driver.getCurrentUrl());
		assertThat(apple.getHost()).isEqualTo("127.0.0.1");
		assertThat(apple.getPort()).isEqualTo(this.simulator.baseUrl().getPort());
		assertThat(apple.getPath()).isEqualTo(IdaasSimulator.AUTHORIZE_PATH);
		assertThat(this.simulator.loginRequestCount()).isZero();
		alice.click();

		// back on the page asked for, signed in
		awaitPath("/api/me");
		String me = body();
		assertThat(me).contains("\"sub\":\"alice\"").contains("\"email\":\"alice@example.com\"");
		assertThat(me).doesNotContain("eyJ");
		assertThat(this.simulator.loginRequestCount()).isEqualTo(1);
		Cookie session = this.driver.manage().getCookieNamed("JSESSIONID");
		assertThat(session).isNotNull();
		assertThat(session.isHttpOnly()).isTrue();
		open("/");
		assertThat(body()).isEqualTo("Hello Alice Existing");
		assertThat(path()).isEqualTo("/");

		// the README's sign-out page
		open("/logout");
		waiting().until(ExpectedConditions.elementToBeClickable(By.xpath("//button[normalize-space()='Sign out']")))
			.click();
		awaitPath("/login");
		assertThat(URI.create(this.driver.getCurrentUrl()).getQuery()).isEqualTo("logout");
		assertThat(this.driver.findElement(By.cssSelector("p.info")).getText()).isEqualTo("You have been signed out.");

		// signed out: the API sends the browser to sign in again, and nobody was called
		open("/api/me");
		awaitPath("/login");
		assertThat(body()).doesNotContain("alice").contains("Sign in with Apple");
		assertThat(this.simulator.loginRequestCount()).isEqualTo(1);
		assertThat(this.simulator.refreshRequestCount()).isZero();
	}

	@Test
	void signInWhenDeniedThenGeneratedPageShowsErrorAndNobodyIsSignedIn() {
		open("/");
		awaitPath("/login");
		this.driver.findElement(By.cssSelector("a.apple")).click();
		waiting().until(ExpectedConditions.elementToBeClickable(By.xpath("//button[normalize-space()='Erin Denied']")))
			.click();
		// the chain's failureUrl, on the page the DSL generates
		awaitPath("/login");
		assertThat(URI.create(this.driver.getCurrentUrl()).getQuery()).startsWith("error");
		assertThat(this.driver.findElement(By.cssSelector("p.error code")).getText())
			.isEqualTo("IDAAS.STARTER.ACCESS_DENIED");
		open("/api/me");
		awaitPath("/login");
	}

	private void open(String path) {
		this.driver.get(this.app.resolve(path).toString());
	}

	private String path() {
		return URI.create(this.driver.getCurrentUrl()).getPath();
	}

	private String body() {
		return this.driver.findElement(By.tagName("body")).getText();
	}

	private WebDriverWait waiting() {
		return new WebDriverWait(this.driver, Duration.ofSeconds(15));
	}

	private void awaitPath(String path) {
		waiting().until((d) -> path().equals(path));
	}

}

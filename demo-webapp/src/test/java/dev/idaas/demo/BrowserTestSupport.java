package dev.idaas.demo;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;

import dev.idaas.demo.simulator.EmbeddedIdaasSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo on a random port with the simulator embedded, driven by Debian's headless Chromium:
 * one Spring context for every browser test class, one browser per class. The app is browsed on
 * {@code localhost} and "Apple" is on {@code 127.0.0.1}, so Apple's callback is a real cross-site
 * {@code POST}.
 * <p>
 * Without {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} the tests are skipped with
 * the reason, unless {@code IDAAS_REQUIRE_BROWSER=true}, when they fail.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "demo.simulator.id-token-ttl=12s", "demo.profile.poll-interval=1s" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BrowserTestSupport {

	static final Path SCREENSHOTS = Path.of("target", "screenshots");

	static final Duration WAIT = HeadlessChromium.WAIT;

	@LocalServerPort
	int port;

	@Autowired
	EmbeddedIdaasSimulator embedded;

	WebDriver driver;

	/**
	 * The language the browser asks for ({@code Accept-Language}).
	 */
	String acceptLanguage() {
		return "en-US,en";
	}

	@BeforeAll
	void startBrowser() {
		this.driver = HeadlessChromium.start(acceptLanguage());
	}

	@AfterAll
	void stopBrowser() {
		if (this.driver != null) {
			this.driver.quit();
		}
	}

	@BeforeEach
	void signedOutBrowser() {
		// a fresh start: no session, no language cookie, no state cookie
		open("/login");
		this.driver.manage().deleteAllCookies();
		((JavascriptExecutor) this.driver).executeScript("window.sessionStorage.clear()");
	}

	String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	void open(String path) {
		this.driver.get(url(path));
	}

	WebDriverWait waiting() {
		return new WebDriverWait(this.driver, WAIT);
	}

	WebElement find(String id) {
		return waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
	}

	String text(String id) {
		return find(id).getText();
	}

	String path() {
		return java.net.URI.create(this.driver.getCurrentUrl()).getPath();
	}

	/**
	 * From the sign-in page to the simulated Apple page, where the named person is chosen.
	 * @param displayName the person's button, e.g. {@code Alice Existing}
	 */
	void signInWithApple(String displayName) {
		open("/login");
		find("sign-in-with-apple").click();
		WebElement person = waiting().until(ExpectedConditions
			.elementToBeClickable(By.xpath("//button[normalize-space()='" + displayName + "']")));
		// "Apple" is another site than the app
		assertThat(this.driver.getCurrentUrl()).startsWith("http://127.0.0.1:");
		screenshot("apple-authorize");
		person.click();
	}

	void awaitPath(String path) {
		waiting().until((d) -> path().equals(path));
	}

	void screenshot(String name) {
		try {
			Files.createDirectories(SCREENSHOTS);
			File file = ((TakesScreenshot) this.driver).getScreenshotAs(OutputType.FILE);
			Files.copy(file.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Drags the slider piece to the simulator's solution of the puzzle on the page.
	 */
	void solveSlider() {
		WebElement handle = waiting().until(ExpectedConditions
			.visibilityOfElementLocated(By.cssSelector(".idaas-slider-ready .idaas-slider-handle")));
		slide(handle, this.embedded.simulator().captchaSolutionX());
	}

	/**
	 * Drags the slider's handle with the mouse, as a user does, so that the piece ends {@code x}
	 * background-image pixels from the left; the page may show the image smaller or larger.
	 * @param handle the handle
	 * @param x where the piece should land, in image pixels
	 */
	void slide(WebElement handle, int x) {
		Number scale = (Number) ((JavascriptExecutor) this.driver).executeScript(
				"var stage = document.querySelector('.idaas-slider-stage');"
						+ " return stage.clientWidth / stage.querySelector('.idaas-slider-background').naturalWidth;");
		int offset = (int) Math.round(x * scale.doubleValue());
		new Actions(this.driver).clickAndHold(handle)
			.moveByOffset(offset / 2, 0)
			.moveByOffset(offset - offset / 2, 0)
			.release()
			.perform();
		waiting().until((d) -> d.findElement(By.cssSelector("[data-idaas-needs-slide]")).isEnabled());
		String dropped = this.driver.findElement(By.name("captcha_x")).getDomProperty("value");
		assertThat(Double.parseDouble(dropped)).isCloseTo(x, org.assertj.core.data.Offset.offset(1.0 / scale.doubleValue()));
	}

	/**
	 * What the page reported as errors, e.g. a Content Security Policy violation.
	 */
	List<String> consoleErrors() {
		return this.driver.manage()
			.logs()
			.get(LogType.BROWSER)
			.getAll()
			.stream()
			.filter((entry) -> entry.getLevel().intValue() >= Level.WARNING.intValue())
			.map(LogEntry::getMessage)
			.toList();
	}

}

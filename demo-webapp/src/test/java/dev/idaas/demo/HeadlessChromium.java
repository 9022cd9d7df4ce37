package dev.idaas.demo;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;

/**
 * Debian's headless Chromium ({@code /usr/bin/chromium} driven by {@code /usr/bin/chromedriver}),
 * started the same way by every browser test of this repository: the demo's
 * ({@link BrowserTestSupport}) and the README application's in {@code idaas-test}, which gets
 * this class from the demo's test-jar.
 * <p>
 * Without the two binaries the calling test is skipped with the reason, unless
 * {@code IDAAS_REQUIRE_BROWSER=true}, when it fails.
 */
public final class HeadlessChromium {

	/** The browser. */
	public static final File CHROMIUM = new File("/usr/bin/chromium");

	/** Its driver. */
	public static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

	/** How long a page load may take. */
	public static final Duration WAIT = Duration.ofSeconds(15);

	private HeadlessChromium() {
	}

	/**
	 * Starts a headless Chromium with a fresh profile, or skips (fails when required) the
	 * calling test if it is not installed.
	 * @param acceptLanguage the languages the browser asks for, e.g. {@code en-US,en}
	 * @return the browser; {@link WebDriver#quit() quit} it when done
	 */
	public static WebDriver start(String acceptLanguage) {
		boolean present = CHROMIUM.canExecute() && CHROMEDRIVER.canExecute();
		String reason = "Headless Chromium is not installed (" + CHROMIUM + ", " + CHROMEDRIVER
				+ "): apt-get install -y chromium chromium-driver";
		if (!present && "true".equalsIgnoreCase(System.getenv("IDAAS_REQUIRE_BROWSER"))) {
			throw new IllegalStateException(reason + " and IDAAS_REQUIRE_BROWSER=true");
		}
		Assumptions.assumeTrue(present, reason);
		Path profile;
		try {
			profile = Files.createTempDirectory("idaas-chromium");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM);
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--window-size=1100,900", "--user-data-dir=" + profile.toAbsolutePath(),
				"--lang=" + acceptLanguage.split(",")[0]);
		options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
		options.setExperimentalOption("prefs", Map.of("intl.accept_languages", acceptLanguage));
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER)
			.usingAnyFreePort()
			.build();
		WebDriver driver = new ChromeDriver(service, options);
		driver.manage().timeouts().pageLoadTimeout(WAIT);
		return driver;
	}

}

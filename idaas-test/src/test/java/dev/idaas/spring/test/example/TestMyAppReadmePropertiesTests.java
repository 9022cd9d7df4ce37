package dev.idaas.spring.test.example;

import java.net.URI;

import dev.idaas.spring.test.context.IdaasSimulatorDevelopmentConfiguration;
import dev.idaas.spring.test.example.TestMyAppTests.Browser;
import dev.idaas.spring.test.example.TestMyAppTests.Page;
import dev.idaas.spring.test.simulator.IdaasSimulator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A newcomer's {@code TestMyApp} after pasting the README's properties (the tenant, the Apple
 * Services ID and the production {@code idaas.apple.redirect-uri}) into
 * {@code application.properties}: the simulator's values win, and Apple is asked to send the
 * browser back to the local application, not to the production callback.
 */
class TestMyAppReadmePropertiesTests {

	private static final String README_PROPERTIES = "file:../idaas-autoconfigure/src/test/resources/readme/add-it-to-your-app.properties";

	@Test
	void runWhenReadmePropertiesThenAliceSignsInOnTheLocalApp() throws Exception {
		try (ConfigurableApplicationContext context = SpringApplication.from(MyApp::main)
			.with(IdaasSimulatorDevelopmentConfiguration.class)
			.run("--server.port=0", "--spring.config.additional-location=" + README_PROPERTIES)
			.getApplicationContext()) {
			assertThat(context.getEnvironment().getProperty("idaas.apple.client-id"))
				.isEqualTo(IdaasSimulatorDevelopmentConfiguration.APPLE_CLIENT_ID);
			IdaasSimulator simulator = context.getBean(IdaasSimulator.class);
			URI app = URI.create("http://localhost:" + context.getEnvironment().getProperty("local.server.port"));
			Browser browser = new Browser();

			Page login = browser.get(app.resolve("/"));
			assertThat(login.uri()).isEqualTo(app.resolve("/login"));
			Page apple = browser.get(login.uri().resolve(login.find("<a class=\"apple\" href=\"([^\"]+)\"")));
			assertThat(apple.status()).isEqualTo(200);
			assertThat(apple.uri().getPath()).isEqualTo(IdaasSimulator.AUTHORIZE_PATH);
			assertThat(apple.uri().getQuery()).contains("redirect_uri=" + app.resolve("/login/idaas/apple/callback"))
				.doesNotContain("app.example.com");

			Page home = browser.submit(apple.form("Alice Existing"));
			assertThat(home.status()).isEqualTo(200);
			assertThat(home.uri().getAuthority()).isEqualTo(app.getAuthority());
			assertThat(home.uri().getPath()).isEqualTo("/");
			assertThat(home.body()).isEqualTo("Hello Alice Existing");
			assertThat(simulator.loginRequestCount()).isEqualTo(1);
		}
	}

}

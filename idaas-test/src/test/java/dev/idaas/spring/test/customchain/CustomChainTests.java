package dev.idaas.spring.test.customchain;

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
 * The README's custom-chain snippet ({@link SecurityConfiguration}) in a real servlet container,
 * followed as a browser follows it: the DSL serves the sign-in page the chain's entry point
 * sends browsers to, so {@code /} ends on a page instead of redirecting in circles, and Alice
 * signs in through it.
 */
class CustomChainTests {

	@Test
	void homeWhenCustomChainWithDslThenSignInPageAndSignInThroughApple() throws Exception {
		try (ConfigurableApplicationContext context = SpringApplication.from(CustomChainApp::main)
			.with(IdaasSimulatorDevelopmentConfiguration.class)
			.run("--server.port=0")
			.getApplicationContext()) {
			IdaasSimulator simulator = context.getBean(IdaasSimulator.class);
			URI app = URI.create("http://localhost:" + context.getEnvironment().getProperty("local.server.port"));
			Browser browser = new Browser();

			Page login = browser.get(app.resolve("/"));
			assertThat(login.status()).isEqualTo(200);
			assertThat(login.uri()).isEqualTo(app.resolve("/login"));
			assertThat(login.body()).contains("Sign in with Apple");

			Page failed = browser.get(app.resolve("/login?error&code=IDAAS.SDK.USER.0039"));
			assertThat(failed.status()).isEqualTo(200);
			assertThat(failed.body()).contains("IDAAS.SDK.USER.0039");

			Page apple = browser.get(login.uri().resolve(login.find("<a class=\"apple\" href=\"([^\"]+)\"")));
			assertThat(apple.status()).isEqualTo(200);
			assertThat(apple.uri().getPath()).isEqualTo(IdaasSimulator.AUTHORIZE_PATH);
			Page home = browser.submit(apple.form("Alice Existing"));
			assertThat(home.status()).isEqualTo(200);
			assertThat(home.uri().getPath()).isEqualTo("/");
			assertThat(home.body()).isEqualTo("Hello Alice Existing");
			assertThat(simulator.loginRequestCount()).isEqualTo(1);
		}
	}

}

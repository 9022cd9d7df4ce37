package dev.idaas.spring.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;

import dev.idaas.spring.config.IdaasLoginSettings;
import dev.idaas.spring.web.session.IdaasSessionTokenUpstreamLogout;
import dev.idaas.spring.web.session.IdaasUpstreamLogout;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.support.ResourcePropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's {@code properties} blocks work as pasted: each is a test resource under
 * {@code readme/} (the README's {@code <!-- snippet: -->} markers point at them and
 * {@code ReadmeSnippetTests} keeps both equal), loaded here the way Spring Boot loads an
 * {@code application.properties}, and the application is configured as the README says.
 */
class ReadmePropertiesTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IdaasAutoConfiguration.class, IdaasWebSecurityAutoConfiguration.class,
				IdaasVerificationRateLimiterAutoConfiguration.class))
		.withConfiguration(AutoConfigurations.of(SecurityAutoConfiguration.class,
				ServletWebSecurityAutoConfiguration.class, RestClientAutoConfiguration.class))
		.withInitializer(readme("add-it-to-your-app.properties"));

	@Test
	void addItToYourAppWhenReadmePropertiesThenTenantAndAppleConfigured() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			IdaasProperties properties = context.getBean(IdaasProperties.class);
			assertThat(properties.getBaseUrl()).isEqualTo(URI.create("https://your-tenant.idaas.example"));
			assertThat(properties.getClientId()).isEqualTo("nTo1eRIub60vPb54WeE6aojPwYwImtl4");
			IdaasLoginSettings.Apple apple = context.getBean(IdaasLoginSettings.class).apple();
			assertThat(apple).isNotNull();
			assertThat(apple.clientId()).isEqualTo("com.example.web");
			assertThat(apple.redirectUri())
				.isEqualTo(URI.create("https://app.example.com/login/idaas/apple/callback"));
			// the other blocks' settings stay off until their block is added
			assertThat(context).doesNotHaveBean(IdaasUpstreamLogout.class);
			assertThat(context.getBean(IdaasLoginSettings.class).upstreamLogoutUri()).isNull();
			assertThat(properties.getLogin().getLimits().getCodeSendsPerTarget()).isEqualTo(5);
		});
	}

	@Test
	void signingOutUpstreamWhenReadmePropertiesThenBothSwitchesOn() {
		this.runner.withInitializer(readme("upstream-logout.properties")).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).getBean(IdaasUpstreamLogout.class).isInstanceOf(IdaasSessionTokenUpstreamLogout.class);
			assertThat(context.getBean(IdaasLoginSettings.class).upstreamLogoutUri())
				.isEqualTo(URI.create("https://your-tenant.idaas.example/api/v1/logout"));
		});
	}

	@Test
	void abuseLimitsWhenReadmePropertiesThenTunedAndTheRestDefault() {
		this.runner.withInitializer(readme("abuse-limits.properties")).run((context) -> {
			assertThat(context).hasNotFailed();
			IdaasProperties.Limits limits = context.getBean(IdaasProperties.class).getLogin().getLimits();
			assertThat(limits.getCodeSendsPerTarget()).isEqualTo(3);
			assertThat(limits.getWindow()).isEqualTo(Duration.ofHours(2));
			assertThat(limits.getCodeSendsPerIp()).isEqualTo(20);
		});
	}

	@Test
	void outageBackoffWhenReadmePropertiesThenBound() {
		this.runner.withInitializer(readme("outage-backoff.properties")).run((context) -> {
			assertThat(context).hasNotFailed();
			IdaasProperties.IdToken idToken = context.getBean(IdaasProperties.class).getIdToken();
			assertThat(idToken.getRefreshFailureBackoff()).isEqualTo(Duration.ofSeconds(10));
			assertThat(idToken.getRefreshFailureBackoffMax()).isEqualTo(Duration.ofSeconds(60));
			assertThat(idToken.getRefreshFailureProbeInterval()).isEqualTo(Duration.ofSeconds(2));
		});
	}

	/**
	 * A README block's resource, with the precedence of an {@code application.properties}
	 * (later blocks over earlier ones).
	 */
	private static ApplicationContextInitializer<ConfigurableApplicationContext> readme(String name) {
		return (context) -> {
			try {
				context.getEnvironment()
					.getPropertySources()
					.addFirst(new ResourcePropertySource("readme/" + name, "classpath:readme/" + name));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		};
	}

}

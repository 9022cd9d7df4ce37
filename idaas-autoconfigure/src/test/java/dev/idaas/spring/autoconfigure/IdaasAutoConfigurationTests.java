package dev.idaas.spring.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.idaas.spring.authentication.IdaasAuthenticationTokenFactory;
import dev.idaas.spring.client.AppleLoginResult;
import dev.idaas.spring.client.DeviceContext;
import dev.idaas.spring.client.IdaasClient;
import dev.idaas.spring.client.IdaasErrorMessages;
import dev.idaas.spring.client.IdaasSocialFlowClient;
import dev.idaas.spring.observation.ObservedIdaasClient;
import dev.idaas.spring.web.session.IdTokenRefreshLock;
import dev.idaas.spring.web.session.IdTokenRefresher;
import dev.idaas.spring.web.flow.DefaultIdaasSocialFlowService;
import dev.idaas.spring.web.session.IdaasBearerTokenInterceptor;
import dev.idaas.spring.web.session.IdaasLogoutHandler;
import dev.idaas.spring.web.flow.IdaasSocialFlowService;
import dev.idaas.spring.web.session.InMemoryIdTokenRefreshLock;
import dev.idaas.spring.client.TokenRefreshResult;
import dev.idaas.spring.config.IdaasLoginSettings;
import dev.idaas.spring.jwt.IdTokenVerifier;
import dev.idaas.spring.jwt.InvalidIdTokenException;
import dev.idaas.spring.jwt.JwkSetKeySource;
import dev.idaas.spring.jwt.JwksIdTokenVerifier;
import dev.idaas.spring.web.DefaultDeviceContextResolver;
import dev.idaas.spring.web.DeviceContextResolver;
import dev.idaas.spring.web.flow.HttpSessionPendingSocialFlowRepository;
import dev.idaas.spring.web.flow.PendingSocialFlowRepository;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link IdaasAutoConfiguration} and {@link IdaasWebSecurityAutoConfiguration}.
 */
class IdaasAutoConfigurationTests {

	private static final AutoConfigurations SECURITY = AutoConfigurations.of(SecurityAutoConfiguration.class,
			ServletWebSecurityAutoConfiguration.class);

	private static final AutoConfigurations IDAAS = AutoConfigurations.of(IdaasAutoConfiguration.class,
			IdaasWebSecurityAutoConfiguration.class, IdaasVerificationRateLimiterAutoConfiguration.class);

	private static final String REDIRECT_URI = "idaas.apple.redirect-uri=https://app.example.com/login/idaas/apple/callback";

	private final WebApplicationContextRunner webRunner = new WebApplicationContextRunner()
		.withConfiguration(IDAAS)
		.withConfiguration(SECURITY)
		.withConfiguration(AutoConfigurations.of(RestClientAutoConfiguration.class))
		.withPropertyValues("idaas.base-url=https://tenant.idaas.example", "idaas.client-id=client-123");

	@Test
	void autoConfigurationWhenDefaultsThenEveryBean() {
		this.webRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(IdaasClient.class).getBean(IdaasClient.class)
				.isInstanceOf(ObservedIdaasClient.class);
			assertThat(context).hasSingleBean(IdaasSocialFlowClient.class);
			assertThat(context).hasSingleBean(IdTokenRefresher.class);
			assertThat(context).getBean(IdTokenRefreshLock.class).isInstanceOf(InMemoryIdTokenRefreshLock.class);
			assertThat(context).hasSingleBean(IdaasLogoutHandler.class);
			assertThat(context).hasSingleBean(IdaasSocialFlowService.class);
			assertThat(context).doesNotHaveBean(IdaasBearerTokenInterceptor.class);
			assertThat(context).hasSingleBean(JwkSetKeySource.class);
			assertThat(context).getBean(IdTokenVerifier.class).isInstanceOf(JwksIdTokenVerifier.class);
			assertThat(context).hasSingleBean(IdaasAuthenticationTokenFactory.class);
			assertThat(context).hasSingleBean(IdaasErrorMessages.class);
			assertThat(context).getBean(DeviceContextResolver.class).isInstanceOf(DefaultDeviceContextResolver.class);
			assertThat(context).getBean(PendingSocialFlowRepository.class)
				.isInstanceOf(HttpSessionPendingSocialFlowRepository.class);
			assertThat(context).hasSingleBean(IdaasLoginSettings.class);
			assertThat(context).hasSingleBean(SecurityFilterChain.class).hasBean("idaasSecurityFilterChain");
			IdaasLoginSettings settings = context.getBean(IdaasLoginSettings.class);
			assertThat(settings.processingUrl()).isEqualTo("/login/idaas/apple");
			assertThat(settings.apple()).isNull();
		});
	}

	@Test
	void autoConfigurationWhenBearerOriginsThenInterceptor() {
		this.webRunner.withPropertyValues("idaas.bearer-token.allowed-origins=https://api.example.com")
			.run((context) -> assertThat(context).hasSingleBean(IdaasBearerTokenInterceptor.class));
		this.webRunner.withPropertyValues("idaas.bearer-token.allowed-origins[0]=https://api.example.com")
			.run((context) -> assertThat(context).hasSingleBean(IdaasBearerTokenInterceptor.class));
	}

	@Test
	void autoConfigurationWhenUserRefresherThenItIsUsed() {
		this.webRunner.withUserConfiguration(UserRefresherConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(IdTokenRefresher.class);
			assertThat(context.getBean(IdTokenRefresher.class))
				.isSameAs(context.getBean(UserRefresherConfiguration.class).refresher);
		});
	}

	@Test
	void autoConfigurationWhenAppleClientIdThenAppleSettings() {
		this.webRunner.withPropertyValues("idaas.apple.client-id=com.example.web", REDIRECT_URI).run((context) -> {
			IdaasLoginSettings.Apple apple = context.getBean(IdaasLoginSettings.class).apple();
			assertThat(apple).isNotNull();
			assertThat(apple.clientId()).isEqualTo("com.example.web");
			assertThat(apple.authorizeUri()).hasToString("https://appleid.apple.com/auth/authorize");
			assertThat(apple.callbackUrl()).isEqualTo("/login/idaas/apple/callback");
		});
	}

	@Test
	void autoConfigurationWhenAppleWebFlowWithoutRedirectUriThenStartupFailsNamingProperty() {
		this.webRunner.withPropertyValues("idaas.apple.client-id=com.example.web")
			.run(failsWith("idaas.apple.redirect-uri", "Set idaas.apple.redirect-uri to the https:// callback URL")
				.andThen((context) -> assertThat(
						new IdaasConfigurationFailureAnalyzer().analyze(context.getStartupFailure()).getDescription())
					.contains("the Apple web flow is on (idaas.apple.client-id is set) but its redirect URI is not set")));
		// a loopback IDaaS is not enough while Apple itself is the real one
		this.webRunner.withPropertyValues("idaas.apple.client-id=com.example.web", "idaas.base-url=http://localhost:8089")
			.run(failsWith("idaas.apple.redirect-uri", "loopback"));
		// nor a loopback Apple with a real tenant
		this.webRunner.withPropertyValues("idaas.apple.client-id=com.example.web",
				"idaas.apple.authorize-uri=http://127.0.0.1:9000/auth/authorize")
			.run(failsWith("idaas.apple.redirect-uri", "loopback"));
	}

	@Test
	void autoConfigurationWhenAppleWebFlowAgainstLoopbackSimulatorWithoutRedirectUriThenStarts() {
		for (String host : new String[] { "localhost", "127.0.0.1", "[::1]" }) {
			this.webRunner
				.withPropertyValues("idaas.apple.client-id=com.example.web", "idaas.base-url=http://" + host + ":8089",
						"idaas.apple.authorize-uri=http://" + host + ":8089/auth/authorize")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(context.getBean(IdaasLoginSettings.class).apple().redirectUri()).isNull();
				});
		}
	}

	@Test
	void autoConfigurationWhenAppleRedirectUriSetThenStartsAndCarriesIt() {
		this.webRunner.withPropertyValues("idaas.apple.client-id=com.example.web", REDIRECT_URI)
			.run((context) -> assertThat(context.getBean(IdaasLoginSettings.class).apple().redirectUri())
				.hasToString("https://app.example.com/login/idaas/apple/callback"));
	}

	@Test
	void autoConfigurationWhenNoAppleWebFlowThenRedirectUriNotRequired() {
		this.webRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(IdaasLoginSettings.class).apple()).isNull();
		});
	}

	@Test
	void autoConfigurationWhenStateSecretThenAppleSettingsCarryItMasked() {
		String secret = "state-secret-0123456789abcdefghijklmn";
		this.webRunner.withPropertyValues("idaas.apple.client-id=com.example.web", REDIRECT_URI, "idaas.apple.state-secret=" + secret)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				IdaasLoginSettings.Apple apple = context.getBean(IdaasLoginSettings.class).apple();
				assertThat(apple.stateSecret()).isEqualTo(secret);
				assertThat(apple.toString()).contains("stateSecret=***").doesNotContain(secret);
				assertThat(context.getBean(IdaasLoginSettings.class).toString()).doesNotContain(secret);
			});
	}

	@Test
	void autoConfigurationWhenNoStateSecretThenRandomKeyPerNode() {
		this.webRunner.withPropertyValues("idaas.apple.client-id=com.example.web", REDIRECT_URI)
			.run((context) -> assertThat(context.getBean(IdaasLoginSettings.class).apple().stateSecret()).isNull());
	}

	@Test
	void autoConfigurationWhenStateSecretTooShortThenStartupFailsNamingProperty() {
		String secret = "short-secret-0123456789abcdefgh";
		assertThat(secret).hasSize(31);
		this.webRunner.withPropertyValues("idaas.apple.client-id=com.example.web", REDIRECT_URI, "idaas.apple.state-secret=" + secret)
			.run(failsWith("idaas.apple.state-secret", "at least 32 characters").andThen((context) -> {
				assertThat(context.getStartupFailure()).hasStackTraceContaining("at least 32 characters");
				assertThat(new IdaasConfigurationFailureAnalyzer().analyze(context.getStartupFailure()).getDescription())
					.doesNotContain(secret);
			}));
		this.webRunner.withPropertyValues("idaas.apple.state-secret=").run(failsWith("idaas.apple.state-secret",
				"idaas.apple.state-secret"));
	}

	@Test
	void autoConfigurationWhenStateSecretOfMinimumLengthThenStarts() {
		this.webRunner.withPropertyValues("idaas.apple.client-id=com.example.web", REDIRECT_URI,
				"idaas.apple.state-secret=" + "s".repeat(32))
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void autoConfigurationWhenUserClientThenUserClientWins() {
		this.webRunner.withUserConfiguration(UserClientConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(IdaasClient.class);
			assertThat(context.getBean(IdaasClient.class)).isSameAs(context.getBean("userClient"));
		});
	}

	@Test
	void autoConfigurationWhenUserVerifierThenUserVerifierWins() {
		this.webRunner.withUserConfiguration(UserVerifierConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(IdTokenVerifier.class);
			assertThat(context.getBean(IdTokenVerifier.class)).isSameAs(context.getBean("userVerifier"));
		});
	}

	@Test
	void autoConfigurationWhenUserDeviceResolverThenUserResolverWins() {
		this.webRunner.withUserConfiguration(UserDeviceResolverConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(DeviceContextResolver.class);
			assertThat(context.getBean(DeviceContextResolver.class)).isSameAs(context.getBean("userResolver"));
		});
	}

	@Test
	void autoConfigurationWhenUserSecurityFilterChainThenDefaultChainBacksOff() {
		this.webRunner.withUserConfiguration(UserChainConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(SecurityFilterChain.class).hasBean("userChain")
				.doesNotHaveBean("idaasSecurityFilterChain");
			assertThat(context).hasSingleBean(IdaasClient.class).hasSingleBean(IdaasLoginSettings.class);
		});
	}

	@Test
	void autoConfigurationWhenDisabledThenNoIdaasBeans() {
		new WebApplicationContextRunner().withConfiguration(IDAAS)
			.withConfiguration(SECURITY)
			.withPropertyValues("idaas.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(IdaasClient.class)
					.doesNotHaveBean(IdTokenVerifier.class)
					.doesNotHaveBean(JwkSetKeySource.class)
					.doesNotHaveBean(IdaasAuthenticationTokenFactory.class)
					.doesNotHaveBean(DeviceContextResolver.class)
					.doesNotHaveBean(IdaasLoginSettings.class)
					.doesNotHaveBean("idaasSecurityFilterChain");
			});
	}

	@Test
	void autoConfigurationWhenBaseUrlMissingThenStartupFailsNamingProperty() {
		new WebApplicationContextRunner().withConfiguration(IDAAS)
			.withConfiguration(SECURITY)
			.withPropertyValues("idaas.client-id=client-123")
			.run(failsWith("idaas.base-url", "Set idaas.base-url to your IDaaS tenant"));
	}

	@Test
	void autoConfigurationWhenClientIdMissingThenStartupFailsNamingProperty() {
		new WebApplicationContextRunner().withConfiguration(IDAAS)
			.withConfiguration(SECURITY)
			.withPropertyValues("idaas.base-url=https://tenant.idaas.example")
			.run(failsWith("idaas.client-id", "Set idaas.client-id"));
	}

	@Test
	void autoConfigurationWhenPlainHttpBaseUrlThenStartupFailsNamingProperty() {
		this.webRunner.withPropertyValues("idaas.base-url=http://tenant.idaas.example")
			.run(failsWith("idaas.base-url", "Use https://"));
	}

	@Test
	void autoConfigurationWhenPlainHttpLoopbackBaseUrlThenStarts() {
		this.webRunner.withPropertyValues("idaas.base-url=http://127.0.0.1:8089")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(IdaasClient.class));
		this.webRunner.withPropertyValues("idaas.base-url=http://localhost:8089")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(IdaasClient.class));
	}

	@Test
	void autoConfigurationWhenCodeResendIntervalSetThenSocialFlowServiceUsesIt() {
		this.webRunner.withPropertyValues("idaas.login.code-resend-interval=45s")
			.run((context) -> assertThat(context).getBean(IdaasSocialFlowService.class)
				.isInstanceOf(DefaultIdaasSocialFlowService.class)
				.hasFieldOrPropertyWithValue("codeResendInterval", Duration.ofSeconds(45)));
	}

	@Test
	void autoConfigurationWhenCodeSendLimitsInvalidThenStartupFailsNamingProperty() {
		this.webRunner.withPropertyValues("idaas.login.max-code-sends=0")
			.run(failsWith("idaas.login.max-code-sends", "Set idaas.login.max-code-sends to 1 or more"));
		this.webRunner.withPropertyValues("idaas.login.code-resend-interval=-1s")
			.run(failsWith("idaas.login.code-resend-interval", "Set idaas.login.code-resend-interval"));
	}

	@Test
	void autoConfigurationWhenSymmetricAlgorithmThenStartupFailsNamingProperty() {
		this.webRunner.withPropertyValues("idaas.id-token.algorithms=HS256")
			.run(failsWith("idaas.id-token.algorithms", "RS256"));
		this.webRunner.withPropertyValues("idaas.id-token.algorithms=RS256,none")
			.run(failsWith("idaas.id-token.algorithms", "RS256"));
	}

	@Test
	void autoConfigurationWhenNotWebApplicationThenNoWebBeans() {
		new ApplicationContextRunner().withConfiguration(IDAAS)
			.withConfiguration(AutoConfigurations.of(SecurityAutoConfiguration.class))
			.withPropertyValues("idaas.base-url=https://tenant.idaas.example", "idaas.client-id=client-123")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(IdaasClient.class).hasSingleBean(IdTokenVerifier.class);
				assertThat(context).doesNotHaveBean(DeviceContextResolver.class)
					.doesNotHaveBean(PendingSocialFlowRepository.class)
					.doesNotHaveBean(IdaasLoginSettings.class)
					.doesNotHaveBean(SecurityFilterChain.class);
			});
	}

	@Test
	void autoConfigurationWhenSpringSecurityWebMissingThenNoWebSecurityBeans() {
		this.webRunner.withClassLoader(new FilteredClassLoader(SecurityFilterChain.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(IdaasClient.class);
			assertThat(context).doesNotHaveBean(DeviceContextResolver.class)
				.doesNotHaveBean(IdaasLoginSettings.class)
				.doesNotHaveBean("idaasSecurityFilterChain");
		});
	}

	@Test
	void autoConfigurationWhenSpringMvcMissingThenDefaultChainStillCreated() {
		this.webRunner.withClassLoader(new FilteredClassLoader("org.springframework.web.servlet")).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasBean("idaasSecurityFilterChain");
		});
	}

	@Test
	void autoConfigurationWhenBootRestClientMissingThenFallsBackToRestClientBuilder() {
		new WebApplicationContextRunner().withConfiguration(IDAAS)
			.withConfiguration(SECURITY)
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.restclient"))
			.withPropertyValues("idaas.base-url=https://tenant.idaas.example", "idaas.client-id=client-123")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(org.springframework.web.client.RestClient.Builder.class);
				assertThat(context).hasSingleBean(IdaasClient.class).hasSingleBean(JwkSetKeySource.class);
			});
	}

	@Test
	void autoConfigurationWhenJwksDownAtStartupThenContextStarts() {
		// nothing listens on port 9 (discard) of the loopback interface
		this.webRunner.withPropertyValues("idaas.base-url=http://127.0.0.1:9").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(IdTokenVerifier.class);
		});
	}

	@Test
	void autoConfigurationWhenIdCarriesTrailingCommentThenStartupFailsNamingProperty() {
		this.webRunner.withPropertyValues("idaas.apple.client-id=com.example.web        # your Apple Services ID")
			.run(failsWith("idaas.apple.client-id", "a comment must be on a line of its own")
				.andThen((context) -> assertThat(context.getStartupFailure())
					.hasStackTraceContaining("the value contains a space at position 16")));
		this.webRunner.withPropertyValues("idaas.client-id=client-123#prod")
			.run(failsWith("idaas.client-id", "the id alone").andThen((context) -> assertThat(
					context.getStartupFailure())
				.hasStackTraceContaining("the value contains '#' at position 11")));
		this.webRunner.withPropertyValues("idaas.client-id=client\t123")
			.run(failsWith("idaas.client-id", "the id alone"));
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void autoConfigurationWhenNoAppleClientIdThenSaysTheWebFlowIsOff(CapturedOutput output) {
		this.webRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(IdaasLoginSettings.class).apple()).isNull();
		});
		assertThat(output).contains("Sign in with Apple on the web is off: idaas.apple.client-id is not set");
		int before = output.toString().length();
		this.webRunner
			.withPropertyValues("idaas.apple.client-id=com.example.web",
					"idaas.apple.redirect-uri=https://app.example.com/login/idaas/apple/callback")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output.toString().substring(before)).doesNotContain("Sign in with Apple on the web is off");
	}

	@Test
	void autoConfigurationWhenIdsArePlainThenStarts() {
		this.webRunner.withPropertyValues("idaas.client-id=nTo1eRIub60vPb54WeE6aojPwYwImtl4",
				"idaas.apple.client-id=com.example.web",
				"idaas.apple.redirect-uri=https://app.example.com/login/idaas/apple/callback")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	private static ContextConsumer<AssertableWebApplicationContext> failsWith(String property, String action) {
		return (context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			Throwable root = failure;
			while (root.getCause() != null) {
				root = root.getCause();
			}
			assertThat(root).isInstanceOf(IdaasConfigurationException.class);
			assertThat(((IdaasConfigurationException) root).getProperty()).isEqualTo(property);
			FailureAnalysis analysis = new IdaasConfigurationFailureAnalyzer().analyze(failure);
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).startsWith("IDaaS login is not configured correctly: ")
				.contains("(property '" + property + "')");
			assertThat(analysis.getAction()).contains(action);
		};
	}

	@Configuration(proxyBeanMethods = false)
	static class UserClientConfiguration {

		@Bean
		IdaasClient userClient() {
			return new IdaasClient() {

				@Override
				public AppleLoginResult loginWithApple(String code, DeviceContext device) {
					return new AppleLoginResult.AccessDenied();
				}

				@Override
				public TokenRefreshResult refreshIdToken(String sessionToken, DeviceContext device) {
					throw new UnsupportedOperationException();
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserVerifierConfiguration {

		@Bean
		IdTokenVerifier userVerifier() {
			return (idToken) -> {
				throw new InvalidIdTokenException("never valid");
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserDeviceResolverConfiguration {

		@Bean
		DeviceContextResolver userResolver() {
			return (request, response) -> new DeviceContext("test1", "fingerprint", null, "agent", null);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserChainConfiguration {

		@Bean
		SecurityFilterChain userChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
			return http.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserRefresherConfiguration {

		IdTokenRefresher refresher;

		@Bean
		IdTokenRefresher userRefresher(IdaasClient client, IdaasAuthenticationTokenFactory factory) {
			this.refresher = new IdTokenRefresher(client, factory, new DefaultDeviceContextResolver());
			return this.refresher;
		}

	}

}

package dev.idaas.spring.test.context;

import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.idaas.spring.autoconfigure.IdaasAutoConfiguration;
import dev.idaas.spring.autoconfigure.IdaasProperties;
import dev.idaas.spring.test.simulator.IdaasSimulator;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.Environment;
import org.springframework.test.context.support.DynamicPropertyRegistrarBeanInitializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link IdaasSimulatorDevelopmentConfiguration} outside the Spring TestContext Framework, as
 * under {@code spring-boot:test-run}: the simulator is a bean, every {@code idaas.*} property
 * the starter needs points at it (over what {@code application.properties} says), and it is
 * closed with the context.
 */
class IdaasSimulatorDevelopmentConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(IdaasSimulatorDevelopmentConfiguration.class)
		.withConfiguration(AutoConfigurations.of(IdaasAutoConfiguration.class));

	@Test
	void runWhenTenantConfiguredThenEveryIdaasPropertyPointsAtTheSimulator() {
		this.runner
			.withPropertyValues("idaas.base-url=https://tenant.example.com", "idaas.client-id=real-client",
					"idaas.id-token.issuer=https://tenant.example.com/api/v1/oauth2",
					"idaas.id-token.jwk-set-uri=https://tenant.example.com/api/v1/oauth2/keys",
					"idaas.http.session-token-header=X-session-token", "idaas.apple.client-id=com.example.real",
					"idaas.apple.redirect-uri=https://app.example.com/login/idaas/apple/callback")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(IdaasSimulator.class);
				IdaasSimulator simulator = context.getBean(IdaasSimulator.class);
				URI baseUrl = simulator.baseUrl();
				Environment environment = context.getEnvironment();
				assertThat(environment.getProperty("idaas.base-url")).isEqualTo(baseUrl.toString());
				assertThat(environment.getProperty("idaas.client-id")).isEqualTo(simulator.clientId()).hasSize(32);
				assertThat(environment.getProperty("idaas.id-token.issuer")).isEqualTo(baseUrl + "/api/v1/oauth2");
				assertThat(environment.getProperty("idaas.id-token.jwk-set-uri"))
					.isEqualTo(baseUrl + "/api/v1/oauth2/keys");
				assertThat(environment.getProperty("idaas.http.session-token-header")).isEqualTo("session-token");
				assertThat(environment.getProperty("idaas.apple.client-id")).isEqualTo("dev.idaas.simulator.web");
				assertThat(environment.getProperty("idaas.apple.authorize-uri"))
					.isEqualTo("http://127.0.0.1:" + baseUrl.getPort() + "/auth/authorize");
				assertThat(environment.getProperty("idaas.id-token.refresh-ahead")).isEqualTo("20s");
				// and the starter binds them
				IdaasProperties properties = context.getBean(IdaasProperties.class);
				assertThat(properties.getBaseUrl()).isEqualTo(baseUrl);
				assertThat(properties.getClientId()).isEqualTo(simulator.clientId());
				assertThat(properties.getIdToken().getIssuer()).isEqualTo(simulator.issuer());
				assertThat(properties.getIdToken().getJwkSetUri()).isEqualTo(simulator.jwksUri());
				assertThat(properties.getIdToken().getRefreshAhead()).isEqualTo(Duration.ofSeconds(20));
				assertThat(properties.getApple().getClientId()).isEqualTo("dev.idaas.simulator.web");
				assertThat(properties.getApple().getAuthorizeUri())
					.isEqualTo(URI.create("http://127.0.0.1:" + baseUrl.getPort() + "/auth/authorize"));
				// the production callback would leave the local application: derived from the request instead
				assertThat(properties.getApple().getRedirectUri()).isNull();
			});
	}

	@Test
	void runWhenStartedThenApplePageListsTheSamplePeopleAndIdTokensAreShortLived() {
		this.runner.run((context) -> {
			IdaasSimulator simulator = context.getBean(IdaasSimulator.class);
			URI page = URI.create(context.getEnvironment().getProperty("idaas.apple.authorize-uri")
					+ "?client_id=dev.idaas.simulator.web&redirect_uri=http://localhost:8080/cb"
					+ "&response_type=code&response_mode=form_post&state=s");
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(page).build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).contains("Alice Existing", "Bob Binder", "Carol Newcomer", "Dave Disabled",
					"Erin Denied", "Frank Factor");
			assertThat(simulator.samplePeople()).hasSize(6);
			String idToken = simulator.mintIdToken(simulator.users().get(0));
			Map<String, Object> claims = JsonMapper.builder()
				.build()
				.readValue(Base64.getUrlDecoder().decode(idToken.split("\\.")[1]), new TypeReference<>() {
				});
			assertThat(((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue())
				.isEqualTo(60);
			assertThat(simulator.loginRequestCount()).isZero();
		});
	}

	@Test
	void closeWhenContextClosedThenSimulatorStopped() throws Exception {
		AtomicReference<IdaasSimulator> simulator = new AtomicReference<>();
		this.runner.run((context) -> {
			simulator.set(context.getBean(IdaasSimulator.class));
			new Socket("127.0.0.1", simulator.get().baseUrl().getPort()).close();
		});
		int port = simulator.get().baseUrl().getPort();
		assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> new Socket("127.0.0.1", port).close());
	}

	@Test
	void runWhenDynamicPropertyInitializerPresentThenNoSecondOne() {
		// as in a @SpringBootTest, where the TestContext Framework registers its own
		this.runner.withBean("testContextInitializer", DynamicPropertyRegistrarBeanInitializer.class)
			.run((context) -> {
				assertThat(context).getBeanNames(DynamicPropertyRegistrarBeanInitializer.class)
					.containsExactly("testContextInitializer");
				assertThat(context.getEnvironment().getProperty("idaas.base-url"))
					.isEqualTo(context.getBean(IdaasSimulator.class).baseUrl().toString());
			});
	}

	@Test
	void runWhenNoDynamicPropertyInitializerThenOneRegistered() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(DynamicPropertyRegistrarBeanInitializer.class));
	}

}

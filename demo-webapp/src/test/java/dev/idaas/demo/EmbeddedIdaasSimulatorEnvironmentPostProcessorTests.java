package dev.idaas.demo;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;

import dev.idaas.demo.simulator.EmbeddedIdaasSimulator;
import dev.idaas.demo.simulator.EmbeddedIdaasSimulatorEnvironmentPostProcessor;
import dev.idaas.spring.test.simulator.IdaasSimulator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.PropertySource;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The simulator is embedded only without a tenant, at the lowest precedence, and closed with
 * the context.
 */
class EmbeddedIdaasSimulatorEnvironmentPostProcessorTests {

	private final EmbeddedIdaasSimulatorEnvironmentPostProcessor postProcessor = new EmbeddedIdaasSimulatorEnvironmentPostProcessor(
			(log) -> log.get());

	@Test
	void postProcessWhenBaseUrlSetThenNothingStarted() {
		MockEnvironment environment = new MockEnvironment().withProperty("idaas.base-url", "https://tenant.example.com");
		SpringApplication application = new SpringApplication();
		int initializers = application.getInitializers().size();
		this.postProcessor.postProcessEnvironment(environment, application);
		assertThat(environment.getPropertySources()
			.contains(EmbeddedIdaasSimulatorEnvironmentPostProcessor.PROPERTY_SOURCE_NAME)).isFalse();
		assertThat(application.getInitializers()).hasSize(initializers);
	}

	@Test
	void postProcessWhenDisabledThenNothingStarted() {
		MockEnvironment environment = new MockEnvironment().withProperty("demo.simulator.enabled", "false");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.containsProperty("idaas.base-url")).isFalse();
	}

	@Test
	void postProcessWhenNoTenantThenSimulatorPropertiesAtLowestPrecedenceAndClosedWithContext() throws IOException {
		MockEnvironment environment = new MockEnvironment().withProperty("idaas.apple.client-id", "com.example.mine")
			.withProperty("demo.simulator.id-token-ttl", "12s");
		SpringApplication application = new SpringApplication();
		this.postProcessor.postProcessEnvironment(environment, application);
		PropertySource<?> last = environment.getPropertySources().stream().reduce((a, b) -> b).orElseThrow();
		assertThat(last.getName()).isEqualTo(EmbeddedIdaasSimulatorEnvironmentPostProcessor.PROPERTY_SOURCE_NAME);
		URI baseUrl = URI.create(environment.getProperty("idaas.base-url"));
		assertThat(baseUrl.getScheme()).isEqualTo("http");
		assertThat(environment.getProperty("idaas.client-id")).hasSize(32);
		assertThat(environment.getProperty("idaas.apple.authorize-uri"))
			.isEqualTo("http://127.0.0.1:" + baseUrl.getPort() + "/auth/authorize");
		assertThat(environment.getProperty("idaas.id-token.refresh-ahead")).isEqualTo("4s");
		// what the user set wins
		assertThat(environment.getProperty("idaas.apple.client-id")).isEqualTo("com.example.mine");
		// a second pass (e.g. a parent context) starts no second simulator
		this.postProcessor.postProcessEnvironment(environment, application);
		assertThat(environment.getProperty("idaas.base-url")).isEqualTo(baseUrl.toString());

		GenericApplicationContext context = new GenericApplicationContext();
		for (ApplicationContextInitializer<?> initializer : application.getInitializers()) {
			if (initializer.getClass().getName().startsWith(EmbeddedIdaasSimulatorEnvironmentPostProcessor.class.getName())) {
				@SuppressWarnings("unchecked")
				ApplicationContextInitializer<ConfigurableApplicationContext> typed = (ApplicationContextInitializer<ConfigurableApplicationContext>) initializer;
				typed.initialize(context);
			}
		}
		context.refresh();
		EmbeddedIdaasSimulator embedded = context.getBean(EmbeddedIdaasSimulator.class);
		assertThat(embedded.simulator().baseUrl()).isEqualTo(baseUrl);
		new Socket("127.0.0.1", baseUrl.getPort()).close();
		context.close();
		assertThatExceptionOfType(ConnectException.class)
			.isThrownBy(() -> new Socket("127.0.0.1", baseUrl.getPort()).close());
	}

	@Test
	void postProcessWhenPortFreeThenHostsSimulatorThere() throws IOException {
		int port = freePort();
		MockEnvironment environment = new MockEnvironment().withProperty("demo.simulator.port", Integer.toString(port))
			.withProperty("demo.simulator.client-id", "DemoClusterClientIdForEveryNode0");
		SpringApplication application = new SpringApplication();
		int initializers = application.getInitializers().size();
		this.postProcessor.postProcessEnvironment(environment, application);
		try {
			assertThat(environment.getProperty("idaas.base-url")).isEqualTo("http://localhost:" + port);
			assertThat(environment.getProperty("idaas.client-id")).isEqualTo("DemoClusterClientIdForEveryNode0");
			assertThat(environment.getProperty("idaas.apple.authorize-uri"))
				.isEqualTo("http://127.0.0.1:" + port + "/auth/authorize");
			// this node hosts it: the bean is registered
			assertThat(application.getInitializers()).hasSize(initializers + 1);
		}
		finally {
			closeSimulator(application);
		}
	}

	@Test
	void postProcessWhenPortTakenBySimulatorThenUsesItAndStartsNone() {
		try (IdaasSimulator host = new IdaasSimulator("DemoClusterClientIdForEveryNode0").start()) {
			int port = host.baseUrl().getPort();
			MockEnvironment environment = new MockEnvironment()
				.withProperty("demo.simulator.port", Integer.toString(port))
				.withProperty("demo.simulator.client-id", "DemoClusterClientIdForEveryNode0")
				.withProperty("demo.simulator.id-token-ttl", "30s");
			SpringApplication application = new SpringApplication();
			int initializers = application.getInitializers().size();
			int jwksRequests = host.jwksRequestCount();
			this.postProcessor.postProcessEnvironment(environment, application);
			assertThat(environment.getProperty("idaas.base-url")).isEqualTo(host.baseUrl().toString());
			assertThat(environment.getProperty("idaas.client-id")).isEqualTo(host.clientId());
			assertThat(environment.getProperty("idaas.apple.authorize-uri"))
				.isEqualTo("http://127.0.0.1:" + port + "/auth/authorize");
			assertThat(environment.getProperty("idaas.id-token.refresh-ahead")).isEqualTo("10s");
			// no simulator of its own, no bean
			assertThat(application.getInitializers()).hasSize(initializers);
			// it looked before using it
			assertThat(host.jwksRequestCount()).isEqualTo(jwksRequests + 1);
		}
	}

	@Test
	void postProcessWhenPortTakenWithoutClientIdThenFailsNamingTheProperty() {
		try (IdaasSimulator host = new IdaasSimulator().start()) {
			MockEnvironment environment = new MockEnvironment().withProperty("demo.simulator.port",
					Integer.toString(host.baseUrl().getPort()));
			assertThatIllegalStateException()
				.isThrownBy(() -> this.postProcessor.postProcessEnvironment(environment, new SpringApplication()))
				.withMessageContaining("set demo.simulator.client-id");
			assertThat(environment.containsProperty("idaas.base-url")).isFalse();
		}
	}

	@Test
	void postProcessWhenPortTakenByAnotherServerThenFails() throws IOException {
		try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			MockEnvironment environment = new MockEnvironment()
				.withProperty("demo.simulator.port", Integer.toString(other.getLocalPort()))
				.withProperty("demo.simulator.client-id", "DemoClusterClientIdForEveryNode0");
			assertThatIllegalStateException()
				.isThrownBy(() -> this.postProcessor.postProcessEnvironment(environment, new SpringApplication()))
				.withMessageContaining("is taken by something that is not an IDaaS simulator");
			assertThat(environment.containsProperty("idaas.base-url")).isFalse();
		}
	}

	private static void closeSimulator(SpringApplication application) {
		GenericApplicationContext context = new GenericApplicationContext();
		for (ApplicationContextInitializer<?> initializer : application.getInitializers()) {
			if (initializer.getClass().getName().startsWith(EmbeddedIdaasSimulatorEnvironmentPostProcessor.class.getName())) {
				@SuppressWarnings("unchecked")
				ApplicationContextInitializer<ConfigurableApplicationContext> typed = (ApplicationContextInitializer<ConfigurableApplicationContext>) initializer;
				typed.initialize(context);
			}
		}
		context.refresh();
		context.close();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}

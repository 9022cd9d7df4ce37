package dev.idaas.demo.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.idaas.spring.test.simulator.IdaasSimulator;
import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.Assert;

/**
 * Starts an {@link IdaasSimulator} with the sample people when no tenant is configured
 * ({@code idaas.base-url} is not set), and points the starter at it through a
 * lowest-precedence property source, so the demo runs with no tenant and no Apple account.
 * Any {@code idaas.*} property given on the command line or in {@code application.properties}
 * still wins; with {@code idaas.base-url} set nothing is started.
 * <p>
 * The simulator is registered as the {@code idaasSimulator} bean ({@link EmbeddedIdaasSimulator}) and closed with the context.
 * "Apple" is served from {@code 127.0.0.1} while the app is browsed on {@code localhost}, so the
 * callback is a cross-site {@code POST} exactly as Apple's is.
 * <p>
 * Properties: {@code demo.simulator.enabled} (default {@code true}),
 * {@code demo.simulator.id-token-ttl} (default {@code 60s}, short so that the silent refresh is
 * visible within a minute), {@code demo.simulator.port} (default {@code 0}: a free port) and
 * {@code demo.simulator.client-id} (default: a random one).
 * <p>
 * Several nodes share one simulator (the {@code cluster} profile): with a fixed
 * {@code demo.simulator.port} and {@code demo.simulator.client-id}, the first node to start hosts
 * the simulator on that port, and a node that finds the port taken by a simulator uses that one
 * (it registers no {@code idaasSimulator} bean). The simulator lives in the hosting node: when
 * that node stops, the others can no longer sign anyone in nor refresh.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public final class EmbeddedIdaasSimulatorEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/**
	 * Name of the property source that holds the simulator's coordinates.
	 */
	public static final String PROPERTY_SOURCE_NAME = "embeddedIdaasSimulator";

	/**
	 * Name of the simulator bean.
	 */
	public static final String BEAN_NAME = "idaasSimulator";

	/**
	 * The Apple Services ID the demo asks the simulated Apple for.
	 */
	public static final String APPLE_CLIENT_ID = "dev.idaas.demo.web";

	private static final Duration DEFAULT_ID_TOKEN_TTL = Duration.ofSeconds(60);

	private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

	private final Log logger;

	/**
	 * Creates the post-processor; Spring Boot passes the deferred log factory.
	 * @param logFactory the log factory
	 */
	public EmbeddedIdaasSimulatorEnvironmentPostProcessor(DeferredLogFactory logFactory) {
		Assert.notNull(logFactory, "logFactory cannot be null");
		this.logger = logFactory.getLog(EmbeddedIdaasSimulatorEnvironmentPostProcessor.class);
	}

	private static final String AOT_PROCESSING = "spring.aot.processing";

	private static final Map<String, Object> AOT_PROPERTIES = Map.of("idaas.base-url", "http://127.0.0.1:9",
			"idaas.client-id", "aot-processing", "idaas.apple.client-id", APPLE_CLIENT_ID);

	@Override
	public int getOrder() {
		// after application.properties and profiles are loaded, so a configured tenant is seen
		return ConfigDataEnvironmentPostProcessor.ORDER + 1;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Binder binder = Binder.get(environment);
		boolean enabled = binder.bind("demo.simulator.enabled", Boolean.class).orElse(true)
				&& binder.bind("idaas.enabled", Boolean.class).orElse(true);
		if (!enabled || environment.containsProperty("idaas.base-url")
				|| environment.getPropertySources().contains(PROPERTY_SOURCE_NAME)) {
			return;
		}
		Duration idTokenTtl = binder.bind("demo.simulator.id-token-ttl", Duration.class).orElse(DEFAULT_ID_TOKEN_TTL);
		if (Boolean.getBoolean(AOT_PROCESSING)) {
			// build-time AOT processing only needs the settings' shape; a running simulator would
			// keep the processing JVM alive
			environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, AOT_PROPERTIES));
			return;
		}
		int port = binder.bind("demo.simulator.port", Integer.class).orElse(0);
		String clientId = binder.bind("demo.simulator.client-id", String.class).orElse(null);
		IdaasSimulator simulator = new IdaasSimulator(clientId).withSamplePeople().idTokenTtl(idTokenTtl);
		try {
			simulator.start(port);
		}
		catch (UncheckedIOException ex) {
			simulator.close();
			if (port == 0 || !(ex.getCause() instanceof BindException)) {
				throw ex;
			}
			join(environment, port, clientId, idTokenTtl);
			return;
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource(PROPERTY_SOURCE_NAME,
					properties(simulator.baseUrl(), simulator.clientId(), idTokenTtl)));
		EmbeddedIdaasSimulator embedded = new EmbeddedIdaasSimulator(simulator);
		application.addInitializers((context) -> {
			// a registered singleton, not a bean definition, so AOT processing leaves it alone
			context.getBeanFactory().registerSingleton(BEAN_NAME, embedded);
			context.addApplicationListener((ApplicationEvent event) -> {
				if (event instanceof ContextClosedEvent) {
					embedded.close();
				}
			});
		});
		application.addListeners((ApplicationEvent event) -> {
			if (event instanceof ApplicationFailedEvent) {
				embedded.close();
			}
		});
		this.logger.info("No idaas.base-url set: embedded IDaaS simulator started at " + simulator.baseUrl()
				+ " with Apple sign-in page " + authorizeUri(simulator.baseUrl())
				+ " (sample people: alice, bob, carol, dave, erin; verification code "
				+ IdaasSimulator.DEFAULT_VERIFICATION_CODE + "; id_tokens live " + idTokenTtl.toSeconds()
				+ "s). Set idaas.base-url, idaas.client-id and idaas.apple.* for a real tenant.");
		if (port != 0) {
			this.logger.info("This node hosts the shared IDaaS simulator on port " + port
					+ ": other nodes started with the same demo.simulator.port use it, and lose it when this node stops.");
		}
	}

	/**
	 * Uses the simulator another node hosts on {@code port}, after checking that it is one.
	 */
	private void join(ConfigurableEnvironment environment, int port, @Nullable String clientId, Duration idTokenTtl) {
		URI baseUrl = URI.create("http://localhost:" + port);
		if (clientId == null) {
			throw new IllegalStateException("demo.simulator.port " + port
					+ " is taken; set demo.simulator.client-id (the same on every node) to use the simulator there");
		}
		if (!answersAsSimulator(baseUrl)) {
			throw new IllegalStateException("demo.simulator.port " + port
					+ " is taken by something that is not an IDaaS simulator; free the port or choose another one");
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, properties(baseUrl, clientId, idTokenTtl)));
		this.logger.info("No idaas.base-url set and demo.simulator.port " + port
				+ " taken: using the IDaaS simulator another node hosts at " + baseUrl + " with Apple sign-in page "
				+ authorizeUri(baseUrl) + ". When that node stops, sign-ins and refreshes here fail until it is back.");
	}

	/**
	 * Whether a simulator answers at {@code baseUrl}: its JWKS is there and holds keys.
	 */
	private static boolean answersAsSimulator(URI baseUrl) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + IdaasSimulator.JWKS_PATH))
			.timeout(PROBE_TIMEOUT)
			.GET()
			.build();
		HttpClient client = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build();
		try {
			HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
			return response.statusCode() == 200 && response.body().contains("\"keys\"")
					&& response.body().contains("\"kid\"");
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static Map<String, Object> properties(URI baseUrl, String clientId, Duration idTokenTtl) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("idaas.base-url", baseUrl.toString());
		properties.put("idaas.client-id", clientId);
		properties.put("idaas.apple.client-id", APPLE_CLIENT_ID);
		properties.put("idaas.apple.authorize-uri", authorizeUri(baseUrl).toString());
		// refresh in the last third of the short-lived id_token's life, not on every request
		properties.put("idaas.id-token.refresh-ahead", Math.max(1, idTokenTtl.toSeconds() / 3) + "s");
		return properties;
	}

	/**
	 * The simulated Apple page, on {@code 127.0.0.1}: another site than {@code localhost}.
	 */
	static URI authorizeUri(URI simulatorBaseUrl) {
		return URI.create("http://127.0.0.1:" + simulatorBaseUrl.getPort() + IdaasSimulator.AUTHORIZE_PATH);
	}

}

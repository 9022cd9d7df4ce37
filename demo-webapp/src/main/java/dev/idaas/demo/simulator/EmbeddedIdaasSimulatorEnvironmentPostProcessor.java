package dev.idaas.demo.simulator;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.idaas.spring.test.simulator.IdaasSimulator;
import org.apache.commons.logging.Log;

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
 * visible within a minute).
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
		IdaasSimulator simulator = new IdaasSimulator().withSamplePeople().idTokenTtl(idTokenTtl).start();
		environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, properties(simulator, idTokenTtl)));
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
				+ " with Apple sign-in page " + authorizeUri(simulator) + " (sample people: alice, bob, carol, dave,"
				+ " erin; verification code " + IdaasSimulator.DEFAULT_VERIFICATION_CODE + "; id_tokens live "
				+ idTokenTtl.toSeconds() + "s). Set idaas.base-url, idaas.client-id and idaas.apple.* for a real"
				+ " tenant.");
	}

	private static Map<String, Object> properties(IdaasSimulator simulator, Duration idTokenTtl) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("idaas.base-url", simulator.baseUrl().toString());
		properties.put("idaas.client-id", simulator.clientId());
		properties.put("idaas.apple.client-id", APPLE_CLIENT_ID);
		properties.put("idaas.apple.authorize-uri", authorizeUri(simulator).toString());
		// refresh in the last third of the short-lived id_token's life, not on every request
		properties.put("idaas.id-token.refresh-ahead", Math.max(1, idTokenTtl.toSeconds() / 3) + "s");
		return properties;
	}

	/**
	 * The simulated Apple page, on {@code 127.0.0.1}: another site than {@code localhost}.
	 */
	static URI authorizeUri(IdaasSimulator simulator) {
		URI base = simulator.baseUrl();
		return URI.create("http://127.0.0.1:" + base.getPort() + IdaasSimulator.AUTHORIZE_PATH);
	}

}

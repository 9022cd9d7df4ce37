package dev.idaas.spring.test.context;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.SamplePeople;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.test.context.DynamicPropertyRegistrar;
import org.springframework.test.context.support.DynamicPropertyRegistrarBeanInitializer;
import org.springframework.util.Assert;

/**
 * Runs an application against the {@link IdaasSimulator} instead of a tenant, as Spring Boot
 * runs one against Testcontainers at development time. In {@code src/test/java}:
 *
 * <pre class="code">
 * public class TestMyApp {
 *
 *     public static void main(String[] args) {
 *         SpringApplication.from(MyApp::main).with(IdaasSimulatorDevelopmentConfiguration.class).run(args);
 *     }
 *
 * }
 * </pre>
 *
 * then {@code ./mvnw spring-boot:test-run} (or run {@code TestMyApp} from the IDE). The same
 * class can be imported into a {@code @SpringBootTest}.
 * <p>
 * The simulator is the {@code idaasSimulator} bean, started with the
 * {@link IdaasSimulator#withSamplePeople() sample people} and closed with the context. A
 * {@link DynamicPropertyRegistrar} points the starter at it; these values win over
 * {@code application.properties}, so a configured tenant is not called:
 * <ul>
 * <li>{@code idaas.base-url}, {@code idaas.client-id}, {@code idaas.id-token.issuer},
 * {@code idaas.id-token.jwk-set-uri} and {@code idaas.http.session-token-header}: the
 * simulator's;</li>
 * <li>{@code idaas.apple.client-id}: {@value #APPLE_CLIENT_ID}, and
 * {@code idaas.apple.authorize-uri}: the simulator's "Sign in with Apple" page, served from
 * {@code 127.0.0.1} while the application is browsed on {@code localhost}, so the callback is
 * a cross-site {@code POST} exactly as Apple's is;</li>
 * <li>{@code idaas.apple.redirect-uri}: unset (empty), whatever {@code application.properties}
 * says, so Apple's callback goes to the local application the browser is on (the starter derives
 * it from the loopback request);</li>
 * <li>{@code idaas.id-token.refresh-ahead}: a third of the simulator's short id_token
 * lifetime ({@link #ID_TOKEN_TTL}), so the silent refresh happens within a minute.</li>
 * </ul>
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSimulator
 * @see SamplePeople
 */
@TestConfiguration(proxyBeanMethods = false)
public final class IdaasSimulatorDevelopmentConfiguration {

	/**
	 * The Apple Services ID ({@code idaas.apple.client-id}) the application asks the simulated
	 * Apple for.
	 */
	public static final String APPLE_CLIENT_ID = "dev.idaas.simulator.web";

	/**
	 * How long the simulator's id_tokens live: short, so that the refresh is seen.
	 */
	public static final Duration ID_TOKEN_TTL = Duration.ofSeconds(60);

	private static final Log logger = LogFactory.getLog(IdaasSimulatorDevelopmentConfiguration.class);

	/**
	 * Creates the configuration; Spring does.
	 * @since 0.1
	 */
	public IdaasSimulatorDevelopmentConfiguration() {
	}

	/**
	 * The started simulator with the sample people, closed with the context.
	 * @return the simulator
	 * @since 0.1
	 */
	@Bean(destroyMethod = "close")
	public IdaasSimulator idaasSimulator() {
		IdaasSimulator simulator = new IdaasSimulator().withSamplePeople().idTokenTtl(ID_TOKEN_TTL).start();
		logger.info("IDaaS simulator started at " + simulator.baseUrl() + " with Apple sign-in page "
				+ authorizeUri(simulator) + " (sample people: alice, bob, carol, dave, erin; verification code "
				+ IdaasSimulator.DEFAULT_VERIFICATION_CODE + "; id_tokens live " + ID_TOKEN_TTL.toSeconds() + "s)");
		return simulator;
	}

	/**
	 * Points the starter at the simulator.
	 * @param idaasSimulator the simulator
	 * @return the registrar of the {@code idaas.*} properties
	 * @since 0.1
	 */
	@Bean
	public DynamicPropertyRegistrar idaasSimulatorProperties(IdaasSimulator idaasSimulator) {
		Assert.notNull(idaasSimulator, "idaasSimulator cannot be null");
		return (registry) -> properties(idaasSimulator).forEach((name, value) -> registry.add(name, () -> value));
	}

	/**
	 * Applies {@link DynamicPropertyRegistrar} beans outside the Spring TestContext Framework
	 * (which registers its own), e.g. under {@code spring-boot:test-run}.
	 * @return the initializer
	 * @since 0.1
	 */
	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	public static DynamicPropertyRegistrarBeanInitializer idaasDynamicPropertyRegistrarBeanInitializer() {
		return new DynamicPropertyRegistrarBeanInitializer();
	}

	/**
	 * The {@code idaas.*} properties that point the starter at a simulator.
	 * @param simulator a started simulator
	 * @return the properties by name, in a stable order
	 */
	static Map<String, String> properties(IdaasSimulator simulator) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("idaas.base-url", simulator.baseUrl().toString());
		properties.put("idaas.client-id", simulator.clientId());
		properties.put("idaas.id-token.issuer", simulator.issuer());
		properties.put("idaas.id-token.jwk-set-uri", simulator.jwksUri().toString());
		properties.put("idaas.http.session-token-header", IdaasSimulator.DEFAULT_SESSION_TOKEN_HEADER);
		properties.put("idaas.apple.client-id", APPLE_CLIENT_ID);
		properties.put("idaas.apple.authorize-uri", authorizeUri(simulator).toString());
		// unset: the production callback would send the browser away from the local application
		properties.put("idaas.apple.redirect-uri", "");
		properties.put("idaas.id-token.refresh-ahead", (ID_TOKEN_TTL.toSeconds() / 3) + "s");
		return properties;
	}

	private static URI authorizeUri(IdaasSimulator simulator) {
		return URI.create("http://127.0.0.1:" + simulator.baseUrl().getPort() + IdaasSimulator.AUTHORIZE_PATH);
	}

}

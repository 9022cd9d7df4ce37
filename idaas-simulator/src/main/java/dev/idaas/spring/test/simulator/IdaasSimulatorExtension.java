package dev.idaas.spring.test.simulator;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts an {@link IdaasSimulator} before the tests of a class and closes it after them.
 * Before each test it {@link IdaasSimulator#resetRecordsAndFaults() forgets recorded requests
 * and pending faults}, so counters start at zero; users, keys and sessions stay.
 * <p>
 * Either declare it and take the simulator as a parameter of a test, a lifecycle method or the
 * constructor:
 *
 * <pre class="code">
 * &#64;ExtendWith(IdaasSimulatorExtension.class)
 * class LoginTests {
 *     &#64;Test
 *     void loginWhenCodeThenSuccess(IdaasSimulator idaas) { ... }
 * }
 * </pre>
 *
 * or register it in a static field, which a Spring test also needs for
 * {@code @DynamicPropertySource}:
 *
 * <pre class="code">
 * &#64;SpringBootTest
 * class AppTests {
 *     &#64;RegisterExtension
 *     static IdaasSimulatorExtension idaas = new IdaasSimulatorExtension();
 *
 *     &#64;DynamicPropertySource
 *     static void idaasProperties(DynamicPropertyRegistry registry) {
 *         idaas.simulator().registerProperties(registry); // idaas.base-url, idaas.client-id
 *     }
 * }
 * </pre>
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSimulator
 */
public final class IdaasSimulatorExtension
		implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, ParameterResolver {

	private final IdaasSimulator simulator;

	// The class whose beforeAll started the simulator: @Nested classes inherit the extension and
	// must not close it when they finish.
	private @Nullable Class<?> owner;

	/**
	 * Creates the extension with a new simulator with a random client id.
	 * @since 0.1
	 */
	public IdaasSimulatorExtension() {
		this(new IdaasSimulator());
	}

	/**
	 * Creates the extension for a simulator configured by the caller (e.g.
	 * {@code new IdaasSimulator("my-client-id").withSamplePeople()}).
	 * @param simulator the simulator, not yet started
	 * @since 0.1
	 */
	public IdaasSimulatorExtension(IdaasSimulator simulator) {
		Checks.notNull(simulator, "simulator cannot be null");
		this.simulator = simulator;
	}

	/**
	 * The simulator.
	 * @return the simulator
	 * @since 0.1
	 */
	public IdaasSimulator simulator() {
		return this.simulator;
	}

	@Override
	public synchronized void beforeAll(ExtensionContext context) {
		if (this.owner == null) {
			this.owner = context.getRequiredTestClass();
			this.simulator.start();
		}
	}

	@Override
	public synchronized void afterAll(ExtensionContext context) {
		if (context.getRequiredTestClass().equals(this.owner)) {
			this.simulator.close();
		}
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		this.simulator.resetRecordsAndFaults();
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == IdaasSimulator.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return this.simulator;
	}

}

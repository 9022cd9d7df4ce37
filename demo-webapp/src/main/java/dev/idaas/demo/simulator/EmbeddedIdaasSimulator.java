package dev.idaas.demo.simulator;

import dev.idaas.spring.test.simulator.IdaasSimulator;

import org.springframework.util.Assert;

/**
 * The simulator the demo embedded, as a bean that the context closes. A holder rather than the
 * {@link IdaasSimulator} itself: the simulator's optional Spring Test helpers must not be
 * introspected at run time, where {@code spring-test} is absent.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see EmbeddedIdaasSimulatorEnvironmentPostProcessor
 */
public final class EmbeddedIdaasSimulator implements AutoCloseable {

	private final IdaasSimulator simulator;

	/**
	 * Holds a started simulator.
	 * @param simulator the simulator
	 */
	public EmbeddedIdaasSimulator(IdaasSimulator simulator) {
		Assert.notNull(simulator, "simulator cannot be null");
		this.simulator = simulator;
	}

	/**
	 * The simulator, e.g. for tests that issue codes or look at recorded requests.
	 * @return the simulator
	 */
	public IdaasSimulator simulator() {
		return this.simulator;
	}

	@Override
	public void close() {
		this.simulator.close();
	}

}

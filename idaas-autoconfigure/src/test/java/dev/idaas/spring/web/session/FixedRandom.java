package dev.idaas.spring.web.session;

import java.util.random.RandomGenerator;

/**
 * A random source for the back-off's jitter that always draws one chosen value, so a test
 * knows the exact wait.
 */
public final class FixedRandom implements RandomGenerator {

	/**
	 * What {@link #nextDouble()} answers, in {@code [0, 1)}.
	 */
	public volatile double value;

	/**
	 * A source that draws {@code value}.
	 * @param value in {@code [0, 1)}
	 */
	public FixedRandom(double value) {
		this.value = value;
	}

	@Override
	public long nextLong() {
		throw new UnsupportedOperationException();
	}

	@Override
	public double nextDouble() {
		return this.value;
	}

}

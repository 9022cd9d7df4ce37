package dev.idaas.spring.test.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A thread-safe {@link Clock} that only moves when a test moves it, so expiry is tested without
 * sleeping. Give the same instance to the simulator and to the code under test.
 *
 * <pre class="code">
 * MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
 * simulator.clock(clock);
 * clock.advance(Duration.ofMinutes(6)); // the id_token is now expired
 * </pre>
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSimulator#clock(Clock)
 */
public final class MutableClock extends Clock {

	private final AtomicReference<Instant> instant;

	private final ZoneId zone;

	/**
	 * Creates a clock at the given instant, in UTC.
	 * @param instant the starting instant
	 * @since 0.1
	 */
	public MutableClock(Instant instant) {
		this(instant, ZoneOffset.UTC);
	}

	/**
	 * Creates a clock at the given instant and zone.
	 * @param instant the starting instant
	 * @param zone the zone
	 * @since 0.1
	 */
	public MutableClock(Instant instant, ZoneId zone) {
		Checks.notNull(instant, "instant cannot be null");
		Checks.notNull(zone, "zone cannot be null");
		this.instant = new AtomicReference<>(instant);
		this.zone = zone;
	}

	/**
	 * Moves the clock forward (or backward, with a negative duration).
	 * @param duration how far to move
	 * @return the new instant
	 * @since 0.1
	 */
	public Instant advance(Duration duration) {
		Checks.notNull(duration, "duration cannot be null");
		return this.instant.updateAndGet((current) -> current.plus(duration));
	}

	/**
	 * Sets the clock to an instant.
	 * @param instant the new instant
	 * @since 0.1
	 */
	public void setInstant(Instant instant) {
		Checks.notNull(instant, "instant cannot be null");
		this.instant.set(instant);
	}

	@Override
	public ZoneId getZone() {
		return this.zone;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		return new MutableClock(this.instant.get(), zone);
	}

	@Override
	public Instant instant() {
		return this.instant.get();
	}

}

package dev.idaas.spring.web.session;

import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link RefreshFailureBackoff}.
 */
class RefreshFailureBackoffTests {

	private static final Duration FIVE = Duration.ofSeconds(5);

	private static final Duration THIRTY = Duration.ofSeconds(30);

	private static final Duration ONE = Duration.ofSeconds(1);

	private final FixedRandom random = new FixedRandom(0);

	private final RefreshFailureBackoff backoff = new RefreshFailureBackoff(FIVE, THIRTY, ONE, 3, this.random);

	// ---- per session

	@Test
	void remainingMillisWhenFailedThenBackoffFromFailureAndZeroAfter() {
		this.random.value = 0.99;
		assertThat(this.backoff.remainingMillis("s1", 1_000)).isZero();
		assertThat(this.backoff.failed("s1", 1_000)).isEqualTo(5_000);
		assertThat(this.backoff.remainingMillis("s1", 1_000)).isEqualTo(5_000);
		assertThat(this.backoff.remainingMillis("s1", 5_999)).isEqualTo(1);
		assertThat(this.backoff.remainingMillis("s1", 6_000)).isZero();
		// other sessions are not held back by the session's back-off
		assertThat(this.backoff.remainingMillis("s2", 1_000)).isZero();
	}

	@Test
	void failedWhenFailingInARowThenDoublingCeilingWithJitterUpToMax() {
		this.random.value = 0.5;
		// ceilings 5, 10, 20, 40 -> 30, 80 -> 30: backoff + half of (ceiling - backoff)
		assertThat(this.backoff.failed("s1", 0)).isEqualTo(5_000);
		assertThat(this.backoff.failed("s1", 0)).isEqualTo(7_500);
		assertThat(this.backoff.failed("s1", 0)).isEqualTo(12_500);
		assertThat(this.backoff.failed("s1", 0)).isEqualTo(17_500);
		assertThat(this.backoff.failed("s1", 0)).isEqualTo(17_500);
		this.random.value = 0.999_99;
		assertThat(this.backoff.failed("s1", 0)).isEqualTo(29_999);
		this.random.value = 0;
		assertThat(this.backoff.failed("s1", 0)).isEqualTo(5_000);
		assertThat(this.backoff.remainingMillis("s1", 0)).isEqualTo(5_000);
	}

	@Test
	void delayMillisWhenManyFailuresThenCappedWithoutOverflow() {
		this.random.value = 0.999_99;
		assertThat(this.backoff.delayMillis(1)).isEqualTo(5_000);
		assertThat(this.backoff.delayMillis(2)).isEqualTo(9_999);
		assertThat(this.backoff.delayMillis(21)).isEqualTo(29_999);
		assertThat(this.backoff.delayMillis(Integer.MAX_VALUE)).isEqualTo(29_999);
	}

	@Test
	void failedWhenMaxEqualsBackoffThenFixedBackoff() {
		RefreshFailureBackoff fixed = new RefreshFailureBackoff(FIVE, FIVE, ONE, 3, this.random);
		this.random.value = 0.9;
		assertThat(fixed.failed("s1", 0)).isEqualTo(5_000);
		assertThat(fixed.failed("s1", 0)).isEqualTo(5_000);
		assertThat(fixed.failed("s1", 0)).isEqualTo(5_000);
	}

	@Test
	void succeededWhenFailedBeforeThenFailuresStartOverAndCircuitCloses() {
		this.random.value = 0.5;
		this.backoff.failed("s1", 0);
		this.backoff.failed("s1", 0);
		this.backoff.succeeded("s1", 0);
		assertThat(this.backoff.remainingMillis("s1", 1)).isZero();
		assertThat(this.backoff.size()).isZero();
		assertThat(this.backoff.isOpen()).isFalse();
		assertThat(this.backoff.failed("s1", 10_000)).isEqualTo(5_000);
	}

	@Test
	void clearWhenSignedOutThenSessionForgottenAndCircuitStaysOpen() {
		this.backoff.failed("s1", 1_000);
		this.backoff.clear("s1");
		assertThat(this.backoff.remainingMillis("s1", 1_001)).isZero();
		assertThat(this.backoff.size()).isZero();
		assertThat(this.backoff.isOpen()).isTrue();
	}

	// ---- per node: the circuit

	@Test
	void acquireWhenNothingFailedThenEverySessionGoesAndNothingRemembered() {
		for (int i = 0; i < 10; i++) {
			assertThat(this.backoff.acquire("s" + i, 1_000)).isZero();
		}
		assertThat(this.backoff.isOpen()).isFalse();
		assertThat(this.backoff.size()).isZero();
	}

	@Test
	void acquireWhenCircuitOpenThenOneProbePerIntervalAndOthersDeferred() {
		this.random.value = 0;
		this.backoff.failed("s1", 10_000);
		assertThat(this.backoff.isOpen()).isTrue();
		// within the probe interval: nobody, and a held-back session is scheduled as a failure
		assertThat(this.backoff.acquire("s2", 10_999)).isEqualTo(5_000);
		assertThat(this.backoff.remainingMillis("s2", 10_999)).isEqualTo(5_000);
		// the interval is over: exactly one probe, the next one a probe interval later
		assertThat(this.backoff.acquire("s3", 11_000)).isZero();
		assertThat(this.backoff.remainingMillis("s3", 11_000)).isZero();
		assertThat(this.backoff.acquire("s4", 11_000)).isEqualTo(5_000);
		assertThat(this.backoff.acquire("s5", 11_999)).isEqualTo(5_000);
		assertThat(this.backoff.acquire("s6", 12_000)).isZero();
		// a session still in its own back-off is told its own wait, even when a probe is due
		assertThat(this.backoff.acquire("s1", 13_000)).isEqualTo(2_000);
		assertThat(this.backoff.acquire("s7", 13_000)).isZero();
	}

	@Test
	void acquireWhenHeldBackRepeatedlyThenWaitGrowsWithJitter() {
		this.random.value = 0.5;
		this.backoff.failed("probe", 0);
		assertThat(this.backoff.acquire("s1", 500)).isEqualTo(5_000);
		assertThat(this.backoff.acquire("s1", 5_500)).isZero(); // probe due since 1 000
		this.backoff.failed("s1", 5_500);
		assertThat(this.backoff.acquire("s2", 5_600)).isEqualTo(5_000);
		assertThat(this.backoff.acquire("s2", 10_600 - 1)).isEqualTo(1);
		assertThat(this.backoff.acquire("s2", 10_600)).isZero(); // the probe of the interval
		assertThat(this.backoff.acquire("s3", 10_600)).isEqualTo(5_000);
		// s1 failed twice: its second wait is 7.5 s
		assertThat(this.backoff.remainingMillis("s1", 5_500)).isEqualTo(7_500);
	}

	@Test
	void failedWhenProbeFailsThenCircuitStaysOpenForAnotherInterval() {
		this.backoff.failed("s1", 0);
		assertThat(this.backoff.acquire("s2", 1_000)).isZero();
		this.backoff.failed("s2", 1_500);
		assertThat(this.backoff.acquire("s3", 2_499)).isPositive();
		assertThat(this.backoff.acquire("s4", 2_500)).isZero();
	}

	@Test
	void succeededWhenProbeSucceedsThenEverySessionWithoutBackoffGoesAfterTheRecoveryWindow() {
		this.backoff.failed("s1", 0);
		assertThat(this.backoff.acquire("s2", 1_000)).isZero();
		this.backoff.succeeded("s2", 1_000);
		assertThat(this.backoff.isOpen()).isFalse();
		// open for 1 s: a 1 s recovery window
		assertThat(this.backoff.acquire("s3", 1_000)).isEqualTo(116);
		assertThat(this.backoff.acquire("s3", 1_115)).isEqualTo(1);
		assertThat(this.backoff.acquire("s3", 1_116)).isZero();
		assertThat(this.backoff.acquire("s4", 2_000)).isZero();
		assertThat(this.backoff.acquire("s5", 2_000)).isZero();
		// a session still in its own back-off keeps it
		assertThat(this.backoff.acquire("s1", 2_000)).isEqualTo(3_000);
		assertThat(this.backoff.size()).isEqualTo(1);
	}

	// ---- recovery

	@Test
	void acquireWhenRecoveredThenSlotInAWindowAsLongAsTheOutage() {
		this.backoff.failed("probe", 0);
		this.backoff.failed("probe", 5_000);
		this.backoff.succeeded("probe", 10_000);
		assertThat(this.backoff.acquire("s1", 10_000)).isEqualTo(5_382);
		assertThat(this.backoff.acquire("s2", 10_000)).isEqualTo(8_304);
		assertThat(this.backoff.acquire("s3", 10_000)).isEqualTo(1_167);
		assertThat(this.backoff.acquire("s2", 18_304)).isZero();
		assertThat(this.backoff.acquire("a", 19_999)).isZero();
		assertThat(this.backoff.acquire("s2", 20_000)).isZero();
		// a wait for a slot is not a failure
		assertThat(this.backoff.size()).isZero();
		assertThat(this.backoff.isOpen()).isFalse();
	}

	@Test
	void acquireWhenRecoveredAfterLongOutageThenWindowCappedAtMaxBackoff() {
		this.backoff.failed("probe", 0);
		this.backoff.succeeded("probe", 100_000);
		assertThat(this.backoff.acquire("s1", 100_000)).isEqualTo(16_146);
		assertThat(this.backoff.acquire("s2", 110_000)).isEqualTo(14_914);
		assertThat(this.backoff.acquire("s2", 129_999)).isZero();
		assertThat(this.backoff.acquire("a", 130_000)).isZero();
	}

	@Test
	void succeededWhenCircuitClosedThenNoRecoveryWindow() {
		this.backoff.succeeded("s1", 5_000);
		this.backoff.failed("s1", 10_000);
		this.backoff.clear("s1");
		this.backoff.succeeded("s2", 20_000);
		// the window is the 10 s the circuit was open; a second success opens no new one
		this.backoff.succeeded("s3", 30_000);
		assertThat(this.backoff.acquire("s2", 20_000)).isEqualTo(8_304);
		assertThat(this.backoff.acquire("s2", 30_000)).isZero();
	}

	@Test
	void slotFractionWhenManyKeysThenSameEverywhereAndSpreadEvenly() {
		assertThat(RefreshFailureBackoff.slotFraction("s1")).isEqualTo(0.5382157727144659);
		assertThat(RefreshFailureBackoff.slotFraction("session-7")).isEqualTo(0.7397625655867159);
		int[] deciles = new int[10];
		for (int i = 0; i < 10_000; i++) {
			double fraction = RefreshFailureBackoff.slotFraction(java.util.UUID.nameUUIDFromBytes(new byte[] {
					(byte) i, (byte) (i >> 8) }).toString());
			assertThat(fraction).isGreaterThanOrEqualTo(0).isLessThan(1);
			deciles[(int) (fraction * 10)]++;
		}
		for (int count : deciles) {
			assertThat(count).isBetween(900, 1_100);
		}
	}

	@Test
	void acquireWhenManyThreadsAtTheProbeTimeThenExactlyOneProbe() throws Exception {
		this.backoff.failed("s0", 0);
		int threads = 8;
		java.util.concurrent.atomic.AtomicInteger granted = new java.util.concurrent.atomic.AtomicInteger();
		java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
		Thread[] workers = new Thread[threads];
		for (int t = 0; t < threads; t++) {
			String key = "t" + t;
			workers[t] = new Thread(() -> {
				try {
					go.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				for (int i = 0; i < 100; i++) {
					if (this.backoff.acquire(key + "-" + i, 1_000) == 0) {
						granted.incrementAndGet();
					}
				}
			});
			workers[t].start();
		}
		go.countDown();
		for (Thread worker : workers) {
			worker.join();
		}
		assertThat(granted).hasValue(1);
	}

	// ---- bounded map

	@Test
	void failedWhenFullThenElapsedDroppedFirst() {
		this.backoff.failed("old", 0);
		this.backoff.failed("s1", 4_000);
		this.backoff.failed("s2", 4_000);
		this.backoff.failed("s3", 6_000);
		assertThat(this.backoff.size()).isEqualTo(3);
		assertThat(this.backoff.remainingMillis("old", 6_000)).isZero();
		assertThat(this.backoff.remainingMillis("s1", 6_000)).isEqualTo(3_000);
		assertThat(this.backoff.remainingMillis("s2", 6_000)).isEqualTo(3_000);
		assertThat(this.backoff.remainingMillis("s3", 6_000)).isEqualTo(5_000);
	}

	@Test
	void failedWhenFullAndEntriesElapseJustNowThenAllDropped() {
		this.backoff.failed("s1", 1_000);
		this.backoff.failed("s2", 1_000);
		this.backoff.failed("s3", 1_000);
		this.backoff.failed("s4", 6_000);
		assertThat(this.backoff.size()).isEqualTo(1);
		assertThat(this.backoff.remainingMillis("s4", 6_000)).isEqualTo(5_000);
	}

	@Test
	void failedWhenFullOfLiveEntriesThenStaysBounded() {
		for (int i = 0; i < 100; i++) {
			this.backoff.failed("s" + i, 1_000);
			assertThat(this.backoff.size()).isLessThanOrEqualTo(3);
		}
		// the newest failure is always remembered
		assertThat(this.backoff.remainingMillis("s99", 1_000)).isEqualTo(5_000);
	}

	@Test
	void failedWhenFullAndSessionKnownThenNothingDropped() {
		this.random.value = 0;
		this.backoff.failed("s1", 1_000);
		this.backoff.failed("s2", 1_000);
		this.backoff.failed("s3", 1_000);
		this.backoff.failed("s3", 1_000);
		assertThat(this.backoff.size()).isEqualTo(3);
		assertThat(this.backoff.remainingMillis("s1", 1_000)).isEqualTo(5_000);
		assertThat(this.backoff.remainingMillis("s2", 1_000)).isEqualTo(5_000);
	}

	@Test
	void failedWhenOneBelowFullThenNothingDropped() {
		this.backoff.failed("s1", 0);
		this.backoff.failed("s2", 10_000);
		assertThat(this.backoff.size()).isEqualTo(2);
		assertThat(this.backoff.remainingMillis("s1", 0)).isEqualTo(5_000);
	}

	// ---- construction

	@Test
	void constructorWhenBackoffOnlyThenDefaults() {
		RefreshFailureBackoff defaults = new RefreshFailureBackoff(FIVE);
		assertThat(defaults.getBackoff()).isEqualTo(FIVE);
		assertThat(defaults.getMaxBackoff()).isEqualTo(THIRTY);
		assertThat(defaults.getProbeInterval()).isEqualTo(ONE);
		assertThat(defaults.getMaxEntries()).isEqualTo(RefreshFailureBackoff.DEFAULT_MAX_ENTRIES);
		assertThat(defaults.isOpen()).isFalse();
		// a first back-off longer than the default cap is its own cap
		assertThat(new RefreshFailureBackoff(Duration.ofMinutes(1)).getMaxBackoff()).isEqualTo(Duration.ofMinutes(1));
		assertThat(new RefreshFailureBackoff(THIRTY).getMaxBackoff()).isEqualTo(THIRTY);
	}

	@Test
	void constructorWhenDefaultsThenJitterWithinBounds() {
		RefreshFailureBackoff defaults = new RefreshFailureBackoff(FIVE, THIRTY, ONE, 10, new Random(42));
		for (int i = 0; i < 50; i++) {
			assertThat(defaults.failed("s", 0)).isBetween(5_000L, 30_000L);
		}
	}

	@Test
	void gettersWhenCreatedThenValues() {
		assertThat(this.backoff.getBackoff()).isEqualTo(FIVE);
		assertThat(this.backoff.getMaxBackoff()).isEqualTo(THIRTY);
		assertThat(this.backoff.getProbeInterval()).isEqualTo(ONE);
		assertThat(this.backoff.getMaxEntries()).isEqualTo(3);
	}

	@Test
	void constructorWhenInvalidThenException() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RefreshFailureBackoff(Duration.ZERO))
			.withMessage("backoff must be positive");
		assertThatIllegalArgumentException().isThrownBy(() -> new RefreshFailureBackoff(null))
			.withMessage("backoff cannot be null");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RefreshFailureBackoff(FIVE, FIVE, ONE, 0, this.random))
			.withMessage("maxEntries must be positive");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RefreshFailureBackoff(FIVE, Duration.ofMillis(4_999), ONE, 1, this.random))
			.withMessage("maxBackoff cannot be less than backoff");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RefreshFailureBackoff(FIVE, FIVE, Duration.ofNanos(999_999), 1, this.random))
			.withMessage("probeInterval must be positive");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RefreshFailureBackoff(null, FIVE, ONE, 1, this.random))
			.withMessage("backoff cannot be null");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RefreshFailureBackoff(FIVE, null, ONE, 1, this.random))
			.withMessage("maxBackoff cannot be null");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RefreshFailureBackoff(FIVE, FIVE, null, 1, this.random))
			.withMessage("probeInterval cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> new RefreshFailureBackoff(FIVE, FIVE, ONE, 1, null))
			.withMessage("random cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.backoff.acquire(null, 0))
			.withMessage("sessionKey cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.backoff.failed(null, 0))
			.withMessage("sessionKey cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.backoff.clear(null))
			.withMessage("sessionKey cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.backoff.succeeded(null, 0))
			.withMessage("sessionKey cannot be null");
		assertThat(this.backoff.isOpen()).isFalse();
	}

}

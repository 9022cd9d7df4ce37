package dev.idaas.spring.web.flow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.idaas.spring.client.IdaasErrorCodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Tests for {@link InMemoryVerificationRateLimiter}.
 */
class InMemoryVerificationRateLimiterTests {

	private static final Instant START = Instant.parse("2026-11-30T10:00:00Z");

	private final MutableClock clock = new MutableClock(START);

	private final InMemoryVerificationRateLimiter limiter = new InMemoryVerificationRateLimiter();

	InMemoryVerificationRateLimiterTests() {
		this.limiter.setClock(this.clock);
	}

	@Test
	void acquireWhenLimitReachedThenRefusedWithRetryAfterUntilWindowEnds() {
		List<String> keys = VerificationLimitKeys.of("+8613800000001", "apple-sign-in-1", "203.0.113.7");
		for (int i = 0; i < 5; i++) {
			this.clock.advance(Duration.ofMinutes(1));
			this.limiter.acquire(VerificationAction.CODE_SEND, keys);
		}
		TooManyVerificationCodesException ex = refused(VerificationAction.CODE_SEND, keys);
		assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.TOO_MANY_CODES);
		// the window opened at the first send, one minute after START
		assertThat(ex.getRetryAfter()).isEqualTo(Duration.ofMinutes(56));
		assertThat(ex.getRetryAfterSeconds()).isEqualTo(56 * 60);
		assertThat(ex.getMessage()).doesNotContain("8613800000001").doesNotContain("apple-sign-in-1")
			.doesNotContain("203.0.113.7");
	}

	@Test
	void acquireWhenWindowEndsThenCountsFromZero() {
		List<String> keys = VerificationLimitKeys.of("bob@example.com", "apple-sign-in-1", "203.0.113.7");
		for (int i = 0; i < 5; i++) {
			this.limiter.acquire(VerificationAction.CODE_CHECK, keys);
		}
		this.clock.advance(Duration.ofHours(1).minusMillis(1));
		assertThat(refused(VerificationAction.CODE_CHECK, keys).getRetryAfter()).isEqualTo(Duration.ofMillis(1));
		this.clock.advance(Duration.ofMillis(1));
		for (int i = 0; i < 5; i++) {
			this.limiter.acquire(VerificationAction.CODE_CHECK, keys);
		}
		refused(VerificationAction.CODE_CHECK, keys);
	}

	@Test
	void acquireWhenRefusedThenNothingCounted() {
		this.limiter.setLimits(new VerificationLimits(5, 5, 2, 5, 5, 50, Duration.ofHours(1)));
		String ip = "203.0.113.7";
		this.limiter.acquire(VerificationAction.CODE_SEND, VerificationLimitKeys.of("+8613800000001", "s1", ip));
		this.limiter.acquire(VerificationAction.CODE_SEND, VerificationLimitKeys.of("+8613800000002", "s2", ip));
		// the IP is exhausted: the refused send must not count against the new target or subject
		refused(VerificationAction.CODE_SEND, VerificationLimitKeys.of("+8613800000003", "s3", ip));
		for (int i = 0; i < 5; i++) {
			this.limiter.acquire(VerificationAction.CODE_SEND,
					VerificationLimitKeys.of("+8613800000003", "s3", "198.51.100." + i));
		}
		refused(VerificationAction.CODE_SEND, VerificationLimitKeys.of("+8613800000003", "s4", "198.51.100.9"));
	}

	@Test
	void acquireWhenSameTargetInNewFlowsThenLimitShared() {
		// three Apple sign-ins, three addresses, one victim's number written three ways
		this.limiter.acquire(VerificationAction.CODE_CHECK, VerificationLimitKeys.of("+86 138-0000-0001", "s1", "10.0.0.1"));
		this.limiter.acquire(VerificationAction.CODE_CHECK, VerificationLimitKeys.of("8613800000001", "s1", "10.0.0.1"));
		this.limiter.acquire(VerificationAction.CODE_CHECK, VerificationLimitKeys.of("008613800000001", "s2", "10.0.0.2"));
		this.limiter.acquire(VerificationAction.CODE_CHECK, VerificationLimitKeys.of("+8613800000001", "s2", "10.0.0.2"));
		this.limiter.acquire(VerificationAction.CODE_CHECK, VerificationLimitKeys.of("+8613800000001 ", "s3", "10.0.0.3"));
		refused(VerificationAction.CODE_CHECK, VerificationLimitKeys.of("+8613800000001", "s3", "10.0.0.3"));
		// another target is not affected
		assertThatNoException().isThrownBy(() -> this.limiter.acquire(VerificationAction.CODE_CHECK,
				VerificationLimitKeys.of("+8613800000002", "s4", "10.0.0.4")));
	}

	@Test
	void acquireWhenSendsExhaustedThenChecksStillCounted() {
		List<String> keys = VerificationLimitKeys.of("bob@example.com", "s1", "10.0.0.1");
		for (int i = 0; i < 5; i++) {
			this.limiter.acquire(VerificationAction.CODE_SEND, keys);
		}
		refused(VerificationAction.CODE_SEND, keys);
		for (int i = 0; i < 5; i++) {
			this.limiter.acquire(VerificationAction.CODE_CHECK, keys);
		}
		refused(VerificationAction.CODE_CHECK, keys);
	}

	@Test
	void resetWhenCodeChecksThenCountsFromZeroButSendsKept() {
		List<String> keys = VerificationLimitKeys.of("bob@example.com", "s1", "10.0.0.1");
		for (int i = 0; i < 5; i++) {
			this.limiter.acquire(VerificationAction.CODE_SEND, keys);
			this.limiter.acquire(VerificationAction.CODE_CHECK, keys);
		}
		this.limiter.reset(VerificationAction.CODE_CHECK, keys);
		for (int i = 0; i < 5; i++) {
			this.limiter.acquire(VerificationAction.CODE_CHECK, keys);
		}
		refused(VerificationAction.CODE_CHECK, keys);
		refused(VerificationAction.CODE_SEND, keys);
	}

	@Test
	void acquireWhenParallelThenExactlyLimitPass() throws Exception {
		List<String> keys = VerificationLimitKeys.of("+8613800000001", "s1", "10.0.0.1");
		ExecutorService executor = Executors.newFixedThreadPool(20);
		try {
			for (int trial = 0; trial < 20; trial++) {
				this.clock.advance(Duration.ofHours(2));
				CountDownLatch go = new CountDownLatch(1);
				List<Future<Boolean>> futures = new ArrayList<>();
				for (int i = 0; i < 20; i++) {
					futures.add(executor.submit(attempt(go, keys)));
				}
				go.countDown();
				int passed = 0;
				for (Future<Boolean> future : futures) {
					passed += future.get(10, TimeUnit.SECONDS) ? 1 : 0;
				}
				assertThat(passed).isEqualTo(5);
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void acquireWhenMaxEntriesThenEndingFirstDroppedAndExpiredDropped() {
		this.limiter.setMaxEntries(6);
		List<String> first = VerificationLimitKeys.of("+8613800000001", "s1", "10.0.0.1");
		for (int i = 0; i < 5; i++) {
			this.limiter.acquire(VerificationAction.CODE_SEND, first);
		}
		this.clock.advance(Duration.ofMinutes(1));
		this.limiter.acquire(VerificationAction.CODE_SEND, VerificationLimitKeys.of("+8613800000002", "s2", "10.0.0.2"));
		assertThat(this.limiter.size()).isEqualTo(6);
		this.clock.advance(Duration.ofMinutes(1));
		this.limiter.acquire(VerificationAction.CODE_SEND, VerificationLimitKeys.of("+8613800000003", "s3", "10.0.0.3"));
		// bounded: the three windows ending first (the first send's) made room
		assertThat(this.limiter.size()).isEqualTo(6);
		assertThatNoException().isThrownBy(() -> this.limiter.acquire(VerificationAction.CODE_SEND, first));
		// expired windows are dropped without waiting for the bound
		this.clock.advance(Duration.ofHours(2));
		this.limiter.acquire(VerificationAction.CODE_SEND, VerificationLimitKeys.of("+8613800000004", "s4", "10.0.0.4"));
		assertThat(this.limiter.size()).isEqualTo(3);
	}

	@Test
	void acquireWhenRefusedThenMessageNamesTheActionAndNoTarget() {
		List<String> keys = VerificationLimitKeys.of("bob@example.com", "s1", "10.0.0.1");
		for (int i = 0; i < 5; i++) {
			this.limiter.acquire(VerificationAction.CODE_SEND, keys);
			this.limiter.acquire(VerificationAction.CODE_CHECK, keys);
		}
		assertThat(refused(VerificationAction.CODE_SEND, keys).getMessage())
			.isEqualTo("IDAAS.STARTER.TOO_MANY_CODES: Too many verification codes were sent");
		assertThat(refused(VerificationAction.CODE_CHECK, keys).getMessage())
			.isEqualTo("IDAAS.STARTER.TOO_MANY_CODES: Too many verification codes were checked");
	}

	@Test
	void setMaxEntriesWhenOneThenOnlyTheLastWindowKept() {
		this.limiter.setMaxEntries(1);
		this.limiter.acquire(VerificationAction.CODE_SEND, VerificationLimitKeys.of("+8613800000001", "s1", "10.0.0.1"));
		assertThat(this.limiter.size()).isEqualTo(1);
	}

	@Test
	void settersAndArgumentsWhenInvalidThenIllegalArgument() {
		List<String> keys = VerificationLimitKeys.of("+8613800000001", "s1", "10.0.0.1");
		assertThatIllegalArgumentException().isThrownBy(() -> this.limiter.setLimits(null))
			.withMessage("limits cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.limiter.setMaxEntries(0))
			.withMessage("maxEntries must be at least 1");
		assertThatIllegalArgumentException().isThrownBy(() -> this.limiter.setClock(null))
			.withMessage("clock cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.limiter.acquire(null, keys))
			.withMessage("action cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.limiter.acquire(VerificationAction.CODE_SEND, null))
			.withMessage("keys cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.limiter.reset(null, keys))
			.withMessage("action cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.limiter.reset(VerificationAction.CODE_SEND, null))
			.withMessage("keys cannot be null");
		assertThat(this.limiter.size()).isZero();
	}

	@Test
	void acquireWhenKeyNotFromVerificationLimitKeysThenIllegalArgument() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.limiter.acquire(VerificationAction.CODE_SEND, List.of("+8613800000001")));
	}

	@Test
	void keysWhenBuiltThenHashedNormalisedAndScoped() {
		List<String> keys = VerificationLimitKeys.of(" Bob@Example.COM ", "apple-sign-in-1", "2001:DB8::1");
		assertThat(keys).hasSize(3);
		assertThat(keys.get(0)).matches("target:[0-9a-f]{64}");
		assertThat(keys.get(1)).matches("subject:[0-9a-f]{64}");
		assertThat(keys.get(2)).matches("ip:[0-9a-f]{64}");
		assertThat(keys).isEqualTo(VerificationLimitKeys.of("bob@example.com", "apple-sign-in-1", "2001:db8::1"));
		assertThat(String.join(",", keys)).doesNotContainIgnoringCase("bob").doesNotContain("apple-sign-in")
			.doesNotContainIgnoringCase("db8");
		assertThat(VerificationLimitKeys.of("+8613800000001", "s", "ip").get(0))
			.isNotEqualTo(VerificationLimitKeys.of("+8613800000002", "s", "ip").get(0));
		assertThatIllegalArgumentException().isThrownBy(() -> VerificationLimitKeys.of(" ", "s", "ip"));
	}

	private Callable<Boolean> attempt(CountDownLatch go, List<String> keys) {
		return () -> {
			go.await();
			try {
				this.limiter.acquire(VerificationAction.CODE_SEND, keys);
				return true;
			}
			catch (TooManyVerificationCodesException ex) {
				return false;
			}
		};
	}

	private TooManyVerificationCodesException refused(VerificationAction action, List<String> keys) {
		TooManyVerificationCodesException ex = catchThrowableOfType(TooManyVerificationCodesException.class,
				() -> this.limiter.acquire(action, keys));
		assertThat(ex).as("refused").isNotNull();
		return ex;
	}

	static final class MutableClock extends Clock {

		private volatile Instant instant;

		MutableClock(Instant instant) {
			this.instant = instant;
		}

		void advance(Duration duration) {
			this.instant = this.instant.plus(duration);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			throw new UnsupportedOperationException();
		}

		@Override
		public Instant instant() {
			return this.instant;
		}

	}

}

package dev.idaas.spring.web.session;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link RefreshFailureBackoff}.
 */
class RefreshFailureBackoffTests {

	private final RefreshFailureBackoff backoff = new RefreshFailureBackoff(Duration.ofSeconds(5), 3);

	@Test
	void remainingMillisWhenFailedThenBackoffFromFailureAndZeroAfter() {
		assertThat(this.backoff.remainingMillis("s1", 1_000)).isZero();
		this.backoff.failed("s1", 1_000);
		assertThat(this.backoff.remainingMillis("s1", 1_000)).isEqualTo(5_000);
		assertThat(this.backoff.remainingMillis("s1", 5_999)).isEqualTo(1);
		assertThat(this.backoff.remainingMillis("s1", 6_000)).isZero();
		// other sessions are not held back
		assertThat(this.backoff.remainingMillis("s2", 1_000)).isZero();
	}

	@Test
	void clearWhenRefreshSucceededThenNoBackoff() {
		this.backoff.failed("s1", 1_000);
		this.backoff.clear("s1");
		assertThat(this.backoff.remainingMillis("s1", 1_001)).isZero();
		assertThat(this.backoff.size()).isZero();
	}

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
	void failedWhenFullOfLiveEntriesThenStaysBounded() {
		for (int i = 0; i < 100; i++) {
			this.backoff.failed("s" + i, 1_000);
			assertThat(this.backoff.size()).isLessThanOrEqualTo(3);
		}
		// the newest failure is always remembered
		assertThat(this.backoff.remainingMillis("s99", 1_000)).isEqualTo(5_000);
	}

	@Test
	void constructorWhenZeroBackoffThenException() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RefreshFailureBackoff(Duration.ZERO, 3))
			.withMessage("backoff must be positive");
		assertThatIllegalArgumentException().isThrownBy(() -> new RefreshFailureBackoff(Duration.ofSeconds(1), 0))
			.withMessage("maxEntries must be positive");
	}

}

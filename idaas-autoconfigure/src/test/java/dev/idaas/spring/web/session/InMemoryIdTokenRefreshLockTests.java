package dev.idaas.spring.web.session;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link InMemoryIdTokenRefreshLock}: the {@link IdTokenRefreshLock} contract.
 */
class InMemoryIdTokenRefreshLockTests {

	private final InMemoryIdTokenRefreshLock lock = new InMemoryIdTokenRefreshLock();

	@Test
	void tryLockWhenHeldThenNullUntilReleased() {
		IdTokenRefreshLock.Handle first = this.lock.tryLock("s1");
		assertThat(first).isNotNull();
		assertThat(this.lock.tryLock("s1")).isNull();
		assertThat(this.lock.tryLock("s2")).isNotNull();
		first.release();
		assertThat(this.lock.isLocked("s1")).isFalse();
		assertThat(this.lock.tryLock("s1")).isNotNull();
	}

	@Test
	void releaseWhenCalledTwiceThenDoesNotReleaseNextHolder() {
		IdTokenRefreshLock.Handle first = this.lock.tryLock("s1");
		first.release();
		IdTokenRefreshLock.Handle second = this.lock.tryLock("s1");
		first.release();
		assertThat(this.lock.isLocked("s1")).isTrue();
		second.release();
	}

	@Test
	void awaitUnlockedWhenFreeThenTrueAtOnce() throws Exception {
		assertThat(this.lock.awaitUnlocked("s1", Duration.ZERO)).isTrue();
	}

	@Test
	void awaitUnlockedWhenHeldPastTimeoutThenFalse() throws Exception {
		this.lock.tryLock("s1");
		assertThat(this.lock.awaitUnlocked("s1", Duration.ofMillis(20))).isFalse();
	}

	@Test
	void awaitUnlockedWhenReleasedByOtherThreadThenTrue() throws Exception {
		IdTokenRefreshLock.Handle held = this.lock.tryLock("s1");
		CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
			try {
				return this.lock.awaitUnlocked("s1", Duration.ofSeconds(10));
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		assertThat(waiter).isNotDone();
		held.release();
		assertThat(waiter.get(10, TimeUnit.SECONDS)).isTrue();
	}

}

package dev.idaas.spring.web.session;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * An {@link IdTokenRefreshLock} for the requests of one node: one in-flight future per session
 * key, removed when the refresh completes.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see RedisIdTokenRefreshLock
 */
public final class InMemoryIdTokenRefreshLock implements IdTokenRefreshLock {

	private final ConcurrentHashMap<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();

	/**
	 * Creates the lock.
	 * @since 0.1
	 */
	public InMemoryIdTokenRefreshLock() {
	}

	@Override
	public @Nullable Handle tryLock(String sessionKey) {
		Assert.notNull(sessionKey, "sessionKey cannot be null");
		CompletableFuture<Void> refresh = new CompletableFuture<>();
		if (this.inFlight.putIfAbsent(sessionKey, refresh) != null) {
			return null;
		}
		return () -> {
			this.inFlight.remove(sessionKey, refresh);
			refresh.complete(null);
		};
	}

	@Override
	public boolean awaitUnlocked(String sessionKey, Duration timeout) throws InterruptedException {
		Assert.notNull(sessionKey, "sessionKey cannot be null");
		Assert.notNull(timeout, "timeout cannot be null");
		CompletableFuture<Void> refresh = this.inFlight.get(sessionKey);
		if (refresh == null) {
			return true;
		}
		try {
			refresh.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
			return true;
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (ExecutionException ex) {
			return true;
		}
	}

	/**
	 * Whether a refresh of the session is in flight (for diagnostics and tests).
	 * @param sessionKey identifies the session
	 * @return {@code true} while the lock is held
	 * @since 0.1
	 */
	public boolean isLocked(String sessionKey) {
		return this.inFlight.containsKey(sessionKey);
	}

}

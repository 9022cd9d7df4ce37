package dev.idaas.spring.web.session;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Makes the id_token refresh of one session single-flight: while one caller holds the lock of a
 * session and calls IDaaS, the others either go on with the still-valid id_token or wait for
 * the lock to be released and then re-read the session. The default
 * {@link InMemoryIdTokenRefreshLock} coordinates the requests of one node;
 * {@link RedisIdTokenRefreshLock} coordinates a cluster sharing its sessions.
 * <p>
 * Session keys are opaque and may be sensitive (an HTTP session id): implementations must not
 * log them or store them in clear outside the process.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdTokenRefresher#setRefreshLock(IdTokenRefreshLock)
 */
public interface IdTokenRefreshLock {

	/**
	 * Takes the refresh lock of a session, without waiting.
	 * @param sessionKey identifies the session
	 * @return the held lock, to be released once the refreshed authentication is stored; or
	 * {@code null} when another caller holds it
	 * @since 0.1
	 */
	@Nullable Handle tryLock(String sessionKey);

	/**
	 * Waits until the refresh lock of a session is free.
	 * @param sessionKey identifies the session
	 * @param timeout how long to wait at most
	 * @return {@code true} when the lock is free, {@code false} when the timeout passed first
	 * @throws InterruptedException when the waiting thread is interrupted
	 * @since 0.1
	 */
	boolean awaitUnlocked(String sessionKey, Duration timeout) throws InterruptedException;

	/**
	 * A held refresh lock.
	 *
	 * @since 0.1
	 */
	@FunctionalInterface
	interface Handle {

		/**
		 * Releases the lock. Calling it again has no effect.
		 * @since 0.1
		 */
		void release();

	}

}

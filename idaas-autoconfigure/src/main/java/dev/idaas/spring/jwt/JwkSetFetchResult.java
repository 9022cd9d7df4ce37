package dev.idaas.spring.jwt;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The outcome of one attempt to fetch the tenant's JSON Web Key Set, for health reporting.
 *
 * @param time when the fetch was attempted
 * @param successful whether the fetch produced a usable key set (the cache was replaced)
 * @param keyCount the number of usable keys read; {@code 0} when the fetch failed
 * @param failure a short description of the failure, such as {@code "HTTP 503"}, or
 * {@code null} when the fetch succeeded
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see JwkSetKeySource#getLastFetch()
 */
public record JwkSetFetchResult(Instant time, boolean successful, int keyCount, @Nullable String failure) {

	/**
	 * Creates the result.
	 * @since 0.1
	 */
	public JwkSetFetchResult {
		Assert.notNull(time, "time cannot be null");
		Assert.isTrue(keyCount >= 0, "keyCount cannot be negative");
		Assert.isTrue(successful == (failure == null), "failure must be set exactly when the fetch failed");
	}

	/**
	 * Creates a successful result.
	 * @param time when the fetch was attempted
	 * @param keyCount the number of usable keys read
	 * @return the result
	 * @since 0.1
	 */
	public static JwkSetFetchResult success(Instant time, int keyCount) {
		return new JwkSetFetchResult(time, true, keyCount, null);
	}

	/**
	 * Creates a failed result.
	 * @param time when the fetch was attempted
	 * @param failure a short description of the failure
	 * @return the result
	 * @since 0.1
	 */
	public static JwkSetFetchResult failure(Instant time, String failure) {
		Assert.hasText(failure, "failure cannot be empty");
		return new JwkSetFetchResult(time, false, 0, failure);
	}

}

package dev.idaas.spring.web.flow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.Assert;

/**
 * A {@link VerificationRateLimiter} for a single node: the windows live in this node's
 * memory, so a cluster should use {@link RedisVerificationRateLimiter} (each node would
 * otherwise allow the full limits). Counts are shared by every flow and session of the node.
 * <p>
 * Memory is bounded: windows are dropped once expired, and when more than
 * {@link #setMaxEntries(int) max entries} windows are open the ones closest to their end are
 * dropped first (a warning is logged; with the default 100,000 this takes thousands of client
 * addresses within one window).
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see RedisVerificationRateLimiter
 */
public final class InMemoryVerificationRateLimiter implements VerificationRateLimiter {

	/**
	 * The default bound on the number of open windows.
	 */
	public static final int DEFAULT_MAX_ENTRIES = 100_000;

	private static final Log logger = LogFactory.getLog(InMemoryVerificationRateLimiter.class);

	private final Object lock = new Object();

	/**
	 * Insertion order: a window is re-inserted when it restarts, and every window lasts the same,
	 * so the head is always the window that ends first.
	 */
	private final LinkedHashMap<String, Window> windows = new LinkedHashMap<>();

	private VerificationLimits limits = VerificationLimits.defaults();

	private int maxEntries = DEFAULT_MAX_ENTRIES;

	private Clock clock = Clock.systemUTC();

	/**
	 * Creates a limiter with the {@link VerificationLimits#defaults() default limits}.
	 * @since 0.1
	 */
	public InMemoryVerificationRateLimiter() {
	}

	/**
	 * Sets the limits and the window.
	 * @param limits the limits; defaults to {@link VerificationLimits#defaults()}
	 * @since 0.1
	 */
	public void setLimits(VerificationLimits limits) {
		Assert.notNull(limits, "limits cannot be null");
		this.limits = limits;
	}

	/**
	 * Sets how many windows may be open at once before the ones ending first are dropped.
	 * @param maxEntries at least 1; defaults to {@value #DEFAULT_MAX_ENTRIES}
	 * @since 0.1
	 */
	public void setMaxEntries(int maxEntries) {
		Assert.isTrue(maxEntries >= 1, "maxEntries must be at least 1");
		this.maxEntries = maxEntries;
	}

	/**
	 * Sets the clock.
	 * @param clock the clock; defaults to the system UTC clock
	 * @since 0.1
	 */
	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	@Override
	public void acquire(VerificationAction action, List<String> keys) {
		Assert.notNull(action, "action cannot be null");
		Assert.notNull(keys, "keys cannot be null");
		Set<String> distinct = new LinkedHashSet<>(keys);
		VerificationLimits limits = this.limits;
		synchronized (this.lock) {
			Instant now = this.clock.instant();
			dropExpired(now);
			Duration wait = Duration.ZERO;
			for (String key : distinct) {
				int limit = limits.limit(action, key);
				Window window = this.windows.get(entryKey(action, key));
				if (window != null && window.isOpen(now) && window.count() >= limit) {
					Duration left = Duration.between(now, window.endsAt());
					wait = (left.compareTo(wait) > 0) ? left : wait;
				}
			}
			if (!wait.isZero()) {
				throw new TooManyVerificationCodesException(describe(action), wait);
			}
			for (String key : distinct) {
				String entryKey = entryKey(action, key);
				Window window = this.windows.get(entryKey);
				if (window != null && window.isOpen(now)) {
					// replacing a value keeps its place in the insertion order
					this.windows.put(entryKey, window.next());
				}
				else {
					this.windows.remove(entryKey);
					this.windows.put(entryKey, new Window(1, now.plus(limits.window())));
				}
			}
			dropOverflow();
		}
	}

	@Override
	public void reset(VerificationAction action, List<String> keys) {
		Assert.notNull(action, "action cannot be null");
		Assert.notNull(keys, "keys cannot be null");
		synchronized (this.lock) {
			for (String key : keys) {
				this.windows.remove(entryKey(action, key));
			}
		}
	}

	/**
	 * The number of open windows (including expired ones not yet dropped).
	 */
	int size() {
		synchronized (this.lock) {
			return this.windows.size();
		}
	}

	private void dropExpired(Instant now) {
		Iterator<Window> iterator = this.windows.values().iterator();
		while (iterator.hasNext()) {
			if (iterator.next().isOpen(now)) {
				return;
			}
			iterator.remove();
		}
	}

	private void dropOverflow() {
		int excess = this.windows.size() - this.maxEntries;
		if (excess <= 0) {
			return;
		}
		logger.warn("More than " + this.maxEntries + " verification limit windows are open; dropping the " + excess
				+ " ending first");
		Iterator<Map.Entry<String, Window>> iterator = this.windows.entrySet().iterator();
		for (int i = 0; i < excess && iterator.hasNext(); i++) {
			iterator.next();
			iterator.remove();
		}
	}

	private static String entryKey(VerificationAction action, String key) {
		return action.name() + ':' + key;
	}

	static String describe(VerificationAction action) {
		return (action == VerificationAction.CODE_SEND) ? "Too many verification codes were sent"
				: "Too many verification codes were checked";
	}

	private record Window(int count, Instant endsAt) {

		boolean isOpen(Instant now) {
			return now.isBefore(this.endsAt);
		}

		Window next() {
			return new Window(this.count + 1, this.endsAt);
		}

	}

}

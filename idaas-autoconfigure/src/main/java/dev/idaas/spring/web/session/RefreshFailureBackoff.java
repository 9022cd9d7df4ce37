package dev.idaas.spring.web.session;

import java.time.Duration;
import java.util.Iterator;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

import org.springframework.util.Assert;

/**
 * When a node may call IDaaS again to refresh an id_token after transient failures (busy,
 * unreachable, read timeout, unreadable answer). Two limits, both per node:
 * <ul>
 * <li><b>Per session</b>, exponential back-off with jitter: after its {@code n}-th failure in a
 * row a session waits {@code backoff + random(0, min(max-backoff, backoff * 2^(n-1)) - backoff)};
 * the first wait is exactly {@code backoff}, later ones spread between {@code backoff} and
 * {@code max-backoff}, so sessions that failed together do not retry together.</li>
 * <li><b>Per node</b>, a circuit: after any transient failure the node lets at most one refresh
 * (the probe) through per {@link #getProbeInterval() probe interval}, however many sessions
 * are due. A session held back by the circuit is scheduled as if it had failed (its wait grows
 * and is jittered the same way). The first successful refresh closes the circuit.</li>
 * <li><b>Recovery</b>: the sessions that fell due while the circuit was open come back spread
 * over a window as long as the circuit was open (at most {@code max-backoff}): each session has
 * a slot in the window given by a hash of its key, so every node of a cluster gives a session
 * the same slot (independent random draws on N nodes would let the earliest of N win and
 * squeeze the spread N-fold). A backlog that built up over {@code T} seconds is thus replayed
 * over {@code T} seconds, at about the steady-state rate on top of the steady-state traffic.
 * After a short blip the window is as short.</li>
 * </ul>
 * The per-session map is bounded: past {@link #getMaxEntries() max-entries} sessions, elapsed
 * entries are dropped first, then arbitrary ones (a dropped session may only retry sooner; the
 * circuit still bounds the node). Keys are the refresher's session keys, never tokens. Time is
 * passed in by the caller (the refresher's {@link java.time.Clock}); the random source is
 * injectable, so the schedule is deterministic in tests.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdTokenRefresher#setRefreshFailureBackoff(RefreshFailureBackoff)
 */
public final class RefreshFailureBackoff {

	/**
	 * The default bound of the per-session map.
	 * @since 0.1
	 */
	public static final int DEFAULT_MAX_ENTRIES = 1024;

	/**
	 * The default longest per-session back-off.
	 */
	static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

	/**
	 * The default probe interval of the circuit.
	 */
	static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(1);

	/** {@link #probeAt} when the circuit is closed. */
	private static final long CLOSED = Long.MIN_VALUE;

	private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();

	/** When the next probe may go through while the circuit is open, or {@link #CLOSED}. */
	private final AtomicLong probeAt = new AtomicLong(CLOSED);

	/** When the circuit last opened. */
	private volatile long openedAt;

	/** The last recovery: sessions are spread over its window. */
	private volatile Recovery recovery = new Recovery(0, 0);

	private final long backoffMillis;

	private final long maxBackoffMillis;

	private final long probeIntervalMillis;

	private final int maxEntries;

	private final RandomGenerator random;

	/**
	 * Creates a back-off with the default cap (30 s), probe interval (1 s) and bound.
	 * @param backoff the first back-off of a session, positive
	 * @since 0.1
	 */
	public RefreshFailureBackoff(Duration backoff) {
		this(backoff, defaultMaxBackoff(backoff), DEFAULT_PROBE_INTERVAL, DEFAULT_MAX_ENTRIES, new Random());
	}

	private static Duration defaultMaxBackoff(Duration backoff) {
		Assert.notNull(backoff, "backoff cannot be null");
		return Duration.ofMillis(Math.max(backoff.toMillis(), DEFAULT_MAX_BACKOFF.toMillis()));
	}

	/**
	 * Creates a back-off.
	 * @param backoff the first back-off of a session, positive
	 * @param maxBackoff the longest back-off of a session, at least {@code backoff}
	 * @param probeInterval how often the node lets one refresh through while IDaaS is failing,
	 * positive
	 * @param maxEntries the most sessions remembered, positive
	 * @param random the source of the jitter (thread-safe, e.g. {@link Random})
	 * @since 0.1
	 */
	public RefreshFailureBackoff(Duration backoff, Duration maxBackoff, Duration probeInterval, int maxEntries,
			RandomGenerator random) {
		Assert.notNull(backoff, "backoff cannot be null");
		Assert.notNull(maxBackoff, "maxBackoff cannot be null");
		Assert.notNull(probeInterval, "probeInterval cannot be null");
		Assert.notNull(random, "random cannot be null");
		Assert.isTrue(backoff.toMillis() > 0, "backoff must be positive");
		Assert.isTrue(maxBackoff.compareTo(backoff) >= 0, "maxBackoff cannot be less than backoff");
		Assert.isTrue(probeInterval.toMillis() > 0, "probeInterval must be positive");
		Assert.isTrue(maxEntries > 0, "maxEntries must be positive");
		this.backoffMillis = backoff.toMillis();
		this.maxBackoffMillis = maxBackoff.toMillis();
		this.probeIntervalMillis = probeInterval.toMillis();
		this.maxEntries = maxEntries;
		this.random = random;
	}

	/**
	 * The first back-off of a session after a failure.
	 * @return the duration
	 * @since 0.1
	 */
	public Duration getBackoff() {
		return Duration.ofMillis(this.backoffMillis);
	}

	/**
	 * The longest back-off of a session.
	 * @return the duration
	 * @since 0.1
	 */
	public Duration getMaxBackoff() {
		return Duration.ofMillis(this.maxBackoffMillis);
	}

	/**
	 * How often the node lets one refresh through while IDaaS is failing.
	 * @return the duration
	 * @since 0.1
	 */
	public Duration getProbeInterval() {
		return Duration.ofMillis(this.probeIntervalMillis);
	}

	/**
	 * The most sessions remembered.
	 * @return the bound
	 * @since 0.1
	 */
	public int getMaxEntries() {
		return this.maxEntries;
	}

	/**
	 * Asks whether the session may call IDaaS now. Zero means yes (and, while the circuit is
	 * open, this caller takes the one probe of the interval: it must report the outcome with
	 * {@link #failed} or {@link #succeeded}). Otherwise the session is held back: by its own
	 * back-off, by the open circuit (and then scheduled as if it had failed), or, shortly after a
	 * recovery, until its slot in the recovery window.
	 * @param sessionKey the session
	 * @param now epoch milliseconds
	 * @return zero to call IDaaS now, else how many milliseconds the session must wait
	 * @since 0.1
	 */
	public long acquire(String sessionKey, long now) {
		long wait = remainingMillis(sessionKey, now);
		if (wait > 0) {
			return wait;
		}
		long probe = this.probeAt.get();
		if (probe == CLOSED) {
			return this.recovery.slotMillis(sessionKey, now);
		}
		if (probe <= now && this.probeAt.compareAndSet(probe, now + this.probeIntervalMillis)) {
			return 0;
		}
		return defer(sessionKey, now);
	}

	/**
	 * How long the session must still wait before its next refresh attempt, without changing
	 * anything.
	 * @param sessionKey the session
	 * @param now epoch milliseconds
	 * @return the remaining milliseconds, zero when it has no back-off of its own
	 * @since 0.1
	 */
	public long remainingMillis(String sessionKey, long now) {
		Assert.notNull(sessionKey, "sessionKey cannot be null");
		Failures entry = this.failures.get(sessionKey);
		return (entry != null) ? Math.max(entry.retryAt() - now, 0) : 0;
	}

	/**
	 * Records a transient failure of the session's refresh: the session backs off (longer after
	 * each failure in a row), and the node's circuit opens, or stays open, for a probe interval.
	 * @param sessionKey the session
	 * @param now epoch milliseconds
	 * @return how many milliseconds the session must now wait, positive
	 * @since 0.1
	 */
	public long failed(String sessionKey, long now) {
		long wait = defer(sessionKey, now);
		if (this.probeAt.getAndSet(now + this.probeIntervalMillis) == CLOSED) {
			this.openedAt = now;
		}
		return wait;
	}

	/**
	 * Records a successful refresh: the session is forgotten and, if the circuit was open, it
	 * closes and a recovery window as long as it was open (at most {@code max-backoff}) begins.
	 * @param sessionKey the session
	 * @param now epoch milliseconds
	 * @since 0.1
	 */
	public void succeeded(String sessionKey, long now) {
		clear(sessionKey);
		if (this.probeAt.getAndSet(CLOSED) != CLOSED) {
			this.recovery = new Recovery(now, Math.min(now - this.openedAt, this.maxBackoffMillis));
		}
	}

	/**
	 * Forgets the session (after a sign-out); the circuit stays as it is.
	 * @param sessionKey the session
	 * @since 0.1
	 */
	public void clear(String sessionKey) {
		Assert.notNull(sessionKey, "sessionKey cannot be null");
		this.failures.remove(sessionKey);
	}

	/**
	 * Whether the circuit is open: a refresh failed transiently and none has succeeded since.
	 * @return {@code true} while the node lets only probes through
	 * @since 0.1
	 */
	public boolean isOpen() {
		return this.probeAt.get() != CLOSED;
	}

	/**
	 * How many sessions are remembered now.
	 * @return the count
	 * @since 0.1
	 */
	public int size() {
		return this.failures.size();
	}

	private long defer(String sessionKey, long now) {
		Assert.notNull(sessionKey, "sessionKey cannot be null");
		if (this.failures.size() >= this.maxEntries && !this.failures.containsKey(sessionKey)) {
			evict(now);
		}
		Failures entry = this.failures.compute(sessionKey, (key, previous) -> {
			int count = (previous != null) ? previous.count() + 1 : 1;
			return new Failures(count, now + delayMillis(count));
		});
		return entry.retryAt() - now;
	}

	/**
	 * The back-off after the {@code count}-th failure in a row: {@code backoff} plus a uniform
	 * jitter up to the exponential ceiling (capped) minus {@code backoff}.
	 */
	long delayMillis(int count) {
		long ceiling = this.backoffMillis << Math.min(count - 1, 20);
		long spread = Math.min(ceiling, this.maxBackoffMillis) - this.backoffMillis;
		return this.backoffMillis + (long) (this.random.nextDouble() * spread);
	}

	private void evict(long now) {
		this.failures.values().removeIf((entry) -> entry.retryAt() <= now);
		Iterator<String> keys = this.failures.keySet().iterator();
		while (this.failures.size() >= this.maxEntries && keys.hasNext()) {
			keys.next();
			keys.remove();
		}
	}

	/**
	 * Failures in a row of one session, and when it may try again.
	 */
	private record Failures(int count, long retryAt) {
	}

	/**
	 * A recovery: when the circuit closed, and the window the sessions are spread over.
	 */
	private record Recovery(long at, long windowMillis) {

		/**
		 * How long the session must wait for its slot in the window; zero once it is past.
		 */
		long slotMillis(String sessionKey, long now) {
			// the slot lies within the window, so past the window this is zero
			long slot = (long) (slotFraction(sessionKey) * this.windowMillis);
			return Math.max(slot - (now - this.at), 0);
		}

	}

	/**
	 * Where the session's slot lies in a recovery window, in {@code [0, 1)}: the same on every
	 * node, since it depends on the session key only.
	 */
	static double slotFraction(String sessionKey) {
		int h = sessionKey.hashCode();
		// MurmurHash3's finalizer: nearby keys get distant slots
		h ^= h >>> 16;
		h *= 0x85ebca6b;
		h ^= h >>> 13;
		h *= 0xc2b2ae35;
		h ^= h >>> 16;
		return Integer.toUnsignedLong(h) / 4_294_967_296.0;
	}

}

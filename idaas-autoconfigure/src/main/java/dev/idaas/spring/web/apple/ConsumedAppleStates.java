package dev.idaas.spring.web.apple;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.Assert;

/**
 * The states this node has consumed, each remembered until it would have expired anyway, so a
 * state is usable once. The memory is bounded: entries leave by expiry, and when it is full of
 * unexpired states (a flood of sign-in attempts) the oldest is forgotten to make room, with one
 * WARN per episode. It never refuses a fresh state for lack of room: a state forgotten early can
 * only be replayed together with its own signed cookie and the browser's nonce cookie, i.e. by
 * the browser that started that sign-in, and Apple's code in it is single-use anyway.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see AppleAuthorizationStateCookieRepository
 */
final class ConsumedAppleStates {

	private static final Log logger = LogFactory.getLog(AppleAuthorizationStateCookieRepository.class);

	private final int capacity;

	// insertion order, which is (nearly) expiry order: every state lives as long
	private final LinkedHashMap<String, Instant> expiries = new LinkedHashMap<>();

	private boolean warned;

	ConsumedAppleStates(int capacity) {
		Assert.isTrue(capacity > 0, "capacity must be positive");
		this.capacity = capacity;
	}

	/**
	 * Marks a state consumed.
	 * @param state the state
	 * @param expiresAt when the state expires; it is remembered until then
	 * @param now the current time
	 * @return {@code true} the first time, {@code false} when it was consumed already
	 */
	synchronized boolean consume(String state, Instant expiresAt, Instant now) {
		Iterator<Map.Entry<String, Instant>> entries = this.expiries.entrySet().iterator();
		while (entries.hasNext() && now.isAfter(entries.next().getValue())) {
			entries.remove();
		}
		if (this.expiries.containsKey(state)) {
			return false;
		}
		if (this.expiries.size() < this.capacity / 2) {
			this.warned = false;
		}
		if (this.expiries.size() >= this.capacity) {
			Iterator<String> oldest = this.expiries.keySet().iterator();
			oldest.next();
			oldest.remove();
			if (!this.warned) {
				this.warned = true;
				logger.warn("Sign in with Apple: " + this.capacity + " states consumed on this node are still "
						+ "unexpired, far more than genuine sign-ins; forgetting the oldest to keep accepting new "
						+ "ones. A flood of authorize/callback requests is the likely cause.");
			}
		}
		this.expiries.put(state, expiresAt);
		return true;
	}

	synchronized int size() {
		return this.expiries.size();
	}

}

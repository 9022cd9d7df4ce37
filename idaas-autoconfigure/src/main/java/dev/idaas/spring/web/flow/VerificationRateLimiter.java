package dev.idaas.spring.web.flow;

import java.util.List;

/**
 * Counts verification code sends and checks per key (target, flow subject, client IP; see
 * {@link VerificationLimitKeys}) in windows shared by every flow, and by every node when the
 * counts live in a shared store, so neither parallel requests nor new sign-ins nor another node
 * get past a limit.
 * <p>
 * Callers {@link #acquire acquire} before the upstream call (whatever its outcome, the attempt
 * counts) and {@link #reset reset} the {@link VerificationAction#CODE_CHECK} counters after a
 * successful sign-in.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see InMemoryVerificationRateLimiter
 * @see RedisVerificationRateLimiter
 */
public interface VerificationRateLimiter {

	/**
	 * Counts one event for every key, or none when any key already reached its limit: then
	 * nothing is counted and a {@link TooManyVerificationCodesException} says when the last of
	 * the exhausted windows frees. The check and the counting are one atomic step.
	 * @param action what is about to be done
	 * @param keys the keys to count the event for, from {@link VerificationLimitKeys#of}
	 * @throws TooManyVerificationCodesException when a key is over its limit
	 * @since 0.1
	 */
	void acquire(VerificationAction action, List<String> keys);

	/**
	 * Forgets the counts of the given keys for an action, e.g. the code checks once a code was
	 * right.
	 * @param action the action whose counters are cleared
	 * @param keys the keys to clear, from {@link VerificationLimitKeys#of}
	 * @since 0.1
	 */
	void reset(VerificationAction action, List<String> keys);

}

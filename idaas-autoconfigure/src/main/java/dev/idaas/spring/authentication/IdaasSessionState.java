package dev.idaas.spring.authentication;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;

import org.springframework.util.Assert;

/**
 * The IDaaS session of a signed-in user: the session token that obtains new id_tokens and
 * when it expires. Kept inside {@link IdaasAuthenticationToken}, so the session token, the
 * id_token and the principal are stored and replaced together, in one session attribute.
 * Never exposed as credentials or in {@code toString()}.
 *
 * @param sessionToken the IDaaS session token
 * @param sessionTokenExpiresAt when the session token stops being able to obtain id_tokens
 * @param signedInAt when the user signed in (for an absolute session timeout)
 * @param refreshCount how many times the id_token was refreshed in this sign-in
 * @param generation the order of the copies of this sign-in: zero at sign-in, one more after
 * every refresh or session token rotation. Of two copies of one sign-in (same
 * {@code signedInAt}), the one with the higher generation holds the newer session token; a
 * store never replaces it with an older one (see {@link #supersedes(IdaasSessionState)})
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public record IdaasSessionState(String sessionToken, Instant sessionTokenExpiresAt, Instant signedInAt,
		int refreshCount, long generation) implements Serializable {

	@Serial
	private static final long serialVersionUID = 1L;

	/**
	 * Creates the state.
	 */
	public IdaasSessionState {
		Assert.hasText(sessionToken, "sessionToken cannot be empty");
		Assert.notNull(sessionTokenExpiresAt, "sessionTokenExpiresAt cannot be null");
		Assert.notNull(signedInAt, "signedInAt cannot be null");
		Assert.isTrue(refreshCount >= 0, "refreshCount cannot be negative");
		Assert.isTrue(generation >= 0, "generation cannot be negative");
	}

	/**
	 * Creates the state of generation {@code refreshCount} (as every state before generations
	 * existed).
	 * @param sessionToken the IDaaS session token
	 * @param sessionTokenExpiresAt when the session token stops being able to obtain id_tokens
	 * @param signedInAt when the user signed in
	 * @param refreshCount how many times the id_token was refreshed in this sign-in
	 * @since 0.1
	 */
	public IdaasSessionState(String sessionToken, Instant sessionTokenExpiresAt, Instant signedInAt,
			int refreshCount) {
		this(sessionToken, sessionTokenExpiresAt, signedInAt, refreshCount, refreshCount);
	}

	/**
	 * Whether this state is a newer copy of the same sign-in than {@code other}: the same
	 * {@code signedInAt} and a higher {@link #generation()}. A state of another sign-in never
	 * supersedes nor is superseded.
	 * @param other the state it may replace
	 * @return {@code true} when {@code other} must not be written over this one
	 * @since 0.1
	 */
	public boolean supersedes(IdaasSessionState other) {
		Assert.notNull(other, "other cannot be null");
		return this.signedInAt.equals(other.signedInAt) && this.generation > other.generation;
	}

	/**
	 * The state after a refresh that answered with the given (possibly identical) session
	 * token.
	 * @param newSessionToken the session token to keep
	 * @param newExpiresAt its expiry
	 * @return the new state, one refresh and one generation further
	 */
	public IdaasSessionState refreshed(String newSessionToken, Instant newExpiresAt) {
		return new IdaasSessionState(newSessionToken, newExpiresAt, this.signedInAt, this.refreshCount + 1,
				this.generation + 1);
	}

	@Override
	public String toString() {
		return "IdaasSessionState[sessionToken=***, sessionTokenExpiresAt=" + this.sessionTokenExpiresAt
				+ ", signedInAt=" + this.signedInAt + ", refreshCount=" + this.refreshCount + ", generation="
				+ this.generation + "]";
	}

}

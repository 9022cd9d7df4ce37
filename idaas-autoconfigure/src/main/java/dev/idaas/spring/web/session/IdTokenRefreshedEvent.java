package dev.idaas.spring.web.session;

import java.io.Serial;
import java.time.Clock;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;

/**
 * Published after an id_token was refreshed and the new authentication stored. Carries no
 * token: the {@link #getSource() source} is the principal's name.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdTokenRefresher
 */
public class IdTokenRefreshedEvent extends ApplicationEvent {

	@Serial
	private static final long serialVersionUID = 1L;

	private final boolean sessionTokenRotated;

	private final int refreshCount;

	private final @Nullable Instant idTokenExpiresAt;

	/**
	 * Creates the event.
	 * @param principalName the name of the user
	 * @param sessionTokenRotated whether IDaaS answered with a new session token
	 * @param refreshCount how many times the id_token was refreshed in this sign-in
	 * @param idTokenExpiresAt when the new id_token expires, or {@code null}
	 * @param clock the clock giving the event's timestamp
	 * @since 0.1
	 */
	public IdTokenRefreshedEvent(String principalName, boolean sessionTokenRotated, int refreshCount,
			@Nullable Instant idTokenExpiresAt, Clock clock) {
		super(principalName, clock);
		this.sessionTokenRotated = sessionTokenRotated;
		this.refreshCount = refreshCount;
		this.idTokenExpiresAt = idTokenExpiresAt;
	}

	/**
	 * The name of the user.
	 * @return the principal's name
	 * @since 0.1
	 */
	public String getPrincipalName() {
		return (String) getSource();
	}

	/**
	 * Whether IDaaS answered with a new session token (which replaced the old one).
	 * @return {@code true} when the session token was rotated
	 * @since 0.1
	 */
	public boolean isSessionTokenRotated() {
		return this.sessionTokenRotated;
	}

	/**
	 * How many times the id_token was refreshed in this sign-in, this refresh included.
	 * @return the count
	 * @since 0.1
	 */
	public int getRefreshCount() {
		return this.refreshCount;
	}

	/**
	 * When the new id_token expires.
	 * @return the expiry, or {@code null}
	 * @since 0.1
	 */
	public @Nullable Instant getIdTokenExpiresAt() {
		return this.idTokenExpiresAt;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[principal=" + getPrincipalName() + ", sessionTokenRotated="
				+ this.sessionTokenRotated + ", refreshCount=" + this.refreshCount + "]";
	}

}

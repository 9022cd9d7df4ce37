package dev.idaas.spring.web.session;

import java.io.Serial;
import java.time.Clock;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;
import org.springframework.util.Assert;

/**
 * Published when a signed-in IDaaS session ends: the session token was rejected, IDaaS refused
 * the session with a code of its own ({@link IdaasSessionEndReason#VENDOR_REFUSED}, the code kept
 * in {@link #getErrorCode()}), the session ran past its absolute expiry, a refreshed id_token
 * named another user, or the user signed out. Carries no token: the {@link #getSource() source}
 * is the principal's name.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdTokenRefresher
 * @see IdaasLogoutHandler
 */
public class IdaasSessionEndedEvent extends ApplicationEvent {

	@Serial
	private static final long serialVersionUID = 1L;

	private final @Nullable String subject;

	private final IdaasSessionEndReason reason;

	private final @Nullable String errorCode;

	/**
	 * Creates the event.
	 * @param principalName the name of the user whose session ended
	 * @param subject the id_token's {@code sub}, or {@code null}
	 * @param reason why the session ended
	 * @param errorCode the IDaaS or starter error code behind it, or {@code null} (logout)
	 * @param clock the clock giving the event's timestamp
	 * @since 0.1
	 */
	public IdaasSessionEndedEvent(String principalName, @Nullable String subject, IdaasSessionEndReason reason,
			@Nullable String errorCode, Clock clock) {
		super(principalName, clock);
		Assert.notNull(reason, "reason cannot be null");
		this.subject = subject;
		this.reason = reason;
		this.errorCode = errorCode;
	}

	/**
	 * The name of the user whose session ended.
	 * @return the principal's name
	 * @since 0.1
	 */
	public String getPrincipalName() {
		return (String) getSource();
	}

	/**
	 * The id_token's {@code sub} of the user whose session ended.
	 * @return the subject, or {@code null}
	 * @since 0.1
	 */
	public @Nullable String getSubject() {
		return this.subject;
	}

	/**
	 * Why the session ended.
	 * @return the reason
	 * @since 0.1
	 */
	public IdaasSessionEndReason getReason() {
		return this.reason;
	}

	/**
	 * The IDaaS or starter error code behind the end, e.g. {@code IDAAS.SDK.PARAM.0023}.
	 * @return the code, or {@code null} for a logout
	 * @since 0.1
	 */
	public @Nullable String getErrorCode() {
		return this.errorCode;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[principal=" + getPrincipalName() + ", reason=" + this.reason
				+ ", errorCode=" + this.errorCode + "]";
	}

}

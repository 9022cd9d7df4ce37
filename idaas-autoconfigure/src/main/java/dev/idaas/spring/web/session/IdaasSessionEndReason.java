package dev.idaas.spring.web.session;

/**
 * Why a signed-in IDaaS session ended.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSessionEndedEvent
 */
public enum IdaasSessionEndReason {

	/**
	 * IDaaS rejected the session token ({@code PARAM.0022}, {@code PARAM.0023}) or the user was
	 * disabled.
	 */
	INVALID_SESSION_TOKEN,

	/**
	 * The session token's own expiry or the absolute session timeout
	 * ({@code idaas.session.absolute-timeout}) passed; IDaaS was not called.
	 */
	ABSOLUTE_EXPIRY,

	/**
	 * A refreshed id_token named another user ({@code iss}, {@code sub} or {@code aud} changed).
	 */
	SUBJECT_CHANGED,

	/**
	 * IDaaS refused to refresh the session with a well-formed error code the starter does not
	 * know ({@link dev.idaas.spring.client.IdaasErrorCategory#VENDOR_REFUSED}, e.g. a risk
	 * control's {@code IDAAS.SDK.RISK.0001} "Account frozen"): the vendor said no to this
	 * session, so retrying would not help. The vendor's {@code error_msg} is what the user is
	 * shown ({@link IdaasSessionExpiredException#getVendorMessage()}).
	 */
	VENDOR_REFUSED,

	/**
	 * The user signed out.
	 */
	LOGOUT

}

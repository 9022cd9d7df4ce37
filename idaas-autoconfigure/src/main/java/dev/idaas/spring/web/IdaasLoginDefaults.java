package dev.idaas.spring.web;

import java.net.URI;
import java.time.Duration;

/**
 * The one place each default of IDaaS sign-in is written: the filters, the flow stores,
 * {@code IdaasLoginConfigurer} and the {@code idaas.*} properties all start from these values
 * (the properties repeat them as literals, which the configuration-metadata processor can
 * read, and a test holds the two equal).
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public final class IdaasLoginDefaults {

	/**
	 * Path that accepts an Apple authorization code ({@code POST}, JSON or form):
	 * {@value}.
	 */
	public static final String PROCESSING_URL = "/login/idaas/apple";

	/**
	 * The login page unauthenticated browsers are sent to: {@value}.
	 */
	public static final String LOGIN_PAGE = "/login";

	/**
	 * Where browsers go after a failed login: {@value}.
	 */
	public static final String FAILURE_URL = "/login?error";

	/**
	 * Where browsers go after login when no request was saved: {@value}.
	 */
	public static final String DEFAULT_SUCCESS_URL = "/";

	/**
	 * Page that finishes a {@code SOCIAL_BIND} flow: {@value}.
	 */
	public static final String BIND_URL = "/idaas/bind";

	/**
	 * Page that finishes a {@code USER_REGISTER} flow: {@value}.
	 */
	public static final String REGISTER_URL = "/idaas/register";

	/**
	 * Page that finishes a second-factor ({@code MFA_AUTH}) flow: {@value}.
	 */
	public static final String MFA_URL = "/idaas/mfa";

	/**
	 * How long a pending bind, register or second-factor flow stays usable: 10 minutes.
	 */
	public static final Duration PENDING_FLOW_TIMEOUT = Duration.ofMinutes(10);

	/**
	 * Minimum time between two verification codes of one pending flow: 30 seconds.
	 */
	public static final Duration CODE_RESEND_INTERVAL = Duration.ofSeconds(30);

	/**
	 * Apple's authorize endpoint: {@code https://appleid.apple.com/auth/authorize}.
	 */
	public static final URI APPLE_AUTHORIZE_URI = URI.create("https://appleid.apple.com/auth/authorize");

	/**
	 * Scopes asked from Apple: {@value}.
	 */
	public static final String APPLE_SCOPE = "name email";

	/**
	 * Path that starts the Apple web flow by redirecting to Apple: {@value}.
	 */
	public static final String APPLE_AUTHORIZATION_URL = "/login/idaas/apple/authorize";

	/**
	 * Path Apple posts the authorization code to ({@code form_post}): {@value}.
	 */
	public static final String APPLE_CALLBACK_URL = "/login/idaas/apple/callback";

	/**
	 * Lifetime of the state cookie that protects Apple's callback: 10 minutes.
	 */
	public static final Duration APPLE_STATE_TIMEOUT = Duration.ofMinutes(10);

	private IdaasLoginDefaults() {
	}

}

package dev.idaas.spring.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;

/**
 * Configuration properties for Sign in with Apple through IDaaS ({@code idaas.*}).
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
@ConfigurationProperties("idaas")
public class IdaasProperties {

	/**
	 * Whether IDaaS login is enabled. When false, nothing of the starter is configured.
	 */
	private boolean enabled = true;

	/**
	 * Base URL of the IDaaS tenant, e.g. https://example.idaas.cloud. HTTPS is required
	 * except for loopback hosts.
	 */
	private @Nullable URI baseUrl;

	/**
	 * The application's client id at IDaaS, sent as X-client-id and expected as the id_token
	 * audience.
	 */
	private @Nullable String clientId;

	private final Http http = new Http();

	private final IdToken idToken = new IdToken();

	private final Login login = new Login();

	private final Apple apple = new Apple();

	private final Session session = new Session();

	private final Device device = new Device();

	private final BearerToken bearerToken = new BearerToken();

	private final Logout logout = new Logout();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable URI getBaseUrl() {
		return this.baseUrl;
	}

	public void setBaseUrl(@Nullable URI baseUrl) {
		this.baseUrl = baseUrl;
	}

	public @Nullable String getClientId() {
		return this.clientId;
	}

	public void setClientId(@Nullable String clientId) {
		this.clientId = clientId;
	}

	public Http getHttp() {
		return this.http;
	}

	public IdToken getIdToken() {
		return this.idToken;
	}

	public Login getLogin() {
		return this.login;
	}

	public Apple getApple() {
		return this.apple;
	}

	public Session getSession() {
		return this.session;
	}

	public Device getDevice() {
		return this.device;
	}

	public BearerToken getBearerToken() {
		return this.bearerToken;
	}

	public Logout getLogout() {
		return this.logout;
	}

	/**
	 * Forwarding the signed-in user's id_token to other services.
	 */
	public static class BearerToken {

		/**
		 * Origins (scheme://host[:port]) that may receive the user's id_token as a bearer
		 * token from RestClient calls. Empty means the interceptor is not created.
		 */
		private List<URI> allowedOrigins = new ArrayList<>();

		public List<URI> getAllowedOrigins() {
			return this.allowedOrigins;
		}

		public void setAllowedOrigins(List<URI> allowedOrigins) {
			this.allowedOrigins = allowedOrigins;
		}

	}

	/**
	 * HTTP settings of the calls to IDaaS.
	 */
	public static class Http {

		/**
		 * Connect timeout of calls to IDaaS.
		 */
		private Duration connectTimeout = Duration.ofSeconds(2);

		/**
		 * Read timeout of calls to IDaaS. A login whose answer does not come in time is never
		 * retried (an Apple code is single-use).
		 */
		private Duration readTimeout = Duration.ofSeconds(5);

		/**
		 * Maximum number of attempts for a call that failed transiently (COM.0002, 5xx,
		 * connection refused). 1 disables retries.
		 */
		private int maxAttempts = 3;

		/**
		 * First back-off between attempts; doubled each time, with jitter.
		 */
		private Duration initialBackoff = Duration.ofMillis(200);

		/**
		 * Longest back-off between attempts.
		 */
		private Duration maxBackoff = Duration.ofSeconds(2);

		/**
		 * Name of the header carrying the session token on refresh. Some IDaaS editions
		 * spell it X-session-token.
		 */
		private String sessionTokenHeader = "session-token";

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getReadTimeout() {
			return this.readTimeout;
		}

		public void setReadTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

		public String getSessionTokenHeader() {
			return this.sessionTokenHeader;
		}

		public void setSessionTokenHeader(String sessionTokenHeader) {
			this.sessionTokenHeader = sessionTokenHeader;
		}

	}

	/**
	 * id_token verification and refresh.
	 */
	public static class IdToken {

		/**
		 * URI of the tenant's JSON Web Key Set. Defaults to {base-url}/api/v1/oauth2/keys.
		 */
		private @Nullable URI jwkSetUri;

		/**
		 * Expected issuer (iss) of id_tokens. Defaults to {base-url}/api/v1/oauth2.
		 */
		private @Nullable String issuer;

		/**
		 * JWS algorithms accepted for id_tokens, among RS256, RS384, RS512, PS256, PS384 and
		 * PS512. Anything else, including 'none', HS* and ES*, is rejected.
		 */
		private Set<String> algorithms = new LinkedHashSet<>(List.of("RS256"));

		/**
		 * Clock skew tolerated when checking exp, nbf and iat.
		 */
		private Duration clockSkew = Duration.ofSeconds(30);

		/**
		 * Shortest interval between two JWKS fetches caused by an unknown key id, so forged
		 * tokens cannot hammer the tenant.
		 */
		private Duration jwksMinRefetchInterval = Duration.ofSeconds(30);

		/**
		 * How long before its expiry an id_token is refreshed. Clamped to half the token's
		 * lifetime.
		 */
		private Duration refreshAhead = Duration.ofSeconds(60);

		/**
		 * After a transient refresh failure (COM.0002, 5xx, unreachable), how long that
		 * session waits before its next attempt. Doubles with jitter after each further
		 * failure, up to refresh-failure-backoff-max.
		 */
		private Duration refreshFailureBackoff = Duration.ofSeconds(5);

		/**
		 * Longest wait of a session between two refresh attempts while IDaaS keeps failing.
		 * After an outage, sessions come back spread over this window.
		 */
		private Duration refreshFailureBackoffMax = Duration.ofSeconds(30);

		/**
		 * While IDaaS is failing, each node lets at most one refresh through per this
		 * interval, however many sessions are due; the first success resumes normal refreshes.
		 */
		private Duration refreshFailureProbeInterval = Duration.ofSeconds(1);

		/**
		 * Claim used as the principal's name.
		 */
		private String userNameAttribute = "sub";

		public @Nullable URI getJwkSetUri() {
			return this.jwkSetUri;
		}

		public void setJwkSetUri(@Nullable URI jwkSetUri) {
			this.jwkSetUri = jwkSetUri;
		}

		public @Nullable String getIssuer() {
			return this.issuer;
		}

		public void setIssuer(@Nullable String issuer) {
			this.issuer = issuer;
		}

		public Set<String> getAlgorithms() {
			return this.algorithms;
		}

		public void setAlgorithms(Set<String> algorithms) {
			this.algorithms = algorithms;
		}

		public Duration getClockSkew() {
			return this.clockSkew;
		}

		public void setClockSkew(Duration clockSkew) {
			this.clockSkew = clockSkew;
		}

		public Duration getJwksMinRefetchInterval() {
			return this.jwksMinRefetchInterval;
		}

		public void setJwksMinRefetchInterval(Duration jwksMinRefetchInterval) {
			this.jwksMinRefetchInterval = jwksMinRefetchInterval;
		}

		public Duration getRefreshAhead() {
			return this.refreshAhead;
		}

		public void setRefreshAhead(Duration refreshAhead) {
			this.refreshAhead = refreshAhead;
		}

		public Duration getRefreshFailureBackoff() {
			return this.refreshFailureBackoff;
		}

		public void setRefreshFailureBackoff(Duration refreshFailureBackoff) {
			this.refreshFailureBackoff = refreshFailureBackoff;
		}

		public Duration getRefreshFailureBackoffMax() {
			return this.refreshFailureBackoffMax;
		}

		public void setRefreshFailureBackoffMax(Duration refreshFailureBackoffMax) {
			this.refreshFailureBackoffMax = refreshFailureBackoffMax;
		}

		public Duration getRefreshFailureProbeInterval() {
			return this.refreshFailureProbeInterval;
		}

		public void setRefreshFailureProbeInterval(Duration refreshFailureProbeInterval) {
			this.refreshFailureProbeInterval = refreshFailureProbeInterval;
		}

		public String getUserNameAttribute() {
			return this.userNameAttribute;
		}

		public void setUserNameAttribute(String userNameAttribute) {
			this.userNameAttribute = userNameAttribute;
		}

	}

	/**
	 * The application's login endpoints and pages.
	 */
	public static class Login {

		/**
		 * Path that accepts an Apple authorization code (JSON body or form field 'code').
		 */
		private String processingUrl = "/login/idaas/apple";

		/**
		 * Login page of the application. A minimal one is generated when the application has
		 * none and uses the default filter chain.
		 */
		private String loginPage = "/login";

		/**
		 * Where a browser goes after a failed login; a reason code is appended.
		 */
		private String failureUrl = "/login?error";

		/**
		 * Where a browser goes after login when no saved request exists.
		 */
		private String defaultSuccessUrl = "/";

		/**
		 * Page that finishes a SOCIAL_BIND flow.
		 */
		private String bindUrl = "/idaas/bind";

		/**
		 * Page that finishes a USER_REGISTER flow.
		 */
		private String registerUrl = "/idaas/register";

		/**
		 * Page that finishes an MFA_AUTH flow (a second factor: a code sent to the number on
		 * file). Its slider puzzle is at {mfa-url}/captcha, its code is sent by POST
		 * {mfa-url}/code.
		 */
		private String mfaUrl = "/idaas/mfa";

		/**
		 * How long a pending bind or register flow stays usable.
		 */
		private Duration pendingFlowTimeout = Duration.ofMinutes(10);

		/**
		 * How many verification codes (SMS or email) one Apple sign-in may send per window.
		 * Deprecated: when set, it is used as idaas.login.limits.code-sends-per-subject, which
		 * (with the other idaas.login.limits.* properties) counts across flows and nodes.
		 */
		private @Nullable Integer maxCodeSends;

		/**
		 * Minimum time between two verification codes of one pending bind or register flow.
		 */
		private Duration codeResendInterval = Duration.ofSeconds(30);

		private final Limits limits = new Limits();

		public String getProcessingUrl() {
			return this.processingUrl;
		}

		public void setProcessingUrl(String processingUrl) {
			this.processingUrl = processingUrl;
		}

		public String getLoginPage() {
			return this.loginPage;
		}

		public void setLoginPage(String loginPage) {
			this.loginPage = loginPage;
		}

		public String getFailureUrl() {
			return this.failureUrl;
		}

		public void setFailureUrl(String failureUrl) {
			this.failureUrl = failureUrl;
		}

		public String getDefaultSuccessUrl() {
			return this.defaultSuccessUrl;
		}

		public void setDefaultSuccessUrl(String defaultSuccessUrl) {
			this.defaultSuccessUrl = defaultSuccessUrl;
		}

		public String getBindUrl() {
			return this.bindUrl;
		}

		public void setBindUrl(String bindUrl) {
			this.bindUrl = bindUrl;
		}

		public String getRegisterUrl() {
			return this.registerUrl;
		}

		public void setRegisterUrl(String registerUrl) {
			this.registerUrl = registerUrl;
		}

		public String getMfaUrl() {
			return this.mfaUrl;
		}

		public void setMfaUrl(String mfaUrl) {
			this.mfaUrl = mfaUrl;
		}

		public Duration getPendingFlowTimeout() {
			return this.pendingFlowTimeout;
		}

		public void setPendingFlowTimeout(Duration pendingFlowTimeout) {
			this.pendingFlowTimeout = pendingFlowTimeout;
		}

		@Deprecated(since = "0.1")
		@DeprecatedConfigurationProperty(replacement = "idaas.login.limits.code-sends-per-subject",
				reason = "Sends are limited per target, Apple sign-in and client IP across flows and nodes",
				since = "0.1")
		public @Nullable Integer getMaxCodeSends() {
			return this.maxCodeSends;
		}

		@Deprecated(since = "0.1")
		public void setMaxCodeSends(@Nullable Integer maxCodeSends) {
			this.maxCodeSends = maxCodeSends;
		}

		public Duration getCodeResendInterval() {
			return this.codeResendInterval;
		}

		public void setCodeResendInterval(Duration codeResendInterval) {
			this.codeResendInterval = codeResendInterval;
		}

		public Limits getLimits() {
			return this.limits;
		}

	}

	/**
	 * Sign in with Apple on the web (Apple's authorize redirect and form_post callback).
	 */
	public static class Apple {

		/**
		 * Apple Services ID used as client_id on Apple's authorize page. Without it the web
		 * redirect flow is off and only codes posted by native apps are accepted.
		 */
		private @Nullable String clientId;

		/**
		 * Redirect URI registered with Apple, e.g.
		 * https://app.example.com/login/idaas/apple/callback. Required when client-id is set,
		 * unless base-url and authorize-uri are both loopback (local development against the
		 * simulator): then it is derived from a loopback Host only (localhost, 127.0.0.0/8,
		 * [::1]) and any other Host is refused.
		 */
		private @Nullable URI redirectUri;

		/**
		 * Apple's authorize endpoint.
		 */
		private URI authorizeUri = URI.create("https://appleid.apple.com/auth/authorize");

		/**
		 * Scopes asked from Apple.
		 */
		private String scope = "name email";

		/**
		 * Path that starts the Apple web flow by redirecting to Apple.
		 */
		private String authorizationUrl = "/login/idaas/apple/authorize";

		/**
		 * Path Apple posts the authorization code to (form_post).
		 */
		private String callbackUrl = "/login/idaas/apple/callback";

		/**
		 * Lifetime of the state cookie that protects the callback.
		 */
		private Duration stateTimeout = Duration.ofMinutes(10);

		/**
		 * Secret (at least 32 characters) that signs the state cookie. Unset means a random
		 * key per node: set the same secret on every node when the authorize request and
		 * Apple's callback may reach different nodes.
		 */
		private @Nullable String stateSecret;

		public @Nullable String getClientId() {
			return this.clientId;
		}

		public void setClientId(@Nullable String clientId) {
			this.clientId = clientId;
		}

		public @Nullable URI getRedirectUri() {
			return this.redirectUri;
		}

		public void setRedirectUri(@Nullable URI redirectUri) {
			this.redirectUri = redirectUri;
		}

		public URI getAuthorizeUri() {
			return this.authorizeUri;
		}

		public void setAuthorizeUri(URI authorizeUri) {
			this.authorizeUri = authorizeUri;
		}

		public String getScope() {
			return this.scope;
		}

		public void setScope(String scope) {
			this.scope = scope;
		}

		public String getAuthorizationUrl() {
			return this.authorizationUrl;
		}

		public void setAuthorizationUrl(String authorizationUrl) {
			this.authorizationUrl = authorizationUrl;
		}

		public String getCallbackUrl() {
			return this.callbackUrl;
		}

		public void setCallbackUrl(String callbackUrl) {
			this.callbackUrl = callbackUrl;
		}

		public Duration getStateTimeout() {
			return this.stateTimeout;
		}

		public void setStateTimeout(Duration stateTimeout) {
			this.stateTimeout = stateTimeout;
		}

		public @Nullable String getStateSecret() {
			return this.stateSecret;
		}

		public void setStateSecret(@Nullable String stateSecret) {
			this.stateSecret = stateSecret;
		}

	}

	/**
	 * The signed-in session.
	 */
	public static class Session {

		/**
		 * Longest a sign-in lasts regardless of session token renewal. Unset means the
		 * session token's own expiry decides.
		 */
		private @Nullable Duration absoluteTimeout;

		/**
		 * Whether concurrent refreshes of one session are coordinated across nodes through a
		 * short lock in the shared session store (Spring Session Data Redis).
		 */
		private boolean clusterLock = true;

		/**
		 * How long the cluster-wide refresh lock is held at most.
		 */
		private Duration clusterLockTimeout = Duration.ofSeconds(10);

		/**
		 * With Spring Session, how long a refresh answered 'invalid session token' (0023)
		 * looks in the session store for a token another node has just rotated before signing
		 * the user out. Stores are ordered by generation, so a slow request no longer writes an
		 * old token back; this wait still covers two nodes calling IDaaS with the same token at
		 * once (no cluster lock, or a lock that timed out).
		 */
		private Duration rotatedTokenWait = Duration.ofSeconds(1);

		public @Nullable Duration getAbsoluteTimeout() {
			return this.absoluteTimeout;
		}

		public void setAbsoluteTimeout(@Nullable Duration absoluteTimeout) {
			this.absoluteTimeout = absoluteTimeout;
		}

		public boolean isClusterLock() {
			return this.clusterLock;
		}

		public void setClusterLock(boolean clusterLock) {
			this.clusterLock = clusterLock;
		}

		public Duration getRotatedTokenWait() {
			return this.rotatedTokenWait;
		}

		public void setRotatedTokenWait(Duration rotatedTokenWait) {
			this.rotatedTokenWait = rotatedTokenWait;
		}

		public Duration getClusterLockTimeout() {
			return this.clusterLockTimeout;
		}

		public void setClusterLockTimeout(Duration clusterLockTimeout) {
			this.clusterLockTimeout = clusterLockTimeout;
		}

	}

	/**
	 * How the end user's device facts are resolved from a request.
	 */
	public static class Device {

		/**
		 * Name of the long-lived HttpOnly cookie holding a browser's random device id.
		 */
		private String fingerprintCookieName = "IDAAS_DEVICE";

		/**
		 * Lifetime of the device id cookie.
		 */
		private Duration fingerprintCookieMaxAge = Duration.ofDays(400);

		/**
		 * Request header a native app uses to send its device fingerprint.
		 */
		private String fingerprintHeader = "X-Device-Fingerprint";

		/**
		 * Request header a native app uses to send its OS version.
		 */
		private String osVersionHeader = "X-OS-Version";

		public String getFingerprintCookieName() {
			return this.fingerprintCookieName;
		}

		public void setFingerprintCookieName(String fingerprintCookieName) {
			this.fingerprintCookieName = fingerprintCookieName;
		}

		public Duration getFingerprintCookieMaxAge() {
			return this.fingerprintCookieMaxAge;
		}

		public void setFingerprintCookieMaxAge(Duration fingerprintCookieMaxAge) {
			this.fingerprintCookieMaxAge = fingerprintCookieMaxAge;
		}

		public String getFingerprintHeader() {
			return this.fingerprintHeader;
		}

		public void setFingerprintHeader(String fingerprintHeader) {
			this.fingerprintHeader = fingerprintHeader;
		}

		public String getOsVersionHeader() {
			return this.osVersionHeader;
		}

		public void setOsVersionHeader(String osVersionHeader) {
			this.osVersionHeader = osVersionHeader;
		}

	}

	/**
	 * Signing out.
	 */
	public static class Logout {

		private final Upstream upstream = new Upstream();

		public Upstream getUpstream() {
			return this.upstream;
		}

		/**
		 * Ending the session at IDaaS too, for the editions that publish a logout.
		 */
		public static class Upstream {

			/**
			 * Whether a sign-out also ends the session token at IDaaS (signed GET
			 * /api/v2/sdk/logout). A failure there never blocks the local sign-out.
			 */
			private boolean enabled;

			/**
			 * Whether browsers are sent to IDaaS's /api/v1/logout after the local sign-out, to
			 * end the IDaaS web session too; IDaaS then redirects them to the logout success URL
			 * (made absolute), which must be registered there. JSON clients keep their answer.
			 */
			private boolean browserRedirect;

			/**
			 * How long the tenant's public key for the logout signature is cached. A refused
			 * signature drops it earlier.
			 */
			private Duration publicKeyTtl = Duration.ofHours(24);

			/**
			 * How long the measured offset of the IDaaS server clock is cached.
			 */
			private Duration serverTimeTtl = Duration.ofHours(1);

			public boolean isEnabled() {
				return this.enabled;
			}

			public void setEnabled(boolean enabled) {
				this.enabled = enabled;
			}

			public boolean isBrowserRedirect() {
				return this.browserRedirect;
			}

			public void setBrowserRedirect(boolean browserRedirect) {
				this.browserRedirect = browserRedirect;
			}

			public Duration getPublicKeyTtl() {
				return this.publicKeyTtl;
			}

			public void setPublicKeyTtl(Duration publicKeyTtl) {
				this.publicKeyTtl = publicKeyTtl;
			}

			public Duration getServerTimeTtl() {
				return this.serverTimeTtl;
			}

			public void setServerTimeTtl(Duration serverTimeTtl) {
				this.serverTimeTtl = serverTimeTtl;
			}

		}

	}

	/**
	 * Abuse limits on verification codes of the bind, register and second-factor flows, counted
	 * in windows shared by every flow (and by every node when a StringRedisTemplate is present).
	 */
	public static class Limits {

		/**
		 * Verification codes sent to one phone number or email address per window, across flows
		 * and sign-ins. 5 is what one flow allowed before; it bounds SMS pumping and the messages
		 * a victim can be flooded with.
		 */
		private int codeSendsPerTarget = 5;

		/**
		 * Verification codes sent for one Apple sign-in per window. 5 keeps one Apple ID from
		 * spraying codes at many numbers.
		 */
		private int codeSendsPerSubject = 5;

		/**
		 * Verification codes sent from one client IP per window. Looser (20) than per target
		 * because offices and mobile carriers put many users behind one address.
		 */
		private int codeSendsPerIp = 20;

		/**
		 * Verification codes checked (bind, register, second factor) for one phone number or
		 * email address per window; a successful sign-in clears the count. 5 keeps the chance of
		 * guessing a 6-digit code at 5 in a million per window.
		 */
		private int codeChecksPerTarget = 5;

		/**
		 * Verification codes checked for one Apple sign-in per window; a successful sign-in clears
		 * the count. 5, as one flow allowed before.
		 */
		private int codeChecksPerSubject = 5;

		/**
		 * Verification codes checked from one client IP per window. Looser (50) than per target,
		 * for users sharing an address; it still bounds guessing across many targets.
		 */
		private int codeChecksPerIp = 50;

		/**
		 * How long a counting window lasts from its first event. One hour: long enough to make
		 * guessing and pumping slow, short enough for a user who mistyped to try again soon.
		 */
		private Duration window = Duration.ofHours(1);

		/**
		 * Prefix of the counters' keys in Redis (when a StringRedisTemplate is present).
		 */
		private String redisKeyPrefix = "idaas:limit:";

		public int getCodeSendsPerTarget() {
			return this.codeSendsPerTarget;
		}

		public void setCodeSendsPerTarget(int codeSendsPerTarget) {
			this.codeSendsPerTarget = codeSendsPerTarget;
		}

		public int getCodeSendsPerSubject() {
			return this.codeSendsPerSubject;
		}

		public void setCodeSendsPerSubject(int codeSendsPerSubject) {
			this.codeSendsPerSubject = codeSendsPerSubject;
		}

		public int getCodeSendsPerIp() {
			return this.codeSendsPerIp;
		}

		public void setCodeSendsPerIp(int codeSendsPerIp) {
			this.codeSendsPerIp = codeSendsPerIp;
		}

		public int getCodeChecksPerTarget() {
			return this.codeChecksPerTarget;
		}

		public void setCodeChecksPerTarget(int codeChecksPerTarget) {
			this.codeChecksPerTarget = codeChecksPerTarget;
		}

		public int getCodeChecksPerSubject() {
			return this.codeChecksPerSubject;
		}

		public void setCodeChecksPerSubject(int codeChecksPerSubject) {
			this.codeChecksPerSubject = codeChecksPerSubject;
		}

		public int getCodeChecksPerIp() {
			return this.codeChecksPerIp;
		}

		public void setCodeChecksPerIp(int codeChecksPerIp) {
			this.codeChecksPerIp = codeChecksPerIp;
		}

		public Duration getWindow() {
			return this.window;
		}

		public void setWindow(Duration window) {
			this.window = window;
		}

		public String getRedisKeyPrefix() {
			return this.redisKeyPrefix;
		}

		public void setRedisKeyPrefix(String redisKeyPrefix) {
			this.redisKeyPrefix = redisKeyPrefix;
		}

	}

}

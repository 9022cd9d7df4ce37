package dev.idaas.spring.test.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.jsonwebtoken.Jwts;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.HttpUrl;
import okio.ByteString;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A faithful IDaaS tenant on okhttp's {@link MockWebServer}, speaking real HTTP: the Apple login
 * and id_token refresh SDK calls of the vendor's contract with its exact JSON and error codes,
 * the follow-up calls (slider captcha, code sends, bind, register-and-bind, second factor),
 * RS256 id_tokens signed with a real RSA key published as a
 * JSON Web Key Set (plus OIDC discovery), and a "Sign in with Apple" authorize page for demos.
 * <p>
 * Everything is scriptable from a test, thread-safely (the server answers on its own threads):
 * users and what an Apple code yields, token lifetimes, session token rotation, the clock, and
 * faults (COM.0002 errors, slow or stalled answers, malformed answers). Counters and recorded
 * requests serve assertions.
 *
 * <pre class="code">
 * try (IdaasSimulator idaas = new IdaasSimulator().start()) {
 *     SimulatedUser alice = SimulatedUser.of("alice", "Alice", "+8613800000001", "alice@example.com");
 *     idaas.registerUser(alice);
 *     String code = idaas.issueAppleCode(alice);
 *     // point the client at idaas.baseUrl() with idaas.clientId() and log in with the code
 *     assertThat(idaas.loginRequestCount()).isEqualTo(1);
 * }
 * </pre>
 *
 * Choices where the contract is silent (see also {@link IdaasSimulatorError}):
 * <ul>
 * <li>An Apple code is single-use and lives {@link #appleCodeTtl(Duration) 5 minutes}; a used,
 * unknown or expired code answers {@code IDAAS.SDK.PARAM.0011}. A code is consumed by any
 * login call that reaches IDaaS, even one answered {@code USER.0039} or delayed past the
 * client's read timeout.</li>
 * <li>Without rotation, refresh answers the same session token with the seconds it has left in
 * {@code expire}; with rotation, a new token with the full lifetime, and the old one is
 * invalid at once ({@code PARAM.0023}).</li>
 * <li>Disabling a user ends their sessions: refresh answers {@code PARAM.0023}.</li>
 * <li>Faults apply to the SDK calls ({@code /api/v2/sdk/**}) in the order they were queued, one
 * per call; {@link #failNextJwks(int, int)} fails the key set instead. Counters count every
 * request received, faulted or not.</li>
 * <li>The signed logout of the white-labelled edition ({@link #LOGOUT_PATH}, with
 * {@link #PUBLIC_KEY_PATH} and {@link #SERVER_DATE_PATH}) decrypts {@code X-signature} with RSA-OAEP
 * (SHA-256 digest and MGF1), wants {@code session_token=..&timestamp=..&nonce=..} with a timestamp
 * in epoch milliseconds within 5 minutes of its clock and an unseen nonce, and revokes the session
 * token (a later refresh answers {@code PARAM.0023}); a bad signature answers {@code PARAM.0004}.
 * The browser logout ({@link #WEB_LOGOUT_PATH}) redirects only to
 * {@link #allowLogoutRedirect(String) allowed} URLs.</li>
 * <li>Before a code is sent, a slider captcha is solved, as the vendor demands:
 * {@code GET captcha} draws a real puzzle (a 310x155 background PNG with a notch at a random
 * {@code x} of at least 60, and a 47x47 piece PNG whose top is at {@code y} 5);
 * {@code captcha/verify} passes a slide within {@link #captchaTolerance(int) 4 pixels} of the
 * notch ({@link #captchaSolutionX()} tells a test where it is) and answers
 * {@code captcha_token = token + "---" + point_json}. A puzzle is answered once (a wrong slide
 * spends it too); a {@code captcha_token} sends one code, to its {@code sender} only, within
 * {@link #captchaTtl(Duration) 2 minutes}; otherwise {@code CAPTCHA.0002}.</li>
 * <li>Code sending answers 200 with an empty body, as the vendor documents.</li>
 * <li>{@code SOCIAL_BIND} and {@code USER_REGISTER} login answers carry {@code data} as a JSON
 * document inside a string; {@link #socialFlowData(SocialFlowData)} and
 * {@link #oddBranchStatus(boolean)} play the contract's quirks (absent, empty or non-JSON
 * {@code data}; {@code " Social_Bind"}).</li>
 * <li>Wrong verification codes answer {@code CAPTCHA.0007}; unknown, used or expired state
 * tokens {@code COMMON.1007}. Bind and register-and-bind answer one of the two published
 * success answers (with or without {@code status} and {@code id_token}), see
 * {@link #socialFinishAnswer(SocialFinishAnswer)}.</li>
 * <li>A user with a {@link #requireSecondFactor(SimulatedUser, boolean) second factor}: their
 * login, and a bind ending on their account, answer {@code {"status":"MFA_AUTH","state_token":..}};
 * {@code GET mobile-by-token} answers their mobile; a code of type {@code MFA_AUTH_SMS} (or
 * {@code MFA_AUTH_EMS}) to the number (or address) on file, then {@code mfa/sms} (or
 * {@code mfa/email}) answers {@code {status, session_token, id_token, expire}}.</li>
 * </ul>
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSimulatorExtension
 * @see SamplePeople
 */
public final class IdaasSimulator implements AutoCloseable {

	private static final System.Logger logger = System.getLogger(IdaasSimulator.class.getName());

	/**
	 * Path of the Apple login call.
	 */
	public static final String LOGIN_PATH = "/api/v2/sdk/login/apple";

	/**
	 * Path of the id_token refresh call.
	 */
	public static final String REFRESH_PATH = "/api/v2/sdk/sso/session-token/id-token";

	/**
	 * Path of the SMS code call.
	 */
	public static final String SMS_SEND_PATH = "/api/v2/sdk/sms/send";

	/**
	 * Path of the email code call.
	 */
	public static final String EMAIL_SEND_PATH = "/api/v2/sdk/email/send";

	/**
	 * Path of the bind call.
	 */
	public static final String BIND_PATH = "/api/v2/sdk/social/bind";

	/**
	 * Path of the register-and-bind call.
	 */
	public static final String REGISTER_BIND_PATH = "/api/v2/sdk/social/register-bind";

	/**
	 * Path of the tenant's public key for logout signatures (white-labelled edition), a
	 * {@code GET} answering {@code {"public_key": "<Base64 X.509 SubjectPublicKeyInfo>"}}.
	 */
	public static final String PUBLIC_KEY_PATH = "/api/v2/sdk/public-key";

	/**
	 * Path of the server time (white-labelled edition), a {@code GET} answering
	 * {@code {"server_date": <epoch millis of the simulator's clock>}} and a {@code Date} header.
	 */
	public static final String SERVER_DATE_PATH = "/api/v2/sdk/server-date";

	/**
	 * Path of the signed session token logout (white-labelled edition), a {@code GET} with
	 * {@code X-signature}.
	 */
	public static final String LOGOUT_PATH = "/api/v2/sdk/logout";

	/**
	 * Path of the browser logout, {@code GET ?redirect_url=..}: 302 to an
	 * {@link #allowLogoutRedirect(String) allowed} URL.
	 */
	public static final String WEB_LOGOUT_PATH = "/api/v1/logout";

	/**
	 * Path of the slider captcha call ({@code GET}).
	 */
	public static final String CAPTCHA_PATH = "/api/v2/sdk/captcha";

	/**
	 * Path of the slider check.
	 */
	public static final String CAPTCHA_VERIFY_PATH = "/api/v2/sdk/captcha/verify";

	/**
	 * Path of the call answering the phone number on file of a second-factor flow ({@code GET}).
	 */
	public static final String MOBILE_BY_TOKEN_PATH = "/api/v2/sdk/mobile-by-token";

	/**
	 * Path of the second-factor call by SMS code.
	 */
	public static final String MFA_SMS_PATH = "/api/v2/sdk/mfa/sms";

	/**
	 * Path of the second-factor call by email code.
	 */
	public static final String MFA_EMAIL_PATH = "/api/v2/sdk/mfa/email";

	/**
	 * How far, in pixels, a slide may be from the notch and still pass, by default.
	 */
	public static final int DEFAULT_CAPTCHA_TOLERANCE = 4;

	/**
	 * Path of the JSON Web Key Set.
	 */
	public static final String JWKS_PATH = "/api/v1/oauth2/keys";

	/**
	 * Path of the OIDC discovery document.
	 */
	public static final String DISCOVERY_PATH = "/api/v1/oauth2/.well-known/openid-configuration";

	/**
	 * Path of the simulated "Sign in with Apple" authorize page.
	 */
	public static final String AUTHORIZE_PATH = "/auth/authorize";

	/**
	 * The default session token header.
	 */
	public static final String DEFAULT_SESSION_TOKEN_HEADER = "session-token";

	/**
	 * The verification code every "sent" SMS or email carries unless
	 * {@link #verificationCode(String)} says otherwise.
	 */
	public static final String DEFAULT_VERIFICATION_CODE = "123456";

	/**
	 * The verification methods the tenant allows by default.
	 */
	public static final List<String> DEFAULT_SOCIAL_FLOWS = List.of("VERIFY_PHONE", "VERIFY_EMAIL");

	private static final String SDK_PREFIX = "/api/v2/sdk/";

	private static final String ISSUER_PATH = "/api/v1/oauth2";

	private static final String SOCIAL_BIND = "SOCIAL_BIND";

	private static final String USER_REGISTER = "USER_REGISTER";

	private static final String MFA_AUTH = "MFA_AUTH";

	private static final String CAPTCHA_TOKEN_SEPARATOR = "---";

	private static final long NOT_BEFORE_SKEW_SECONDS = 120;

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	private static final char[] ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
		.toCharArray();

	private final MockWebServer server = new MockWebServer();

	private final String clientId;

	private final SecureRandom random = new SecureRandom();

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	private final JacksonJwtSerializer jwtSerializer = new JacksonJwtSerializer(this.jsonMapper);

	// Everything below is guarded by "this": the dispatcher answers on the server's threads.

	private Clock clock = Clock.systemUTC();

	private Duration idTokenTtl = Duration.ofMinutes(5);

	private Duration sessionTokenTtl = Duration.ofSeconds(432000);

	private Duration appleCodeTtl = Duration.ofMinutes(5);

	private Duration stateTokenTtl = Duration.ofMinutes(10);

	private Duration verificationCodeTtl = Duration.ofMinutes(5);

	private Duration captchaTtl = Duration.ofMinutes(2);

	private int captchaTolerance = DEFAULT_CAPTCHA_TOLERANCE;

	private SocialFinishAnswer socialFinishAnswer = SocialFinishAnswer.PER_FLOW;

	private SocialFlowData socialFlowData = SocialFlowData.JSON_STRING;

	private boolean oddBranchStatus;

	private int codeNotSentCount;

	private boolean sessionTokenRotation;

	private String sessionTokenHeader = DEFAULT_SESSION_TOKEN_HEADER;

	private String verificationCode = DEFAULT_VERIFICATION_CODE;

	private List<String> socialFlows = DEFAULT_SOCIAL_FLOWS;

	private final List<SigningKey> keys = new ArrayList<>();

	private final Map<String, SimulatedUser> users = new LinkedHashMap<>();

	private final Map<String, Boolean> disabledUserIds = new HashMap<>();

	private final Map<String, AppleIdentity> appleIdentities = new HashMap<>();

	private final Map<String, AppleCode> appleCodes = new HashMap<>();

	private final Map<String, Session> sessions = new HashMap<>();

	private final Map<String, PendingFlow> pendingFlows = new HashMap<>();

	private final List<SentCode> sentCodes = new ArrayList<>();

	private final Map<String, IssuedPuzzle> puzzles = new HashMap<>();

	private @Nullable String lastPuzzleToken;

	private final Map<String, CaptchaPass> captchaPasses = new HashMap<>();

	private final Map<String, Boolean> secondFactorUserIds = new HashMap<>();

	private final Deque<Fault> sdkFaults = new ArrayDeque<>();

	private Outage outage = Outage.NONE;

	private final Deque<Fault> jwksFaults = new ArrayDeque<>();

	private final List<RecordedIdaasRequest> requests = new ArrayList<>();

	private final SimulatedLogout logout = new SimulatedLogout(this.random);

	private final List<SamplePerson> samplePeople = new ArrayList<>();

	private final Map<String, String> samplePersonIdentities = new HashMap<>();

	private boolean started;

	/**
	 * Creates a simulator with a random 32-character client id (the vendor's format).
	 * @since 0.1
	 */
	public IdaasSimulator() {
		this(null);
	}

	/**
	 * Creates a simulator that knows one application, this client id.
	 * @param clientId the client id that {@code X-client-id} must carry, or {@code null} for a
	 * random one
	 * @since 0.1
	 */
	public IdaasSimulator(@Nullable String clientId) {
		Checks.isTrue(clientId == null || !clientId.isBlank(), "clientId cannot be empty");
		this.clientId = (clientId != null) ? clientId : randomAlphanumeric(32);
		this.keys.add(newSigningKey());
		this.server.setDispatcher(new SimulatorDispatcher());
	}

	// ---- lifecycle and coordinates

	/**
	 * Starts the server on a free port of {@code localhost}. A simulator starts once; a closed
	 * one cannot be restarted.
	 * @return this simulator
	 * @throws UncheckedIOException when the server cannot bind
	 * @since 0.1
	 */
	public synchronized IdaasSimulator start() {
		return start(0);
	}

	/**
	 * Starts the server on the given port of {@code localhost}, e.g. a fixed, documented port
	 * that several applications share. A simulator starts once; a closed one cannot be
	 * restarted.
	 * @param port the port, or {@code 0} for a free one
	 * @return this simulator
	 * @throws UncheckedIOException when the server cannot bind, e.g. the port is taken (its
	 * cause is then a {@link java.net.BindException})
	 * @since 0.1
	 */
	public synchronized IdaasSimulator start(int port) {
		Checks.isTrue(port >= 0 && port <= 65535, "port must be between 0 and 65535");
		if (!this.started) {
			try {
				this.server.start(port);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot start the IDaaS simulator", ex);
			}
			this.started = true;
		}
		return this;
	}

	/**
	 * Whether {@link #start()} was called.
	 * @return {@code true} once started
	 * @since 0.1
	 */
	public synchronized boolean isStarted() {
		return this.started;
	}

	/**
	 * Stops the server; stalled answers end as their connections close.
	 * @since 0.1
	 */
	@Override
	public void close() {
		this.server.close();
	}

	/**
	 * The tenant's base URL ({@code idaas.base-url}), e.g. {@code http://localhost:54321}, without
	 * a trailing slash.
	 * @return the base URL
	 * @throws IllegalStateException before {@link #start()}
	 * @since 0.1
	 */
	public URI baseUrl() {
		if (!isStarted()) {
			throw new IllegalStateException("The IDaaS simulator is not started");
		}
		String url = this.server.url("/").toString();
		return URI.create(url.substring(0, url.length() - 1));
	}

	/**
	 * The {@code iss} of the id_tokens: {@code {baseUrl}/api/v1/oauth2}.
	 * @return the issuer
	 * @since 0.1
	 */
	public String issuer() {
		return baseUrl() + ISSUER_PATH;
	}

	/**
	 * The JSON Web Key Set URL.
	 * @return the JWKS URL
	 * @since 0.1
	 */
	public URI jwksUri() {
		return URI.create(baseUrl() + JWKS_PATH);
	}

	/**
	 * The client id ({@code idaas.client-id}), also the {@code aud} of the id_tokens.
	 * @return the client id
	 * @since 0.1
	 */
	public String clientId() {
		return this.clientId;
	}

	/**
	 * Registers {@code idaas.base-url} and {@code idaas.client-id} for a Spring test. The values
	 * are read lazily, once the simulator has started.
	 *
	 * <pre class="code">
	 * &#64;RegisterExtension
	 * static IdaasSimulatorExtension idaas = new IdaasSimulatorExtension();
	 *
	 * &#64;DynamicPropertySource
	 * static void idaasProperties(DynamicPropertyRegistry registry) {
	 *     idaas.simulator().registerProperties(registry);
	 * }
	 * </pre>
	 * Needs {@code spring-test} on the classpath (an optional dependency of this module).
	 * @param registry the registry of {@code @DynamicPropertySource}
	 * @since 0.1
	 */
	public void registerProperties(DynamicPropertyRegistry registry) {
		Checks.notNull(registry, "registry cannot be null");
		registry.add("idaas.base-url", () -> baseUrl().toString());
		registry.add("idaas.client-id", this::clientId);
	}

	// ---- configuration

	/**
	 * Sets the clock for token times and every expiry (Apple codes, sessions, state tokens,
	 * verification codes). Use a {@link MutableClock} to test expiry without sleeping.
	 * @param clock the clock
	 * @return this simulator
	 * @since 0.1
	 */
	public synchronized IdaasSimulator clock(Clock clock) {
		Checks.notNull(clock, "clock cannot be null");
		this.clock = clock;
		return this;
	}

	/**
	 * Sets the id_token lifetime ({@code exp - iat}); 5 minutes by default.
	 * @param ttl the lifetime
	 * @return this simulator
	 * @since 0.1
	 */
	public synchronized IdaasSimulator idTokenTtl(Duration ttl) {
		this.idTokenTtl = positive(ttl, "ttl");
		return this;
	}

	/**
	 * Sets the session token lifetime, answered as {@code expire}; 432000 s (5 days) by default.
	 * @param ttl the lifetime
	 * @return this simulator
	 * @since 0.1
	 */
	public synchronized IdaasSimulator sessionTokenTtl(Duration ttl) {
		this.sessionTokenTtl = positive(ttl, "ttl");
		return this;
	}

	/**
	 * Sets the Apple code lifetime; 5 minutes by default, as Apple.
	 * @param ttl the lifetime
	 * @return this simulator
	 * @since 0.1
	 */
	public synchronized IdaasSimulator appleCodeTtl(Duration ttl) {
		this.appleCodeTtl = positive(ttl, "ttl");
		return this;
	}

	/**
	 * Sets the state token lifetime of bind/register flows; 10 minutes by default.
	 * @param ttl the lifetime
	 * @return this simulator
	 * @since 0.1
	 */
	public synchronized IdaasSimulator stateTokenTtl(Duration ttl) {
		this.stateTokenTtl = positive(ttl, "ttl");
		return this;
	}

	/**
	 * Sets the verification code lifetime; 5 minutes by default.
	 * @param ttl the lifetime
	 * @return this simulator
	 * @since 0.1
	 */
	public synchronized IdaasSimulator verificationCodeTtl(Duration ttl) {
		this.verificationCodeTtl = positive(ttl, "ttl");
		return this;
	}

	/**
	 * Sets how long a slider puzzle can be answered and how long a {@code captcha_token} can
	 * send a code; 2 minutes by default (the vendor does not publish it).
	 * @param ttl the lifetime
	 * @return this simulator
	 * @since 0.1
	 */
	public synchronized IdaasSimulator captchaTtl(Duration ttl) {
		this.captchaTtl = positive(ttl, "ttl");
		return this;
	}

	/**
	 * Sets how many pixels a slide may be off the notch and still pass;
	 * {@value #DEFAULT_CAPTCHA_TOLERANCE} by default.
	 * @param pixels the tolerance, 0 or more
	 * @return this simulator
	 * @since 0.1
	 */
	public synchronized IdaasSimulator captchaTolerance(int pixels) {
		Checks.isTrue(pixels >= 0, "pixels cannot be negative");
		this.captchaTolerance = pixels;
		return this;
	}

	/**
	 * Chooses which of the vendor's published success answers {@code social/bind} and
	 * {@code social/register-bind} give; {@link SocialFinishAnswer#PER_FLOW} by default.
	 * @param answer the answer
	 * @return this simulator
	 * @since 0.1
	 */
	public synchronized IdaasSimulator socialFinishAnswer(SocialFinishAnswer answer) {
		Checks.notNull(answer, "answer cannot be null");
		this.socialFinishAnswer = answer;
		return this;
	}

	/**
	 * Chooses how later {@code SOCIAL_BIND} and {@code USER_REGISTER} login answers carry
	 * {@code data}: as published ({@link SocialFlowData#JSON_STRING}, the default), or with one
	 * of the contract's quirks (absent, empty, not JSON). The flows the code was issued with are
	 * still enforced at {@code social/bind} and {@code social/register-bind}
	 * ({@code PARAM.0004} for another method).
	 * @param data how {@code data} is answered
	 * @return this simulator
	 * @since 0.1
	 */
	public synchronized IdaasSimulator socialFlowData(SocialFlowData data) {
		Checks.notNull(data, "data cannot be null");
		this.socialFlowData = data;
		return this;
	}

	/**
	 * Switches the quirk of the vendor's example that answers {@code " SOCIAL_BIND"}: when on,
	 * later {@code SOCIAL_BIND} and {@code USER_REGISTER} login answers give their {@code status}
	 * with a leading space and in mixed case ({@code " Social_Bind"}, {@code " User_Register"});
	 * off by default.
	 * @param odd whether to answer the odd spelling
	 * @return this simulator
	 * @since 0.1
	 */
	public synchronized IdaasSimulator oddBranchStatus(boolean odd) {
		this.oddBranchStatus = odd;
		return this;
	}

	/**
	 * Switches a second factor on for a user: their Apple logins, and binds that end on their
	 * account, answer {@code {"status":"MFA_AUTH","state_token":..}}; the flow goes on with
	 * {@code mobile-by-token}, a code of type {@code MFA_AUTH_SMS} or {@code MFA_AUTH_EMS}, and
	 * {@code mfa/sms} or {@code mfa/email}.
	 * @param user the user (registered if needed)
	 * @param required whether a second factor is required
	 * @return this simulator
	 * @since 0.1
	 */
	public synchronized IdaasSimulator requireSecondFactor(SimulatedUser user, boolean required) {
		Checks.notNull(user, "user cannot be null");
		registerIfAbsent(user);
		if (required) {
			this.secondFactorUserIds.put(user.id(), Boolean.TRUE);
		}
		else {
			this.secondFactorUserIds.remove(user.id());
		}
		return this;
	}

	/**
	 * Switches automatic session token renewal: when on, a refresh answers a new session token
	 * and the old one stops working at once; when off (the default), it answers the same one.
	 * @param rotation whether to rotate
	 * @return this simulator
	 * @since 0.1
	 */
	public synchronized IdaasSimulator sessionTokenRotation(boolean rotation) {
		this.sessionTokenRotation = rotation;
		return this;
	}

	/**
	 * Sets the refresh call's session token header; {@code session-token} by default, some
	 * editions use {@code X-session-token}.
	 * @param headerName the header name
	 * @return this simulator
	 * @since 0.1
	 */
	public synchronized IdaasSimulator sessionTokenHeader(String headerName) {
		Checks.hasText(headerName, "headerName cannot be empty");
		this.sessionTokenHeader = headerName;
		return this;
	}

	/**
	 * Sets the code that "sent" SMS and emails carry; {@value #DEFAULT_VERIFICATION_CODE} by
	 * default.
	 * @param code the code
	 * @return this simulator
	 * @since 0.1
	 */
	public synchronized IdaasSimulator verificationCode(String code) {
		Checks.hasText(code, "code cannot be empty");
		this.verificationCode = code;
		return this;
	}

	/**
	 * Sets the verification methods ({@code socialBindOrRegisterFlow}) of codes issued later
	 * without explicit flows; {@code [VERIFY_PHONE, VERIFY_EMAIL]} by default.
	 * @param flows the methods, e.g. {@code VERIFY_PHONE}
	 * @return this simulator
	 * @since 0.1
	 */
	public synchronized IdaasSimulator socialFlows(List<String> flows) {
		Checks.notNull(flows, "flows cannot be null");
		this.socialFlows = List.copyOf(flows);
		return this;
	}

	// ---- users, Apple codes and sessions

	/**
	 * Registers (or replaces, by {@code id}) a user account.
	 * @param user the user
	 * @return this simulator
	 * @since 0.1
	 */
	public synchronized IdaasSimulator registerUser(SimulatedUser user) {
		Checks.notNull(user, "user cannot be null");
		this.users.put(user.id(), user);
		return this;
	}

	/**
	 * Disables a user: their logins answer {@code IDAAS.SDK.USER.0039} and their sessions stop
	 * working.
	 * @param user the user
	 * @return this simulator
	 * @since 0.1
	 */
	public synchronized IdaasSimulator disableUser(SimulatedUser user) {
		Checks.notNull(user, "user cannot be null");
		registerIfAbsent(user);
		this.disabledUserIds.put(user.id(), Boolean.TRUE);
		return this;
	}

	/**
	 * Enables a disabled user again.
	 * @param user the user
	 * @return this simulator
	 * @since 0.1
	 */
	public synchronized IdaasSimulator enableUser(SimulatedUser user) {
		Checks.notNull(user, "user cannot be null");
		this.disabledUserIds.remove(user.id());
		return this;
	}

	/**
	 * The registered users, including those created by {@code social/register-bind}.
	 * @return a copy of the users
	 * @since 0.1
	 */
	public synchronized List<SimulatedUser> users() {
		return List.copyOf(this.users.values());
	}

	/**
	 * Issues a single-use Apple code for the user's Apple identity (bound to the account, which
	 * is registered if needed): its login answers {@code SUCCESS}, or {@code USER.0039} if the
	 * user is disabled.
	 * @param user the user
	 * @return the code
	 * @since 0.1
	 */
	public synchronized String issueAppleCode(SimulatedUser user) {
		Checks.notNull(user, "user cannot be null");
		registerIfAbsent(user);
		AppleIdentity identity = this.appleIdentities.values()
			.stream()
			.filter((candidate) -> user.id().equals(candidate.userId))
			.findFirst()
			.orElseGet(() -> newIdentity(SOCIAL_BIND, this.socialFlows, false, user.id()));
		return newAppleCode(identity);
	}

	/**
	 * Issues an Apple code of an unknown Apple identity that must be bound to an existing
	 * account: {@code SOCIAL_BIND} with the {@link #socialFlows(List) default flows}.
	 * @return the code
	 * @since 0.1
	 */
	public synchronized String issueSocialBindCode() {
		return issueSocialBindCode(this.socialFlows);
	}

	/**
	 * Issues an Apple code answering {@code SOCIAL_BIND} with these verification methods.
	 * @param flows the {@code socialBindOrRegisterFlow}, e.g. {@code List.of("VERIFY_PHONE")}
	 * @return the code
	 * @since 0.1
	 */
	public synchronized String issueSocialBindCode(List<String> flows) {
		Checks.notNull(flows, "flows cannot be null");
		return newAppleCode(newIdentity(SOCIAL_BIND, flows, false, null));
	}

	/**
	 * Issues an Apple code of an unknown Apple identity that the tenant registers:
	 * {@code USER_REGISTER} with the {@link #socialFlows(List) default flows}.
	 * @return the code
	 * @since 0.1
	 */
	public synchronized String issueUserRegisterCode() {
		return issueUserRegisterCode(this.socialFlows);
	}

	/**
	 * Issues an Apple code answering {@code USER_REGISTER} with these verification methods.
	 * @param flows the {@code socialBindOrRegisterFlow}
	 * @return the code
	 * @since 0.1
	 */
	public synchronized String issueUserRegisterCode(List<String> flows) {
		Checks.notNull(flows, "flows cannot be null");
		return newAppleCode(newIdentity(USER_REGISTER, flows, false, null));
	}

	/**
	 * Issues an Apple code answering {@code ACCESS_DENIED}.
	 * @return the code
	 * @since 0.1
	 */
	public synchronized String issueAccessDeniedCode() {
		return newAppleCode(newIdentity(SOCIAL_BIND, this.socialFlows, true, null));
	}

	/**
	 * Mints a session token for a user directly, as if they had logged in.
	 * @param user the user (registered if needed)
	 * @return the session token
	 * @since 0.1
	 */
	public synchronized String issueSessionToken(SimulatedUser user) {
		Checks.notNull(user, "user cannot be null");
		registerIfAbsent(user);
		return newSession(user.id(), this.clock.instant().plus(this.sessionTokenTtl));
	}

	/**
	 * Mints an id_token for a user, exactly as the login and refresh calls do.
	 * @param user the user
	 * @return the compact JWS
	 * @since 0.1
	 */
	public String mintIdToken(SimulatedUser user) {
		return mintIdToken(user, (claims) -> {
		}, (header) -> {
		});
	}

	/**
	 * Mints an id_token whose claims a test changes first, e.g. an expired or foreign-audience
	 * token. The customizer gets the claims as they would be sent (times in epoch seconds) and
	 * may change, add or remove any.
	 * @param user the user
	 * @param claimsCustomizer changes the claims
	 * @return the compact JWS, signed with the current key
	 * @since 0.1
	 */
	public String mintIdToken(SimulatedUser user, Consumer<Map<String, Object>> claimsCustomizer) {
		return mintIdToken(user, claimsCustomizer, (header) -> {
		});
	}

	/**
	 * Mints an id_token whose claims and JOSE header a test changes first (e.g. an unknown
	 * {@code kid}, or a {@code jku}). {@code alg} is always {@code RS256}.
	 * @param user the user
	 * @param claimsCustomizer changes the claims
	 * @param headerCustomizer changes the header ({@code kid} and {@code typ} are preset)
	 * @return the compact JWS, signed with the current key
	 * @since 0.1
	 */
	public String mintIdToken(SimulatedUser user, Consumer<Map<String, Object>> claimsCustomizer,
			Consumer<Map<String, Object>> headerCustomizer) {
		Checks.notNull(user, "user cannot be null");
		Checks.notNull(claimsCustomizer, "claimsCustomizer cannot be null");
		Checks.notNull(headerCustomizer, "headerCustomizer cannot be null");
		SigningKey key;
		Map<String, Object> claims;
		synchronized (this) {
			key = activeKey();
			claims = standardClaims(user);
		}
		claimsCustomizer.accept(claims);
		Map<String, Object> header = new LinkedHashMap<>();
		header.put("kid", key.kid());
		header.put("typ", "JWT");
		headerCustomizer.accept(header);
		// The payload is written by us, not by jjwt's claims builder, so a test gets exactly the
		// JSON it asked for (aud as a string, numeric dates, odd values).
		byte[] payload = this.jsonMapper.writeValueAsBytes(claims);
		return Jwts.builder()
			.json(this.jwtSerializer)
			.header()
			.add(header)
			.and()
			.content(payload)
			.signWith(key.keyPair().getPrivate(), Jwts.SIG.RS256)
			.compact();
	}

	// ---- keys

	/**
	 * Creates a new signing key with a new {@code kid} and signs with it from now on; the key set
	 * serves the old and the new key.
	 * @return the new {@code kid}
	 * @since 0.1
	 */
	public String rotateKeys() {
		return rotateKeys(true);
	}

	/**
	 * Creates a new signing key with a new {@code kid} and signs with it from now on.
	 * @param keepPrevious whether the key set keeps serving the previous keys
	 * @return the new {@code kid}
	 * @since 0.1
	 */
	public String rotateKeys(boolean keepPrevious) {
		SigningKey key = newSigningKey();
		synchronized (this) {
			if (!keepPrevious) {
				this.keys.clear();
			}
			this.keys.add(key);
		}
		return key.kid();
	}

	/**
	 * The {@code kid} that signs new id_tokens.
	 * @return the key id
	 * @since 0.1
	 */
	public synchronized String activeKeyId() {
		return activeKey().kid();
	}

	/**
	 * The {@code kid}s the key set serves, oldest first.
	 * @return the key ids
	 * @since 0.1
	 */
	public synchronized List<String> keyIds() {
		return this.keys.stream().map(SigningKey::kid).toList();
	}

	// ---- faults

	/**
	 * Answers the next {@code count} SDK calls with {@code IDAAS.SDK.COM.0002} ("System busy"),
	 * without processing them.
	 * @param count how many calls
	 * @param httpStatus the status, 400 or 500 as the vendor's two tables say (any 4xx/5xx is
	 * accepted)
	 * @return this simulator
	 * @since 0.1
	 */
	public synchronized IdaasSimulator failNext(int count, int httpStatus) {
		Checks.isTrue(count > 0, "count must be positive");
		Checks.isTrue(httpStatus >= 400 && httpStatus < 600, "httpStatus must be 4xx or 5xx");
		for (int i = 0; i < count; i++) {
			this.sdkFaults.add(new Fault.Fail(httpStatus));
		}
		return this;
	}

	/**
	 * Answers the next SDK call, without processing it, with an error of the vendor's shape that
	 * the simulator does not otherwise send: {@code {"error_code":..,"error_msg":..}}, e.g. a code
	 * the starter does not know.
	 * @param httpStatus the status (4xx or 5xx)
	 * @param errorCode the {@code error_code}
	 * @param errorMessage the {@code error_msg}
	 * @return this simulator
	 * @since 0.1
	 */
	public synchronized IdaasSimulator failNextWith(int httpStatus, String errorCode, String errorMessage) {
		Checks.isTrue(httpStatus >= 400 && httpStatus < 600, "httpStatus must be 4xx or 5xx");
		Checks.hasText(errorCode, "errorCode cannot be empty");
		Checks.notNull(errorMessage, "errorMessage cannot be null");
		this.sdkFaults.add(new Fault.VendorError(httpStatus, errorCode, errorMessage));
		return this;
	}

	/**
	 * Processes the next SDK call normally but holds its response headers back for this long,
	 * to provoke a client's read timeout (an Apple code is consumed all the same).
	 * @param delay the delay
	 * @return this simulator
	 * @since 0.1
	 */
	public synchronized IdaasSimulator delayNext(Duration delay) {
		this.sdkFaults.add(new Fault.Delay(positive(delay, "delay")));
		return this;
	}

	/**
	 * Processes the next SDK call normally but holds its answer back until {@code release} is
	 * counted down (at most a minute): a test decides exactly when the answer arrives, with no
	 * timing assumption.
	 * @param release the latch that lets the answer go
	 * @return this simulator
	 * @since 0.1
	 */
	public synchronized IdaasSimulator holdNextUntil(CountDownLatch release) {
		Checks.notNull(release, "release cannot be null");
		this.sdkFaults.add(new Fault.Hold(release));
		return this;
	}

	/**
	 * Processes the next SDK call normally and never answers it (until the simulator closes).
	 * @return this simulator
	 * @since 0.1
	 */
	public IdaasSimulator stallNext() {
		return delayNext(Duration.ofHours(1));
	}

	/**
	 * Answers the next SDK call with a broken response.
	 * @param malformation what is broken
	 * @return this simulator
	 * @since 0.1
	 */
	public synchronized IdaasSimulator malformedNext(Malformation malformation) {
		Checks.notNull(malformation, "malformation cannot be null");
		this.sdkFaults.add(new Fault.Malformed(malformation));
		return this;
	}

	/**
	 * Answers the next {@code count} code sends that pass every check (their {@code captcha_token}
	 * is spent all the same) with {@code IDAAS.SDK.CAPTCHA.0006}: the code could not be sent.
	 * @param count how many sends
	 * @return this simulator
	 * @since 0.1
	 */
	public synchronized IdaasSimulator failNextSends(int count) {
		Checks.isTrue(count > 0, "count must be positive");
		this.codeNotSentCount += count;
		return this;
	}

	/**
	 * Starts or ends an outage: until {@link Outage#NONE}, every SDK call (login, refresh...) is
	 * answered as the outage says, before any queued fault. Key set and discovery requests are
	 * still answered. Calls keep being recorded, so {@link #refreshRequestCount()} counts the
	 * attempts made during the outage.
	 * @param outage the outage, or {@link Outage#NONE} to recover
	 * @return this simulator
	 * @since 0.1
	 */
	public synchronized IdaasSimulator outage(Outage outage) {
		Checks.notNull(outage, "outage cannot be null");
		this.outage = outage;
		return this;
	}

	/**
	 * The current outage.
	 * @return the outage, {@link Outage#NONE} when none
	 * @since 0.1
	 */
	public synchronized Outage outage() {
		return this.outage;
	}

	/**
	 * Answers the next {@code count} key set requests with this status and an empty body.
	 * @param count how many requests
	 * @param httpStatus the status
	 * @return this simulator
	 * @since 0.1
	 */
	public synchronized IdaasSimulator failNextJwks(int count, int httpStatus) {
		Checks.isTrue(count > 0, "count must be positive");
		Checks.isTrue(httpStatus >= 400 && httpStatus < 600, "httpStatus must be 4xx or 5xx");
		for (int i = 0; i < count; i++) {
			this.jwksFaults.add(new Fault.Fail(httpStatus));
		}
		return this;
	}

	/**
	 * Forgets recorded requests (so counters restart at zero) and pending faults, and ends an
	 * {@link #outage(Outage) outage}. Users, keys, sessions and codes stay.
	 * @return this simulator
	 * @since 0.1
	 */
	public synchronized IdaasSimulator resetRecordsAndFaults() {
		this.requests.clear();
		this.outage = Outage.NONE;
		this.sdkFaults.clear();
		this.jwksFaults.clear();
		return this;
	}

	// ---- logout (white-labelled edition)

	/**
	 * Allows the browser logout ({@link #WEB_LOGOUT_PATH}) to redirect to this exact URL, as a
	 * tenant's console registers an application's logout redirect URLs. Others are answered 400.
	 * @param redirectUrl the absolute URL
	 * @return this simulator
	 * @since 0.1
	 */
	public IdaasSimulator allowLogoutRedirect(String redirectUrl) {
		Checks.hasText(redirectUrl, "redirectUrl cannot be empty");
		this.logout.allowRedirect(redirectUrl);
		return this;
	}

	/**
	 * The tenant's current public key for logout signatures, as {@link #PUBLIC_KEY_PATH} serves
	 * it.
	 * @return the RSA public key (2048 bits)
	 * @since 0.1
	 */
	public RSAPublicKey logoutPublicKey() {
		return this.logout.publicKey();
	}

	/**
	 * Replaces the logout key pair: signatures made with the previous public key are refused
	 * ({@code PARAM.0004}) from now on.
	 * @return this simulator
	 * @since 0.1
	 */
	public IdaasSimulator rotateLogoutKey() {
		this.logout.rotateKey();
		return this;
	}

	// ---- assertions

	/**
	 * How many Apple login calls were received.
	 * @return the count
	 * @since 0.1
	 */
	public int loginRequestCount() {
		return requestCount(LOGIN_PATH);
	}

	/**
	 * How many refresh calls were received.
	 * @return the count
	 * @since 0.1
	 */
	public int refreshRequestCount() {
		return requestCount(REFRESH_PATH);
	}

	/**
	 * How many key set requests were received.
	 * @return the count
	 * @since 0.1
	 */
	public int jwksRequestCount() {
		return requestCount(JWKS_PATH);
	}

	/**
	 * How many requests were received for a path.
	 * @param path the path, e.g. {@link #BIND_PATH}
	 * @return the count
	 * @since 0.1
	 */
	public synchronized int requestCount(String path) {
		Checks.notNull(path, "path cannot be null");
		return (int) this.requests.stream().filter((request) -> request.path().equals(path)).count();
	}

	/**
	 * All requests received, oldest first.
	 * @return a copy of the requests
	 * @since 0.1
	 */
	public synchronized List<RecordedIdaasRequest> recordedRequests() {
		return List.copyOf(this.requests);
	}

	/**
	 * The requests received for a path, oldest first.
	 * @param path the path
	 * @return a copy of the requests
	 * @since 0.1
	 */
	public synchronized List<RecordedIdaasRequest> recordedRequests(String path) {
		Checks.notNull(path, "path cannot be null");
		return this.requests.stream().filter((request) -> request.path().equals(path)).toList();
	}

	/**
	 * The last request received for a path.
	 * @param path the path
	 * @return the request, or {@code null} if none
	 * @since 0.1
	 */
	public synchronized @Nullable RecordedIdaasRequest lastRequest(String path) {
		List<RecordedIdaasRequest> matching = recordedRequests(path);
		return matching.isEmpty() ? null : matching.get(matching.size() - 1);
	}

	/**
	 * The verification codes "sent" by SMS or email, oldest first.
	 * @return a copy of the codes
	 * @since 0.1
	 */
	public synchronized List<SentVerificationCode> sentVerificationCodes() {
		return this.sentCodes.stream().map(SentCode::sent).toList();
	}

	/**
	 * The last verification code "sent" to a phone number or email address, whatever its type.
	 * @param recipient the phone number or email address
	 * @return the code, or {@code null} if none was sent there
	 * @since 0.1
	 */
	public synchronized @Nullable String lastVerificationCode(String recipient) {
		Checks.notNull(recipient, "recipient cannot be null");
		for (int i = this.sentCodes.size() - 1; i >= 0; i--) {
			SentVerificationCode sent = this.sentCodes.get(i).sent();
			if (sent.recipient().equals(recipient)) {
				return sent.code();
			}
		}
		return null;
	}

	/**
	 * The {@code x} that solves the most recently issued slider puzzle: where its notch starts,
	 * in background pixels. A browser test drags the piece this far.
	 * @return the solution
	 * @throws IllegalStateException when no puzzle was issued yet
	 * @since 0.1
	 */
	public synchronized int captchaSolutionX() {
		if (this.lastPuzzleToken == null) {
			throw new IllegalStateException("No captcha was issued yet");
		}
		return this.puzzles.get(this.lastPuzzleToken).x();
	}

	/**
	 * The {@code x} that solves a slider puzzle.
	 * @param token the puzzle's {@code token}
	 * @return the solution
	 * @throws IllegalArgumentException when the simulator never issued this token
	 * @since 0.1
	 */
	public synchronized int captchaSolutionX(String token) {
		Checks.notNull(token, "token cannot be null");
		IssuedPuzzle puzzle = this.puzzles.get(token);
		Checks.isTrue(puzzle != null, "unknown captcha token");
		return puzzle.x();
	}

	/**
	 * Issues a {@code captcha_token} for a sender directly, as a solved slider would, for tests
	 * that are not about the captcha.
	 * @param sender the phone number or email address the code will be sent to
	 * @return the {@code captcha_token}
	 * @since 0.1
	 */
	public synchronized String issueCaptchaToken(String sender) {
		Checks.hasText(sender, "sender cannot be empty");
		String token = randomUrlSafe(24);
		String captchaToken = token + CAPTCHA_TOKEN_SEPARATOR + "{\"x\":0.0,\"y\":5.0}";
		this.captchaPasses.put(captchaToken, new CaptchaPass(sender, this.clock.instant()));
		return captchaToken;
	}

	/**
	 * How many {@code captcha/verify} calls were received for a sender, answered or not.
	 * @param sender the phone number or email address
	 * @return the count
	 * @since 0.1
	 */
	public int captchaVerifyRequestCount(String sender) {
		return requestCountFor(List.of(CAPTCHA_VERIFY_PATH), List.of("sender"), sender);
	}

	/**
	 * How many code sends ({@code sms/send}, {@code email/send}) were received for a phone
	 * number or email address, answered or not.
	 * @param recipient the phone number or email address
	 * @return the count
	 * @since 0.1
	 */
	public int sendRequestCount(String recipient) {
		return requestCountFor(List.of(SMS_SEND_PATH, EMAIL_SEND_PATH), List.of("mobile", "email"), recipient);
	}

	/**
	 * How many finishing calls ({@code social/bind}, {@code social/register-bind},
	 * {@code mfa/sms}, {@code mfa/email}) were received for a phone number or email address,
	 * answered or not.
	 * @param recipient the phone number or email address
	 * @return the count
	 * @since 0.1
	 */
	public int finishRequestCount(String recipient) {
		return requestCountFor(List.of(BIND_PATH, REGISTER_BIND_PATH, MFA_SMS_PATH, MFA_EMAIL_PATH),
				List.of("mobile", "email"), recipient);
	}

	private synchronized int requestCountFor(List<String> paths, List<String> fields, String value) {
		Checks.notNull(value, "value cannot be null");
		int count = 0;
		for (RecordedIdaasRequest request : this.requests) {
			if (paths.contains(request.path())) {
				Map<String, Object> body = parseObject(request.body());
				for (String field : fields) {
					if (value.equals(body.get(field))) {
						count++;
						break;
					}
				}
			}
		}
		return count;
	}

	/**
	 * Whether the session token is currently valid (known, unexpired, user enabled).
	 * @param sessionToken the session token
	 * @return whether a refresh with it would succeed
	 * @since 0.1
	 */
	public synchronized boolean isSessionTokenValid(String sessionToken) {
		Checks.notNull(sessionToken, "sessionToken cannot be null");
		return validSession(sessionToken) != null;
	}

	// ---- sample people

	/**
	 * Registers the {@link SamplePeople sample people} listed on the authorize page: Alice
	 * ({@code SUCCESS}), Bob ({@code SOCIAL_BIND}; his account exists under
	 * {@link SamplePeople#BOB}), Carol ({@code USER_REGISTER}), Dave ({@code USER.0039}), Erin
	 * ({@code ACCESS_DENIED}) and Frank ({@code MFA_AUTH}: a second factor is required, the code
	 * goes to his mobile on file).
	 * @return this simulator
	 * @since 0.1
	 */
	public synchronized IdaasSimulator withSamplePeople() {
		if (!this.samplePeople.isEmpty()) {
			return this;
		}
		registerUser(SamplePeople.ALICE);
		registerUser(SamplePeople.BOB);
		registerUser(SamplePeople.DAVE);
		disableUser(SamplePeople.DAVE);
		addSamplePerson(SamplePeople.ALICE_PERSON, SOCIAL_BIND, false, SamplePeople.ALICE.id());
		addSamplePerson(SamplePeople.BOB_PERSON, SOCIAL_BIND, false, null);
		addSamplePerson(SamplePeople.CAROL_PERSON, USER_REGISTER, false, null);
		addSamplePerson(SamplePeople.DAVE_PERSON, SOCIAL_BIND, false, SamplePeople.DAVE.id());
		addSamplePerson(SamplePeople.ERIN_PERSON, SOCIAL_BIND, true, null);
		requireSecondFactor(SamplePeople.FRANK, true);
		addSamplePerson(SamplePeople.FRANK_PERSON, SOCIAL_BIND, false, SamplePeople.FRANK.id());
		return this;
	}

	/**
	 * The people listed on the authorize page.
	 * @return a copy of the list
	 * @since 0.1
	 */
	public synchronized List<SamplePerson> samplePeople() {
		return List.copyOf(this.samplePeople);
	}

	/**
	 * Issues an Apple code for a sample person, as their button on the authorize page does.
	 * @param person the sample person (after {@link #withSamplePeople()})
	 * @return the code
	 * @since 0.1
	 */
	public synchronized String issueAppleCode(SamplePerson person) {
		Checks.notNull(person, "person cannot be null");
		String identitySub = this.samplePersonIdentities.get(person.key());
		Checks.isTrue(identitySub != null, "person is not a registered sample person");
		return newAppleCode(this.appleIdentities.get(identitySub));
	}

	private void addSamplePerson(SamplePerson person, String branch, boolean denied, @Nullable String userId) {
		AppleIdentity identity = newIdentity(branch, DEFAULT_SOCIAL_FLOWS, denied, userId);
		identity.firstName = person.firstName();
		identity.lastName = person.lastName();
		identity.email = person.email();
		this.samplePeople.add(person);
		this.samplePersonIdentities.put(person.key(), identity.sub);
	}

	// ---- dispatching

	private final class SimulatorDispatcher extends Dispatcher {

		@Override
		public MockResponse dispatch(RecordedRequest request) {
			try {
				return IdaasSimulator.this.dispatch(request);
			}
			catch (RuntimeException ex) {
				// A bug of the simulator must be loud, and never look like an IDaaS answer.
				logger.log(System.Logger.Level.ERROR, "IDaaS simulator failure", ex);
				return new MockResponse.Builder().code(500)
					.setHeader("Content-Type", "text/plain; charset=utf-8")
					.body("IDaaS simulator failure: " + ex)
					.build();
			}
		}

	}

	private MockResponse dispatch(RecordedRequest request) {
		HttpUrl url = request.getUrl();
		String path = url.encodedPath();
		String method = request.getMethod();
		ByteString bodyBytes = request.getBody();
		String body = (bodyBytes != null) ? bodyBytes.utf8() : "";
		Map<String, List<String>> headers = new LinkedHashMap<>();
		for (String name : request.getHeaders().names()) {
			headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(request.getHeaders().values(name)));
		}
		synchronized (this) {
			this.requests.add(new RecordedIdaasRequest(method, path, url.encodedQuery(), headers, body));
		}
		if (path.startsWith(SDK_PREFIX)) {
			return sdkCall(request, path, body);
		}
		if (!"GET".equals(method)) {
			return new MockResponse.Builder().code(405).build();
		}
		return switch (path) {
			case JWKS_PATH -> jwks();
			case DISCOVERY_PATH -> json(200, discovery());
			case AUTHORIZE_PATH -> authorizePage(url);
			case WEB_LOGOUT_PATH -> this.logout.browserLogout(url);
			default -> new MockResponse.Builder().code(404).build();
		};
	}

	private MockResponse sdkCall(RecordedRequest request, String path, String body) {
		Fault fault;
		Outage outage;
		synchronized (this) {
			outage = this.outage;
			fault = (outage == Outage.NONE) ? this.sdkFaults.poll() : null;
		}
		Language language = Language.of(request.getHeaders().get("X-L"));
		if (outage == Outage.SYSTEM_BUSY) {
			// the vendor's refresh table lists COM.0002 with 400, its login table with 500
			return error(REFRESH_PATH.equals(path) ? 400 : 500, IdaasSimulatorError.SYSTEM_BUSY, language);
		}
		if (outage == Outage.CONNECTION_CLOSED) {
			return new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket(true, false, false)).build();
		}
		if (fault instanceof Fault.Fail fail) {
			return error(fail.httpStatus(), IdaasSimulatorError.SYSTEM_BUSY, language);
		}
		if (fault instanceof Fault.VendorError vendorError) {
			Map<String, Object> error = new LinkedHashMap<>();
			error.put("error_code", vendorError.errorCode());
			error.put("error_msg", vendorError.errorMessage());
			return json(vendorError.httpStatus(), error);
		}
		if (fault instanceof Fault.Malformed malformed && malformed.malformation() == Malformation.HTML_BAD_GATEWAY) {
			return new MockResponse.Builder().code(502)
				.setHeader("Content-Type", "text/html")
				.body("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1>"
						+ "</center><hr><center>nginx</center></body></html>")
				.build();
		}
		MockResponse.Builder response;
		String expectedMethod = (CAPTCHA_PATH.equals(path) || MOBILE_BY_TOKEN_PATH.equals(path)) ? "GET" : "POST";
		if (PUBLIC_KEY_PATH.equals(path) || SERVER_DATE_PATH.equals(path) || LOGOUT_PATH.equals(path)) {
			response = logoutCall(request, path, language);
		}
		else if (!expectedMethod.equals(request.getMethod())) {
			response = new MockResponse.Builder().code(405);
		}
		else {
			Answer answer = answer(request, path, body);
			// a code send succeeds with 200 and an empty body, as the vendor documents
			String json = (answer.body() != null) ? this.jsonMapper.writeValueAsString(answer.body()) : "";
			if (fault instanceof Fault.Malformed malformed) {
				json = (malformed.malformation() == Malformation.TRUNCATED_JSON) ? json.substring(0, json.length() / 2)
						: "";
			}
			response = new MockResponse.Builder().code(answer.status())
				.setHeader("Content-Type", "application/json;charset=UTF-8")
				.body(json);
		}
		if (fault instanceof Fault.Delay delay) {
			response.headersDelay(delay.delay().toMillis(), TimeUnit.MILLISECONDS);
		}
		if (fault instanceof Fault.Hold hold) {
			awaitRelease(hold.release());
		}
		return response.build();
	}

	private Answer answer(RecordedRequest request, String path, String body) {
		Language language = Language.of(request.getHeaders().get("X-L"));
		IdaasSimulatorError commonError = checkCommonHeaders(request);
		if (commonError != null) {
			return Answer.error(commonError, language);
		}
		Map<String, Object> fields = parseObject(body);
		synchronized (this) {
			return switch (path) {
				case LOGIN_PATH -> login(fields, language);
				case REFRESH_PATH -> refresh(request, language);
				case CAPTCHA_PATH -> captcha();
				case CAPTCHA_VERIFY_PATH -> verifyCaptcha(fields, language);
				case SMS_SEND_PATH -> sendCode("sms", "mobile",
						List.of("BIND_MOBILE_SMS", "REGISTER_SMS", "MFA_AUTH_SMS"), fields, language);
				case EMAIL_SEND_PATH -> sendCode("email", "email",
						List.of("BIND_EMAIL_EMS", "REGISTER_EMS", "MFA_AUTH_EMS"), fields, language);
				case BIND_PATH -> socialBind(request, fields, false, language);
				case REGISTER_BIND_PATH -> socialBind(request, fields, true, language);
				case MOBILE_BY_TOKEN_PATH -> mobileByToken(request, language);
				case MFA_SMS_PATH -> secondFactor(request, fields, true, language);
				case MFA_EMAIL_PATH -> secondFactor(request, fields, false, language);
				default -> new Answer(404, Map.of("error", "Not Found"));
			};
		}
	}

	/**
	 * The {@code GET}s of the signed logout: the common headers are checked as for every SDK
	 * call; a bad signature (missing, wrong key, malformed, stale, replayed) answers
	 * {@code PARAM.0004}, a valid one for an unknown or ended session token {@code PARAM.0023},
	 * and a valid one for a live session token revokes it and answers
	 * {@code {"status":"SUCCESS"}}.
	 */
	private MockResponse.Builder logoutCall(RecordedRequest request, String path, Language language) {
		if (!"GET".equals(request.getMethod())) {
			return new MockResponse.Builder().code(405);
		}
		IdaasSimulatorError commonError = checkCommonHeaders(request);
		Answer answer;
		if (commonError != null) {
			answer = Answer.error(commonError, language);
		}
		else if (PUBLIC_KEY_PATH.equals(path)) {
			answer = new Answer(200, this.logout.publicKeyAnswer());
		}
		else if (SERVER_DATE_PATH.equals(path)) {
			answer = new Answer(200, SimulatedLogout.serverDateAnswer(currentInstant()));
		}
		else {
			String sessionToken = this.logout.verify(request.getHeaders().get("X-signature"), currentInstant());
			synchronized (this) {
				if (sessionToken == null) {
					answer = Answer.error(IdaasSimulatorError.INVALID_PARAMETER, language);
				}
				else if (validSession(sessionToken) == null) {
					answer = Answer.error(IdaasSimulatorError.SESSION_TOKEN_INVALID, language);
				}
				else {
					this.sessions.remove(sessionToken);
					answer = new Answer(200, Map.of("status", "SUCCESS"));
				}
			}
		}
		return new MockResponse.Builder().code(answer.status())
			.setHeader("Content-Type", "application/json;charset=UTF-8")
			.setHeader("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(currentInstant().atZone(ZoneOffset.UTC)))
			.body(this.jsonMapper.writeValueAsString(answer.body()));
	}

	private synchronized Instant currentInstant() {
		return this.clock.instant();
	}

	private @Nullable IdaasSimulatorError checkCommonHeaders(RecordedRequest request) {
		for (String name : List.of("X-operating-sys-version", "X-device-fingerprint", "X-agent")) {
			if (isBlank(request.getHeaders().get(name))) {
				return IdaasSimulatorError.DEVICE_INFO_INCOMPLETE;
			}
		}
		String clientId = request.getHeaders().get("X-client-id");
		if (isBlank(clientId)) {
			return IdaasSimulatorError.CLIENT_ID_EMPTY;
		}
		if (!this.clientId.equals(clientId)) {
			return IdaasSimulatorError.APP_NOT_REGISTERED;
		}
		// required on every call, a GET without a body included; the vendor does not publish its
		// answer to a missing one: the simulator's choice is its "invalid request parameter"
		String contentType = request.getHeaders().get("Content-Type");
		if (contentType == null || !contentType.strip().toLowerCase(Locale.ROOT).startsWith("application/json")) {
			return IdaasSimulatorError.INVALID_PARAMETER;
		}
		return null;
	}

	private Answer login(Map<String, Object> fields, Language language) {
		String code = stringField(fields, "code");
		if (isBlank(code)) {
			return Answer.error(IdaasSimulatorError.APPLE_CODE_EMPTY, language);
		}
		Instant now = this.clock.instant();
		AppleCode appleCode = this.appleCodes.remove(code);
		if (appleCode == null || !now.isBefore(appleCode.issuedAt().plus(this.appleCodeTtl))) {
			return Answer.error(IdaasSimulatorError.APPLE_CODE_EMPTY, language);
		}
		AppleIdentity identity = this.appleIdentities.get(appleCode.identitySub());
		identity.signedIn = true;
		if (identity.denied) {
			return new Answer(200, Map.of("status", "ACCESS_DENIED"));
		}
		if (identity.userId == null) {
			String stateToken = randomUrlSafe(32);
			this.pendingFlows.put(stateToken, new PendingFlow(identity.sub, identity.branch, identity.flows,
					now.plus(this.stateTokenTtl), null));
			Map<String, Object> answer = new LinkedHashMap<>();
			answer.put("state_token", stateToken);
			switch (this.socialFlowData) {
				case JSON_STRING -> answer.put("data",
						this.jsonMapper.writeValueAsString(Map.of("socialBindOrRegisterFlow", identity.flows)));
				case EMPTY -> answer.put("data", "");
				case NOT_JSON -> answer.put("data", "socialBindOrRegisterFlow=" + String.join(",", identity.flows));
				case ABSENT -> {
				}
			}
			answer.put("status", this.oddBranchStatus ? oddSpelling(identity.branch) : identity.branch);
			return new Answer(200, answer);
		}
		if (this.disabledUserIds.containsKey(identity.userId)) {
			return Answer.error(IdaasSimulatorError.USER_DISABLED, language);
		}
		if (this.secondFactorUserIds.containsKey(identity.userId)) {
			return secondFactorRequired(identity, identity.userId, now);
		}
		SimulatedUser user = this.users.get(identity.userId);
		String sessionToken = newSession(user.id(), now.plus(this.sessionTokenTtl));
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("session_token", sessionToken);
		answer.put("expire", this.sessionTokenTtl.toSeconds());
		answer.put("status", "SUCCESS");
		answer.put("id_token", mintIdToken(user));
		return new Answer(200, answer);
	}

	/**
	 * {@code SOCIAL_BIND} as {@code " Social_Bind"}: a leading space, each word capitalized.
	 */
	private static String oddSpelling(String status) {
		StringBuilder odd = new StringBuilder(" ");
		boolean wordStart = true;
		for (char c : status.toCharArray()) {
			odd.append(wordStart ? Character.toUpperCase(c) : Character.toLowerCase(c));
			wordStart = (c == '_');
		}
		return odd.toString();
	}

	private Answer refresh(RecordedRequest request, Language language) {
		String sessionToken = request.getHeaders().get(this.sessionTokenHeader);
		if (sessionToken == null || sessionToken.isBlank()) {
			return Answer.error(IdaasSimulatorError.SESSION_TOKEN_EMPTY, language);
		}
		Session session = validSession(sessionToken);
		if (session == null) {
			return Answer.error(IdaasSimulatorError.SESSION_TOKEN_INVALID, language);
		}
		Instant now = this.clock.instant();
		String answeredToken = sessionToken;
		long expire = Duration.between(now, session.expiresAt()).toSeconds();
		if (this.sessionTokenRotation) {
			this.sessions.remove(sessionToken);
			answeredToken = newSession(session.userId(), now.plus(this.sessionTokenTtl));
			expire = this.sessionTokenTtl.toSeconds();
		}
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("session_token", answeredToken);
		answer.put("expire", expire);
		answer.put("id_token", mintIdToken(this.users.get(session.userId())));
		return new Answer(200, answer);
	}

	private Answer sendCode(String channel, String recipientField, List<String> types, Map<String, Object> fields,
			Language language) {
		String recipient = stringField(fields, recipientField);
		String type = stringField(fields, "type");
		if (isBlank(recipient) || type == null || !types.contains(type)) {
			return Answer.error(IdaasSimulatorError.INVALID_PARAMETER, language);
		}
		Instant now = this.clock.instant();
		String captchaToken = stringField(fields, "captcha_token");
		CaptchaPass pass = (captchaToken != null) ? this.captchaPasses.get(captchaToken) : null;
		if (pass == null || pass.used || !pass.sender.equals(recipient)
				|| !now.isBefore(pass.issuedAt.plus(this.captchaTtl))) {
			return Answer.error(IdaasSimulatorError.CAPTCHA_INVALID, language);
		}
		pass.used = true;
		if (this.codeNotSentCount > 0) {
			this.codeNotSentCount--;
			return Answer.error(IdaasSimulatorError.CODE_NOT_SENT, language);
		}
		this.sentCodes.add(new SentCode(new SentVerificationCode(channel, recipient, type, this.verificationCode, now)));
		return Answer.empty();
	}

	private Answer captcha() {
		Instant now = this.clock.instant();
		this.puzzles.values().removeIf((puzzle) -> !now.isBefore(puzzle.issuedAt().plus(this.captchaTtl)));
		this.captchaPasses.values().removeIf((pass) -> !now.isBefore(pass.issuedAt.plus(this.captchaTtl)));
		SliderCaptcha.Puzzle puzzle = SliderCaptcha.draw(this.random);
		String token = randomUrlSafe(24);
		this.puzzles.put(token, new IssuedPuzzle(puzzle.x(), now));
		this.lastPuzzleToken = token;
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("token", token);
		answer.put("originalImageBase64", Base64.getEncoder().encodeToString(puzzle.background()));
		answer.put("jigsawImageBase64", Base64.getEncoder().encodeToString(puzzle.piece()));
		// the vendor's answer has more fields, null in this flow
		answer.put("secretKey", null);
		answer.put("pointJson", null);
		answer.put("result", null);
		answer.put("captchaType", null);
		return new Answer(200, answer);
	}

	private Answer verifyCaptcha(Map<String, Object> fields, Language language) {
		String token = stringField(fields, "token");
		String pointJson = stringField(fields, "point_json");
		String sender = stringField(fields, "sender");
		if (isBlank(token) || isBlank(pointJson) || isBlank(sender)) {
			return Answer.error(IdaasSimulatorError.CAPTCHA_INVALID, language);
		}
		// a puzzle is answered once: a wrong slide spends it too
		IssuedPuzzle puzzle = this.puzzles.remove(token);
		Instant now = this.clock.instant();
		if (puzzle == null || !now.isBefore(puzzle.issuedAt().plus(this.captchaTtl))) {
			return Answer.error(IdaasSimulatorError.CAPTCHA_INVALID, language);
		}
		Map<String, Object> point = parseObject(pointJson);
		if (!(point.get("x") instanceof Number x) || !(point.get("y") instanceof Number)
				|| Math.abs(x.doubleValue() - puzzle.x()) > this.captchaTolerance) {
			return Answer.error(IdaasSimulatorError.CAPTCHA_INVALID, language);
		}
		String captchaToken = token + CAPTCHA_TOKEN_SEPARATOR + pointJson;
		this.captchaPasses.put(captchaToken, new CaptchaPass(sender, now));
		return new Answer(200, Map.of("captcha_token", captchaToken));
	}

	private Answer secondFactorRequired(AppleIdentity identity, String userId, Instant now) {
		String stateToken = randomUrlSafe(32);
		this.pendingFlows.put(stateToken,
				new PendingFlow(identity.sub, MFA_AUTH, List.of(), now.plus(this.stateTokenTtl), userId));
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("status", MFA_AUTH);
		answer.put("state_token", stateToken);
		return new Answer(200, answer);
	}

	private @Nullable PendingFlow secondFactorFlow(RecordedRequest request) {
		String stateToken = request.getHeaders().get("X-state-token");
		PendingFlow flow = (stateToken != null) ? this.pendingFlows.get(stateToken) : null;
		if (flow == null || !this.clock.instant().isBefore(flow.expiresAt()) || !MFA_AUTH.equals(flow.branch())) {
			return null;
		}
		return flow;
	}

	private Answer mobileByToken(RecordedRequest request, Language language) {
		PendingFlow flow = secondFactorFlow(request);
		if (flow == null) {
			return Answer.error(IdaasSimulatorError.STATE_TOKEN_INVALID, language);
		}
		SimulatedUser user = this.users.get(flow.userId());
		if (user == null || user.mobile() == null) {
			return Answer.error(IdaasSimulatorError.INVALID_PARAMETER, language);
		}
		return new Answer(200, Map.of("mobile", user.mobile()));
	}

	private Answer secondFactor(RecordedRequest request, Map<String, Object> fields, boolean byPhone,
			Language language) {
		PendingFlow flow = secondFactorFlow(request);
		if (flow == null) {
			return Answer.error(IdaasSimulatorError.STATE_TOKEN_INVALID, language);
		}
		SimulatedUser user = this.users.get(flow.userId());
		String recipient = stringField(fields, byPhone ? "mobile" : "email");
		String onFile = (user != null) ? (byPhone ? user.mobile() : user.email()) : null;
		if (isBlank(recipient) || onFile == null || !onFile.equals(recipient)) {
			return Answer.error(IdaasSimulatorError.INVALID_PARAMETER, language);
		}
		SentCode sent = matchingCode(byPhone ? "sms" : "email", recipient, byPhone ? "MFA_AUTH_SMS" : "MFA_AUTH_EMS",
				stringField(fields, "verify_code"), this.clock.instant());
		if (sent == null) {
			return Answer.error(IdaasSimulatorError.VERIFY_CODE_INCORRECT, language);
		}
		if (this.disabledUserIds.containsKey(user.id())) {
			return Answer.error(IdaasSimulatorError.USER_DISABLED, language);
		}
		sent.used = true;
		this.pendingFlows.remove(request.getHeaders().get("X-state-token"));
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("status", "SUCCESS");
		answer.put("session_token", newSession(user.id(), this.clock.instant().plus(this.sessionTokenTtl)));
		answer.put("id_token", mintIdToken(user));
		answer.put("expire", this.sessionTokenTtl.toSeconds());
		return new Answer(200, answer);
	}

	private Answer socialBind(RecordedRequest request, Map<String, Object> fields, boolean register,
			Language language) {
		Instant now = this.clock.instant();
		String stateToken = request.getHeaders().get("X-state-token");
		PendingFlow flow = (stateToken != null) ? this.pendingFlows.get(stateToken) : null;
		String expectedBranch = register ? USER_REGISTER : SOCIAL_BIND;
		if (flow == null || !now.isBefore(flow.expiresAt()) || !flow.branch().equals(expectedBranch)) {
			return Answer.error(IdaasSimulatorError.STATE_TOKEN_INVALID, language);
		}
		String mobile = stringField(fields, "mobile");
		String email = stringField(fields, "email");
		boolean byPhone = !isBlank(mobile);
		String recipient = byPhone ? mobile : email;
		if (isBlank(recipient) || !flow.flows().contains(byPhone ? "VERIFY_PHONE" : "VERIFY_EMAIL")) {
			return Answer.error(IdaasSimulatorError.INVALID_PARAMETER, language);
		}
		String expectedType = register ? (byPhone ? "REGISTER_SMS" : "REGISTER_EMS")
				: (byPhone ? "BIND_MOBILE_SMS" : "BIND_EMAIL_EMS");
		SentCode sent = matchingCode(byPhone ? "sms" : "email", recipient, expectedType,
				stringField(fields, "verify_code"), now);
		if (sent == null) {
			return Answer.error(IdaasSimulatorError.VERIFY_CODE_INCORRECT, language);
		}
		SimulatedUser existing = this.users.values()
			.stream()
			.filter((user) -> recipient.equals(byPhone ? user.mobile() : user.email()))
			.findFirst()
			.orElse(null);
		AppleIdentity identity = this.appleIdentities.get(flow.identitySub());
		SimulatedUser user;
		if (register) {
			if (existing != null) {
				return Answer.error(IdaasSimulatorError.USER_ALREADY_EXISTS, language);
			}
			String userName = "apple_" + randomAlphanumeric(10).toLowerCase(Locale.ROOT);
			String name = (identity.firstName != null) ? identity.firstName + " " + identity.lastName : userName;
			user = SimulatedUser.of(userName, name, byPhone ? recipient : null,
					byPhone ? identity.email : recipient);
			this.users.put(user.id(), user);
		}
		else {
			if (existing == null) {
				return Answer.error(IdaasSimulatorError.USER_NOT_FOUND, language);
			}
			if (this.disabledUserIds.containsKey(existing.id())) {
				return Answer.error(IdaasSimulatorError.USER_DISABLED, language);
			}
			user = existing;
		}
		sent.used = true;
		this.pendingFlows.remove(stateToken);
		identity.userId = user.id();
		if (this.secondFactorUserIds.containsKey(user.id())) {
			return secondFactorRequired(identity, user.id(), now);
		}
		String sessionToken = newSession(user.id(), now.plus(this.sessionTokenTtl));
		boolean full = switch (this.socialFinishAnswer) {
			case PER_FLOW -> register;
			case WITH_ID_TOKEN, WITHOUT_EXPIRE -> true;
			case WITHOUT_ID_TOKEN -> false;
		};
		Map<String, Object> answer = new LinkedHashMap<>();
		if (full) {
			answer.put("status", "SUCCESS");
		}
		answer.put("session_token", sessionToken);
		if (this.socialFinishAnswer != SocialFinishAnswer.WITHOUT_EXPIRE) {
			answer.put("expire", this.sessionTokenTtl.toSeconds());
		}
		if (full) {
			answer.put("id_token", mintIdToken(user));
		}
		return new Answer(200, answer);
	}

	private @Nullable SentCode matchingCode(String channel, String recipient, String type, @Nullable String code,
			Instant now) {
		if (isBlank(code)) {
			return null;
		}
		for (int i = this.sentCodes.size() - 1; i >= 0; i--) {
			SentCode candidate = this.sentCodes.get(i);
			SentVerificationCode sent = candidate.sent();
			if (sent.channel().equals(channel) && sent.recipient().equals(recipient) && sent.type().equals(type)) {
				// Only the latest code sent for this purpose counts, as with real SMS codes.
				boolean fresh = now.isBefore(sent.sentAt().plus(this.verificationCodeTtl));
				return (!candidate.used && fresh && sent.code().equals(code)) ? candidate : null;
			}
		}
		return null;
	}

	private MockResponse jwks() {
		Fault fault;
		List<SigningKey> current;
		synchronized (this) {
			fault = this.jwksFaults.poll();
			current = List.copyOf(this.keys);
		}
		if (fault instanceof Fault.Fail fail) {
			return new MockResponse.Builder().code(fail.httpStatus()).build();
		}
		List<Map<String, Object>> jwks = new ArrayList<>();
		for (SigningKey key : current) {
			RSAPublicKey publicKey = (RSAPublicKey) key.keyPair().getPublic();
			Map<String, Object> jwk = new LinkedHashMap<>();
			jwk.put("kty", "RSA");
			jwk.put("kid", key.kid());
			jwk.put("use", "sig");
			jwk.put("alg", "RS256");
			jwk.put("n", base64UrlUnsigned(publicKey.getModulus()));
			jwk.put("e", base64UrlUnsigned(publicKey.getPublicExponent()));
			jwks.add(jwk);
		}
		return json(200, Map.of("keys", jwks));
	}

	private Map<String, Object> discovery() {
		String issuer = issuer();
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("issuer", issuer);
		document.put("jwks_uri", jwksUri().toString());
		document.put("response_types_supported", List.of("code"));
		document.put("subject_types_supported", List.of("public"));
		document.put("id_token_signing_alg_values_supported", List.of("RS256"));
		return document;
	}

	private MockResponse authorizePage(HttpUrl url) {
		String clientId = url.queryParameter("client_id");
		String redirectUri = url.queryParameter("redirect_uri");
		String responseType = url.queryParameter("response_type");
		String responseMode = url.queryParameter("response_mode");
		String state = url.queryParameter("state");
		if (isBlank(clientId) || !isHttpUrl(redirectUri) || responseType == null
				|| !List.of(responseType.split(" ")).contains("code")
				|| (responseMode != null && !"form_post".equals(responseMode))) {
			return new MockResponse.Builder().code(400)
				.setHeader("Content-Type", "text/plain; charset=utf-8")
				.body("invalid_request: client_id, an http(s) redirect_uri, response_type=code and "
						+ "response_mode=form_post are required")
				.build();
		}
		StringBuilder html = new StringBuilder();
		html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
			.append("<title>Sign in with Apple (simulated)</title>\n</head>\n<body>\n<main>\n")
			.append("<h1>Sign in with Apple</h1>\n<p>Simulated by the IDaaS simulator for <code>")
			.append(escape(clientId))
			.append("</code>. Choose who signs in.</p>\n<ul>\n");
		synchronized (this) {
			for (SamplePerson person : this.samplePeople) {
				AppleIdentity identity = this.appleIdentities.get(this.samplePersonIdentities.get(person.key()));
				html.append("<li>\n<form method=\"post\" action=\"")
					.append(escape(redirectUri))
					.append("\">\n")
					.append(hidden("code", newAppleCode(identity)));
				if (state != null) {
					html.append(hidden("state", state));
				}
				if (!identity.signedIn) {
					// Apple shares the name and email on the first sign-in only.
					Map<String, Object> name = new LinkedHashMap<>();
					name.put("firstName", person.firstName());
					name.put("lastName", person.lastName());
					Map<String, Object> user = new LinkedHashMap<>();
					user.put("name", name);
					user.put("email", person.email());
					html.append(hidden("user", this.jsonMapper.writeValueAsString(user)));
				}
				html.append("<button type=\"submit\">")
					.append(escape(person.displayName()))
					.append("</button>\n<p>")
					.append(escape(person.description()))
					.append(" Expected: <code>")
					.append(escape(person.expectedOutcome()))
					.append("</code></p>\n</form>\n</li>\n");
			}
		}
		html.append("</ul>\n<form method=\"post\" action=\"")
			.append(escape(redirectUri))
			.append("\">\n")
			.append(hidden("error", "user_cancelled_authorize"));
		if (state != null) {
			html.append(hidden("state", state));
		}
		html.append("<button type=\"submit\">Cancel</button>\n</form>\n</main>\n</body>\n</html>\n");
		return new MockResponse.Builder().code(200)
			.setHeader("Content-Type", "text/html; charset=utf-8")
			.setHeader("Content-Security-Policy", "default-src 'none'; base-uri 'none'; frame-ancestors 'none'")
			.setHeader("Cache-Control", "no-store")
			.setHeader("Referrer-Policy", "no-referrer")
			.body(html.toString())
			.build();
	}

	// ---- state helpers (callers hold the lock)

	private SigningKey activeKey() {
		return this.keys.get(this.keys.size() - 1);
	}

	private Map<String, Object> standardClaims(SimulatedUser user) {
		long issuedAt = this.clock.instant().getEpochSecond();
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("iss", issuer());
		claims.put("aud", this.clientId);
		claims.put("sub", user.sub());
		claims.put("id", user.id());
		claims.put("name", user.name());
		claims.put("userName", user.userName());
		if (user.mobile() != null) {
			claims.put("mobile", user.mobile());
		}
		if (user.email() != null) {
			claims.put("email", user.email());
		}
		claims.put("exp", issuedAt + this.idTokenTtl.toSeconds());
		claims.put("iat", issuedAt);
		claims.put("nbf", issuedAt - NOT_BEFORE_SKEW_SECONDS);
		claims.put("jti", UUID.randomUUID().toString());
		return claims;
	}

	private void registerIfAbsent(SimulatedUser user) {
		this.users.putIfAbsent(user.id(), user);
	}

	private AppleIdentity newIdentity(String branch, List<String> flows, boolean denied, @Nullable String userId) {
		AppleIdentity identity = new AppleIdentity("001" + randomDigits(6) + "." + randomHex(32) + ".0" + randomDigits(3),
				branch, List.copyOf(flows), denied, userId);
		this.appleIdentities.put(identity.sub, identity);
		return identity;
	}

	private String newAppleCode(AppleIdentity identity) {
		// Apple's codes look like "c" + hex + ".0.xxxx." + token; only uniqueness matters here.
		Instant now = this.clock.instant();
		// Each authorize page issues a code per sample person; forget the ones never used.
		this.appleCodes.values().removeIf((unused) -> !now.isBefore(unused.issuedAt().plus(this.appleCodeTtl)));
		String code = "c" + randomHex(32) + ".0.sim." + randomUrlSafe(16);
		this.appleCodes.put(code, new AppleCode(identity.sub, now));
		return code;
	}

	private String newSession(String userId, Instant expiresAt) {
		String token = randomAlphanumeric(32);
		this.sessions.put(token, new Session(userId, expiresAt));
		return token;
	}

	private @Nullable Session validSession(String sessionToken) {
		Session session = this.sessions.get(sessionToken);
		if (session == null || !this.clock.instant().isBefore(session.expiresAt())
				|| this.disabledUserIds.containsKey(session.userId())) {
			return null;
		}
		return session;
	}

	// ---- stateless helpers

	private SigningKey newSigningKey() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048, this.random);
			return new SigningKey("sim-" + randomAlphanumeric(16), generator.generateKeyPair());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("RSA is not available", ex);
		}
	}

	private MockResponse json(int status, Object body) {
		return new MockResponse.Builder().code(status)
			.setHeader("Content-Type", "application/json;charset=UTF-8")
			.body(this.jsonMapper.writeValueAsString(body))
			.build();
	}

	private MockResponse error(int status, IdaasSimulatorError error, Language language) {
		return json(status, Answer.error(error, language).body());
	}

	private Map<String, Object> parseObject(String body) {
		if (body.isBlank()) {
			return Map.of();
		}
		try {
			return this.jsonMapper.readValue(body, MAP);
		}
		catch (RuntimeException ex) {
			// Not a JSON object: the vendor answers as if the fields were missing.
			return Map.of();
		}
	}

	private static @Nullable String stringField(Map<String, Object> fields, String name) {
		return (fields.get(name) instanceof String value) ? value : null;
	}

	private static boolean isBlank(@Nullable String value) {
		return value == null || value.isBlank();
	}

	private static boolean isHttpUrl(@Nullable String value) {
		if (value == null) {
			return false;
		}
		try {
			URI uri = URI.create(value);
			return uri.isAbsolute() && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
					&& uri.getHost() != null;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private static String hidden(String name, String value) {
		return "<input type=\"hidden\" name=\"" + escape(name) + "\" value=\"" + escape(value) + "\">\n";
	}

	private static String escape(String text) {
		StringBuilder escaped = new StringBuilder(text.length());
		for (char c : text.toCharArray()) {
			switch (c) {
				case '&' -> escaped.append("&amp;");
				case '<' -> escaped.append("&lt;");
				case '>' -> escaped.append("&gt;");
				case '"' -> escaped.append("&quot;");
				case '\'' -> escaped.append("&#39;");
				default -> escaped.append(c);
			}
		}
		return escaped.toString();
	}

	private static String base64UrlUnsigned(BigInteger value) {
		byte[] bytes = value.toByteArray();
		if (bytes.length > 1 && bytes[0] == 0) {
			bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
		}
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private static Duration positive(Duration duration, String name) {
		Checks.notNull(duration, name + " cannot be null");
		Checks.isTrue(!duration.isNegative() && !duration.isZero(), name + " must be positive");
		return duration;
	}

	private String randomAlphanumeric(int length) {
		char[] chars = new char[length];
		for (int i = 0; i < length; i++) {
			chars[i] = ALPHANUMERIC[this.random.nextInt(ALPHANUMERIC.length)];
		}
		return new String(chars);
	}

	private String randomDigits(int length) {
		StringBuilder digits = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			digits.append(this.random.nextInt(10));
		}
		return digits.toString();
	}

	private String randomHex(int length) {
		StringBuilder hex = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			hex.append(Character.forDigit(this.random.nextInt(16), 16));
		}
		return hex.toString();
	}

	private String randomUrlSafe(int bytes) {
		byte[] buffer = new byte[bytes];
		this.random.nextBytes(buffer);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer);
	}

	/**
	 * A sent code and whether a successful bind or register consumed it.
	 */
	private static final class SentCode {

		private final SentVerificationCode sent;

		private boolean used;

		SentCode(SentVerificationCode sent) {
			this.sent = sent;
		}

		SentVerificationCode sent() {
			return this.sent;
		}

	}

	private static final class AppleIdentity {

		private final String sub;

		private final String branch;

		private final List<String> flows;

		private final boolean denied;

		private @Nullable String userId;

		private boolean signedIn;

		private @Nullable String firstName;

		private @Nullable String lastName;

		private @Nullable String email;

		AppleIdentity(String sub, String branch, List<String> flows, boolean denied, @Nullable String userId) {
			this.sub = sub;
			this.branch = branch;
			this.flows = flows;
			this.denied = denied;
			this.userId = userId;
		}

	}

	private record SigningKey(String kid, KeyPair keyPair) {
	}

	private record AppleCode(String identitySub, Instant issuedAt) {
	}

	private record Session(String userId, Instant expiresAt) {
	}

	private record PendingFlow(String identitySub, String branch, List<String> flows, Instant expiresAt,
			@Nullable String userId) {
	}

	private record IssuedPuzzle(int x, Instant issuedAt) {
	}

	/**
	 * A passed slider check: the {@code captcha_token} it answered is good for one send to
	 * {@code sender}.
	 */
	private static final class CaptchaPass {

		private final String sender;

		private final Instant issuedAt;

		private boolean used;

		CaptchaPass(String sender, Instant issuedAt) {
			this.sender = sender;
			this.issuedAt = issuedAt;
		}

	}

	private record Answer(int status, @Nullable Map<String, ?> body) {

		static Answer empty() {
			return new Answer(200, null);
		}

		static Answer error(IdaasSimulatorError error, Language language) {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("error_code", error.code());
			body.put("error_msg", (language == Language.CHINESE) ? error.chineseMessage() : error.englishMessage());
			return new Answer(error.httpStatus(), body);
		}

	}

	private static void awaitRelease(CountDownLatch release) {
		try {
			release.await(1, TimeUnit.MINUTES);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private sealed interface Fault {

		record Fail(int httpStatus) implements Fault {
		}

		record VendorError(int httpStatus, String errorCode, String errorMessage) implements Fault {
		}

		record Hold(CountDownLatch release) implements Fault {
		}

		record Delay(Duration delay) implements Fault {
		}

		record Malformed(Malformation malformation) implements Fault {
		}

	}

	private enum Language {

		ENGLISH, CHINESE;

		static Language of(@Nullable String header) {
			return (header != null && header.trim().toLowerCase(Locale.ROOT).startsWith("zh")) ? CHINESE : ENGLISH;
		}

	}

	@Override
	public String toString() {
		return "IdaasSimulator[started=" + isStarted() + "]";
	}

}

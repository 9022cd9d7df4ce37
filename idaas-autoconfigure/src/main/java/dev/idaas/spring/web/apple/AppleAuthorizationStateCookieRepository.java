package dev.idaas.spring.web.apple;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.util.Assert;
import org.springframework.web.util.WebUtils;
import dev.idaas.spring.web.LocalRedirects;
import dev.idaas.spring.web.IdaasLoginDefaults;

/**
 * Keeps the {@code state} of an Apple authorization request in its own short-lived cookie,
 * {@code SameSite=None; Secure; HttpOnly}, scoped to the callback path: Apple answers with a
 * cross-site {@code POST}, which carries no {@code SameSite=Lax} session cookie, so the session
 * cannot hold the state. A state is usable once: the cookie is expired on the callback and,
 * on this node, a consumed state is remembered until it would have expired anyway (in a
 * bounded memory that forgets the oldest under a flood rather than refusing everyone).
 * <p>
 * The cookie value is authenticated with an HMAC-SHA256 over the state, the target path, the
 * issue time, the hash of the browser's nonce, the browser's device fingerprint and the
 * cookie's purpose, so a forged cookie is refused and a genuine cookie's target path, issue
 * time or fingerprint cannot be changed. By default the
 * key is random and made when the repository is created, so only this node accepts its
 * cookies and a restart ends the sign-ins in progress; in a cluster where the authorize
 * request and Apple's callback may reach different nodes, give every node the same secret with
 * {@link #setSecret(String)} ({@code idaas.apple.state-secret}).
 * <p>
 * A signature alone does not stop login CSRF: someone who can set cookies for the site (a
 * sibling subdomain, since {@code __Secure-} cookies may carry a {@code Domain}) could plant
 * their own genuine state cookie and have the victim's browser post their own code and state,
 * signing the victim in as them. So the state is also bound to the browser that asked for it: a
 * random nonce goes into a {@value #DEFAULT_NONCE_COOKIE_NAME} cookie ({@code Path=/},
 * {@code Secure}, {@code HttpOnly}, {@code SameSite=None}, no {@code Domain}, which browsers
 * accept only from this exact origin), and its SHA-256 hash into the signed state. The
 * callback refuses a state whose hash does not match the nonce cookie of the browser posting
 * it. Someone who can set {@code __Host-} cookies, i.e. controls this exact origin, is out of
 * scope.
 * <p>
 * The browser's device id cookie is {@code SameSite=Lax} and does not come with Apple's
 * callback either, so the fingerprint resolved on the authorize request travels in the state
 * and the callback presents it to IDaaS ({@link AppleAuthorizationState#deviceFingerprint()}).
 * Cookies written before fingerprints were recorded ({@code state.target.issued.nonceHash.mac},
 * signed for another purpose) are still accepted during a rolling upgrade, without a
 * fingerprint; a node of the previous version refuses the new format, so a sign-in started on
 * an upgraded node and answered by an old one has to start again.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public final class AppleAuthorizationStateCookieRepository {

	/**
	 * The default cookie name. The {@code __Secure-} prefix makes browsers refuse the cookie
	 * unless it is {@code Secure} and set over HTTPS; {@code __Host-} would also forbid a
	 * {@code Domain}, but requires {@code Path=/}, and this cookie is scoped to the callback.
	 */
	public static final String DEFAULT_COOKIE_NAME = "__Secure-IDAAS_APPLE_STATE";

	/**
	 * The name of the cookie holding the nonce that binds a state to the browser. The
	 * {@code __Host-} prefix makes browsers refuse it unless it is {@code Secure}, has
	 * {@code Path=/} and no {@code Domain}, so a sibling subdomain cannot set it.
	 */
	public static final String DEFAULT_NONCE_COOKIE_NAME = "__Host-IDAAS_APPLE_NONCE";

	/**
	 * How many consumed states a node remembers at most; past it, the oldest is forgotten.
	 */
	public static final int MAX_REMEMBERED_STATES = 10_000;

	/**
	 * The shortest secret {@link #setSecret(String)} accepts, in characters.
	 */
	public static final int MIN_SECRET_LENGTH = 32;

	/**
	 * The longest device fingerprint kept in the state, in characters; a longer one is not
	 * recorded and the callback resolves the device as on any other request.
	 */
	public static final int MAX_DEVICE_FINGERPRINT_LENGTH = 256;

	private static final String MAC_ALGORITHM = "HmacSHA256";

	// part of every MAC, so a value signed with the same secret for another purpose never passes
	private static final String PURPOSE = "idaas-apple-authorization-state-v3";

	// the format before the device fingerprint: state.target.issued.nonceHash.mac
	private static final String PURPOSE_WITHOUT_DEVICE = "idaas-apple-authorization-state-v2";

	private final String callbackPath;

	private final SecureRandom random = new SecureRandom();

	private final ConsumedAppleStates consumed = new ConsumedAppleStates(MAX_REMEMBERED_STATES);

	private SecretKeySpec key;

	private String cookieName = DEFAULT_COOKIE_NAME;

	private Duration timeout = IdaasLoginDefaults.APPLE_STATE_TIMEOUT;

	private Clock clock = Clock.systemUTC();

	/**
	 * Creates a repository whose cookie is sent only to the callback path.
	 * @param callbackPath the callback path, e.g. {@code /login/idaas/apple/callback}
	 */
	public AppleAuthorizationStateCookieRepository(String callbackPath) {
		Assert.isTrue(LocalRedirects.isLocal(callbackPath), "callbackPath must be a local path");
		this.callbackPath = callbackPath;
		byte[] random = new byte[32];
		this.random.nextBytes(random);
		this.key = new SecretKeySpec(random, MAC_ALGORITHM);
	}

	/**
	 * Sets the secret the cookie is signed with, instead of the random key of this instance:
	 * every node that shares it accepts the others' cookies. Use a random value of at least
	 * {@value #MIN_SECRET_LENGTH} characters and keep it out of logs.
	 * @param secret the secret
	 */
	public void setSecret(String secret) {
		Assert.notNull(secret, "secret cannot be null");
		Assert.isTrue(secret.length() >= MIN_SECRET_LENGTH,
				() -> "secret must be at least " + MIN_SECRET_LENGTH + " characters");
		this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), MAC_ALGORITHM);
	}

	/**
	 * Sets the cookie name.
	 * @param cookieName the name
	 */
	public void setCookieName(String cookieName) {
		Assert.hasText(cookieName, "cookieName cannot be empty");
		this.cookieName = cookieName;
	}

	/**
	 * Sets how long a state stays usable (default 10 minutes).
	 * @param timeout the timeout
	 */
	public void setTimeout(Duration timeout) {
		Assert.notNull(timeout, "timeout cannot be null");
		this.timeout = timeout;
	}

	/**
	 * Sets the clock.
	 * @param clock the clock
	 */
	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	/**
	 * Creates a new state without a device fingerprint, stores it in the cookie, binds it to
	 * this browser with the nonce cookie and returns it.
	 * @param targetPath where to go after success, or {@code null}
	 * @param request the request that starts the flow (its context path scopes the cookie)
	 * @param response the response that sets the cookies
	 * @return the new state
	 */
	public AppleAuthorizationState create(@Nullable String targetPath, HttpServletRequest request,
			HttpServletResponse response) {
		return create(targetPath, null, request, response);
	}

	/**
	 * Creates a new state, stores it with the browser's device fingerprint in the cookie, binds
	 * it to this browser with the nonce cookie and returns it.
	 * @param targetPath where to go after success, or {@code null}
	 * @param deviceFingerprint the fingerprint resolved on this request, for the callback to
	 * present, or {@code null}; one longer than {@value #MAX_DEVICE_FINGERPRINT_LENGTH}
	 * characters is not recorded
	 * @param request the request that starts the flow (its context path scopes the cookie)
	 * @param response the response that sets the cookies
	 * @return the new state
	 */
	public AppleAuthorizationState create(@Nullable String targetPath, @Nullable String deviceFingerprint,
			HttpServletRequest request, HttpServletResponse response) {
		Assert.notNull(request, "request cannot be null");
		Assert.notNull(response, "response cannot be null");
		String device = (deviceFingerprint != null && deviceFingerprint.length() <= MAX_DEVICE_FINGERPRINT_LENGTH)
				? deviceFingerprint : null;
		AppleAuthorizationState state = new AppleAuthorizationState(randomToken(), targetPath, device);
		String nonce = randomToken();
		String value = state.state() + "." + encode(state.targetPath()) + "." + this.clock.instant().getEpochSecond()
				+ "." + nonceHash(nonce) + "." + encode(state.deviceFingerprint());
		response.addHeader(HttpHeaders.SET_COOKIE,
				cookie(request, value + "." + mac(PURPOSE, value), this.timeout).toString());
		response.addHeader(HttpHeaders.SET_COOKIE, nonceCookie(nonce, this.timeout).toString());
		return state;
	}

	/**
	 * Checks the state Apple posted back against the cookie and the browser's nonce cookie and
	 * consumes it: afterwards both cookies are expired and the state refused.
	 * @param postedState the {@code state} form field
	 * @param request the callback request
	 * @param response the callback response
	 * @return the matching state, with the device fingerprint recorded when it was created
	 * (none in a cookie of the older format), or {@code null} when missing, mismatched, not
	 * bound to this browser, expired or replayed
	 */
	public @Nullable AppleAuthorizationState consume(@Nullable String postedState, HttpServletRequest request,
			HttpServletResponse response) {
		Cookie cookie = WebUtils.getCookie(request, this.cookieName);
		if (cookie == null) {
			return null;
		}
		Cookie nonce = WebUtils.getCookie(request, DEFAULT_NONCE_COOKIE_NAME);
		response.addHeader(HttpHeaders.SET_COOKIE, cookie(request, "", Duration.ZERO).toString());
		if (nonce != null) {
			response.addHeader(HttpHeaders.SET_COOKIE, nonceCookie("", Duration.ZERO).toString());
		}
		String value = cookie.getValue();
		String[] parts = value.split("\\.", -1);
		// 6 parts: with the device fingerprint; 5: written before it, still read during an upgrade
		String purpose = (parts.length == 6) ? PURPOSE : (parts.length == 5) ? PURPOSE_WITHOUT_DEVICE : null;
		if (purpose == null || !MessageDigest.isEqual(
				mac(purpose, value.substring(0, value.lastIndexOf('.'))).getBytes(StandardCharsets.US_ASCII),
				parts[parts.length - 1].getBytes(StandardCharsets.US_ASCII))) {
			return null;
		}
		if (postedState == null || !MessageDigest.isEqual(
				parts[0].getBytes(StandardCharsets.US_ASCII), postedState.getBytes(StandardCharsets.US_ASCII))) {
			return null;
		}
		// the state must have been asked for by this browser, not planted in it
		if (nonce == null || !MessageDigest.isEqual(nonceHash(nonce.getValue()).getBytes(StandardCharsets.US_ASCII),
				parts[3].getBytes(StandardCharsets.US_ASCII))) {
			return null;
		}
		Instant now = this.clock.instant();
		Instant issuedAt = issuedAt(parts[2]);
		if (issuedAt == null || now.isAfter(issuedAt.plus(this.timeout))) {
			return null;
		}
		if (!this.consumed.consume(postedState, issuedAt.plus(this.timeout), now)) {
			return null;
		}
		return new AppleAuthorizationState(postedState, decode(parts[1]),
				(parts.length == 6) ? decode(parts[4]) : null);
	}

	private String randomToken() {
		byte[] bytes = new byte[32];
		this.random.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private static String nonceHash(String nonce) {
		try {
			MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
			return Base64.getUrlEncoder()
				.withoutPadding()
				.encodeToString(sha256.digest(nonce.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			// SHA-256 is required of every Java platform
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	private String mac(String purpose, String value) {
		try {
			Mac mac = Mac.getInstance(MAC_ALGORITHM);
			mac.init(this.key);
			mac.update(purpose.getBytes(StandardCharsets.US_ASCII));
			mac.update((byte) 0);
			return Base64.getUrlEncoder()
				.withoutPadding()
				.encodeToString(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			// HmacSHA256 is required of every Java platform
			throw new IllegalStateException(MAC_ALGORITHM + " is not available", ex);
		}
	}

	private static @Nullable Instant issuedAt(String epochSeconds) {
		try {
			return Instant.ofEpochSecond(Long.parseLong(epochSeconds));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static String encode(@Nullable String text) {
		return (text != null)
				? Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8)) : "";
	}

	private static @Nullable String decode(String encoded) {
		if (encoded.isEmpty()) {
			return null;
		}
		try {
			return new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static ResponseCookie nonceCookie(String value, Duration maxAge) {
		// __Host-: Secure, Path=/ and no Domain, or the browser refuses it
		return ResponseCookie.from(DEFAULT_NONCE_COOKIE_NAME, value)
			.path("/")
			.httpOnly(true)
			.secure(true)
			.sameSite("None")
			.maxAge(maxAge)
			.build();
	}

	private ResponseCookie cookie(HttpServletRequest request, String value, Duration maxAge) {
		// the browser sends the cookie only to the callback as it sees it, under the context path
		return ResponseCookie.from(this.cookieName, value)
			.path(request.getContextPath() + this.callbackPath)
			.httpOnly(true)
			.secure(true)
			.sameSite("None")
			.maxAge(maxAge)
			.build();
	}

}

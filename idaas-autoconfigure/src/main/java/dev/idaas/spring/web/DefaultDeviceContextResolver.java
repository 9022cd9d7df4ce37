package dev.idaas.spring.web;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import dev.idaas.spring.client.DeviceContext;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import org.springframework.web.util.WebUtils;

/**
 * Resolves device facts the way a web application should forward them to IDaaS:
 * <ul>
 * <li>{@code X-agent} from the request's {@code User-Agent}, any non-ASCII character replaced
 * by {@code ?};</li>
 * <li>{@code X-device-ip} from {@link HttpServletRequest#getRemoteAddr()}, which honours
 * Spring Boot's {@code server.forward-headers-strategy} (raw {@code X-Forwarded-For} is never
 * trusted);</li>
 * <li>{@code X-L} from the request locale, only when the client sent
 * {@code Accept-Language};</li>
 * <li>{@code X-operating-sys-version} from a native app's header, or else parsed from the
 * user agent;</li>
 * <li>{@code X-device-fingerprint} from a native app's header, or else a random device id kept
 * in a long-lived {@code HttpOnly} cookie, so one browser always presents the same
 * fingerprint.</li>
 * </ul>
 * The cookie is {@code SameSite=Lax}, so Apple's cross-site {@code form_post} callback does not
 * carry it: there {@link #resolve(HttpServletRequest, HttpServletResponse, String)} is given the
 * fingerprint resolved when the authorization started, presents it, and leaves the browser's
 * cookie alone.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public final class DefaultDeviceContextResolver implements DeviceContextResolver {

	private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._-]{8,128}");

	private static final Pattern OS_VERSION = Pattern.compile("[A-Za-z0-9._ -]{1,64}");

	private static final Pattern IOS = Pattern.compile("(?:iPhone|CPU) OS (\\d+(?:_\\d+)*)");

	private static final Pattern ANDROID = Pattern.compile("Android (\\d+(?:\\.\\d+)*)");

	private static final Pattern WINDOWS = Pattern.compile("Windows NT (\\d+(?:\\.\\d+)*)");

	private static final Pattern MAC = Pattern.compile("Mac OS X (\\d+(?:[._]\\d+)*)");

	private static final String UNKNOWN = "unknown";

	private final SecureRandom random = new SecureRandom();

	private String cookieName = "IDAAS_DEVICE";

	private Duration cookieMaxAge = Duration.ofDays(400);

	private String fingerprintHeader = "X-Device-Fingerprint";

	private String osVersionHeader = "X-OS-Version";

	/**
	 * Sets the name of the device id cookie (default {@code IDAAS_DEVICE}).
	 * @param cookieName the cookie name
	 */
	public void setCookieName(String cookieName) {
		Assert.hasText(cookieName, "cookieName cannot be empty");
		this.cookieName = cookieName;
	}

	/**
	 * Sets the lifetime of the device id cookie (default 400 days).
	 * @param cookieMaxAge the lifetime
	 */
	public void setCookieMaxAge(Duration cookieMaxAge) {
		Assert.notNull(cookieMaxAge, "cookieMaxAge cannot be null");
		this.cookieMaxAge = cookieMaxAge;
	}

	/**
	 * Sets the request header a native app sends its device fingerprint in (default
	 * {@code X-Device-Fingerprint}).
	 * @param fingerprintHeader the header name
	 */
	public void setFingerprintHeader(String fingerprintHeader) {
		Assert.hasText(fingerprintHeader, "fingerprintHeader cannot be empty");
		this.fingerprintHeader = fingerprintHeader;
	}

	/**
	 * Sets the request header a native app sends its OS version in (default
	 * {@code X-OS-Version}).
	 * @param osVersionHeader the header name
	 */
	public void setOsVersionHeader(String osVersionHeader) {
		Assert.hasText(osVersionHeader, "osVersionHeader cannot be empty");
		this.osVersionHeader = osVersionHeader;
	}

	/**
	 * The name of the device id cookie.
	 * @return the cookie name
	 */
	public String getCookieName() {
		return this.cookieName;
	}

	@Override
	public DeviceContext resolve(HttpServletRequest request, HttpServletResponse response) {
		Assert.notNull(request, "request cannot be null");
		Assert.notNull(response, "response cannot be null");
		return device(request, fingerprint(request, response));
	}

	/**
	 * Resolves the device facts like {@link #resolve(HttpServletRequest, HttpServletResponse)},
	 * but presents the given fingerprint, resolved earlier for this browser, and sets no device
	 * cookie: the browser keeps the one it has. Later resolutions on the same request present
	 * the same fingerprint unless the request carries the browser's own device header or cookie.
	 * @param request the request
	 * @param response the response
	 * @param fingerprint the fingerprint resolved earlier for this browser
	 * @return the device facts, with {@code fingerprint}
	 */
	@Override
	public DeviceContext resolve(HttpServletRequest request, HttpServletResponse response, String fingerprint) {
		Assert.notNull(request, "request cannot be null");
		Assert.notNull(response, "response cannot be null");
		Assert.hasText(fingerprint, "fingerprint cannot be empty");
		// a second-factor step on the same callback request must not mint a new id either
		request.setAttribute(this.cookieName, fingerprint);
		return device(request, fingerprint);
	}

	private DeviceContext device(HttpServletRequest request, String fingerprint) {
		String agent = request.getHeader(HttpHeaders.USER_AGENT);
		String userAgent = StringUtils.hasText(agent) ? printableAscii(agent) : UNKNOWN;
		return new DeviceContext(osVersion(request, userAgent), fingerprint, request.getRemoteAddr(), userAgent,
				locale(request));
	}

	/**
	 * Some in-app browsers send non-ASCII user agents, which cannot travel as an HTTP header:
	 * each such character becomes {@code ?} so the sign-in still works.
	 */
	private static String printableAscii(String value) {
		StringBuilder ascii = null;
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < 0x20 || c > 0x7e) {
				if (ascii == null) {
					ascii = new StringBuilder(value.substring(0, i));
				}
				ascii.append('?');
			}
			else if (ascii != null) {
				ascii.append(c);
			}
		}
		return (ascii != null) ? ascii.toString() : value;
	}

	private String osVersion(HttpServletRequest request, String userAgent) {
		String sent = request.getHeader(this.osVersionHeader);
		if (sent != null && OS_VERSION.matcher(sent).matches()) {
			return sent;
		}
		return parseOsVersion(userAgent);
	}

	/**
	 * Derives an OS version such as {@code ios13.3}, {@code android14}, {@code windows10.0} or
	 * {@code macos10.15.7} from a user agent.
	 * @param userAgent the user agent
	 * @return the OS version, or {@code unknown}
	 */
	static String parseOsVersion(String userAgent) {
		Matcher matcher = IOS.matcher(userAgent);
		if (matcher.find()) {
			return "ios" + matcher.group(1).replace('_', '.');
		}
		matcher = ANDROID.matcher(userAgent);
		if (matcher.find()) {
			return "android" + matcher.group(1);
		}
		matcher = WINDOWS.matcher(userAgent);
		if (matcher.find()) {
			return "windows" + matcher.group(1);
		}
		matcher = MAC.matcher(userAgent);
		if (matcher.find()) {
			return "macos" + matcher.group(1).replace('_', '.');
		}
		if (userAgent.contains("CrOS")) {
			return "chromeos";
		}
		if (userAgent.contains("Linux")) {
			return "linux";
		}
		return UNKNOWN;
	}

	private String fingerprint(HttpServletRequest request, HttpServletResponse response) {
		String sent = request.getHeader(this.fingerprintHeader);
		if (sent != null && DEVICE_ID.matcher(sent).matches()) {
			return sent;
		}
		Cookie cookie = WebUtils.getCookie(request, this.cookieName);
		if (cookie != null && DEVICE_ID.matcher(cookie.getValue()).matches()) {
			return cookie.getValue();
		}
		String existing = (String) request.getAttribute(this.cookieName);
		if (existing != null) {
			return existing;
		}
		byte[] bytes = new byte[16];
		this.random.nextBytes(bytes);
		String deviceId = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		ResponseCookie newCookie = ResponseCookie.from(this.cookieName, deviceId)
			.path("/")
			.httpOnly(true)
			.secure(request.isSecure())
			.sameSite("Lax")
			.maxAge(this.cookieMaxAge)
			.build();
		response.addHeader(HttpHeaders.SET_COOKIE, newCookie.toString());
		// one request resolving twice must present one fingerprint
		request.setAttribute(this.cookieName, deviceId);
		return deviceId;
	}

	private static @Nullable Locale locale(HttpServletRequest request) {
		return (request.getHeader(HttpHeaders.ACCEPT_LANGUAGE) != null) ? request.getLocale() : null;
	}

}

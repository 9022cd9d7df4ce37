package dev.idaas.spring.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.idaas.spring.client.DeviceContext;

import org.springframework.util.Assert;

/**
 * Resolves the end user's device facts (forwarded to IDaaS on every call) from a request.
 * Replace the bean to take them from elsewhere.
 * <p>
 * One browser should always present the same fingerprint. A browser's device id usually rides
 * in a {@code SameSite=Lax} cookie, which the browser does not send on Apple's cross-site
 * {@code form_post} callback; so the Apple web flow resolves the fingerprint when the
 * authorization starts (a same-site {@code GET}), keeps it in the signed state cookie and hands
 * it back on the callback through {@link #resolve(HttpServletRequest, HttpServletResponse, String)}.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see DefaultDeviceContextResolver
 */
@FunctionalInterface
public interface DeviceContextResolver {

	/**
	 * Resolves the device facts of the request's user. May set a cookie (e.g. a device id).
	 * @param request the request
	 * @param response the response
	 * @return the device facts
	 */
	DeviceContext resolve(HttpServletRequest request, HttpServletResponse response);

	/**
	 * Resolves the device facts of a request that cannot present the browser's own device id
	 * but whose fingerprint was resolved earlier, on a request of the same browser: Apple's
	 * cross-site callback, with the fingerprint resolved when the authorization started. The
	 * result must carry {@code fingerprint}, and the browser's device id must not be replaced
	 * (no new device cookie). Later calls of {@link #resolve(HttpServletRequest, HttpServletResponse)}
	 * on the same request (e.g. a second-factor step) should present the same fingerprint.
	 * <p>
	 * The default resolves the request with {@link #resolve(HttpServletRequest, HttpServletResponse)}
	 * and replaces the fingerprint: an implementation whose {@code resolve} sets a device cookie
	 * should override this method so that it does not.
	 * @param request the request
	 * @param response the response
	 * @param fingerprint the fingerprint resolved earlier for this browser
	 * @return the device facts, with {@code fingerprint}
	 * @since 0.1
	 */
	default DeviceContext resolve(HttpServletRequest request, HttpServletResponse response, String fingerprint) {
		Assert.hasText(fingerprint, "fingerprint cannot be empty");
		DeviceContext resolved = resolve(request, response);
		return new DeviceContext(resolved.operatingSystemVersion(), fingerprint, resolved.ipAddress(),
				resolved.userAgent(), resolved.locale());
	}

}

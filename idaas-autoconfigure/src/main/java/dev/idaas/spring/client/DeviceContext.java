package dev.idaas.spring.client;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Facts about the end user's device or browser that IDaaS requires on every call (the
 * {@code X-operating-sys-version}, {@code X-device-fingerprint}, {@code X-device-ip},
 * {@code X-agent} and {@code X-L} headers). A web application forwards its user's facts,
 * never its own.
 *
 * @param operatingSystemVersion the client's OS version, e.g. {@code ios17.5}
 * @param fingerprint a stable identifier of the device or browser
 * @param ipAddress the client's IP address, or {@code null} when unknown (the header is then
 * omitted)
 * @param userAgent the client's user agent
 * @param locale the language for IDaaS messages, or {@code null} when unknown (the header is
 * then omitted)
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public record DeviceContext(String operatingSystemVersion, String fingerprint, @Nullable String ipAddress,
		String userAgent, @Nullable Locale locale) {

	/**
	 * Creates a device context.
	 */
	public DeviceContext {
		Assert.hasText(operatingSystemVersion, "operatingSystemVersion cannot be empty");
		Assert.hasText(fingerprint, "fingerprint cannot be empty");
		Assert.hasText(userAgent, "userAgent cannot be empty");
		if (ipAddress != null && ipAddress.isBlank()) {
			ipAddress = null;
		}
	}

}

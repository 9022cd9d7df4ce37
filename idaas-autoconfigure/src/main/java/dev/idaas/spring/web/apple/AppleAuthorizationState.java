package dev.idaas.spring.web.apple;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import dev.idaas.spring.web.LocalRedirects;

/**
 * The {@code state} of one Apple authorization request, where to go after it succeeds, and the
 * device fingerprint of the browser that started it.
 *
 * @param state the random state sent to Apple
 * @param targetPath the local path to return to, or {@code null} for the default
 * @param deviceFingerprint the fingerprint resolved when the authorization started, which the
 * cross-site callback presents to IDaaS, or {@code null} when none was recorded (a state issued
 * before fingerprints were recorded)
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public record AppleAuthorizationState(String state, @Nullable String targetPath,
		@Nullable String deviceFingerprint) {

	/**
	 * Creates the state.
	 */
	public AppleAuthorizationState {
		Assert.hasText(state, "state cannot be empty");
		if (targetPath != null && !LocalRedirects.isLocal(targetPath)) {
			targetPath = null;
		}
		if (deviceFingerprint != null && deviceFingerprint.isBlank()) {
			deviceFingerprint = null;
		}
	}

	/**
	 * Creates a state without a device fingerprint.
	 * @param state the random state sent to Apple
	 * @param targetPath the local path to return to, or {@code null} for the default
	 */
	public AppleAuthorizationState(String state, @Nullable String targetPath) {
		this(state, targetPath, null);
	}

	@Override
	public String toString() {
		return "AppleAuthorizationState[state=***, targetPath=" + this.targetPath + ", deviceFingerprint="
				+ ((this.deviceFingerprint != null) ? "***" : null) + "]";
	}

}

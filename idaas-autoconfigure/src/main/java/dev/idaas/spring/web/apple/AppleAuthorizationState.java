package dev.idaas.spring.web.apple;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import dev.idaas.spring.web.LocalRedirects;

/**
 * The {@code state} of one Apple authorization request and where to go after it succeeds.
 *
 * @param state the random state sent to Apple
 * @param targetPath the local path to return to, or {@code null} for the default
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public record AppleAuthorizationState(String state, @Nullable String targetPath) {

	/**
	 * Creates the state.
	 */
	public AppleAuthorizationState {
		Assert.hasText(state, "state cannot be empty");
		if (targetPath != null && !LocalRedirects.isLocal(targetPath)) {
			targetPath = null;
		}
	}

	@Override
	public String toString() {
		return "AppleAuthorizationState[state=***, targetPath=" + this.targetPath + "]";
	}

}

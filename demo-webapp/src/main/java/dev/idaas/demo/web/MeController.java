package dev.idaas.demo.web;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/me}: the signed-in user as JSON, for page scripts and API clients. Without a
 * session the security chain answers {@code 401} JSON before this is reached.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
@RestController
class MeController {

	@GetMapping(path = "/api/me", produces = "application/json")
	Map<String, @Nullable Object> me(@Nullable Authentication authentication) {
		SignedInUser user = SignedInUser.of(authentication);
		Map<String, @Nullable Object> body = new LinkedHashMap<>();
		body.put("sub", user.sub());
		body.put("name", user.name());
		body.put("email", user.email());
		body.put("mobile", user.mobile());
		body.put("id", user.id());
		body.put("id_token_expires_at", iso(user.idTokenExpiresAt()));
		body.put("signed_in_at", iso(user.signedInAt()));
		body.put("refresh_count", user.refreshCount());
		return body;
	}

	private static @Nullable String iso(@Nullable Instant instant) {
		return (instant != null) ? instant.toString() : null;
	}

}

package dev.idaas.demo.web;

import java.time.Duration;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The signed-in user's page: identity claims, the id_token's remaining life and how often it
 * was silently refreshed (a script polls {@code /api/me}, which keeps the session active and
 * lets the starter refresh the id_token as it nears expiry).
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
@Controller
class ProfileController {

	private final long pollMillis;

	ProfileController(@Value("${demo.profile.poll-interval:5s}") Duration pollInterval) {
		this.pollMillis = pollInterval.toMillis();
	}

	@GetMapping("/")
	String profile(@Nullable Authentication authentication, Model model) {
		model.addAttribute("me", SignedInUser.of(authentication));
		model.addAttribute("idaasSession", authentication instanceof IdaasAuthenticationToken);
		model.addAttribute("pollMillis", this.pollMillis);
		return "profile";
	}

}

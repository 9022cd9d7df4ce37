package dev.idaas.demo.web;

import java.util.Locale;

import dev.idaas.spring.client.IdaasErrorCodes;
import dev.idaas.spring.client.IdaasErrorMessages;
import dev.idaas.spring.config.IdaasLoginSettings;
import dev.idaas.spring.web.LastAuthenticationFailure;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The sign-in page: a "Sign in with Apple" button and the outcome of the last attempt
 * ({@code ?error&code=...}, {@code ?logout}, {@code ?expired}).
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
@Controller
class LoginController {

	private final IdaasErrorMessages errorMessages;

	private final IdaasLoginSettings settings;

	LoginController(IdaasErrorMessages errorMessages, IdaasLoginSettings settings) {
		Assert.notNull(errorMessages, "errorMessages cannot be null");
		Assert.notNull(settings, "settings cannot be null");
		this.errorMessages = errorMessages;
		this.settings = settings;
	}

	@GetMapping("/login")
	String login(HttpServletRequest request, @RequestParam(name = "error", required = false) @Nullable String error,
			@RequestParam(name = "code", required = false) @Nullable String code,
			@RequestParam(name = "expired", required = false) @Nullable String expired,
			@Nullable Authentication authentication, Locale locale, Model model) {
		if (error != null) {
			// ?code= is the user's to edit: shown only when it has the shape of a code, and the
			// vendor's own words come from the session (once), never from the URL
			if (code != null && IdaasErrorCodes.isWellFormed(code)) {
				model.addAttribute("errorCode", code);
				model.addAttribute("errorText",
						LastAuthenticationFailure.takeMessage(request, code, this.errorMessages, locale));
			}
			model.addAttribute("error", true);
		}
		else if (expired != null && code != null && IdaasErrorCodes.isWellFormed(code)) {
			// IDaaS ended the session with its own answer (a refused refresh): its words, once
			model.addAttribute("expiredCode", code);
			model.addAttribute("expiredText",
					LastAuthenticationFailure.takeMessage(request, code, this.errorMessages, locale));
		}
		model.addAttribute("appleEnabled", this.settings.apple() != null);
		model.addAttribute("appleUrl",
				(this.settings.apple() != null) ? this.settings.apple().authorizationUrl() : "/login");
		model.addAttribute("signedIn",
				authentication != null && authentication.isAuthenticated()
						&& !(authentication instanceof AnonymousAuthenticationToken));
		return "login";
	}

}

package dev.idaas.demo.web;

import java.util.Locale;
import java.util.regex.Pattern;

import dev.idaas.spring.client.IdaasErrorMessages;
import dev.idaas.spring.config.IdaasLoginSettings;
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

	/**
	 * What an IDaaS or starter error code looks like; anything else in {@code ?code=} is not
	 * shown (the parameter is the user's to edit).
	 */
	static final Pattern ERROR_CODE = Pattern.compile("[A-Z][A-Z0-9_]*(\\.[A-Z0-9_]+){1,4}");

	private final IdaasErrorMessages errorMessages;

	private final IdaasLoginSettings settings;

	LoginController(IdaasErrorMessages errorMessages, IdaasLoginSettings settings) {
		Assert.notNull(errorMessages, "errorMessages cannot be null");
		Assert.notNull(settings, "settings cannot be null");
		this.errorMessages = errorMessages;
		this.settings = settings;
	}

	@GetMapping("/login")
	String login(@RequestParam(name = "error", required = false) @Nullable String error,
			@RequestParam(name = "code", required = false) @Nullable String code,
			@Nullable Authentication authentication, Locale locale, Model model) {
		if (error != null) {
			if (code != null && code.length() <= 64 && ERROR_CODE.matcher(code).matches()) {
				model.addAttribute("errorCode", code);
				model.addAttribute("errorText", this.errorMessages.getMessage(code, locale));
			}
			model.addAttribute("error", true);
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

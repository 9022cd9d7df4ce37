package dev.idaas.spring.test.customchain;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A user's application with its own {@code SecurityFilterChain}, the README's
 * {@link SecurityConfiguration}, and no login page of its own.
 */
@SpringBootApplication
@RestController
public class CustomChainApp {

	public static void main(String[] args) {
		SpringApplication.run(CustomChainApp.class, args);
	}

	@GetMapping("/")
	String home(@AuthenticationPrincipal OidcUser user) {
		return "Hello " + user.getFullName();
	}

}

package dev.idaas.onedependency;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application that adds nothing but the starter (and, on the demo's classpath, the embedded
 * simulator): no login, bind, register or second-factor page of its own, no security
 * configuration. Its only page is the README's "Hello" endpoint.
 */
@SpringBootApplication
@RestController
public class OneDependencyApplication {

	@GetMapping("/")
	String home(@AuthenticationPrincipal OidcUser user) {
		return "Hello " + user.getFullName() + " (" + user.getSubject() + ")";
	}

}

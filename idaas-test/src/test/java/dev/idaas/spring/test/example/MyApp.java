package dev.idaas.spring.test.example;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.MediaType;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@SpringBootApplication
@RestController
public class MyApp {

	public static void main(String[] args) {
		SpringApplication.run(MyApp.class, args);
	}

	@GetMapping("/")
	String home(@AuthenticationPrincipal OidcUser user) {
		return "Hello " + user.getFullName();
	}

	@GetMapping("/api/me")
	Map<String, Object> me(@AuthenticationPrincipal OidcUser user) {
		return Map.of("sub", user.getSubject(), "email", user.getEmail(), "authorities",
				user.getAuthorities().stream().map(GrantedAuthority::getAuthority).sorted().toList());
	}

	// signing out is a POST with the CSRF token: this page has the button
	@GetMapping(path = "/logout", produces = MediaType.TEXT_HTML_VALUE)
	String logout(CsrfToken csrf) {
		return "<form method=\"post\" action=\"/logout\"><input type=\"hidden\" name=\""
				+ csrf.getParameterName() + "\" value=\"" + csrf.getToken() + "\"><button type=\"submit\">Sign out</button></form>";
	}

}

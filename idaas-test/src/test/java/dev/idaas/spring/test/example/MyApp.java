package dev.idaas.spring.test.example;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
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

}

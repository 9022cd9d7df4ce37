package dev.idaas.benchmarks.throughput;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/me} of both apps: the signed-in user's name as JSON. Counts what it served, so
 * the load driver can check that every request reached it signed in (a redirect to the login
 * page would not).
 */
@RestController
public class MeController {

	final AtomicLong served = new AtomicLong();

	@GetMapping("/api/me")
	public Map<String, Object> me(Authentication authentication) {
		this.served.incrementAndGet();
		return Map.of("name", authentication.getName(), "authenticated", authentication.isAuthenticated());
	}

}

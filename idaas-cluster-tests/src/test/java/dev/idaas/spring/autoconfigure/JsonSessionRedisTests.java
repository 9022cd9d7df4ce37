package dev.idaas.spring.autoconfigure;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import dev.idaas.spring.jackson.IdaasJacksonModule;
import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.MutableClock;
import dev.idaas.spring.test.simulator.SimulatedUser;
import dev.idaas.spring.web.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions stored as JSON: two nodes share Spring Session Data Redis (a real
 * {@code redis-server}) with a Jackson 3 serializer built from Spring Security's modules and
 * {@link IdaasJacksonModule}: the README's {@link SessionJsonConfiguration}. A sign-in on node A is read back from
 * JSON on node B, refreshed there, written back as JSON and read again on node A.
 */
class JsonSessionRedisTests {

	private static final String CONTEXT_FIELD = "sessionAttr:SPRING_SECURITY_CONTEXT";

	private static final SimulatedUser ALICE = SimulatedUser.of("alice", "Alice", "+8613800000001",
			"alice@example.com");

	private static final MutableClock clock = new MutableClock(Instant.now());

	private static RedisServerProcess redis;

	private static IdaasSimulator idaas;

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@BeforeAll
	static void start() throws Exception {
		redis = RedisServerProcess.start();
		idaas = new IdaasSimulator().clock(clock)
			.sessionTokenRotation(true)
			.idTokenTtl(Duration.ofMinutes(5))
			.registerUser(ALICE)
			.start();
	}

	@AfterAll
	static void stop() {
		if (idaas != null) {
			idaas.close();
		}
		if (redis != null) {
			redis.close();
		}
	}

	@Test
	void sessionWhenStoredAsJsonThenSignInServedAndRefreshedOnAnotherNode() throws Exception {
		try (ConfigurableApplicationContext a = startNode(); ConfigurableApplicationContext b = startNode()) {
			HttpResponse<String> login = this.http.send(HttpRequest.newBuilder(ClusterNodes.uri(a, "/login/idaas/apple"))
				.header("Content-Type", "application/json")
				.header("Accept", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"" + idaas.issueAppleCode(ALICE) + "\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(login.statusCode()).isEqualTo(200);
			String cookie = ClusterNodes.sessionCookie(login)
				.orElseThrow();
			String stored = storedContext(a, cookie);
			assertThat(stored).startsWith("{")
				.contains("\"@class\":\"dev.idaas.spring.authentication.IdaasAuthenticationToken\"")
				.contains("\"refreshCount\":0");

			assertThat(get(b, cookie)).isEqualTo("200 alice alice@example.com");

			int refreshes = idaas.refreshRequestCount();
			clock.advance(Duration.ofMinutes(6));
			assertThat(get(b, cookie)).isEqualTo("200 alice alice@example.com");
			assertThat(idaas.refreshRequestCount()).isEqualTo(refreshes + 1);
			String refreshed = storedContext(a, cookie);
			assertThat(refreshed).startsWith("{").contains("\"refreshCount\":1").isNotEqualTo(stored);

			assertThat(get(a, cookie)).isEqualTo("200 alice alice@example.com");
			assertThat(idaas.refreshRequestCount()).isEqualTo(refreshes + 1);
		}
	}

	private String get(ConfigurableApplicationContext node, String cookie) throws Exception {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(ClusterNodes.uri(node, "/me")).header("Cookie", cookie).header("Accept", "application/json").build(),
				HttpResponse.BodyHandlers.ofString());
		return response.statusCode() + " " + response.body();
	}

	private static String storedContext(ConfigurableApplicationContext node, String cookie) {
		String sessionId = ClusterNodes.sessionId(cookie);
		Object value = node.getBean(StringRedisTemplate.class)
			.opsForHash()
			.get("idaas-test:json:sessions:" + sessionId, CONTEXT_FIELD);
		assertThat(value).as("stored security context").isNotNull();
		return value.toString();
	}

	private static ConfigurableApplicationContext startNode() {
		return ClusterNodes.onClock(
				ClusterNodes.start(JsonSessionApplication.class, idaas, redis, "idaas-test:json"), clock);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import({ SessionJsonConfiguration.class, MeController.class })
	static class JsonSessionApplication {

	}

	@RestController
	static class MeController {

		@GetMapping("/me")
		String me(Authentication authentication) {
			OidcUser user = (OidcUser) authentication.getPrincipal();
			return authentication.getName() + " " + user.getEmail();
		}

	}

}

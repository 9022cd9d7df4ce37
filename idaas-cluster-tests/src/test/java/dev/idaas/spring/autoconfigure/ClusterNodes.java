package dev.idaas.spring.autoconfigure;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import dev.idaas.spring.authentication.IdaasAuthenticationTokenFactory;
import dev.idaas.spring.jwt.JwkSetKeySource;
import dev.idaas.spring.jwt.JwksIdTokenVerifier;
import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.web.RedisServerProcess;
import dev.idaas.spring.web.session.IdTokenRefresher;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The nodes of a test cluster: applications on random ports that share one real Redis (Spring
 * Session) and one simulated IDaaS.
 */
public final class ClusterNodes {

	private ClusterNodes() {
	}

	/**
	 * Starts a node.
	 * @param application the node's configuration
	 * @param idaas the upstream
	 * @param redis the shared store
	 * @param namespace the Spring Session namespace the nodes of one cluster share
	 * @param properties more properties, {@code key=value}
	 * @return the running node
	 */
	public static ConfigurableApplicationContext start(Class<?> application, IdaasSimulator idaas, RedisServerProcess redis,
			String namespace, String... properties) {
		List<String> all = new ArrayList<>(List.of("server.port=0", "spring.main.banner-mode=off",
				"logging.level.root=WARN", "logging.level.dev.idaas=INFO", "idaas.base-url=" + idaas.baseUrl(),
				"idaas.client-id=" + idaas.clientId(), "spring.data.redis.host=127.0.0.1",
				"spring.data.redis.port=" + redis.port(), "spring.session.data.redis.namespace=" + namespace));
		all.addAll(List.of(properties));
		return new SpringApplicationBuilder(application).properties(all.toArray(String[]::new)).run();
	}

	/**
	 * Puts every time-dependent piece of a node on the given clock (the simulator's), so
	 * id_tokens expire without waiting.
	 * @param node the node
	 * @param clock the clock
	 * @return the node
	 */
	public static ConfigurableApplicationContext onClock(ConfigurableApplicationContext node, Clock clock) {
		node.getBean(IdTokenRefresher.class).setClock(clock);
		node.getBean(IdaasAuthenticationTokenFactory.class).setClock(clock);
		node.getBean(JwksIdTokenVerifier.class).setClock(clock);
		node.getBean(JwkSetKeySource.class).setClock(clock);
		return node;
	}

	/**
	 * The Spring Session cookie an answer sets, as a {@code Cookie} header value.
	 * @param response the answer
	 * @return {@code SESSION=...}, empty when the answer sets none
	 */
	public static Optional<String> sessionCookie(HttpResponse<?> response) {
		return response.headers()
			.allValues("Set-Cookie")
			.stream()
			.filter((header) -> header.startsWith("SESSION="))
			.map((header) -> header.substring(0, header.indexOf(';')))
			.findFirst();
	}

	/**
	 * The URI of a path on a node.
	 * @param node the node
	 * @param path the path, e.g. {@code /me}
	 * @return {@code http://127.0.0.1:<port><path>}
	 */
	public static URI uri(ConfigurableApplicationContext node, String path) {
		int port = ((WebServerApplicationContext) node).getWebServer().getPort();
		return URI.create("http://127.0.0.1:" + port + path);
	}

	/**
	 * The Spring Session id in a {@code SESSION=..} cookie (Base64 of the id).
	 */
	static String sessionId(String cookie) {
		String value = cookie.substring(cookie.indexOf('=') + 1);
		return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
	}

}

package dev.idaas.spring.test.simulator;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.Jwts;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain HTTP client for the tests: what a real IDaaS client sends, over real HTTP.
 */
final class IdaasHttp {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final IdaasSimulator simulator;

	IdaasHttp(IdaasSimulator simulator) {
		this.simulator = simulator;
	}

	Map<String, String> deviceHeaders() {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("X-operating-sys-version", "iOS 17.4");
		headers.put("X-device-fingerprint", "156aysdna213sc50");
		headers.put("X-agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)");
		headers.put("X-device-ip", "192.168.1.2");
		headers.put("X-client-id", this.simulator.clientId());
		return headers;
	}

	Response login(String code) {
		return post(IdaasSimulator.LOGIN_PATH, deviceHeaders(), json(Map.of("code", code)));
	}

	Response refresh(String sessionToken) {
		Map<String, String> headers = deviceHeaders();
		headers.put("session-token", sessionToken);
		return post(IdaasSimulator.REFRESH_PATH, headers, "");
	}

	Response post(String path, Map<String, String> headers, String body) {
		return post(path, headers, body, Duration.ofSeconds(10));
	}

	Response post(String path, Map<String, String> headers, String body, Duration timeout) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
			.timeout(timeout)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		// set, not added: a test may replace the content type
		headers.forEach(request::setHeader);
		return send(request.build());
	}

	Response get(String path, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.GET();
		headers.forEach(request::header);
		return send(request.build());
	}

	Response get(String pathAndQuery) {
		return send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10)).GET().build());
	}

	private URI uri(String path) {
		return URI.create(this.simulator.baseUrl() + path);
	}

	private Response send(HttpRequest request) {
		try {
			HttpResponse<String> response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.body(),
					response.headers().firstValue("Content-Type").orElse(""),
					response.headers().firstValue("Content-Security-Policy").orElse(""));
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static String json(Object value) {
		return JSON.writeValueAsString(value);
	}

	/**
	 * Verifies an id_token against the key set served over HTTP, as a relying party does.
	 */
	Jws<Claims> verify(String idToken, Clock clock) {
		Map<String, Object> jwks = get(IdaasSimulator.JWKS_PATH).json();
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> keys = (List<Map<String, Object>>) jwks.get("keys");
		return Jwts.parser()
			.json(new JacksonJwtDeserializer())
			.clock(() -> java.util.Date.from(clock.instant()))
			.keyLocator((header) -> {
				String kid = (String) header.get("kid");
				return keys.stream()
					.filter((jwk) -> jwk.get("kid").equals(kid))
					.map(IdaasHttp::publicKey)
					.findFirst()
					.orElseThrow(() -> new IllegalStateException("unknown kid " + kid));
			})
			.build()
			.parseSignedClaims(idToken);
	}

	static PublicKey publicKey(Map<String, Object> jwk) {
		try {
			BigInteger n = new BigInteger(1, Base64.getUrlDecoder().decode((String) jwk.get("n")));
			BigInteger e = new BigInteger(1, Base64.getUrlDecoder().decode((String) jwk.get("e")));
			return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	record Response(int status, String body, String contentType, String contentSecurityPolicy) {

		Map<String, Object> json() {
			return JSON.readValue(this.body, new TypeReference<Map<String, Object>>() {
			});
		}

		String field(String name) {
			return (String) json().get(name);
		}

		String errorCode() {
			return field("error_code");
		}

	}

}

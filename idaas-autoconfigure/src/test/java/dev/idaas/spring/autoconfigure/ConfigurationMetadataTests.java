package dev.idaas.spring.autoconfigure;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata the processor generates from {@link IdaasProperties}: what IDEs
 * show for {@code idaas.*}.
 */
class ConfigurationMetadataTests {

	@Test
	void metadataWhenGeneratedThenEveryIdaasPropertyHasDescription() throws Exception {
		Map<String, JsonNode> properties = idaasProperties();
		assertThat(properties).containsKeys("idaas.enabled", "idaas.base-url", "idaas.client-id",
				"idaas.http.read-timeout", "idaas.http.max-attempts", "idaas.http.session-token-header",
				"idaas.id-token.algorithms", "idaas.id-token.jwk-set-uri", "idaas.login.processing-url",
				"idaas.login.pending-flow-timeout", "idaas.apple.client-id", "idaas.apple.authorize-uri",
				"idaas.apple.state-timeout", "idaas.device.fingerprint-cookie-name", "idaas.session.absolute-timeout");
		List<String> undocumented = new ArrayList<>();
		properties.forEach((name, property) -> {
			JsonNode description = property.get("description");
			if (description == null || description.asString().isBlank()) {
				undocumented.add(name);
			}
		});
		assertThat(undocumented).isEmpty();
		assertThat(properties.get("idaas.base-url").get("description").asString())
			.startsWith("Base URL of the IDaaS tenant");
		assertThat(properties.get("idaas.base-url").get("type").asString()).isEqualTo("java.net.URI");
		assertThat(properties.get("idaas.http.read-timeout").get("type").asString()).isEqualTo("java.time.Duration");
	}

	@Test
	void metadataWhenGeneratedThenDefaultsListed() throws Exception {
		Map<String, JsonNode> properties = idaasProperties();
		assertThat(properties.get("idaas.enabled").get("defaultValue").asBoolean()).isTrue();
		assertThat(properties.get("idaas.login.processing-url").get("defaultValue").asString())
			.isEqualTo("/login/idaas/apple");
		assertThat(properties.get("idaas.http.session-token-header").get("defaultValue").asString())
			.isEqualTo("session-token");
	}

	@Test
	void metadataWhenGeneratedThenEveryPropertyHasDefaultUnlessItHasNoneByDesign() throws Exception {
		// Set per tenant or derived from idaas.base-url: no default is the right answer
		Set<String> noDefaultByDesign = Set.of("idaas.base-url", "idaas.client-id", "idaas.apple.client-id",
				"idaas.apple.redirect-uri", "idaas.apple.state-secret", "idaas.id-token.issuer",
				"idaas.id-token.jwk-set-uri", "idaas.session.absolute-timeout");
		List<String> withoutDefault = new ArrayList<>();
		idaasProperties().forEach((name, property) -> {
			// a deprecated property left unset hands over to its replacement
			if (!property.has("defaultValue") && !property.has("deprecation") && !noDefaultByDesign.contains(name)) {
				withoutDefault.add(name);
			}
		});
		assertThat(withoutDefault).isEmpty();
		assertThat(idaasProperties().get("idaas.id-token.algorithms").get("defaultValue").get(0).asString())
			.isEqualTo("RS256");
	}

	@Test
	void metadataWhenGeneratedThenHealthToggleAndValueHintsListed() throws Exception {
		JsonNode root = metadata();
		JsonNode health = null;
		for (JsonNode property : root.get("properties")) {
			if (property.get("name").asString().equals("management.health.idaas.enabled")) {
				health = property;
			}
		}
		assertThat(health).as("management.health.idaas.enabled").isNotNull();
		assertThat(health.get("description").asString()).isNotBlank();
		assertThat(health.get("defaultValue").asBoolean()).isTrue();
		Map<String, List<String>> hints = new TreeMap<>();
		for (JsonNode hint : root.get("hints")) {
			List<String> values = new ArrayList<>();
			hint.get("values").forEach((value) -> values.add(value.get("value").asString()));
			hints.put(hint.get("name").asString(), values);
		}
		assertThat(hints.get("idaas.id-token.algorithms")).contains("RS256").doesNotContain("none", "HS256");
		assertThat(hints.get("idaas.http.session-token-header")).containsExactly("session-token", "X-session-token");
	}

	private static Map<String, JsonNode> idaasProperties() throws Exception {
		Map<String, JsonNode> properties = new TreeMap<>();
		for (JsonNode property : metadata().get("properties")) {
			String name = property.get("name").asString();
			if (name.startsWith("idaas.")) {
				properties.put(name, property);
			}
		}
		return properties;
	}

	private static JsonNode metadata() throws Exception {
		try (InputStream in = IdaasProperties.class.getClassLoader()
			.getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("META-INF/spring-configuration-metadata.json").isNotNull();
			return JsonMapper.builder().build().readTree(in);
		}
	}

}

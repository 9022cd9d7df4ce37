package dev.idaas.spring.autoconfigure;

import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.idaas.spring.web.IdaasLoginDefaults;

import org.springframework.boot.convert.DurationStyle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link IdaasProperties} repeats the defaults of {@link IdaasLoginDefaults} as literals, because
 * the configuration-metadata processor reads literals only: these tests hold the properties, and
 * the metadata IDEs show, equal to the one definition.
 */
class IdaasLoginDefaultsTests {

	private static final IdaasProperties properties = new IdaasProperties();

	/**
	 * Each {@code idaas.*} property whose default is defined in {@link IdaasLoginDefaults}: its
	 * value in a fresh {@link IdaasProperties}, and that definition.
	 */
	private static Map<String, Object[]> unified() {
		Map<String, Object[]> defaults = new LinkedHashMap<>();
		IdaasProperties.Login login = properties.getLogin();
		IdaasProperties.Apple apple = properties.getApple();
		defaults.put("idaas.login.processing-url", pair(login.getProcessingUrl(), IdaasLoginDefaults.PROCESSING_URL));
		defaults.put("idaas.login.login-page", pair(login.getLoginPage(), IdaasLoginDefaults.LOGIN_PAGE));
		defaults.put("idaas.login.failure-url", pair(login.getFailureUrl(), IdaasLoginDefaults.FAILURE_URL));
		defaults.put("idaas.login.default-success-url",
				pair(login.getDefaultSuccessUrl(), IdaasLoginDefaults.DEFAULT_SUCCESS_URL));
		defaults.put("idaas.login.bind-url", pair(login.getBindUrl(), IdaasLoginDefaults.BIND_URL));
		defaults.put("idaas.login.register-url", pair(login.getRegisterUrl(), IdaasLoginDefaults.REGISTER_URL));
		defaults.put("idaas.login.mfa-url", pair(login.getMfaUrl(), IdaasLoginDefaults.MFA_URL));
		defaults.put("idaas.login.pending-flow-timeout",
				pair(login.getPendingFlowTimeout(), IdaasLoginDefaults.PENDING_FLOW_TIMEOUT));
		defaults.put("idaas.login.code-resend-interval",
				pair(login.getCodeResendInterval(), IdaasLoginDefaults.CODE_RESEND_INTERVAL));
		defaults.put("idaas.apple.authorize-uri", pair(apple.getAuthorizeUri(), IdaasLoginDefaults.APPLE_AUTHORIZE_URI));
		defaults.put("idaas.apple.scope", pair(apple.getScope(), IdaasLoginDefaults.APPLE_SCOPE));
		defaults.put("idaas.apple.authorization-url",
				pair(apple.getAuthorizationUrl(), IdaasLoginDefaults.APPLE_AUTHORIZATION_URL));
		defaults.put("idaas.apple.callback-url", pair(apple.getCallbackUrl(), IdaasLoginDefaults.APPLE_CALLBACK_URL));
		defaults.put("idaas.apple.state-timeout",
				pair(apple.getStateTimeout(), IdaasLoginDefaults.APPLE_STATE_TIMEOUT));
		return defaults;
	}

	@Test
	void propertiesWhenNotSetThenEqualToLoginDefaults() {
		unified().forEach((name, pair) -> assertThat(pair[0]).as(name).isEqualTo(pair[1]));
	}

	@Test
	void metadataWhenGeneratedThenDefaultValueIsTheLoginDefault() throws Exception {
		Map<String, JsonNode> metadata = new LinkedHashMap<>();
		for (JsonNode property : metadata().get("properties")) {
			metadata.put(property.get("name").asString(), property);
		}
		unified().forEach((name, pair) -> {
			JsonNode property = metadata.get(name);
			assertThat(property).as(name).isNotNull();
			assertThat(property.has("defaultValue")).as(name + " has a default in the metadata").isTrue();
			String listed = property.get("defaultValue").asString();
			Object expected = pair[1];
			Function<String, Object> parse = (expected instanceof Duration) ? DurationStyle::detectAndParse
					: (value) -> value;
			assertThat(parse.apply(listed)).as(name).isEqualTo((expected instanceof Duration) ? expected
					: expected.toString());
		});
	}

	@Test
	void additionalMetadataWhenReadThenRepeatsNoLoginDefault() throws Exception {
		try (InputStream in = IdaasProperties.class.getClassLoader()
			.getResourceAsStream("META-INF/additional-spring-configuration-metadata.json")) {
			assertThat(in).isNotNull();
			JsonNode additional = JsonMapper.builder().build().readTree(in);
			for (JsonNode property : additional.get("properties")) {
				assertThat(unified()).doesNotContainKey(property.get("name").asString());
			}
		}
	}

	private static Object[] pair(Object property, Object definition) {
		return new Object[] { property, definition };
	}

	private static JsonNode metadata() throws Exception {
		try (InputStream in = IdaasProperties.class.getClassLoader()
			.getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("META-INF/spring-configuration-metadata.json").isNotNull();
			return JsonMapper.builder().build().readTree(in);
		}
	}

}

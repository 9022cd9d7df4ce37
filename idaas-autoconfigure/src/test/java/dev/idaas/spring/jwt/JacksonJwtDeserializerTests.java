package dev.idaas.spring.jwt;

import java.io.Reader;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jsonwebtoken.io.DeserializationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link JacksonJwtDeserializer}.
 */
class JacksonJwtDeserializerTests {

	private final JacksonJwtDeserializer deserializer = new JacksonJwtDeserializer();

	@Test
	void deserializeWhenObjectThenMapWithJsonTypes() {
		Map<String, Object> map = new LinkedHashMap<>(this.deserializer
			.deserialize(json("{\"sub\":\"alice\",\"exp\":1772359500,\"aud\":[\"a\",\"b\"],\"ok\":true}")));
		assertThat(map).containsEntry("sub", "alice")
			.containsEntry("aud", List.of("a", "b"))
			.containsEntry("ok", true);
		assertThat(((Number) map.get("exp")).longValue()).isEqualTo(1772359500L);
	}

	@Test
	void deserializeWhenDuplicateMemberThenDeserializationException() {
		assertThatExceptionOfType(DeserializationException.class)
			.isThrownBy(() -> this.deserializer.deserialize(json("{\"alg\":\"RS256\",\"alg\":\"none\"}")));
	}

	@Test
	void deserializeWhenNotJsonThenDeserializationException() {
		assertThatExceptionOfType(DeserializationException.class)
			.isThrownBy(() -> this.deserializer.deserialize(json("not json")));
	}

	@Test
	void deserializeWhenArrayThenDeserializationException() {
		assertThatExceptionOfType(DeserializationException.class)
			.isThrownBy(() -> this.deserializer.deserialize(json("[\"alg\"]")));
	}

	private static Reader json(String json) {
		return new StringReader(json);
	}

}

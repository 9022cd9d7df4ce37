package dev.idaas.spring.jwt;

import java.io.OutputStream;
import java.util.Map;

import io.jsonwebtoken.io.AbstractSerializer;
import tools.jackson.databind.json.JsonMapper;

/**
 * jjwt's JSON writer backed by Jackson 3, for signing test tokens.
 */
final class JacksonJwtSerializer extends AbstractSerializer<Map<String, ?>> {

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	@Override
	protected void doSerialize(Map<String, ?> map, OutputStream out) {
		this.jsonMapper.writeValue(out, map);
	}

	byte[] toJson(Object value) {
		return this.jsonMapper.writeValueAsBytes(value);
	}

}

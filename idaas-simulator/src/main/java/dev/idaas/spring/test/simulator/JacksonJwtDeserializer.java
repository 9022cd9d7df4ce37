package dev.idaas.spring.test.simulator;

import java.io.Reader;
import java.util.Map;

import io.jsonwebtoken.io.AbstractDeserializer;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * jjwt's JSON reader over Jackson 3. Pass it with
 * {@code Jwts.parser().json(new JacksonJwtDeserializer())}.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see JacksonJwtSerializer
 */
public final class JacksonJwtDeserializer extends AbstractDeserializer<Map<String, ?>> {

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	private final JsonMapper jsonMapper;

	/**
	 * Creates a deserializer with a default {@link JsonMapper}.
	 * @since 0.1
	 */
	public JacksonJwtDeserializer() {
		this(JsonMapper.builder().build());
	}

	/**
	 * Creates a deserializer.
	 * @param jsonMapper the mapper to read with
	 * @since 0.1
	 */
	public JacksonJwtDeserializer(JsonMapper jsonMapper) {
		Checks.notNull(jsonMapper, "jsonMapper cannot be null");
		this.jsonMapper = jsonMapper;
	}

	@Override
	protected Map<String, ?> doDeserialize(Reader reader) {
		return this.jsonMapper.readValue(reader, MAP);
	}

}

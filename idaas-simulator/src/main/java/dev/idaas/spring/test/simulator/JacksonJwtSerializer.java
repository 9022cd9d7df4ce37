package dev.idaas.spring.test.simulator;

import java.io.OutputStream;
import java.util.Map;

import io.jsonwebtoken.io.AbstractSerializer;
import tools.jackson.databind.json.JsonMapper;

/**
 * jjwt's JSON writer over Jackson 3, so that jjwt needs neither {@code jjwt-jackson} (Jackson 2)
 * nor {@code jjwt-gson}. Pass it with {@code Jwts.builder().json(new JacksonJwtSerializer())}.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see JacksonJwtDeserializer
 */
public final class JacksonJwtSerializer extends AbstractSerializer<Map<String, ?>> {

	private final JsonMapper jsonMapper;

	/**
	 * Creates a serializer with a default {@link JsonMapper}.
	 * @since 0.1
	 */
	public JacksonJwtSerializer() {
		this(JsonMapper.builder().build());
	}

	/**
	 * Creates a serializer.
	 * @param jsonMapper the mapper to write with
	 * @since 0.1
	 */
	public JacksonJwtSerializer(JsonMapper jsonMapper) {
		Checks.notNull(jsonMapper, "jsonMapper cannot be null");
		this.jsonMapper = jsonMapper;
	}

	@Override
	protected void doSerialize(Map<String, ?> value, OutputStream out) {
		this.jsonMapper.writeValue(out, value);
	}

}

package dev.idaas.spring.jwt;

import java.io.Reader;
import java.util.Map;

import io.jsonwebtoken.io.AbstractDeserializer;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.Assert;

/**
 * jjwt's JSON reader backed by Jackson 3, so that jjwt needs neither {@code jjwt-jackson} nor
 * Jackson 2.
 * <p>
 * Duplicate member names are rejected: a header such as
 * <code>{"alg":"RS256","alg":"none"}</code> must not be read one way here and another way by a
 * different parser.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
final class JacksonJwtDeserializer extends AbstractDeserializer<Map<String, ?>> {

	private static final TypeReference<Map<String, Object>> MAP_TYPE = new TypeReference<>() {
	};

	private final JsonMapper jsonMapper;

	JacksonJwtDeserializer() {
		this(defaultJsonMapper());
	}

	JacksonJwtDeserializer(JsonMapper jsonMapper) {
		Assert.notNull(jsonMapper, "jsonMapper cannot be null");
		this.jsonMapper = jsonMapper;
	}

	static JsonMapper defaultJsonMapper() {
		return JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
	}

	@Override
	protected Map<String, ?> doDeserialize(Reader reader) {
		return this.jsonMapper.readValue(reader, MAP_TYPE);
	}

	/**
	 * Reads a JSON object, for the header checks done before jjwt parses the token.
	 * @param json the JSON text
	 * @return the members
	 */
	Map<String, Object> readObject(byte[] json) {
		return this.jsonMapper.readValue(json, MAP_TYPE);
	}

}

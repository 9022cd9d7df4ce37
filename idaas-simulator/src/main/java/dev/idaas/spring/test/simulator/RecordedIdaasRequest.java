package dev.idaas.spring.test.simulator;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A request the simulator received, for assertions.
 *
 * @param method the HTTP method
 * @param path the path, without the query
 * @param query the raw query, or {@code null}
 * @param headers the headers, names lower-cased
 * @param body the body as UTF-8 text (empty when there was none)
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSimulator#recordedRequests()
 */
public record RecordedIdaasRequest(String method, String path, @Nullable String query,
		Map<String, List<String>> headers, String body) {

	/**
	 * Creates the record.
	 */
	public RecordedIdaasRequest {
		headers = Map.copyOf(headers);
	}

	/**
	 * The first value of a header, by case-insensitive name.
	 * @param name the header name
	 * @return the value, or {@code null}
	 * @since 0.1
	 */
	public @Nullable String header(String name) {
		Checks.notNull(name, "name cannot be null");
		List<String> values = this.headers.get(name.toLowerCase(Locale.ROOT));
		return (values == null || values.isEmpty()) ? null : values.get(0);
	}

	/**
	 * Header names and the path only: header values and bodies carry session tokens, state
	 * tokens and codes.
	 */
	@Override
	public String toString() {
		return "RecordedIdaasRequest[" + this.method + " " + this.path + ", headers=" + this.headers.keySet()
				+ ", body=***]";
	}

}

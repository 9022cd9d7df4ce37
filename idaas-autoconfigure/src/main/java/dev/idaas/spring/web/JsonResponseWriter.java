package dev.idaas.spring.web;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;

/**
 * Writes the starter's small JSON answers ({@code {"error_code":..,"error_msg":..}} and login
 * results) without depending on the application's message converters.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public final class JsonResponseWriter {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private JsonResponseWriter() {
	}

	/**
	 * Writes a JSON answer that is never cached.
	 * @param response the response
	 * @param status the HTTP status
	 * @param body the fields of the JSON object
	 * @throws IOException when the answer cannot be written
	 */
	public static void write(HttpServletResponse response, int status, Map<String, ?> body) throws IOException {
		response.setStatus(status);
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		response.setHeader("Cache-Control", "no-store");
		mapper.writeValue(response.getOutputStream(), body);
	}

	/**
	 * Writes {@code {"error_code":..,"error_msg":..}}.
	 * @param response the response
	 * @param status the HTTP status
	 * @param errorCode the error code
	 * @param message the localized message
	 * @throws IOException when the answer cannot be written
	 */
	public static void writeError(HttpServletResponse response, int status, String errorCode, String message)
			throws IOException {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("error_code", errorCode);
		body.put("error_msg", message);
		write(response, status, body);
	}

}

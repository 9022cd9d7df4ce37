package dev.idaas.spring.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * The two answer shapes of the refresh and sign-out handlers: JSON for API clients, a redirect
 * or an error page for browsers.
 */
final class IdaasErrorResponses {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private IdaasErrorResponses() {
	}

	/**
	 * Whether the request comes from an API client or page script rather than a browser
	 * navigation: {@code X-Requested-With: XMLHttpRequest}, or an {@code Accept} naming JSON and
	 * not HTML.
	 */
	static boolean isJsonRequest(HttpServletRequest request) {
		if ("XMLHttpRequest".equalsIgnoreCase(request.getHeader("X-Requested-With"))) {
			return true;
		}
		String accept = request.getHeader(HttpHeaders.ACCEPT);
		if (accept == null || accept.isBlank()) {
			return false;
		}
		List<MediaType> mediaTypes;
		try {
			mediaTypes = MediaType.parseMediaTypes(accept);
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
		boolean json = false;
		for (MediaType mediaType : mediaTypes) {
			if (mediaType.isWildcardType() || mediaType.isWildcardSubtype()) {
				continue;
			}
			if (MediaType.TEXT_HTML.includes(mediaType)) {
				return false;
			}
			if (MediaType.APPLICATION_JSON.isCompatibleWith(mediaType) || mediaType.getSubtype().endsWith("+json")) {
				json = true;
			}
		}
		return json;
	}

	/**
	 * Writes {@code {"error_code":..,"error_msg":..}} with the given status.
	 */
	static void writeJsonError(HttpServletResponse response, int status, String errorCode, String errorMessage)
			throws IOException {
		Map<String, String> body = new LinkedHashMap<>();
		body.put("error_code", errorCode);
		body.put("error_msg", errorMessage);
		byte[] bytes = JSON.writeValueAsBytes(body);
		response.setStatus(status);
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		response.setContentLength(bytes.length);
		response.getOutputStream().write(bytes);
		response.flushBuffer();
	}

}

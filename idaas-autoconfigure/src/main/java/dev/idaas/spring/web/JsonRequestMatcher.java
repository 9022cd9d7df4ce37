package dev.idaas.spring.web;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Matches requests from native apps, single-page apps and XHR: those that send JSON, accept
 * JSON but not HTML, or say {@code X-Requested-With: XMLHttpRequest}. Such requests get JSON
 * answers and status codes instead of redirects.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public final class JsonRequestMatcher implements RequestMatcher {

	/**
	 * The shared instance.
	 */
	public static final JsonRequestMatcher INSTANCE = new JsonRequestMatcher();

	@Override
	public boolean matches(HttpServletRequest request) {
		if ("XMLHttpRequest".equals(request.getHeader("X-Requested-With")) || sendsJson(request)) {
			return true;
		}
		String accept = request.getHeader(HttpHeaders.ACCEPT);
		if (accept == null) {
			return false;
		}
		try {
			List<MediaType> types = MediaType.parseMediaTypes(accept);
			boolean json = false;
			for (MediaType type : types) {
				if (MediaType.TEXT_HTML.equalsTypeAndSubtype(type)) {
					// a browser navigation
					return false;
				}
				json = json || MediaType.APPLICATION_JSON.equalsTypeAndSubtype(type);
			}
			return json;
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	/**
	 * Whether the request body is JSON.
	 * @param request the request
	 * @return {@code true} for {@code application/json} (any charset)
	 */
	public static boolean sendsJson(HttpServletRequest request) {
		String contentType = request.getContentType();
		if (contentType == null) {
			return false;
		}
		try {
			return MediaType.APPLICATION_JSON.equalsTypeAndSubtype(MediaType.parseMediaType(contentType));
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

}

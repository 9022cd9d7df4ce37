package dev.idaas.spring.web.session;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Answers a request whose IDaaS session has just ended (the user is already signed out), in
 * the shape of Spring Security's {@code AuthenticationEntryPoint}.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see DefaultIdaasSessionExpiredHandler
 * @see IdTokenRefreshFilter#setSessionExpiredHandler(IdaasSessionExpiredHandler)
 */
@FunctionalInterface
public interface IdaasSessionExpiredHandler {

	/**
	 * Answers the request.
	 * @param request the request
	 * @param response the response
	 * @param exception why the session ended
	 * @throws IOException when writing the answer fails
	 * @throws ServletException when the answer cannot be produced
	 * @since 0.1
	 */
	void onSessionExpired(HttpServletRequest request, HttpServletResponse response,
			IdaasSessionExpiredException exception) throws IOException, ServletException;

}

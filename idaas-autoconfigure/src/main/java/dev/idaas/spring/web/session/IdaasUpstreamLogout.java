package dev.idaas.spring.web.session;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;

/**
 * Ends a session at IDaaS when the user signs out, for a vendor edition that offers such a
 * call. The default {@link #noop()} does nothing: the contract has no logout endpoint, and the
 * session token simply stops being used. With {@code idaas.logout.upstream.enabled=true} the
 * auto-configuration uses {@link IdaasSessionTokenUpstreamLogout} (the signed
 * {@code GET /api/v2/sdk/logout}); declare a bean of this type to replace it.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasLogoutHandler#setUpstreamLogout(IdaasUpstreamLogout)
 * @see IdaasSessionTokenUpstreamLogout
 */
@FunctionalInterface
public interface IdaasUpstreamLogout {

	/**
	 * Ends the session at IDaaS. Must not throw: a failure is logged and the local sign-out
	 * goes on.
	 * @param authentication the authentication being signed out (holds the session token)
	 * @param request the logout request
	 * @param response the logout response
	 * @since 0.1
	 */
	void logout(IdaasAuthenticationToken authentication, HttpServletRequest request, HttpServletResponse response);

	/**
	 * An upstream logout that does nothing.
	 * @return the no-op logout
	 * @since 0.1
	 */
	static IdaasUpstreamLogout noop() {
		return (authentication, request, response) -> {
		};
	}

}

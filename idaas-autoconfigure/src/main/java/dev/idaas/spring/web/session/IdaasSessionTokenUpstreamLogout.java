package dev.idaas.spring.web.session;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.client.IdaasApiException;
import dev.idaas.spring.client.IdaasErrorCategory;
import dev.idaas.spring.client.IdaasLogoutClient;
import dev.idaas.spring.web.DeviceContextResolver;

import org.springframework.util.Assert;

/**
 * An {@link IdaasUpstreamLogout} that ends the signed-out user's session token at IDaaS through
 * an {@link IdaasLogoutClient} (the signed {@code GET /api/v2/sdk/logout} of the editions that
 * publish it), forwarding the user's device facts.
 * <p>
 * It never throws and never retries: IDaaS down, slow (bounded by the client's timeouts) or
 * refusing the call is logged at warn level (error code and category only, never the token) and
 * the local sign-out goes on; a session token IDaaS reports as already ended is logged at debug
 * level.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasLogoutHandler#setUpstreamLogout(IdaasUpstreamLogout)
 */
public final class IdaasSessionTokenUpstreamLogout implements IdaasUpstreamLogout {

	private static final Log logger = LogFactory.getLog(IdaasSessionTokenUpstreamLogout.class);

	private final IdaasLogoutClient logoutClient;

	private final DeviceContextResolver deviceContextResolver;

	/**
	 * Creates the upstream logout.
	 * @param logoutClient the client that ends the session token at IDaaS
	 * @param deviceContextResolver resolves the user's device facts from the logout request
	 * @since 0.1
	 */
	public IdaasSessionTokenUpstreamLogout(IdaasLogoutClient logoutClient,
			DeviceContextResolver deviceContextResolver) {
		Assert.notNull(logoutClient, "logoutClient cannot be null");
		Assert.notNull(deviceContextResolver, "deviceContextResolver cannot be null");
		this.logoutClient = logoutClient;
		this.deviceContextResolver = deviceContextResolver;
	}

	@Override
	public void logout(IdaasAuthenticationToken authentication, HttpServletRequest request,
			HttpServletResponse response) {
		Assert.notNull(authentication, "authentication cannot be null");
		try {
			this.logoutClient.logout(authentication.getSessionState().sessionToken(),
					this.deviceContextResolver.resolve(request, response));
			logger.debug("Ended the session token at IDaaS");
		}
		catch (IdaasApiException ex) {
			if (ex.getCategory() == IdaasErrorCategory.INVALID_SESSION) {
				logger.debug("The session token had already ended at IDaaS (" + ex.getErrorCode() + ")");
			}
			else {
				logger.warn("Could not end the session token at IDaaS (" + ex.getErrorCode() + ", "
						+ ex.getCategory() + ", HTTP " + ex.getHttpStatus() + "); signed out locally only");
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not end the session token at IDaaS (" + ex.getClass().getSimpleName()
					+ "); signed out locally only");
		}
	}

}

package dev.idaas.spring.web.session;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.logout.CookieClearingLogoutHandler;
import org.springframework.security.web.authentication.logout.HeaderWriterLogoutHandler;
import org.springframework.security.web.authentication.logout.LogoutHandler;
import org.springframework.security.web.header.writers.ClearSiteDataHeaderWriter;
import org.springframework.util.Assert;

/**
 * The IDaaS part of a sign-out: calls the {@link IdaasUpstreamLogout} hook (default: nothing),
 * expires the starter's own cookies (e.g. the Apple state cookie, scoped to its path), sends
 * {@code Clear-Site-Data: "cookies"} (on HTTPS requests only, as
 * {@link ClearSiteDataHeaderWriter} does) and publishes an {@link IdaasSessionEndedEvent} with
 * reason {@link IdaasSessionEndReason#LOGOUT}. Add it next to Spring Security's
 * {@code SecurityContextLogoutHandler}, which clears the context and invalidates the session.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public class IdaasLogoutHandler implements LogoutHandler {

	private static final Log logger = LogFactory.getLog(IdaasLogoutHandler.class);

	private final LogoutHandler clearSiteData = new HeaderWriterLogoutHandler(
			new ClearSiteDataHeaderWriter(ClearSiteDataHeaderWriter.Directive.COOKIES));

	private @Nullable LogoutHandler cookieClearing;

	private IdaasUpstreamLogout upstreamLogout = IdaasUpstreamLogout.noop();

	private @Nullable ApplicationEventPublisher eventPublisher;

	private Clock clock = Clock.systemUTC();

	/**
	 * Creates the handler.
	 * @since 0.1
	 */
	public IdaasLogoutHandler() {
	}

	/**
	 * Sets the cookies to expire, each with the name and path it was set with (a cookie is only
	 * removed by a {@code Set-Cookie} with the same path). Browsers that honour
	 * {@code Clear-Site-Data} drop every cookie anyway; this covers the others and plain HTTP.
	 * @param cookies name and path of each cookie
	 * @since 0.1
	 */
	public void setCookiesToClear(Collection<Cookie> cookies) {
		Assert.notNull(cookies, "cookies cannot be null");
		List<Cookie> expired = new ArrayList<>(cookies.size());
		for (Cookie cookie : cookies) {
			Assert.notNull(cookie, "cookies cannot contain null");
			Cookie copy = new Cookie(cookie.getName(), "");
			copy.setPath((cookie.getPath() != null) ? cookie.getPath() : "/");
			copy.setMaxAge(0);
			copy.setHttpOnly(true);
			copy.setSecure(cookie.getSecure());
			expired.add(copy);
		}
		this.cookieClearing = expired.isEmpty() ? null
				: new CookieClearingLogoutHandler(expired.toArray(Cookie[]::new));
	}

	/**
	 * Sets the hook that ends the session at IDaaS (default: {@link IdaasUpstreamLogout#noop()}).
	 * @param upstreamLogout the hook
	 * @since 0.1
	 */
	public void setUpstreamLogout(IdaasUpstreamLogout upstreamLogout) {
		Assert.notNull(upstreamLogout, "upstreamLogout cannot be null");
		this.upstreamLogout = upstreamLogout;
	}

	/**
	 * Sets the publisher of {@link IdaasSessionEndedEvent} (default: none).
	 * @param eventPublisher the publisher
	 * @since 0.1
	 */
	public void setApplicationEventPublisher(ApplicationEventPublisher eventPublisher) {
		Assert.notNull(eventPublisher, "eventPublisher cannot be null");
		this.eventPublisher = eventPublisher;
	}

	/**
	 * Sets the clock of the events' timestamps (default: system UTC).
	 * @param clock the clock
	 * @since 0.1
	 */
	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	@Override
	public void logout(HttpServletRequest request, HttpServletResponse response,
			@Nullable Authentication authentication) {
		if (authentication instanceof IdaasAuthenticationToken idaas) {
			try {
				this.upstreamLogout.logout(idaas, request, response);
			}
			catch (RuntimeException ex) {
				logger.warn("The IDaaS logout hook failed; signing out locally", ex);
			}
		}
		LogoutHandler cookies = this.cookieClearing;
		if (cookies != null) {
			cookies.logout(request, response, authentication);
		}
		this.clearSiteData.logout(request, response, authentication);
		ApplicationEventPublisher publisher = this.eventPublisher;
		if (publisher != null && authentication instanceof IdaasAuthenticationToken idaas) {
			publisher.publishEvent(new IdaasSessionEndedEvent(idaas.getName(), idaas.getIdToken().getSubject(),
					IdaasSessionEndReason.LOGOUT, null, this.clock));
		}
	}

}

package dev.idaas.spring.web.flow;

import java.time.Clock;
import java.time.Duration;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import dev.idaas.spring.web.IdaasLoginDefaults;

import org.springframework.util.Assert;

/**
 * Keeps the pending flow in the HTTP session (so it works unchanged with Spring Session), and
 * forgets it after a timeout (default 10 minutes).
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public final class HttpSessionPendingSocialFlowRepository implements PendingSocialFlowRepository {

	/**
	 * The session attribute that holds the pending flow.
	 */
	public static final String ATTRIBUTE = HttpSessionPendingSocialFlowRepository.class.getName() + ".FLOW";

	static final String EXPIRED_ATTRIBUTE = HttpSessionPendingSocialFlowRepository.class.getName() + ".EXPIRED";

	private Duration timeout = IdaasLoginDefaults.PENDING_FLOW_TIMEOUT;

	private Clock clock = Clock.systemUTC();

	/**
	 * Sets how long a pending flow stays usable.
	 * @param timeout the timeout
	 */
	public void setTimeout(Duration timeout) {
		Assert.notNull(timeout, "timeout cannot be null");
		Assert.isTrue(!timeout.isNegative() && !timeout.isZero(), "timeout must be positive");
		this.timeout = timeout;
	}

	/**
	 * Sets the clock.
	 * @param clock the clock
	 */
	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	@Override
	public void save(PendingSocialFlow flow, HttpServletRequest request) {
		Assert.notNull(flow, "flow cannot be null");
		Assert.notNull(request, "request cannot be null");
		HttpSession session = request.getSession();
		session.removeAttribute(EXPIRED_ATTRIBUTE);
		session.setAttribute(ATTRIBUTE, flow);
	}

	@Override
	public @Nullable PendingSocialFlow load(HttpServletRequest request) {
		Assert.notNull(request, "request cannot be null");
		HttpSession session = request.getSession(false);
		if (session == null || !(session.getAttribute(ATTRIBUTE) instanceof PendingSocialFlow flow)) {
			return null;
		}
		if (this.clock.instant().isAfter(flow.createdAt().plus(this.timeout))) {
			session.removeAttribute(ATTRIBUTE);
			session.setAttribute(EXPIRED_ATTRIBUTE, Boolean.TRUE);
			return null;
		}
		return flow;
	}

	@Override
	public void remove(HttpServletRequest request) {
		Assert.notNull(request, "request cannot be null");
		HttpSession session = request.getSession(false);
		if (session != null) {
			session.removeAttribute(ATTRIBUTE);
			session.removeAttribute(EXPIRED_ATTRIBUTE);
		}
	}

	@Override
	public boolean isExpired(HttpServletRequest request) {
		Assert.notNull(request, "request cannot be null");
		if (load(request) != null) {
			return false;
		}
		HttpSession session = request.getSession(false);
		return session != null && Boolean.TRUE.equals(session.getAttribute(EXPIRED_ATTRIBUTE));
	}

}

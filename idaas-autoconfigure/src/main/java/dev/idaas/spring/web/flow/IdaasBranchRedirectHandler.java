package dev.idaas.spring.web.flow;

import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.idaas.spring.authentication.IdaasSocialFlowRequiredException;
import dev.idaas.spring.client.SocialFlowBranch;
import dev.idaas.spring.web.JsonRequestMatcher;
import dev.idaas.spring.web.JsonResponseWriter;
import dev.idaas.spring.web.LocalRedirects;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.Assert;

/**
 * Takes a user whose Apple login needs a {@code SOCIAL_BIND} or {@code USER_REGISTER} flow to
 * the page that finishes it: the pending flow (with its state token, which never reaches the
 * browser) is kept through the {@link PendingSocialFlowRepository}, the session id is
 * changed, and the browser is redirected to the bind or register URL. A JSON request gets
 * {@code {"status":"SOCIAL_BIND","flows":[..],"next":"/idaas/bind"}} instead. Any other
 * failure goes to the delegate.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSocialFlowRequiredException
 */
public final class IdaasBranchRedirectHandler implements AuthenticationFailureHandler {

	private final String bindUrl;

	private final String registerUrl;

	private final AuthenticationFailureHandler failureHandler;

	private PendingSocialFlowRepository pendingFlowRepository = new HttpSessionPendingSocialFlowRepository();

	private RequestMatcher jsonRequestMatcher = JsonRequestMatcher.INSTANCE;

	private RedirectStrategy redirectStrategy = new DefaultRedirectStrategy();

	private Clock clock = Clock.systemUTC();

	/**
	 * Creates a handler.
	 * @param bindUrl the page that finishes a bind flow
	 * @param registerUrl the page that finishes a register flow
	 * @param failureHandler handles every other failure
	 */
	public IdaasBranchRedirectHandler(String bindUrl, String registerUrl, AuthenticationFailureHandler failureHandler) {
		Assert.isTrue(LocalRedirects.isLocal(bindUrl), "bindUrl must be a local path");
		Assert.isTrue(LocalRedirects.isLocal(registerUrl), "registerUrl must be a local path");
		Assert.notNull(failureHandler, "failureHandler cannot be null");
		this.bindUrl = bindUrl;
		this.registerUrl = registerUrl;
		this.failureHandler = failureHandler;
	}

	/**
	 * Sets where pending flows are kept.
	 * @param pendingFlowRepository the repository
	 */
	public void setPendingFlowRepository(PendingSocialFlowRepository pendingFlowRepository) {
		Assert.notNull(pendingFlowRepository, "pendingFlowRepository cannot be null");
		this.pendingFlowRepository = pendingFlowRepository;
	}

	/**
	 * Sets which requests get JSON answers.
	 * @param jsonRequestMatcher the matcher
	 */
	public void setJsonRequestMatcher(RequestMatcher jsonRequestMatcher) {
		Assert.notNull(jsonRequestMatcher, "jsonRequestMatcher cannot be null");
		this.jsonRequestMatcher = jsonRequestMatcher;
	}

	/**
	 * Sets the redirect strategy.
	 * @param redirectStrategy the strategy
	 */
	public void setRedirectStrategy(RedirectStrategy redirectStrategy) {
		Assert.notNull(redirectStrategy, "redirectStrategy cannot be null");
		this.redirectStrategy = redirectStrategy;
	}

	/**
	 * Sets the clock that stamps pending flows.
	 * @param clock the clock
	 */
	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	@Override
	public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException, ServletException {
		if (!(exception instanceof IdaasSocialFlowRequiredException required)) {
			this.failureHandler.onAuthenticationFailure(request, response, exception);
			return;
		}
		var pending = required.getPendingFlow();
		PendingSocialFlow flow = PendingSocialFlow.started(pending.branch(), pending.stateToken(), pending.flows(),
				this.clock.instant(), required.getLoginRequest().getAppleUserName());
		if (request.getSession(false) != null) {
			// the flow is about to bind an identity: never into a session someone else may know
			request.changeSessionId();
		}
		this.pendingFlowRepository.save(flow, request);
		String next = (flow.branch() == SocialFlowBranch.SOCIAL_BIND) ? this.bindUrl : this.registerUrl;
		if (this.jsonRequestMatcher.matches(request)) {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("status", flow.branch().name());
			body.put("flows", flow.flows());
			body.put("next", next);
			JsonResponseWriter.write(response, HttpServletResponse.SC_OK, body);
			return;
		}
		this.redirectStrategy.sendRedirect(request, response, next);
	}

}

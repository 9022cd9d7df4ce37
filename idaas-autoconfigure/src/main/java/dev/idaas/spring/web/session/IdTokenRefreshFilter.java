package dev.idaas.spring.web.session;

import java.io.IOException;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.client.IdaasErrorMessages;
import dev.idaas.spring.web.JsonRequestMatcher;
import dev.idaas.spring.web.JsonResponseWriter;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.Assert;
import org.springframework.web.filter.GenericFilterBean;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.WebUtils;

/**
 * Keeps the id_token of a signed-in IDaaS user fresh on every request, through
 * {@link IdTokenRefresher}. Place it after the security context is loaded and before
 * authorization:
 *
 * <pre class="code">
 * http.addFilterBefore(new IdTokenRefreshFilter(refresher), AuthorizationFilter.class);
 * </pre>
 *
 * A request without an IDaaS authentication, or whose id_token is not due for a refresh, goes
 * on without a lock, an upstream call, a request attribute or a session lookup: that path
 * allocates nothing ({@code benchmarks/RESULTS.md}, "Fast path allocation"). A refresh runs at
 * most once per request, as in {@link OncePerRequestFilter} with its defaults: not on an async
 * or error dispatch, and not again in a nested pass of the same request (a forward, or the
 * filter registered twice). That bookkeeping is done on the refresh path only, where a request
 * attribute costs nothing next to the upstream call. When the
 * session has ended, the {@link IdaasSessionExpiredHandler} answers (default: redirect to {@code /login?expired}, or
 * {@code 401} JSON); when the id_token has expired and IDaaS cannot refresh it for now, the
 * answer is {@code 503} with {@code Retry-After} (JSON for API clients, the error page for
 * browsers) and the user stays signed in.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdTokenRefresher
 */
public class IdTokenRefreshFilter extends GenericFilterBean {

	/**
	 * Set while a refresh-due request runs through the rest of the chain, so a nested pass of
	 * the same request does not refresh again; a constant, so the fast path builds no name.
	 */
	static final String ALREADY_FILTERED_ATTRIBUTE = IdTokenRefreshFilter.class.getName() + ".FILTERED";

	private final IdTokenRefresher refresher;

	private SecurityContextHolderStrategy securityContextHolderStrategy = SecurityContextHolder
		.getContextHolderStrategy();

	private IdaasSessionExpiredHandler sessionExpiredHandler = new DefaultIdaasSessionExpiredHandler();

	private RequestMatcher jsonRequestMatcher = JsonRequestMatcher.INSTANCE;

	private IdaasErrorMessages errorMessages = new IdaasErrorMessages();

	/**
	 * Creates the filter.
	 * @param refresher refreshes the id_token and applies the failure policy
	 * @since 0.1
	 */
	public IdTokenRefreshFilter(IdTokenRefresher refresher) {
		Assert.notNull(refresher, "refresher cannot be null");
		this.refresher = refresher;
	}

	/**
	 * Sets the {@link SecurityContextHolderStrategy} (default: the global one). Give the
	 * refresher the same one.
	 * @param securityContextHolderStrategy the strategy
	 * @since 0.1
	 */
	public void setSecurityContextHolderStrategy(SecurityContextHolderStrategy securityContextHolderStrategy) {
		Assert.notNull(securityContextHolderStrategy, "securityContextHolderStrategy cannot be null");
		this.securityContextHolderStrategy = securityContextHolderStrategy;
	}

	/**
	 * Sets the answer to a request whose session has ended (default
	 * {@link DefaultIdaasSessionExpiredHandler}).
	 * @param sessionExpiredHandler the handler
	 * @since 0.1
	 */
	public void setSessionExpiredHandler(IdaasSessionExpiredHandler sessionExpiredHandler) {
		Assert.notNull(sessionExpiredHandler, "sessionExpiredHandler cannot be null");
		this.sessionExpiredHandler = sessionExpiredHandler;
	}

	/**
	 * Sets which requests get a JSON {@code 503} (default: {@code Accept} naming JSON and not
	 * HTML, or {@code X-Requested-With: XMLHttpRequest}); the others get
	 * {@code sendError(503)}.
	 * @param jsonRequestMatcher the matcher
	 * @since 0.1
	 */
	public void setJsonRequestMatcher(RequestMatcher jsonRequestMatcher) {
		Assert.notNull(jsonRequestMatcher, "jsonRequestMatcher cannot be null");
		this.jsonRequestMatcher = jsonRequestMatcher;
	}

	/**
	 * Sets the source of the localized {@code error_msg} texts of a {@code 503}.
	 * @param errorMessages the texts
	 * @since 0.1
	 */
	public void setErrorMessages(IdaasErrorMessages errorMessages) {
		Assert.notNull(errorMessages, "errorMessages cannot be null");
		this.errorMessages = errorMessages;
	}

	/**
	 * Refreshes the id_token of the request's IDaaS authentication when it is due, then goes on
	 * with the chain; answers the request itself when the session has ended or the id_token
	 * has expired and cannot be refreshed for now.
	 * @param request the request
	 * @param response the response
	 * @param chain the rest of the chain
	 * @throws IOException from the chain or while answering
	 * @throws ServletException from the chain, or for a request that is not HTTP and needs a
	 * refresh
	 * @since 0.1
	 */
	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		// The fast path: no allocation, no request attribute, no session lookup
		Authentication authentication = this.securityContextHolderStrategy.getContext().getAuthentication();
		if (!(authentication instanceof IdaasAuthenticationToken current) || !this.refresher.requiresRefresh(current)) {
			chain.doFilter(request, response);
			return;
		}
		if (!(request instanceof HttpServletRequest httpRequest)
				|| !(response instanceof HttpServletResponse httpResponse)) {
			throw new ServletException("IdTokenRefreshFilter just supports HTTP requests");
		}
		if (skipDispatch(httpRequest) || httpRequest.getAttribute(ALREADY_FILTERED_ATTRIBUTE) != null) {
			chain.doFilter(request, response);
			return;
		}
		httpRequest.setAttribute(ALREADY_FILTERED_ATTRIBUTE, Boolean.TRUE);
		try {
			refreshThenContinue(current, httpRequest, httpResponse, chain);
		}
		finally {
			httpRequest.removeAttribute(ALREADY_FILTERED_ATTRIBUTE);
		}
	}

	/**
	 * An async dispatch goes on with the refresh its request already did, and an error dispatch
	 * renders the error of a request that already went through: the defaults of
	 * {@link OncePerRequestFilter}.
	 */
	private static boolean skipDispatch(HttpServletRequest request) {
		return request.getDispatcherType() == DispatcherType.ASYNC
				|| request.getAttribute(WebUtils.ERROR_REQUEST_URI_ATTRIBUTE) != null;
	}

	private void refreshThenContinue(IdaasAuthenticationToken current, HttpServletRequest request,
			HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
		try {
			this.refresher.refresh(current, request, response);
		}
		catch (IdaasSessionExpiredException ex) {
			this.sessionExpiredHandler.onSessionExpired(request, response, ex);
			return;
		}
		catch (IdTokenRefreshUnavailableException ex) {
			sendUnavailable(request, response, ex);
			return;
		}
		chain.doFilter(request, response);
	}

	private void sendUnavailable(HttpServletRequest request, HttpServletResponse response,
			IdTokenRefreshUnavailableException ex) throws IOException {
		if (response.isCommitted()) {
			return;
		}
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(ex.getRetryAfterSeconds()));
		if (this.jsonRequestMatcher.matches(request)) {
			JsonResponseWriter.writeError(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE,
					ex.getErrorCode(), this.errorMessages.getMessage(ex.getErrorCode(), request.getLocale()));
			return;
		}
		response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
	}

}

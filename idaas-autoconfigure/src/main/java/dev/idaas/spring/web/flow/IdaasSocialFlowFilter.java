package dev.idaas.spring.web.flow;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import dev.idaas.spring.client.IdaasErrorMessages;
import dev.idaas.spring.client.SocialFlowBranch;
import dev.idaas.spring.web.JsonRequestMatcher;
import dev.idaas.spring.web.JsonResponseWriter;
import dev.idaas.spring.web.LocalRedirects;

import org.springframework.http.HttpMethod;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.Assert;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The steps of a pending flow before sign-in, for browsers and native apps, without Spring
 * MVC. For each flow URL {@code {url}}, the bind URL (default {@code /idaas/bind}), the register
 * URL (default {@code /idaas/register}) and the second-factor URL (default {@code /idaas/mfa}):
 * <ul>
 * <li>{@code GET {url}/captcha} answers a new slider puzzle
 * {@code {"background":"data:image/png;base64,..","piece":"data:image/png;base64,..","width":W,
 * "height":H,"pieceWidth":w,"pieceHeight":h,"pieceY":y}} (see {@link SliderPuzzle});</li>
 * <li>{@code POST {url}/code} with {@code method} ({@code VERIFY_PHONE} or {@code VERIFY_EMAIL})
 * and {@code target} (not for a second factor: its code goes to the number on file) and
 * {@code captcha_x} (where the piece was dropped, in background-image pixels) checks the slide
 * and sends a verification code: a browser is redirected to {@code {url}?sent}, a JSON request
 * gets {@code {"status":"CODE_SENT"}};</li>
 * <li>{@code GET {url}} is left to the page; this filter only exposes the
 * {@link PendingSocialFlowView} as the request attribute {@value #PENDING_FLOW_ATTRIBUTE}.</li>
 * </ul>
 * {@code POST {url}} signs in: that is the {@link IdaasSocialFlowAuthenticationFilter}'s. Fields
 * come from a form (CSRF token required) or a JSON body (see {@link VerificationRequest}).
 * Failures go to the {@link IdaasSocialFlowFailureHandler}.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSocialFlowService
 * @see IdaasBranchRedirectHandler
 */
public final class IdaasSocialFlowFilter extends OncePerRequestFilter {

	/**
	 * The request attribute holding the {@link PendingSocialFlowView} on the flow pages.
	 */
	public static final String PENDING_FLOW_ATTRIBUTE = "idaasPendingFlow";

	/**
	 * The path under a flow URL that sends codes.
	 */
	public static final String CODE_PATH = "/code";

	/**
	 * The path under a flow URL that answers slider puzzles.
	 */
	public static final String CAPTCHA_PATH = "/captcha";

	private final Map<SocialFlowBranch, String> urls;

	private final IdaasSocialFlowService socialFlowService;

	private final Map<RequestMatcher, SocialFlowBranch> codeEndpoints = new LinkedHashMap<>();

	private final Map<RequestMatcher, SocialFlowBranch> captchaEndpoints = new LinkedHashMap<>();

	private final List<RequestMatcher> pages;

	private AuthenticationFailureHandler failureHandler;

	private RequestMatcher jsonRequestMatcher = JsonRequestMatcher.INSTANCE;

	private RedirectStrategy redirectStrategy = new DefaultRedirectStrategy();

	/**
	 * Creates a filter.
	 * @param bindUrl the bind page, e.g. {@code /idaas/bind}
	 * @param registerUrl the register page, e.g. {@code /idaas/register}
	 * @param mfaUrl the second-factor page, e.g. {@code /idaas/mfa}
	 * @param socialFlowService gets puzzles and sends codes
	 * @param errorMessages the localized error texts
	 */
	public IdaasSocialFlowFilter(String bindUrl, String registerUrl, String mfaUrl,
			IdaasSocialFlowService socialFlowService, IdaasErrorMessages errorMessages) {
		Assert.notNull(socialFlowService, "socialFlowService cannot be null");
		Assert.notNull(errorMessages, "errorMessages cannot be null");
		this.urls = flowUrls(bindUrl, registerUrl, mfaUrl);
		this.socialFlowService = socialFlowService;
		this.failureHandler = new IdaasSocialFlowFailureHandler(List.copyOf(this.urls.values()), errorMessages);
		PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
		this.urls.forEach((branch, url) -> {
			this.codeEndpoints.put(paths.matcher(HttpMethod.POST, url + CODE_PATH), branch);
			this.captchaEndpoints.put(paths.matcher(HttpMethod.GET, url + CAPTCHA_PATH), branch);
		});
		this.pages = this.urls.values().stream().<RequestMatcher>map((url) -> paths.matcher(HttpMethod.GET, url)).toList();
	}

	/**
	 * Checks the three flow URLs and maps each branch to its URL.
	 * @param bindUrl the bind page
	 * @param registerUrl the register page
	 * @param mfaUrl the second-factor page
	 * @return the URLs by branch
	 */
	static Map<SocialFlowBranch, String> flowUrls(String bindUrl, String registerUrl, String mfaUrl) {
		Map<SocialFlowBranch, String> urls = new LinkedHashMap<>();
		urls.put(SocialFlowBranch.SOCIAL_BIND, bindUrl);
		urls.put(SocialFlowBranch.USER_REGISTER, registerUrl);
		urls.put(SocialFlowBranch.MFA_AUTH, mfaUrl);
		urls.forEach((branch, url) -> Assert.isTrue(url != null && LocalRedirects.isLocal(url) && url.indexOf('?') < 0,
				() -> "The " + branch + " URL must be a local path without a query"));
		Assert.isTrue(Map.copyOf(urls).values().stream().distinct().count() == 3,
				"The bind, register and second-factor URLs must differ");
		return urls;
	}

	/**
	 * Sets the handler of failed steps.
	 * @param failureHandler the handler; defaults to an {@link IdaasSocialFlowFailureHandler}
	 */
	public void setAuthenticationFailureHandler(AuthenticationFailureHandler failureHandler) {
		Assert.notNull(failureHandler, "failureHandler cannot be null");
		this.failureHandler = failureHandler;
	}

	/**
	 * Sets which requests get JSON answers.
	 * @param jsonRequestMatcher the matcher; defaults to {@link JsonRequestMatcher#INSTANCE}
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

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		SocialFlowBranch code = branch(this.codeEndpoints, request);
		if (code != null) {
			sendCode(code, request, response);
			return;
		}
		SocialFlowBranch captcha = branch(this.captchaEndpoints, request);
		if (captcha != null) {
			captcha(captcha, request, response);
			return;
		}
		for (RequestMatcher page : this.pages) {
			if (page.matches(request)) {
				PendingSocialFlowView view = this.socialFlowService.getPendingFlow(request);
				if (view != null) {
					request.setAttribute(PENDING_FLOW_ATTRIBUTE, view);
				}
				break;
			}
		}
		chain.doFilter(request, response);
	}

	private void captcha(SocialFlowBranch branch, HttpServletRequest request, HttpServletResponse response)
			throws IOException, ServletException {
		SliderPuzzle puzzle;
		try {
			puzzle = this.socialFlowService.getCaptcha(branch, request, response);
		}
		catch (AuthenticationException ex) {
			this.failureHandler.onAuthenticationFailure(request, response, ex);
			return;
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("background", puzzle.background());
		body.put("piece", puzzle.piece());
		body.put("width", puzzle.width());
		body.put("height", puzzle.height());
		body.put("pieceWidth", puzzle.pieceWidth());
		body.put("pieceHeight", puzzle.pieceHeight());
		body.put("pieceY", puzzle.pieceY());
		response.setHeader("Cache-Control", "no-store");
		JsonResponseWriter.write(response, HttpServletResponse.SC_OK, body);
	}

	private void sendCode(SocialFlowBranch branch, HttpServletRequest request, HttpServletResponse response)
			throws IOException, ServletException {
		try {
			this.socialFlowService.sendVerificationCode(branch, VerificationRequest.read(request), request, response);
		}
		catch (AuthenticationException ex) {
			this.failureHandler.onAuthenticationFailure(request, response, ex);
			return;
		}
		if (this.jsonRequestMatcher.matches(request)) {
			JsonResponseWriter.write(response, HttpServletResponse.SC_OK, Map.of("status", "CODE_SENT"));
			return;
		}
		this.redirectStrategy.sendRedirect(request, response, this.urls.get(branch) + "?sent");
	}

	private static @Nullable SocialFlowBranch branch(Map<RequestMatcher, SocialFlowBranch> endpoints,
			HttpServletRequest request) {
		for (Map.Entry<RequestMatcher, SocialFlowBranch> endpoint : endpoints.entrySet()) {
			if (endpoint.getKey().matches(request)) {
				return endpoint.getValue();
			}
		}
		return null;
	}

}

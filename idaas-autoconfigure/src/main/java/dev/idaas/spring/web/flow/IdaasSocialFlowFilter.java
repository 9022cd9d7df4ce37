package dev.idaas.spring.web.flow;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.idaas.spring.authentication.IdaasAuthenticationException;
import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.client.IdaasErrorCategory;
import dev.idaas.spring.client.IdaasErrorCodes;
import dev.idaas.spring.client.IdaasErrorMessages;
import dev.idaas.spring.client.SocialFlowBranch;
import dev.idaas.spring.client.VerificationChannel;
import dev.idaas.spring.web.ErrorStatuses;
import dev.idaas.spring.web.IdaasAuthenticationSuccessHandler;
import dev.idaas.spring.web.JsonRequestMatcher;
import dev.idaas.spring.web.JsonResponseWriter;
import dev.idaas.spring.web.LocalRedirects;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.event.InteractiveAuthenticationSuccessEvent;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.session.ChangeSessionIdAuthenticationStrategy;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.Assert;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The endpoints that finish a pending {@code SOCIAL_BIND} or {@code USER_REGISTER} flow, for
 * browsers and native apps, without Spring MVC. For the bind URL (default {@code /idaas/bind})
 * and the register URL (default {@code /idaas/register}):
 * <ul>
 * <li>{@code POST {url}/code} with {@code method} ({@code VERIFY_PHONE} or {@code VERIFY_EMAIL})
 * and {@code target} (phone number or email address) sends a verification code: a browser is
 * redirected to {@code {url}?sent}, a JSON request gets {@code {"status":"CODE_SENT"}};</li>
 * <li>{@code POST {url}} with {@code method}, {@code target} and {@code verify_code} finishes the
 * flow and signs the user in exactly as a login does: the session id changes through the
 * {@link SessionAuthenticationStrategy}, the context is saved through the
 * {@link SecurityContextRepository}, then the {@link AuthenticationSuccessHandler} answers
 * (saved request or {@code /}, or {@code {"status":"SUCCESS","user":{..}}});</li>
 * <li>{@code GET {url}} is left to the application's page; this filter only exposes the
 * {@link PendingSocialFlowView} as the request attribute {@value #PENDING_FLOW_ATTRIBUTE}.</li>
 * </ul>
 * Fields come from a form (CSRF token required) or a JSON body ({@code application/json}, at
 * most 4 KiB). A field that is missing, too long or not printable ASCII is answered {@code 400}
 * before anything else happens. Failures redirect a browser to {@code {url}?error&code=..} and
 * answer JSON requests {@code {"error_code":..,"error_msg":..}} in the request's language with
 * {@code 400} (malformed input, wrong code), {@code 401} (invalid id_token), {@code 403} (method
 * not allowed, user disabled), {@code 409} (no pending flow of this branch, user exists),
 * {@code 410} (flow expired or ended after too many wrong codes: sign in again), {@code 429}
 * (too many codes sent for this flow, or the last one too recently, with a {@code Retry-After}
 * in seconds) or {@code 503} (IDaaS busy or unreachable).
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSocialFlowService
 * @see IdaasBranchRedirectHandler
 */
public final class IdaasSocialFlowFilter extends OncePerRequestFilter {

	/**
	 * The request attribute holding the {@link PendingSocialFlowView} on the bind and register
	 * pages.
	 */
	public static final String PENDING_FLOW_ATTRIBUTE = "idaasPendingFlow";

	/**
	 * The path under the bind or register URL that sends codes.
	 */
	public static final String CODE_PATH = "/code";

	static final int MAX_BODY_BYTES = 4096;

	static final int MAX_METHOD_LENGTH = 32;

	static final int MAX_TARGET_LENGTH = 254;

	static final int MAX_VERIFY_CODE_LENGTH = 32;

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private final String bindUrl;

	private final String registerUrl;

	private final IdaasSocialFlowService socialFlowService;

	private final IdaasErrorMessages errorMessages;

	private final RequestMatcher bindCode;

	private final RequestMatcher bind;

	private final RequestMatcher registerCode;

	private final RequestMatcher register;

	private final RequestMatcher bindPage;

	private final RequestMatcher registerPage;

	private AuthenticationSuccessHandler successHandler = new IdaasAuthenticationSuccessHandler("/");

	private SessionAuthenticationStrategy sessionAuthenticationStrategy = new ChangeSessionIdAuthenticationStrategy();

	private SecurityContextRepository securityContextRepository = new DelegatingSecurityContextRepository(
			new RequestAttributeSecurityContextRepository(), new HttpSessionSecurityContextRepository());

	private SecurityContextHolderStrategy securityContextHolderStrategy = SecurityContextHolder
		.getContextHolderStrategy();

	private RequestMatcher jsonRequestMatcher = JsonRequestMatcher.INSTANCE;

	private RedirectStrategy redirectStrategy = new DefaultRedirectStrategy();

	private @Nullable ApplicationEventPublisher eventPublisher;

	/**
	 * Creates a filter.
	 * @param bindUrl the bind page, e.g. {@code /idaas/bind}
	 * @param registerUrl the register page, e.g. {@code /idaas/register}
	 * @param socialFlowService sends codes and finishes flows
	 * @param errorMessages the localized error texts
	 */
	public IdaasSocialFlowFilter(String bindUrl, String registerUrl, IdaasSocialFlowService socialFlowService,
			IdaasErrorMessages errorMessages) {
		Assert.isTrue(LocalRedirects.isLocal(bindUrl) && bindUrl.indexOf('?') < 0,
				"bindUrl must be a local path without a query");
		Assert.isTrue(LocalRedirects.isLocal(registerUrl) && registerUrl.indexOf('?') < 0,
				"registerUrl must be a local path without a query");
		Assert.isTrue(!bindUrl.equals(registerUrl), "bindUrl and registerUrl must differ");
		Assert.notNull(socialFlowService, "socialFlowService cannot be null");
		Assert.notNull(errorMessages, "errorMessages cannot be null");
		this.bindUrl = bindUrl;
		this.registerUrl = registerUrl;
		this.socialFlowService = socialFlowService;
		this.errorMessages = errorMessages;
		PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
		this.bindCode = paths.matcher(HttpMethod.POST, bindUrl + CODE_PATH);
		this.bind = paths.matcher(HttpMethod.POST, bindUrl);
		this.registerCode = paths.matcher(HttpMethod.POST, registerUrl + CODE_PATH);
		this.register = paths.matcher(HttpMethod.POST, registerUrl);
		this.bindPage = paths.matcher(HttpMethod.GET, bindUrl);
		this.registerPage = paths.matcher(HttpMethod.GET, registerUrl);
	}

	/**
	 * Sets the handler that answers a finished flow; the DSL passes the login's.
	 * @param successHandler the handler; defaults to {@link IdaasAuthenticationSuccessHandler}
	 * with {@code /}
	 */
	public void setAuthenticationSuccessHandler(AuthenticationSuccessHandler successHandler) {
		Assert.notNull(successHandler, "successHandler cannot be null");
		this.successHandler = successHandler;
	}

	/**
	 * Sets what happens to the session at sign-in; the DSL passes the chain's.
	 * @param sessionAuthenticationStrategy the strategy; defaults to
	 * {@link ChangeSessionIdAuthenticationStrategy}
	 */
	public void setSessionAuthenticationStrategy(SessionAuthenticationStrategy sessionAuthenticationStrategy) {
		Assert.notNull(sessionAuthenticationStrategy, "sessionAuthenticationStrategy cannot be null");
		this.sessionAuthenticationStrategy = sessionAuthenticationStrategy;
	}

	/**
	 * Sets where the signed-in context is saved; the DSL passes the chain's.
	 * @param securityContextRepository the repository; defaults to the request attribute and
	 * HTTP session repositories
	 */
	public void setSecurityContextRepository(SecurityContextRepository securityContextRepository) {
		Assert.notNull(securityContextRepository, "securityContextRepository cannot be null");
		this.securityContextRepository = securityContextRepository;
	}

	/**
	 * Sets the security context holder strategy.
	 * @param securityContextHolderStrategy the strategy
	 */
	public void setSecurityContextHolderStrategy(SecurityContextHolderStrategy securityContextHolderStrategy) {
		Assert.notNull(securityContextHolderStrategy, "securityContextHolderStrategy cannot be null");
		this.securityContextHolderStrategy = securityContextHolderStrategy;
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

	/**
	 * Sets the publisher of {@link InteractiveAuthenticationSuccessEvent}s.
	 * @param eventPublisher the publisher
	 */
	public void setApplicationEventPublisher(ApplicationEventPublisher eventPublisher) {
		Assert.notNull(eventPublisher, "eventPublisher cannot be null");
		this.eventPublisher = eventPublisher;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (this.bindCode.matches(request)) {
			sendCode(SocialFlowBranch.SOCIAL_BIND, this.bindUrl, request, response);
		}
		else if (this.registerCode.matches(request)) {
			sendCode(SocialFlowBranch.USER_REGISTER, this.registerUrl, request, response);
		}
		else if (this.bind.matches(request)) {
			finish(SocialFlowBranch.SOCIAL_BIND, this.bindUrl, request, response);
		}
		else if (this.register.matches(request)) {
			finish(SocialFlowBranch.USER_REGISTER, this.registerUrl, request, response);
		}
		else {
			if (this.bindPage.matches(request) || this.registerPage.matches(request)) {
				PendingSocialFlowView view = this.socialFlowService.getPendingFlow(request);
				if (view != null) {
					request.setAttribute(PENDING_FLOW_ATTRIBUTE, view);
				}
			}
			chain.doFilter(request, response);
		}
	}

	private void sendCode(SocialFlowBranch branch, String url, HttpServletRequest request,
			HttpServletResponse response) throws IOException {
		try {
			Map<String, String> fields = fields(request, false);
			this.socialFlowService.sendVerificationCode(branch, channel(fields.get("method")), fields.get("target"),
					request, response);
		}
		catch (AuthenticationException ex) {
			failure(url, request, response, ex);
			return;
		}
		if (this.jsonRequestMatcher.matches(request)) {
			JsonResponseWriter.write(response, HttpServletResponse.SC_OK, Map.of("status", "CODE_SENT"));
			return;
		}
		this.redirectStrategy.sendRedirect(request, response, url + "?sent");
	}

	private void finish(SocialFlowBranch branch, String url, HttpServletRequest request, HttpServletResponse response)
			throws IOException, ServletException {
		IdaasAuthenticationToken authentication;
		try {
			Map<String, String> fields = fields(request, true);
			authentication = this.socialFlowService.finish(branch, channel(fields.get("method")), fields.get("target"),
					fields.get("verify_code"), request, response);
			this.sessionAuthenticationStrategy.onAuthentication(authentication, request, response);
		}
		catch (AuthenticationException ex) {
			this.securityContextHolderStrategy.clearContext();
			failure(url, request, response, ex);
			return;
		}
		SecurityContext context = this.securityContextHolderStrategy.createEmptyContext();
		context.setAuthentication(authentication);
		this.securityContextHolderStrategy.setContext(context);
		this.securityContextRepository.saveContext(context, request, response);
		if (this.logger.isDebugEnabled()) {
			this.logger.debug("Signed in after a " + branch + " flow");
		}
		if (this.eventPublisher != null) {
			this.eventPublisher.publishEvent(new InteractiveAuthenticationSuccessEvent(authentication, getClass()));
		}
		this.successHandler.onAuthenticationSuccess(request, response, authentication);
	}

	private void failure(String url, HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException {
		String errorCode = (exception instanceof IdaasAuthenticationException idaas) ? idaas.getErrorCode()
				: IdaasErrorCodes.UNKNOWN_ERROR;
		if (this.logger.isDebugEnabled()) {
			this.logger.debug("Bind or register step failed: " + errorCode);
		}
		if (this.jsonRequestMatcher.matches(request)) {
			if (exception instanceof TooManyVerificationCodesException tooMany) {
				response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(tooMany.getRetryAfterSeconds()));
			}
			JsonResponseWriter.writeError(response, ErrorStatuses.of(exception).value(), errorCode,
					this.errorMessages.getMessage(errorCode, request.getLocale()));
			return;
		}
		String target = UriComponentsBuilder.fromPath(url)
			.queryParam("error")
			.queryParam("code", errorCode)
			.encode()
			.build()
			.toUriString();
		this.redirectStrategy.sendRedirect(request, response, target);
	}

	// Input: bounded, printable ASCII, checked before anything else happens

	private static Map<String, String> fields(HttpServletRequest request, boolean withCode) throws IOException {
		Map<String, String> fields = new LinkedHashMap<>();
		JsonNode json = JsonRequestMatcher.sendsJson(request) ? jsonBody(request) : null;
		fields.put("method", field(request, json, "method", MAX_METHOD_LENGTH));
		fields.put("target", field(request, json, "target", MAX_TARGET_LENGTH));
		if (withCode) {
			fields.put("verify_code", field(request, json, "verify_code", MAX_VERIFY_CODE_LENGTH));
		}
		return fields;
	}

	private static JsonNode jsonBody(HttpServletRequest request) throws IOException {
		if (request.getContentLengthLong() > MAX_BODY_BYTES) {
			throw invalid("The request body is too large");
		}
		byte[] bytes = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
		if (bytes.length > MAX_BODY_BYTES) {
			throw invalid("The request body is too large");
		}
		try {
			JsonNode node = mapper.readTree(bytes);
			if (node == null || !node.isObject()) {
				throw invalid("The request body is not a JSON object");
			}
			return node;
		}
		catch (JacksonException ex) {
			throw invalid("The request body is not valid JSON");
		}
	}

	private static String field(HttpServletRequest request, @Nullable JsonNode json, String name, int maxLength) {
		String value;
		if (json != null) {
			JsonNode node = json.get(name);
			value = (node != null && node.isString()) ? node.stringValue() : null;
		}
		else {
			String[] values = request.getParameterValues(name);
			value = (values != null && values.length == 1) ? values[0] : null;
		}
		if (value == null || value.isBlank()) {
			throw invalid("The field " + name + " is missing");
		}
		if (value.length() > maxLength) {
			throw invalid("The field " + name + " is too long");
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < 0x20 || c > 0x7e) {
				throw invalid("The field " + name + " holds a control or non-ASCII character");
			}
		}
		return value.strip();
	}

	private static VerificationChannel channel(String method) {
		VerificationChannel channel = VerificationChannel.fromFlow(method);
		if (channel == null) {
			throw invalid("The verification method is unknown");
		}
		return channel;
	}

	private static IdaasAuthenticationException invalid(String description) {
		return new IdaasAuthenticationException(IdaasErrorCodes.INVALID_VERIFICATION, description,
				IdaasErrorCategory.INVALID_REQUEST, null);
	}

}

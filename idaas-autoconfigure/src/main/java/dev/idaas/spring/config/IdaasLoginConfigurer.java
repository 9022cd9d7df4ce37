package dev.idaas.spring.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.Cookie;
import org.jspecify.annotations.Nullable;

import dev.idaas.spring.authentication.IdaasAppleAuthenticationProvider;
import dev.idaas.spring.authentication.IdaasAuthenticationTokenFactory;
import dev.idaas.spring.authentication.IdaasSocialFlowAuthenticationProvider;
import dev.idaas.spring.client.IdaasClient;
import dev.idaas.spring.client.IdaasErrorMessages;
import dev.idaas.spring.client.IdaasSocialFlowClient;
import dev.idaas.spring.web.apple.AppleAuthorizationRequestRedirectFilter;
import dev.idaas.spring.web.apple.AppleAuthorizationStateCookieRepository;
import dev.idaas.spring.web.apple.AppleCallbackAuthenticationFilter;
import dev.idaas.spring.web.DefaultDeviceContextResolver;
import dev.idaas.spring.web.flow.DefaultIdaasSocialFlowService;
import dev.idaas.spring.web.DeviceContextResolver;
import dev.idaas.spring.web.flow.HttpSessionPendingSocialFlowRepository;
import dev.idaas.spring.web.session.IdTokenRefreshFilter;
import dev.idaas.spring.web.session.IdTokenRefresher;
import dev.idaas.spring.web.session.IdaasLogoutHandler;
import dev.idaas.spring.web.session.IdaasUpstreamLogout;
import dev.idaas.spring.web.session.IdaasUpstreamLogoutSuccessHandler;
import dev.idaas.spring.web.IdaasAuthenticationFailureHandler;
import dev.idaas.spring.web.IdaasAuthenticationSuccessHandler;
import dev.idaas.spring.web.flow.IdaasBranchRedirectHandler;
import dev.idaas.spring.web.IdaasJsonAuthenticationEntryPoint;
import dev.idaas.spring.web.IdaasLoginAuthenticationFilter;
import dev.idaas.spring.web.IdaasLoginPageGeneratingFilter;
import dev.idaas.spring.web.flow.IdaasSocialFlowAuthenticationFilter;
import dev.idaas.spring.web.flow.IdaasSocialFlowFailureHandler;
import dev.idaas.spring.web.flow.IdaasSocialFlowFilter;
import dev.idaas.spring.web.flow.IdaasSocialFlowService;
import dev.idaas.spring.web.flow.InMemoryVerificationRateLimiter;
import dev.idaas.spring.web.JsonRequestMatcher;
import dev.idaas.spring.web.flow.PendingSocialFlowAuthenticationStrategy;
import dev.idaas.spring.web.flow.PendingSocialFlowRepository;
import dev.idaas.spring.web.flow.VerificationRateLimiter;
import dev.idaas.spring.web.flow.page.IdaasSocialFlowPageGeneratingFilter;
import dev.idaas.spring.web.flow.page.IdaasSocialFlowResourcesFilter;
import dev.idaas.spring.client.SocialFlowBranch;

import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.config.annotation.web.HttpSecurityBuilder;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.CsrfConfigurer;
import org.springframework.security.config.annotation.web.configurers.ExceptionHandlingConfigurer;
import org.springframework.security.config.annotation.web.configurers.LogoutConfigurer;
import org.springframework.security.web.authentication.AbstractAuthenticationProcessingFilter;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.RememberMeServices;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.logout.LogoutHandler;
import org.springframework.security.web.authentication.session.CompositeSessionAuthenticationStrategy;
import org.springframework.security.web.authentication.ui.DefaultLoginPageGeneratingFilter;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.Assert;

/**
 * Adds Sign in with Apple through IDaaS to a {@code SecurityFilterChain}:
 *
 * <pre class="code">
 * http.with(IdaasLoginConfigurer.idaasLogin(), (login) -&gt; login
 *     .loginProcessingUrl("/login/idaas/apple")
 *     .failureUrl("/login?error"));
 * </pre>
 *
 * The login and Apple callback filters share the chain's {@link SessionAuthenticationStrategy}
 * (the session id changes at login) and {@link SecurityContextRepository}; JSON logins and
 * Apple's cross-site callback are exempt from CSRF tokens; unauthenticated browser requests
 * go to the login page and JSON requests get a {@code 401} JSON answer. The slider captcha
 * assets are served under {@code /idaas/assets/}, and each bind, register or second-factor URL
 * the application does not map itself gets the starter's default page
 * ({@link IdaasSocialFlowPageGeneratingFilter}). Collaborators are
 * taken from the application context unless set here; paths default to the
 * {@link IdaasLoginSettings} bean, if any.
 *
 * @param <H> the security builder
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public final class IdaasLoginConfigurer<H extends HttpSecurityBuilder<H>>
		extends AbstractHttpConfigurer<IdaasLoginConfigurer<H>, H> {

	private @Nullable IdaasLoginSettings settings;

	private @Nullable String processingUrl;

	private @Nullable String loginPage;

	private @Nullable String failureUrl;

	private @Nullable String defaultSuccessUrl;

	private @Nullable String bindUrl;

	private @Nullable String registerUrl;

	private @Nullable String mfaUrl;

	private @Nullable AuthenticationSuccessHandler successHandler;

	private @Nullable AuthenticationFailureHandler failureHandler;

	private @Nullable AuthenticationFailureHandler branchHandler;

	private @Nullable DeviceContextResolver deviceContextResolver;

	private @Nullable PendingSocialFlowRepository pendingFlowRepository;

	private @Nullable IdaasClient client;

	private @Nullable IdaasAuthenticationTokenFactory tokenFactory;

	private @Nullable IdaasErrorMessages errorMessages;

	private @Nullable IdTokenRefresher refresher;

	private @Nullable LogoutHandler logoutHandler;

	private @Nullable IdaasSocialFlowService socialFlowService;

	private @Nullable URI upstreamLogoutUri;

	private @Nullable IdaasSocialFlowClient socialFlowClient;

	private boolean socialFlowClientResolved;

	private @Nullable VerificationRateLimiter rateLimiter;

	/**
	 * Creates a configurer; see {@link #idaasLogin()}.
	 */
	public IdaasLoginConfigurer() {
	}

	/**
	 * A new configurer, for {@code http.with(idaasLogin(), customizer)}.
	 * @param <H> the security builder
	 * @return the configurer
	 */
	public static <H extends HttpSecurityBuilder<H>> IdaasLoginConfigurer<H> idaasLogin() {
		return new IdaasLoginConfigurer<>();
	}

	/**
	 * Sets the path that accepts Apple codes ({@code POST}).
	 * @param processingUrl the path
	 * @return this configurer
	 */
	public IdaasLoginConfigurer<H> loginProcessingUrl(String processingUrl) {
		Assert.hasText(processingUrl, "processingUrl cannot be empty");
		this.processingUrl = processingUrl;
		return this;
	}

	/**
	 * Sets the login page unauthenticated browsers are sent to, and says the application serves
	 * it: no default login page is generated. Without it, the login page of the
	 * {@link IdaasLoginSettings} is used, and a default one ("Sign in with Apple") is generated
	 * there unless the application maps that path itself, as Spring Security's {@code formLogin()}
	 * does.
	 * @param loginPage the path
	 * @return this configurer
	 */
	public IdaasLoginConfigurer<H> loginPage(String loginPage) {
		Assert.hasText(loginPage, "loginPage cannot be empty");
		this.loginPage = loginPage;
		return this;
	}

	/**
	 * Sets where browsers go after a failed login.
	 * @param failureUrl a local path
	 * @return this configurer
	 */
	public IdaasLoginConfigurer<H> failureUrl(String failureUrl) {
		Assert.hasText(failureUrl, "failureUrl cannot be empty");
		this.failureUrl = failureUrl;
		return this;
	}

	/**
	 * Sets where browsers go after login when no request was saved.
	 * @param defaultSuccessUrl a local path
	 * @return this configurer
	 */
	public IdaasLoginConfigurer<H> defaultSuccessUrl(String defaultSuccessUrl) {
		Assert.hasText(defaultSuccessUrl, "defaultSuccessUrl cannot be empty");
		this.defaultSuccessUrl = defaultSuccessUrl;
		return this;
	}

	/**
	 * Sets the pages that finish bind and register flows.
	 * @param bindUrl the bind page
	 * @param registerUrl the register page
	 * @return this configurer
	 */
	public IdaasLoginConfigurer<H> socialFlowUrls(String bindUrl, String registerUrl) {
		Assert.hasText(bindUrl, "bindUrl cannot be empty");
		Assert.hasText(registerUrl, "registerUrl cannot be empty");
		this.bindUrl = bindUrl;
		this.registerUrl = registerUrl;
		return this;
	}

	/**
	 * Sets the pages that finish bind, register and second-factor flows; each also serves
	 * {@code {url}/captcha} and {@code {url}/code}.
	 * @param bindUrl the bind page
	 * @param registerUrl the register page
	 * @param mfaUrl the second-factor page
	 * @return this configurer
	 * @since 0.1
	 */
	public IdaasLoginConfigurer<H> socialFlowUrls(String bindUrl, String registerUrl, String mfaUrl) {
		socialFlowUrls(bindUrl, registerUrl);
		Assert.hasText(mfaUrl, "mfaUrl cannot be empty");
		this.mfaUrl = mfaUrl;
		return this;
	}

	/**
	 * Sets the handler of successful logins.
	 * @param successHandler the handler
	 * @return this configurer
	 */
	public IdaasLoginConfigurer<H> successHandler(AuthenticationSuccessHandler successHandler) {
		Assert.notNull(successHandler, "successHandler cannot be null");
		this.successHandler = successHandler;
		return this;
	}

	/**
	 * Sets the handler of failed logins (not of bind/register branches).
	 * @param failureHandler the handler
	 * @return this configurer
	 */
	public IdaasLoginConfigurer<H> failureHandler(AuthenticationFailureHandler failureHandler) {
		Assert.notNull(failureHandler, "failureHandler cannot be null");
		this.failureHandler = failureHandler;
		return this;
	}

	/**
	 * Sets the handler that takes SOCIAL_BIND / USER_REGISTER answers to their pages; it
	 * receives every login failure and must delegate the others.
	 * @param branchHandler the handler
	 * @return this configurer
	 */
	public IdaasLoginConfigurer<H> branchHandler(AuthenticationFailureHandler branchHandler) {
		Assert.notNull(branchHandler, "branchHandler cannot be null");
		this.branchHandler = branchHandler;
		return this;
	}

	/**
	 * Sets how device facts are resolved.
	 * @param deviceContextResolver the resolver
	 * @return this configurer
	 */
	public IdaasLoginConfigurer<H> deviceContextResolver(DeviceContextResolver deviceContextResolver) {
		Assert.notNull(deviceContextResolver, "deviceContextResolver cannot be null");
		this.deviceContextResolver = deviceContextResolver;
		return this;
	}

	/**
	 * Sets where pending bind/register flows are kept.
	 * @param pendingFlowRepository the repository
	 * @return this configurer
	 */
	public IdaasLoginConfigurer<H> pendingFlowRepository(PendingSocialFlowRepository pendingFlowRepository) {
		Assert.notNull(pendingFlowRepository, "pendingFlowRepository cannot be null");
		this.pendingFlowRepository = pendingFlowRepository;
		return this;
	}

	/**
	 * Sets the IDaaS client.
	 * @param client the client
	 * @return this configurer
	 */
	public IdaasLoginConfigurer<H> client(IdaasClient client) {
		Assert.notNull(client, "client cannot be null");
		this.client = client;
		return this;
	}

	/**
	 * Sets the factory that verifies id_tokens and builds the authentication.
	 * @param tokenFactory the factory
	 * @return this configurer
	 */
	public IdaasLoginConfigurer<H> tokenFactory(IdaasAuthenticationTokenFactory tokenFactory) {
		Assert.notNull(tokenFactory, "tokenFactory cannot be null");
		this.tokenFactory = tokenFactory;
		return this;
	}

	/**
	 * Sets the service that refreshes id_tokens from the session; its filter runs before
	 * authorization on every request of the chain.
	 * @param refresher the refresher
	 * @return this configurer
	 */
	public IdaasLoginConfigurer<H> refresher(IdTokenRefresher refresher) {
		Assert.notNull(refresher, "refresher cannot be null");
		this.refresher = refresher;
		return this;
	}

	/**
	 * Sets the handler added to the chain's logout (default: the {@link IdaasLogoutHandler}
	 * bean, or one that clears the Apple state cookie).
	 * @param logoutHandler the handler
	 * @return this configurer
	 */
	public IdaasLoginConfigurer<H> logoutHandler(LogoutHandler logoutHandler) {
		Assert.notNull(logoutHandler, "logoutHandler cannot be null");
		this.logoutHandler = logoutHandler;
		return this;
	}

	/**
	 * Sets the service that finishes bind and register flows on the bind and register URLs.
	 * Defaults to the {@link IdaasSocialFlowService} bean, or to a
	 * {@link DefaultIdaasSocialFlowService} when an {@link IdaasSocialFlowClient} bean exists;
	 * without either, those endpoints are not added.
	 * @param socialFlowService the service
	 * @return this configurer
	 * @since 0.1
	 */
	public IdaasLoginConfigurer<H> socialFlowService(IdaasSocialFlowService socialFlowService) {
		Assert.notNull(socialFlowService, "socialFlowService cannot be null");
		this.socialFlowService = socialFlowService;
		return this;
	}

	/**
	 * Sends browsers to IDaaS's logout endpoint after a sign-out, to end the IDaaS web session
	 * too: the chain's logout success handler is wrapped in an
	 * {@link IdaasUpstreamLogoutSuccessHandler}, so where it would redirect, the browser goes to
	 * {@code {upstreamLogoutUri}?redirect_url={that URL, absolute}} instead; JSON clients keep
	 * its answer. Defaults to {@link IdaasLoginSettings#upstreamLogoutUri()} (set by
	 * {@code idaas.logout.upstream.browser-redirect}).
	 * @param upstreamLogoutUri IDaaS's browser logout endpoint, e.g.
	 * {@code https://example.idaas.cloud/api/v1/logout}
	 * @return this configurer
	 * @since 0.1
	 */
	public IdaasLoginConfigurer<H> upstreamLogoutRedirect(URI upstreamLogoutUri) {
		Assert.notNull(upstreamLogoutUri, "upstreamLogoutUri cannot be null");
		Assert.isTrue(upstreamLogoutUri.isAbsolute() && upstreamLogoutUri.getHost() != null,
				"upstreamLogoutUri must be an absolute URL");
		this.upstreamLogoutUri = upstreamLogoutUri;
		return this;
	}

	/**
	 * Sets the client of the flows that follow a {@code state_token} (puzzles, codes, bind,
	 * register, second factor). Defaults to the {@link IdaasSocialFlowClient} bean; without
	 * one, the flow endpoints are not added.
	 * @param socialFlowClient the client
	 * @return this configurer
	 * @since 0.1
	 */
	public IdaasLoginConfigurer<H> socialFlowClient(IdaasSocialFlowClient socialFlowClient) {
		Assert.notNull(socialFlowClient, "socialFlowClient cannot be null");
		this.socialFlowClient = socialFlowClient;
		this.socialFlowClientResolved = true;
		return this;
	}

	/**
	 * Sets the limiter of verification code sends and checks. Defaults to the
	 * {@link VerificationRateLimiter} bean, or to an {@link InMemoryVerificationRateLimiter}.
	 * @param rateLimiter the limiter
	 * @return this configurer
	 * @since 0.1
	 */
	public IdaasLoginConfigurer<H> rateLimiter(VerificationRateLimiter rateLimiter) {
		Assert.notNull(rateLimiter, "rateLimiter cannot be null");
		this.rateLimiter = rateLimiter;
		return this;
	}

	/**
	 * Sets all paths and Apple settings at once.
	 * @param settings the settings
	 * @return this configurer
	 */
	public IdaasLoginConfigurer<H> settings(IdaasLoginSettings settings) {
		Assert.notNull(settings, "settings cannot be null");
		this.settings = settings;
		return this;
	}

	@Override
	public void init(H http) {
		IdaasLoginSettings settings = settings(http);
		http.authenticationProvider(
				postProcess(new IdaasAppleAuthenticationProvider(client(http), tokenFactory(http))));
		IdaasSocialFlowClient socialFlowClient = socialFlowClient(http);
		if (socialFlowClient != null) {
			http.authenticationProvider(postProcess(
					new IdaasSocialFlowAuthenticationProvider(socialFlowClient, client(http), tokenFactory(http))));
		}
		RequestMatcher jsonLogin = new AndRequestMatcher(
				PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, processingUrl(settings)),
				JsonRequestMatcher::sendsJson);
		@SuppressWarnings("unchecked")
		CsrfConfigurer<H> csrf = http.getConfigurer(CsrfConfigurer.class);
		if (csrf != null) {
			csrf.ignoringRequestMatchers(jsonLogin);
			// JSON flow posts, like JSON logins: a cross-site page cannot send JSON without CORS
			csrf.ignoringRequestMatchers(
					new AndRequestMatcher(socialFlowPosts(settings), JsonRequestMatcher::sendsJson));
			if (settings.apple() != null) {
				csrf.ignoringRequestMatchers(PathPatternRequestMatcher.withDefaults()
					.matcher(HttpMethod.POST, settings.apple().callbackUrl()));
			}
		}
		@SuppressWarnings("unchecked")
		LogoutConfigurer<H> logout = http.getConfigurer(LogoutConfigurer.class);
		if (logout != null) {
			logout.addLogoutHandler(logoutHandler(http, settings));
			URI upstreamLogout = (this.upstreamLogoutUri != null) ? this.upstreamLogoutUri
					: settings.upstreamLogoutUri();
			if (upstreamLogout != null) {
				// init runs after the application's logout customizer: this wraps its success handler
				logout.logoutSuccessHandler(
						new IdaasUpstreamLogoutSuccessHandler(upstreamLogout, logout.getLogoutSuccessHandler()));
			}
		}
		@SuppressWarnings("unchecked")
		ExceptionHandlingConfigurer<H> exceptionHandling = http.getConfigurer(ExceptionHandlingConfigurer.class);
		if (exceptionHandling != null) {
			exceptionHandling.defaultAuthenticationEntryPointFor(
					postProcess(new IdaasJsonAuthenticationEntryPoint(errorMessages(http))), JsonRequestMatcher.INSTANCE);
			exceptionHandling.defaultAuthenticationEntryPointFor(
					postProcess(new LoginUrlAuthenticationEntryPoint(loginPage(settings))),
					new NegatedRequestMatcher(JsonRequestMatcher.INSTANCE));
		}
	}

	@Override
	public void configure(H http) {
		IdaasLoginSettings settings = settings(http);
		AuthenticationManager authenticationManager = http.getSharedObject(AuthenticationManager.class);
		DeviceContextResolver devices = deviceContextResolver(http);
		PendingSocialFlowRepository pendingFlows = pendingFlowRepository(http);
		AuthenticationSuccessHandler success = successHandler(http, settings);
		AuthenticationFailureHandler failure = branchHandler(http, settings, pendingFlows, loginFailureHandler(http,
				settings));
		SessionAuthenticationStrategy sessionStrategy = sessionStrategy(http, pendingFlows);

		IdaasLoginAuthenticationFilter login = new IdaasLoginAuthenticationFilter(processingUrl(settings),
				authenticationManager, devices);
		configureAuthenticationFilter(http, login, success, failure, sessionStrategy);
		http.addFilterBefore(postProcess(login), UsernamePasswordAuthenticationFilter.class);

		IdTokenRefreshFilter refreshFilter = new IdTokenRefreshFilter(refresher(http));
		refreshFilter.setErrorMessages(errorMessages(http));
		refreshFilter.setSecurityContextHolderStrategy(getSecurityContextHolderStrategy());
		http.addFilterBefore(postProcess(refreshFilter), AnonymousAuthenticationFilter.class);

		IdaasSocialFlowService socialFlows = socialFlowService(http, pendingFlows, devices);
		if (socialFlows != null && socialFlowClient(http) != null) {
			IdaasSocialFlowFailureHandler flowFailure = new IdaasSocialFlowFailureHandler(
					List.of(bindUrl(settings), registerUrl(settings), mfaUrl(settings)), errorMessages(http));
			IdaasSocialFlowFilter socialFlowFilter = new IdaasSocialFlowFilter(bindUrl(settings),
					registerUrl(settings), mfaUrl(settings), socialFlows, errorMessages(http));
			socialFlowFilter.setAuthenticationFailureHandler(flowFailure);
			http.addFilterBefore(postProcess(socialFlowFilter), UsernamePasswordAuthenticationFilter.class);
			IdaasSocialFlowAuthenticationFilter finish = new IdaasSocialFlowAuthenticationFilter(bindUrl(settings),
					registerUrl(settings), mfaUrl(settings), authenticationManager, pendingFlows, devices,
					rateLimiter(http));
			// a bind or register that needs a second factor goes on to the second-factor page
			configureAuthenticationFilter(http, finish, success,
					branchHandler(http, settings, pendingFlows, flowFailure), sessionStrategy);
			http.addFilterBefore(postProcess(finish), UsernamePasswordAuthenticationFilter.class);
			addSocialFlowPages(http, settings);
		}
		addLoginPage(http, settings);

		IdaasLoginSettings.Apple apple = settings.apple();
		if (apple != null) {
			AppleAuthorizationStateCookieRepository states = new AppleAuthorizationStateCookieRepository(
					apple.callbackUrl());
			states.setTimeout(apple.stateTimeout());
			if (apple.stateSecret() != null) {
				states.setSecret(apple.stateSecret());
			}
			AppleAuthorizationRequestRedirectFilter redirect = new AppleAuthorizationRequestRedirectFilter(
					apple.authorizeUri(), apple.clientId(), states);
			redirect.setAuthorizationUrl(apple.authorizationUrl());
			redirect.setCallbackPath(apple.callbackUrl());
			redirect.setRedirectUri(apple.redirectUri());
			redirect.setScope(apple.scope());
			RequestCache requestCache = http.getSharedObject(RequestCache.class);
			if (requestCache != null) {
				redirect.setRequestCache(requestCache);
			}
			http.addFilterBefore(postProcess(redirect), UsernamePasswordAuthenticationFilter.class);
			AppleCallbackAuthenticationFilter callback = new AppleCallbackAuthenticationFilter(apple.callbackUrl(),
					authenticationManager, devices, states);
			callback.setCancelUrl(loginPage(settings));
			configureAuthenticationFilter(http, callback, success, failure, sessionStrategy);
			http.addFilterBefore(postProcess(callback), UsernamePasswordAuthenticationFilter.class);
		}
	}

	/**
	 * A default login page at the settings' login page, unless the application named its own
	 * with {@link #loginPage(String)} or maps that path: a chain whose entry point sends browsers
	 * to a page nobody serves would send them round in circles ({@code /login} → {@code /error}
	 * → {@code /login}). The page answers before authorization, so no rule has to permit it.
	 */
	private void addLoginPage(H http, IdaasLoginSettings settings) {
		if (this.loginPage != null) {
			return;
		}
		String page = settings.loginPage();
		int query = page.indexOf('?');
		if (ApplicationPages.serves(http.getSharedObject(ApplicationContext.class),
				(query >= 0) ? page.substring(0, query) : page)) {
			return;
		}
		IdaasLoginSettings.Apple apple = settings.apple();
		IdaasLoginPageGeneratingFilter filter = new IdaasLoginPageGeneratingFilter(page, processingUrl(settings),
				(apple != null) ? apple.authorizationUrl() : null, errorMessages(http));
		http.addFilterBefore(postProcess(filter), DefaultLoginPageGeneratingFilter.class);
	}

	/**
	 * The slider assets always (the application's own pages use them too); a default page for
	 * each flow URL the application does not map itself, after the flow endpoints have exposed
	 * the pending flow.
	 */
	private void addSocialFlowPages(H http, IdaasLoginSettings settings) {
		http.addFilterBefore(postProcess(new IdaasSocialFlowResourcesFilter()), DefaultLoginPageGeneratingFilter.class);
		Map<SocialFlowBranch, String> pages = new EnumMap<>(SocialFlowBranch.class);
		pages.put(SocialFlowBranch.SOCIAL_BIND, bindUrl(settings));
		pages.put(SocialFlowBranch.USER_REGISTER, registerUrl(settings));
		pages.put(SocialFlowBranch.MFA_AUTH, mfaUrl(settings));
		ApplicationContext context = http.getSharedObject(ApplicationContext.class);
		pages.values().removeIf((url) -> ApplicationPages.serves(context, url));
		if (!pages.isEmpty()) {
			IdaasSocialFlowPageGeneratingFilter filter = new IdaasSocialFlowPageGeneratingFilter(pages,
					loginPage(settings), errorMessages(http));
			http.addFilterBefore(postProcess(filter), DefaultLoginPageGeneratingFilter.class);
		}
	}

	private void configureAuthenticationFilter(H http, AbstractAuthenticationProcessingFilter filter,
			AuthenticationSuccessHandler success, AuthenticationFailureHandler failure,
			SessionAuthenticationStrategy sessionStrategy) {
		filter.setAuthenticationSuccessHandler(success);
		filter.setAuthenticationFailureHandler(failure);
		filter.setSessionAuthenticationStrategy(sessionStrategy);
		RememberMeServices rememberMe = http.getSharedObject(RememberMeServices.class);
		if (rememberMe != null) {
			filter.setRememberMeServices(rememberMe);
		}
		filter.setSecurityContextRepository(securityContextRepository(http));
		filter.setSecurityContextHolderStrategy(getSecurityContextHolderStrategy());
		ApplicationContext context = http.getSharedObject(ApplicationContext.class);
		if (context != null) {
			filter.setApplicationEventPublisher(context);
		}
	}

	/**
	 * The chain's context repository, or Spring Security's default when none is shared.
	 */
	static SecurityContextRepository securityContextRepository(HttpSecurityBuilder<?> http) {
		SecurityContextRepository repository = http.getSharedObject(SecurityContextRepository.class);
		return (repository != null) ? repository : new DelegatingSecurityContextRepository(
				new RequestAttributeSecurityContextRepository(), new HttpSessionSecurityContextRepository());
	}

	private AuthenticationSuccessHandler successHandler(H http, IdaasLoginSettings settings) {
		if (this.successHandler != null) {
			return this.successHandler;
		}
		return new IdaasAuthenticationSuccessHandler(
				(this.defaultSuccessUrl != null) ? this.defaultSuccessUrl : settings.defaultSuccessUrl());
	}

	/**
	 * The chain's session strategy (session id change), then the pending flow forgotten.
	 */
	private SessionAuthenticationStrategy sessionStrategy(H http, PendingSocialFlowRepository pendingFlows) {
		SessionAuthenticationStrategy shared = http.getSharedObject(SessionAuthenticationStrategy.class);
		SessionAuthenticationStrategy clearFlow = new PendingSocialFlowAuthenticationStrategy(pendingFlows);
		return (shared != null) ? new CompositeSessionAuthenticationStrategy(List.of(shared, clearFlow)) : clearFlow;
	}

	private AuthenticationFailureHandler loginFailureHandler(H http, IdaasLoginSettings settings) {
		return (this.failureHandler != null) ? this.failureHandler
				: new IdaasAuthenticationFailureHandler(
						(this.failureUrl != null) ? this.failureUrl : settings.failureUrl(), errorMessages(http));
	}

	private AuthenticationFailureHandler branchHandler(H http, IdaasLoginSettings settings,
			PendingSocialFlowRepository pendingFlows, AuthenticationFailureHandler failure) {
		if (this.branchHandler != null) {
			return this.branchHandler;
		}
		IdaasBranchRedirectHandler handler = new IdaasBranchRedirectHandler(bindUrl(settings), registerUrl(settings),
				mfaUrl(settings), failure);
		handler.setPendingFlowRepository(pendingFlows);
		handler.setDeviceContextResolver(deviceContextResolver(http));
		IdaasSocialFlowClient socialFlowClient = socialFlowClient(http);
		if (socialFlowClient != null) {
			handler.setSocialFlowClient(socialFlowClient);
		}
		return handler;
	}

	private IdTokenRefresher refresher(H http) {
		if (this.refresher == null) {
			IdTokenRefresher bean = getBeanOrNull(http, IdTokenRefresher.class);
			if (bean == null) {
				bean = new IdTokenRefresher(client(http), tokenFactory(http), deviceContextResolver(http));
				ApplicationContext context = http.getSharedObject(ApplicationContext.class);
				if (context != null) {
					bean.setApplicationEventPublisher(context);
				}
			}
			this.refresher = bean;
		}
		return this.refresher;
	}

	private LogoutHandler logoutHandler(H http, IdaasLoginSettings settings) {
		if (this.logoutHandler == null) {
			IdaasLogoutHandler bean = getBeanOrNull(http, IdaasLogoutHandler.class);
			if (bean == null) {
				bean = new IdaasLogoutHandler();
				IdaasUpstreamLogout upstreamLogout = getBeanOrNull(http, IdaasUpstreamLogout.class);
				if (upstreamLogout != null) {
					bean.setUpstreamLogout(upstreamLogout);
				}
				if (settings.apple() != null) {
					Cookie state = new Cookie(AppleAuthorizationStateCookieRepository.DEFAULT_COOKIE_NAME, "");
					state.setPath(settings.apple().callbackUrl());
					state.setSecure(true);
					bean.setCookiesToClear(List.of(state));
				}
			}
			this.logoutHandler = bean;
		}
		return this.logoutHandler;
	}

	private @Nullable IdaasSocialFlowService socialFlowService(H http, PendingSocialFlowRepository pendingFlows,
			DeviceContextResolver devices) {
		if (this.socialFlowService == null) {
			IdaasSocialFlowService bean = getBeanOrNull(http, IdaasSocialFlowService.class);
			IdaasSocialFlowClient socialFlowClient = (bean != null) ? null : socialFlowClient(http);
			this.socialFlowService = (bean != null) ? bean : (socialFlowClient != null)
					? new DefaultIdaasSocialFlowService(socialFlowClient, pendingFlows, devices, rateLimiter(http))
					: null;
		}
		return this.socialFlowService;
	}

	private @Nullable IdaasSocialFlowClient socialFlowClient(H http) {
		if (!this.socialFlowClientResolved) {
			this.socialFlowClient = getBeanOrNull(http, IdaasSocialFlowClient.class);
			this.socialFlowClientResolved = true;
		}
		return this.socialFlowClient;
	}

	private VerificationRateLimiter rateLimiter(H http) {
		if (this.rateLimiter == null) {
			VerificationRateLimiter bean = getBeanOrNull(http, VerificationRateLimiter.class);
			this.rateLimiter = (bean != null) ? bean : new InMemoryVerificationRateLimiter();
		}
		return this.rateLimiter;
	}

	private RequestMatcher socialFlowPosts(IdaasLoginSettings settings) {
		PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
		List<RequestMatcher> posts = new ArrayList<>();
		for (String url : List.of(bindUrl(settings), registerUrl(settings), mfaUrl(settings))) {
			posts.add(paths.matcher(HttpMethod.POST, url));
			posts.add(paths.matcher(HttpMethod.POST, url + IdaasSocialFlowFilter.CODE_PATH));
		}
		return new OrRequestMatcher(posts);
	}

	private String mfaUrl(IdaasLoginSettings settings) {
		return (this.mfaUrl != null) ? this.mfaUrl : settings.mfaUrl();
	}

	private String bindUrl(IdaasLoginSettings settings) {
		return (this.bindUrl != null) ? this.bindUrl : settings.bindUrl();
	}

	private String registerUrl(IdaasLoginSettings settings) {
		return (this.registerUrl != null) ? this.registerUrl : settings.registerUrl();
	}

	private String processingUrl(IdaasLoginSettings settings) {
		return (this.processingUrl != null) ? this.processingUrl : settings.processingUrl();
	}

	private String loginPage(IdaasLoginSettings settings) {
		return (this.loginPage != null) ? this.loginPage : settings.loginPage();
	}

	private IdaasLoginSettings settings(H http) {
		if (this.settings == null) {
			IdaasLoginSettings bean = getBeanOrNull(http, IdaasLoginSettings.class);
			this.settings = (bean != null) ? bean : IdaasLoginSettings.DEFAULTS;
		}
		return this.settings;
	}

	private IdaasClient client(H http) {
		if (this.client == null) {
			this.client = requiredBean(http, IdaasClient.class);
		}
		return this.client;
	}

	private IdaasAuthenticationTokenFactory tokenFactory(H http) {
		if (this.tokenFactory == null) {
			this.tokenFactory = requiredBean(http, IdaasAuthenticationTokenFactory.class);
		}
		return this.tokenFactory;
	}

	private IdaasErrorMessages errorMessages(H http) {
		if (this.errorMessages == null) {
			IdaasErrorMessages bean = getBeanOrNull(http, IdaasErrorMessages.class);
			this.errorMessages = (bean != null) ? bean : new IdaasErrorMessages();
		}
		return this.errorMessages;
	}

	private DeviceContextResolver deviceContextResolver(H http) {
		if (this.deviceContextResolver == null) {
			DeviceContextResolver bean = getBeanOrNull(http, DeviceContextResolver.class);
			this.deviceContextResolver = (bean != null) ? bean : new DefaultDeviceContextResolver();
		}
		return this.deviceContextResolver;
	}

	private PendingSocialFlowRepository pendingFlowRepository(H http) {
		if (this.pendingFlowRepository == null) {
			PendingSocialFlowRepository bean = getBeanOrNull(http, PendingSocialFlowRepository.class);
			this.pendingFlowRepository = (bean != null) ? bean : new HttpSessionPendingSocialFlowRepository();
		}
		return this.pendingFlowRepository;
	}

	private static <T> @Nullable T getBeanOrNull(HttpSecurityBuilder<?> http, Class<T> type) {
		ApplicationContext context = http.getSharedObject(ApplicationContext.class);
		return (context != null) ? context.getBeanProvider(type).getIfUnique() : null;
	}

	private static <T> T requiredBean(HttpSecurityBuilder<?> http, Class<T> type) {
		T bean = getBeanOrNull(http, type);
		Assert.state(bean != null, () -> "No " + type.getSimpleName()
				+ " configured: set one on IdaasLoginConfigurer or declare a bean (the idaas auto-configuration does)");
		return bean;
	}

}

package dev.idaas.spring.config;

import java.net.URI;
import java.time.Duration;
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
import dev.idaas.spring.web.IdaasLoginDefaults;
import dev.idaas.spring.web.session.DefaultIdaasSessionExpiredHandler;
import dev.idaas.spring.web.session.IdTokenRefreshFilter;
import dev.idaas.spring.web.session.IdaasSessionExpiredHandler;
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
import org.springframework.security.config.Customizer;
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
 *     .failureUrl("/login?error")
 *     .appleWebFlow((apple) -&gt; apple
 *         .clientId("com.example.web")
 *         .redirectUri(URI.create("https://app.example.com/login/idaas/apple/callback")))
 *     .socialFlows((flows) -&gt; flows.bindUrl("/account/bind")));
 * </pre>
 *
 * Options that belong together have a sub-configurer: {@link #appleWebFlow(Customizer)} (Apple's
 * authorize redirect and {@code form_post} callback), {@link #socialFlows(Customizer)} (the bind,
 * register and second-factor pages), {@link #refresh(Customizer)} (the id_token refresh before
 * authorization) and {@link #logout(Customizer)}. Every unset value is the one of
 * {@link IdaasLoginDefaults}. Every {@link IdaasLoginConfigurerCustomizer} bean is applied when
 * the configurer is added to a chain, before the chain's own customizer, so Spring Boot's
 * {@code idaas.*} properties reach every chain and each chain can still override them.
 * <p>
 * The login and Apple callback filters share the chain's {@link SessionAuthenticationStrategy}
 * (the session id changes at login) and {@link SecurityContextRepository}; JSON logins and
 * Apple's cross-site callback are exempt from CSRF tokens; unauthenticated browser requests
 * go to the login page and JSON requests get a {@code 401} JSON answer. The slider captcha
 * assets are served under {@code /idaas/assets/}, and each bind, register or second-factor URL
 * the application does not map itself gets the starter's default page
 * ({@link IdaasSocialFlowPageGeneratingFilter}). Collaborators are taken from the application
 * context unless set here.
 *
 * @param <H> the security builder
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public final class IdaasLoginConfigurer<H extends HttpSecurityBuilder<H>>
		extends AbstractHttpConfigurer<IdaasLoginConfigurer<H>, H> {

	private final AppleWebFlowConfig appleWebFlow = new AppleWebFlowConfig();

	private final SocialFlowsConfig socialFlows = new SocialFlowsConfig();

	private final RefreshConfig refresh = new RefreshConfig();

	private final LogoutConfig logout = new LogoutConfig();

	private boolean customizersApplied;

	private String processingUrl = IdaasLoginDefaults.PROCESSING_URL;

	private String loginPage = IdaasLoginDefaults.LOGIN_PAGE;

	private boolean customLoginPage;

	private String failureUrl = IdaasLoginDefaults.FAILURE_URL;

	private String defaultSuccessUrl = IdaasLoginDefaults.DEFAULT_SUCCESS_URL;

	private @Nullable AuthenticationSuccessHandler successHandler;

	private @Nullable AuthenticationFailureHandler failureHandler;

	private @Nullable DeviceContextResolver deviceContextResolver;

	private @Nullable IdaasClient client;

	private @Nullable IdaasAuthenticationTokenFactory tokenFactory;

	private @Nullable IdaasErrorMessages errorMessages;

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
	 * Applies the {@link IdaasLoginConfigurerCustomizer} beans, in order, as the configurer
	 * joins the chain: {@code http.with(configurer, customizer)} calls this before the chain's
	 * customizer, so what the chain sets wins over the beans. Configure the configurer in that
	 * customizer, not before {@code http.with}: the beans would override what was set earlier.
	 * @param http the security builder
	 * @since 0.1
	 */
	@Override
	public void setBuilder(H http) {
		super.setBuilder(http);
		if (this.customizersApplied) {
			return;
		}
		this.customizersApplied = true;
		ApplicationContext context = http.getSharedObject(ApplicationContext.class);
		if (context != null) {
			context.getBeanProvider(IdaasLoginConfigurerCustomizer.class)
				.orderedStream()
				.forEach((customizer) -> customizer.customize(this));
		}
	}

	/**
	 * Sets the path that accepts Apple codes ({@code POST}, JSON from native apps and pop-ups,
	 * or a form), default {@value IdaasLoginDefaults#PROCESSING_URL}.
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
	 * it: no default login page is generated, as with Spring Security's
	 * {@code formLogin().loginPage(..)}. See {@link #defaultLoginPage(String)} for a page the
	 * starter serves unless the application maps it.
	 * @param loginPage the path
	 * @return this configurer
	 */
	public IdaasLoginConfigurer<H> loginPage(String loginPage) {
		Assert.hasText(loginPage, "loginPage cannot be empty");
		this.loginPage = loginPage;
		this.customLoginPage = true;
		return this;
	}

	/**
	 * Sets the login page unauthenticated browsers are sent to (default
	 * {@value IdaasLoginDefaults#LOGIN_PAGE}), where a default "Sign in with Apple" page is
	 * generated unless the application maps that path itself ({@code idaas.login.login-page}
	 * sets this one).
	 * @param loginPage the path
	 * @return this configurer
	 * @since 0.1
	 */
	public IdaasLoginConfigurer<H> defaultLoginPage(String loginPage) {
		Assert.hasText(loginPage, "loginPage cannot be empty");
		this.loginPage = loginPage;
		this.customLoginPage = false;
		return this;
	}

	/**
	 * Sets where browsers go after a failed login, default
	 * {@value IdaasLoginDefaults#FAILURE_URL}.
	 * @param failureUrl a local path
	 * @return this configurer
	 */
	public IdaasLoginConfigurer<H> failureUrl(String failureUrl) {
		Assert.hasText(failureUrl, "failureUrl cannot be empty");
		this.failureUrl = failureUrl;
		return this;
	}

	/**
	 * Sets where browsers go after login when no request was saved, default
	 * {@value IdaasLoginDefaults#DEFAULT_SUCCESS_URL}.
	 * @param defaultSuccessUrl a local path
	 * @return this configurer
	 */
	public IdaasLoginConfigurer<H> defaultSuccessUrl(String defaultSuccessUrl) {
		Assert.hasText(defaultSuccessUrl, "defaultSuccessUrl cannot be empty");
		this.defaultSuccessUrl = defaultSuccessUrl;
		return this;
	}

	/**
	 * Sets the handler of successful logins (default: back to the saved request, else to the
	 * default success URL; JSON clients get the user as JSON).
	 * @param successHandler the handler
	 * @return this configurer
	 */
	public IdaasLoginConfigurer<H> successHandler(AuthenticationSuccessHandler successHandler) {
		Assert.notNull(successHandler, "successHandler cannot be null");
		this.successHandler = successHandler;
		return this;
	}

	/**
	 * Sets the handler of failed logins (not of bind/register branches, see
	 * {@link SocialFlowsConfig#branchHandler(AuthenticationFailureHandler)}).
	 * @param failureHandler the handler
	 * @return this configurer
	 */
	public IdaasLoginConfigurer<H> failureHandler(AuthenticationFailureHandler failureHandler) {
		Assert.notNull(failureHandler, "failureHandler cannot be null");
		this.failureHandler = failureHandler;
		return this;
	}

	/**
	 * Sets how device facts are resolved (default: the {@link DeviceContextResolver} bean, or a
	 * {@link DefaultDeviceContextResolver}).
	 * @param deviceContextResolver the resolver
	 * @return this configurer
	 */
	public IdaasLoginConfigurer<H> deviceContextResolver(DeviceContextResolver deviceContextResolver) {
		Assert.notNull(deviceContextResolver, "deviceContextResolver cannot be null");
		this.deviceContextResolver = deviceContextResolver;
		return this;
	}

	/**
	 * Sets the IDaaS client (default: the {@link IdaasClient} bean).
	 * @param client the client
	 * @return this configurer
	 */
	public IdaasLoginConfigurer<H> client(IdaasClient client) {
		Assert.notNull(client, "client cannot be null");
		this.client = client;
		return this;
	}

	/**
	 * Sets the factory that verifies id_tokens and builds the authentication (default: the
	 * {@link IdaasAuthenticationTokenFactory} bean).
	 * @param tokenFactory the factory
	 * @return this configurer
	 */
	public IdaasLoginConfigurer<H> tokenFactory(IdaasAuthenticationTokenFactory tokenFactory) {
		Assert.notNull(tokenFactory, "tokenFactory cannot be null");
		this.tokenFactory = tokenFactory;
		return this;
	}

	/**
	 * Configures Sign in with Apple on the web: the path that redirects to Apple and the path
	 * Apple posts back to. Off until a {@linkplain AppleWebFlowConfig#clientId(String) client id}
	 * is set; only posted codes are accepted then.
	 * @param appleWebFlowCustomizer the customizer of the {@link AppleWebFlowConfig}
	 * @return this configurer
	 * @since 0.1
	 */
	public IdaasLoginConfigurer<H> appleWebFlow(Customizer<AppleWebFlowConfig> appleWebFlowCustomizer) {
		Assert.notNull(appleWebFlowCustomizer, "appleWebFlowCustomizer cannot be null");
		appleWebFlowCustomizer.customize(this.appleWebFlow);
		return this;
	}

	/**
	 * Configures the second steps an IDaaS login can ask for: binding an existing account
	 * ({@code SOCIAL_BIND}), registering ({@code USER_REGISTER}) or a second factor
	 * ({@code MFA_AUTH}).
	 * @param socialFlowsCustomizer the customizer of the {@link SocialFlowsConfig}
	 * @return this configurer
	 * @since 0.1
	 */
	public IdaasLoginConfigurer<H> socialFlows(Customizer<SocialFlowsConfig> socialFlowsCustomizer) {
		Assert.notNull(socialFlowsCustomizer, "socialFlowsCustomizer cannot be null");
		socialFlowsCustomizer.customize(this.socialFlows);
		return this;
	}

	/**
	 * Configures the id_token refresh that runs before authorization on every request of the
	 * chain.
	 * @param refreshCustomizer the customizer of the {@link RefreshConfig}
	 * @return this configurer
	 * @since 0.1
	 */
	public IdaasLoginConfigurer<H> refresh(Customizer<RefreshConfig> refreshCustomizer) {
		Assert.notNull(refreshCustomizer, "refreshCustomizer cannot be null");
		refreshCustomizer.customize(this.refresh);
		return this;
	}

	/**
	 * Configures what the chain's sign-out ({@code http.logout(..)}) does for IDaaS.
	 * @param logoutCustomizer the customizer of the {@link LogoutConfig}
	 * @return this configurer
	 * @since 0.1
	 */
	public IdaasLoginConfigurer<H> logout(Customizer<LogoutConfig> logoutCustomizer) {
		Assert.notNull(logoutCustomizer, "logoutCustomizer cannot be null");
		logoutCustomizer.customize(this.logout);
		return this;
	}

	/**
	 * Sign in with Apple on the web: {@code GET authorizationUrl} redirects to Apple with a
	 * signed state cookie, Apple posts the code to {@code callbackUrl}.
	 *
	 * @since 0.1
	 * @see IdaasLoginConfigurer#appleWebFlow(Customizer)
	 */
	public final class AppleWebFlowConfig {

		private @Nullable String clientId;

		private URI authorizeUri = IdaasLoginDefaults.APPLE_AUTHORIZE_URI;

		private @Nullable URI redirectUri;

		private String scope = IdaasLoginDefaults.APPLE_SCOPE;

		private String authorizationUrl = IdaasLoginDefaults.APPLE_AUTHORIZATION_URL;

		private String callbackUrl = IdaasLoginDefaults.APPLE_CALLBACK_URL;

		private Duration stateTimeout = IdaasLoginDefaults.APPLE_STATE_TIMEOUT;

		private @Nullable String stateSecret;

		private AppleWebFlowConfig() {
		}

		/**
		 * Sets the Apple Services ID sent as {@code client_id} to Apple, which turns the web
		 * flow on.
		 * @param clientId the Services ID
		 * @return this config
		 * @since 0.1
		 */
		public AppleWebFlowConfig clientId(String clientId) {
			Assert.hasText(clientId, "clientId cannot be empty");
			this.clientId = clientId;
			return this;
		}

		/**
		 * Sets Apple's authorize endpoint (default
		 * {@code https://appleid.apple.com/auth/authorize}).
		 * @param authorizeUri the endpoint
		 * @return this config
		 * @since 0.1
		 */
		public AppleWebFlowConfig authorizeUri(URI authorizeUri) {
			Assert.notNull(authorizeUri, "authorizeUri cannot be null");
			this.authorizeUri = authorizeUri;
			return this;
		}

		/**
		 * Sets the redirect URI registered with Apple. Without one (local development only),
		 * it is derived from a request whose host is loopback and any other host is refused.
		 * @param redirectUri the registered redirect URI
		 * @return this config
		 * @since 0.1
		 */
		public AppleWebFlowConfig redirectUri(URI redirectUri) {
			Assert.notNull(redirectUri, "redirectUri cannot be null");
			this.redirectUri = redirectUri;
			return this;
		}

		/**
		 * Sets the scopes asked from Apple (default {@value IdaasLoginDefaults#APPLE_SCOPE}).
		 * @param scope space-separated scopes
		 * @return this config
		 * @since 0.1
		 */
		public AppleWebFlowConfig scope(String scope) {
			Assert.notNull(scope, "scope cannot be null");
			this.scope = scope;
			return this;
		}

		/**
		 * Sets the path that starts the flow by redirecting to Apple (default
		 * {@value IdaasLoginDefaults#APPLE_AUTHORIZATION_URL}).
		 * @param authorizationUrl the path
		 * @return this config
		 * @since 0.1
		 */
		public AppleWebFlowConfig authorizationUrl(String authorizationUrl) {
			Assert.hasText(authorizationUrl, "authorizationUrl cannot be empty");
			this.authorizationUrl = authorizationUrl;
			return this;
		}

		/**
		 * Sets the path Apple posts the code to (default
		 * {@value IdaasLoginDefaults#APPLE_CALLBACK_URL}).
		 * @param callbackUrl the path
		 * @return this config
		 * @since 0.1
		 */
		public AppleWebFlowConfig callbackUrl(String callbackUrl) {
			Assert.hasText(callbackUrl, "callbackUrl cannot be empty");
			this.callbackUrl = callbackUrl;
			return this;
		}

		/**
		 * Sets the lifetime of the state cookie that protects the callback (default 10
		 * minutes).
		 * @param stateTimeout the lifetime
		 * @return this config
		 * @since 0.1
		 */
		public AppleWebFlowConfig stateTimeout(Duration stateTimeout) {
			Assert.notNull(stateTimeout, "stateTimeout cannot be null");
			this.stateTimeout = stateTimeout;
			return this;
		}

		/**
		 * Sets the secret (at least 32 characters, the same on every node) that signs the state
		 * cookie; without one, each node signs with a random key.
		 * @param stateSecret the secret
		 * @return this config
		 * @since 0.1
		 */
		public AppleWebFlowConfig stateSecret(String stateSecret) {
			Assert.hasText(stateSecret, "stateSecret cannot be empty");
			this.stateSecret = stateSecret;
			return this;
		}

		private boolean enabled() {
			return this.clientId != null;
		}

	}

	/**
	 * The bind, register and second-factor flows that follow a login answered
	 * {@code SOCIAL_BIND}, {@code USER_REGISTER} or {@code MFA_AUTH}: each URL serves the page
	 * ({@code GET}), the finishing {@code POST}, {@code {url}/captcha} and {@code {url}/code}.
	 *
	 * @since 0.1
	 * @see IdaasLoginConfigurer#socialFlows(Customizer)
	 */
	public final class SocialFlowsConfig {

		private String bindUrl = IdaasLoginDefaults.BIND_URL;

		private String registerUrl = IdaasLoginDefaults.REGISTER_URL;

		private String mfaUrl = IdaasLoginDefaults.MFA_URL;

		private @Nullable AuthenticationFailureHandler branchHandler;

		private @Nullable PendingSocialFlowRepository pendingFlowRepository;

		private @Nullable IdaasSocialFlowService service;

		private @Nullable IdaasSocialFlowClient client;

		private boolean clientResolved;

		private @Nullable VerificationRateLimiter rateLimiter;

		private SocialFlowsConfig() {
		}

		/**
		 * Sets the page that finishes a bind flow (default
		 * {@value IdaasLoginDefaults#BIND_URL}).
		 * @param bindUrl the path
		 * @return this config
		 * @since 0.1
		 */
		public SocialFlowsConfig bindUrl(String bindUrl) {
			Assert.hasText(bindUrl, "bindUrl cannot be empty");
			this.bindUrl = bindUrl;
			return this;
		}

		/**
		 * Sets the page that finishes a register flow (default
		 * {@value IdaasLoginDefaults#REGISTER_URL}).
		 * @param registerUrl the path
		 * @return this config
		 * @since 0.1
		 */
		public SocialFlowsConfig registerUrl(String registerUrl) {
			Assert.hasText(registerUrl, "registerUrl cannot be empty");
			this.registerUrl = registerUrl;
			return this;
		}

		/**
		 * Sets the page that finishes a second-factor flow (default
		 * {@value IdaasLoginDefaults#MFA_URL}).
		 * @param mfaUrl the path
		 * @return this config
		 * @since 0.1
		 */
		public SocialFlowsConfig mfaUrl(String mfaUrl) {
			Assert.hasText(mfaUrl, "mfaUrl cannot be empty");
			this.mfaUrl = mfaUrl;
			return this;
		}

		/**
		 * Sets the handler that takes {@code SOCIAL_BIND}, {@code USER_REGISTER} and
		 * {@code MFA_AUTH} answers to their pages; it receives every login failure and must
		 * delegate the others (default {@link IdaasBranchRedirectHandler}).
		 * @param branchHandler the handler
		 * @return this config
		 * @since 0.1
		 */
		public SocialFlowsConfig branchHandler(AuthenticationFailureHandler branchHandler) {
			Assert.notNull(branchHandler, "branchHandler cannot be null");
			this.branchHandler = branchHandler;
			return this;
		}

		/**
		 * Sets where pending flows are kept (default: the {@link PendingSocialFlowRepository}
		 * bean, or an {@link HttpSessionPendingSocialFlowRepository}).
		 * @param pendingFlowRepository the repository
		 * @return this config
		 * @since 0.1
		 */
		public SocialFlowsConfig pendingFlowRepository(PendingSocialFlowRepository pendingFlowRepository) {
			Assert.notNull(pendingFlowRepository, "pendingFlowRepository cannot be null");
			this.pendingFlowRepository = pendingFlowRepository;
			return this;
		}

		/**
		 * Sets the service that answers the flow endpoints (default: the
		 * {@link IdaasSocialFlowService} bean, or a {@link DefaultIdaasSocialFlowService} when a
		 * flow client exists; without either, the flow endpoints are not added).
		 * @param service the service
		 * @return this config
		 * @since 0.1
		 */
		public SocialFlowsConfig service(IdaasSocialFlowService service) {
			Assert.notNull(service, "service cannot be null");
			this.service = service;
			return this;
		}

		/**
		 * Sets the client of the calls that follow a {@code state_token} (puzzles, codes, bind,
		 * register, second factor). Default: the {@link IdaasSocialFlowClient} bean; without
		 * one, the flow endpoints are not added.
		 * @param client the client
		 * @return this config
		 * @since 0.1
		 */
		public SocialFlowsConfig client(IdaasSocialFlowClient client) {
			Assert.notNull(client, "client cannot be null");
			this.client = client;
			this.clientResolved = true;
			return this;
		}

		/**
		 * Sets the limiter of verification code sends and checks (default: the
		 * {@link VerificationRateLimiter} bean, or an {@link InMemoryVerificationRateLimiter}).
		 * @param rateLimiter the limiter
		 * @return this config
		 * @since 0.1
		 */
		public SocialFlowsConfig rateLimiter(VerificationRateLimiter rateLimiter) {
			Assert.notNull(rateLimiter, "rateLimiter cannot be null");
			this.rateLimiter = rateLimiter;
			return this;
		}

		private List<String> urls() {
			return List.of(this.bindUrl, this.registerUrl, this.mfaUrl);
		}

	}

	/**
	 * The id_token refresh: an {@link IdTokenRefreshFilter} before authorization refreshes a
	 * session's id_token when it is due and signs the user out when IDaaS ends the session.
	 *
	 * @since 0.1
	 * @see IdaasLoginConfigurer#refresh(Customizer)
	 */
	public final class RefreshConfig {

		private @Nullable IdTokenRefresher refresher;

		private @Nullable IdaasSessionExpiredHandler sessionExpiredHandler;

		private RefreshConfig() {
		}

		/**
		 * Sets the service that refreshes id_tokens (default: the {@link IdTokenRefresher}
		 * bean, or one built from the client and token factory).
		 * @param refresher the refresher
		 * @return this config
		 * @since 0.1
		 */
		public RefreshConfig refresher(IdTokenRefresher refresher) {
			Assert.notNull(refresher, "refresher cannot be null");
			this.refresher = refresher;
			return this;
		}

		/**
		 * Sets what answers a request whose IDaaS session ended (default: a
		 * {@link DefaultIdaasSessionExpiredHandler} that sends browsers to the login page with
		 * {@code ?expired} and JSON clients a {@code 401}).
		 * @param sessionExpiredHandler the handler
		 * @return this config
		 * @since 0.1
		 */
		public RefreshConfig sessionExpiredHandler(IdaasSessionExpiredHandler sessionExpiredHandler) {
			Assert.notNull(sessionExpiredHandler, "sessionExpiredHandler cannot be null");
			this.sessionExpiredHandler = sessionExpiredHandler;
			return this;
		}

	}

	/**
	 * What the chain's sign-out does for IDaaS.
	 *
	 * @since 0.1
	 * @see IdaasLoginConfigurer#logout(Customizer)
	 */
	public final class LogoutConfig {

		private @Nullable LogoutHandler handler;

		private @Nullable URI upstreamRedirect;

		private LogoutConfig() {
		}

		/**
		 * Sets the handler added to the chain's logout (default: the {@link IdaasLogoutHandler}
		 * bean, or one that clears the Apple state cookie).
		 * @param handler the handler
		 * @return this config
		 * @since 0.1
		 */
		public LogoutConfig handler(LogoutHandler handler) {
			Assert.notNull(handler, "handler cannot be null");
			this.handler = handler;
			return this;
		}

		/**
		 * Sends browsers to IDaaS's logout endpoint after a sign-out, to end the IDaaS web
		 * session too: the chain's logout success handler is wrapped in an
		 * {@link IdaasUpstreamLogoutSuccessHandler}, so where it would redirect, the browser goes
		 * to {@code {upstreamLogoutUri}?redirect_url={that URL, absolute}} instead; JSON clients
		 * keep its answer ({@code idaas.logout.upstream.browser-redirect} sets this).
		 * @param upstreamLogoutUri IDaaS's browser logout endpoint, e.g.
		 * {@code https://example.idaas.cloud/api/v1/logout}
		 * @return this config
		 * @since 0.1
		 */
		public LogoutConfig upstreamRedirect(URI upstreamLogoutUri) {
			Assert.notNull(upstreamLogoutUri, "upstreamLogoutUri cannot be null");
			Assert.isTrue(upstreamLogoutUri.isAbsolute() && upstreamLogoutUri.getHost() != null,
					"upstreamLogoutUri must be an absolute URL");
			this.upstreamRedirect = upstreamLogoutUri;
			return this;
		}

	}

	@Override
	public void init(H http) {
		http.authenticationProvider(
				postProcess(new IdaasAppleAuthenticationProvider(client(http), tokenFactory(http))));
		IdaasSocialFlowClient socialFlowClient = socialFlowClient(http);
		if (socialFlowClient != null) {
			http.authenticationProvider(postProcess(
					new IdaasSocialFlowAuthenticationProvider(socialFlowClient, client(http), tokenFactory(http))));
		}
		RequestMatcher jsonLogin = new AndRequestMatcher(
				PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, this.processingUrl),
				JsonRequestMatcher::sendsJson);
		@SuppressWarnings("unchecked")
		CsrfConfigurer<H> csrf = http.getConfigurer(CsrfConfigurer.class);
		if (csrf != null) {
			csrf.ignoringRequestMatchers(jsonLogin);
			// JSON flow posts, like JSON logins: a cross-site page cannot send JSON without CORS
			csrf.ignoringRequestMatchers(new AndRequestMatcher(socialFlowPosts(), JsonRequestMatcher::sendsJson));
			if (this.appleWebFlow.enabled()) {
				csrf.ignoringRequestMatchers(PathPatternRequestMatcher.withDefaults()
					.matcher(HttpMethod.POST, this.appleWebFlow.callbackUrl));
			}
		}
		@SuppressWarnings("unchecked")
		LogoutConfigurer<H> logout = http.getConfigurer(LogoutConfigurer.class);
		if (logout != null) {
			logout.addLogoutHandler(logoutHandler(http));
			URI upstreamLogout = this.logout.upstreamRedirect;
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
					postProcess(new LoginUrlAuthenticationEntryPoint(this.loginPage)),
					new NegatedRequestMatcher(JsonRequestMatcher.INSTANCE));
		}
	}

	@Override
	public void configure(H http) {
		AuthenticationManager authenticationManager = http.getSharedObject(AuthenticationManager.class);
		DeviceContextResolver devices = deviceContextResolver(http);
		PendingSocialFlowRepository pendingFlows = pendingFlowRepository(http);
		AuthenticationSuccessHandler success = successHandler();
		AuthenticationFailureHandler failure = branchHandler(http, pendingFlows, loginFailureHandler(http));
		SessionAuthenticationStrategy sessionStrategy = sessionStrategy(http, pendingFlows);

		IdaasLoginAuthenticationFilter login = new IdaasLoginAuthenticationFilter(this.processingUrl,
				authenticationManager, devices);
		configureAuthenticationFilter(http, login, success, failure, sessionStrategy);
		http.addFilterBefore(postProcess(login), UsernamePasswordAuthenticationFilter.class);

		IdTokenRefreshFilter refreshFilter = new IdTokenRefreshFilter(refresher(http));
		refreshFilter.setErrorMessages(errorMessages(http));
		refreshFilter.setSessionExpiredHandler(sessionExpiredHandler(http));
		refreshFilter.setSecurityContextHolderStrategy(getSecurityContextHolderStrategy());
		http.addFilterBefore(postProcess(refreshFilter), AnonymousAuthenticationFilter.class);

		SocialFlowsConfig flows = this.socialFlows;
		IdaasSocialFlowService socialFlows = socialFlowService(http, pendingFlows, devices);
		if (socialFlows != null && socialFlowClient(http) != null) {
			IdaasSocialFlowFailureHandler flowFailure = new IdaasSocialFlowFailureHandler(flows.urls(),
					errorMessages(http));
			IdaasSocialFlowFilter socialFlowFilter = new IdaasSocialFlowFilter(flows.bindUrl, flows.registerUrl,
					flows.mfaUrl, socialFlows, errorMessages(http));
			socialFlowFilter.setAuthenticationFailureHandler(flowFailure);
			http.addFilterBefore(postProcess(socialFlowFilter), UsernamePasswordAuthenticationFilter.class);
			IdaasSocialFlowAuthenticationFilter finish = new IdaasSocialFlowAuthenticationFilter(flows.bindUrl,
					flows.registerUrl, flows.mfaUrl, authenticationManager, pendingFlows, devices, rateLimiter(http));
			// a bind or register that needs a second factor goes on to the second-factor page
			configureAuthenticationFilter(http, finish, success, branchHandler(http, pendingFlows, flowFailure),
					sessionStrategy);
			http.addFilterBefore(postProcess(finish), UsernamePasswordAuthenticationFilter.class);
			addSocialFlowPages(http);
		}
		addLoginPage(http);

		AppleWebFlowConfig apple = this.appleWebFlow;
		if (apple.enabled()) {
			AppleAuthorizationStateCookieRepository states = new AppleAuthorizationStateCookieRepository(
					apple.callbackUrl);
			states.setTimeout(apple.stateTimeout);
			if (apple.stateSecret != null) {
				states.setSecret(apple.stateSecret);
			}
			AppleAuthorizationRequestRedirectFilter redirect = new AppleAuthorizationRequestRedirectFilter(
					apple.authorizeUri, apple.clientId, states);
			redirect.setAuthorizationUrl(apple.authorizationUrl);
			redirect.setCallbackPath(apple.callbackUrl);
			redirect.setRedirectUri(apple.redirectUri);
			redirect.setScope(apple.scope);
			// the callback presents the fingerprint resolved here, so both use one resolver
			redirect.setDeviceContextResolver(devices);
			RequestCache requestCache = http.getSharedObject(RequestCache.class);
			if (requestCache != null) {
				redirect.setRequestCache(requestCache);
			}
			http.addFilterBefore(postProcess(redirect), UsernamePasswordAuthenticationFilter.class);
			AppleCallbackAuthenticationFilter callback = new AppleCallbackAuthenticationFilter(apple.callbackUrl,
					authenticationManager, devices, states);
			callback.setCancelUrl(this.loginPage);
			configureAuthenticationFilter(http, callback, success, failure, sessionStrategy);
			http.addFilterBefore(postProcess(callback), UsernamePasswordAuthenticationFilter.class);
		}
	}

	/**
	 * A default login page at the login page, unless the application named its own
	 * with {@link #loginPage(String)} or maps that path: a chain whose entry point sends browsers
	 * to a page nobody serves would send them round in circles ({@code /login} → {@code /error}
	 * → {@code /login}). The page answers before authorization, so no rule has to permit it.
	 */
	private void addLoginPage(H http) {
		if (this.customLoginPage) {
			return;
		}
		String page = this.loginPage;
		int query = page.indexOf('?');
		if (ApplicationPages.serves(http.getSharedObject(ApplicationContext.class),
				(query >= 0) ? page.substring(0, query) : page)) {
			return;
		}
		IdaasLoginPageGeneratingFilter filter = new IdaasLoginPageGeneratingFilter(page, this.processingUrl,
				this.appleWebFlow.enabled() ? this.appleWebFlow.authorizationUrl : null, errorMessages(http));
		http.addFilterBefore(postProcess(filter), DefaultLoginPageGeneratingFilter.class);
	}

	/**
	 * The slider assets always (the application's own pages use them too); a default page for
	 * each flow URL the application does not map itself, after the flow endpoints have exposed
	 * the pending flow.
	 */
	private void addSocialFlowPages(H http) {
		http.addFilterBefore(postProcess(new IdaasSocialFlowResourcesFilter()), DefaultLoginPageGeneratingFilter.class);
		Map<SocialFlowBranch, String> pages = new EnumMap<>(SocialFlowBranch.class);
		pages.put(SocialFlowBranch.SOCIAL_BIND, this.socialFlows.bindUrl);
		pages.put(SocialFlowBranch.USER_REGISTER, this.socialFlows.registerUrl);
		pages.put(SocialFlowBranch.MFA_AUTH, this.socialFlows.mfaUrl);
		ApplicationContext context = http.getSharedObject(ApplicationContext.class);
		pages.values().removeIf((url) -> ApplicationPages.serves(context, url));
		if (!pages.isEmpty()) {
			IdaasSocialFlowPageGeneratingFilter filter = new IdaasSocialFlowPageGeneratingFilter(pages,
					this.loginPage, errorMessages(http));
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

	private AuthenticationSuccessHandler successHandler() {
		return (this.successHandler != null) ? this.successHandler
				: new IdaasAuthenticationSuccessHandler(this.defaultSuccessUrl);
	}

	/**
	 * The chain's session strategy (session id change), then the pending flow forgotten.
	 */
	private SessionAuthenticationStrategy sessionStrategy(H http, PendingSocialFlowRepository pendingFlows) {
		SessionAuthenticationStrategy shared = http.getSharedObject(SessionAuthenticationStrategy.class);
		SessionAuthenticationStrategy clearFlow = new PendingSocialFlowAuthenticationStrategy(pendingFlows);
		return (shared != null) ? new CompositeSessionAuthenticationStrategy(List.of(shared, clearFlow)) : clearFlow;
	}

	private AuthenticationFailureHandler loginFailureHandler(H http) {
		return (this.failureHandler != null) ? this.failureHandler
				: new IdaasAuthenticationFailureHandler(this.failureUrl, errorMessages(http));
	}

	private AuthenticationFailureHandler branchHandler(H http, PendingSocialFlowRepository pendingFlows,
			AuthenticationFailureHandler failure) {
		if (this.socialFlows.branchHandler != null) {
			return this.socialFlows.branchHandler;
		}
		IdaasBranchRedirectHandler handler = new IdaasBranchRedirectHandler(this.socialFlows.bindUrl,
				this.socialFlows.registerUrl, this.socialFlows.mfaUrl, failure);
		handler.setPendingFlowRepository(pendingFlows);
		handler.setDeviceContextResolver(deviceContextResolver(http));
		IdaasSocialFlowClient socialFlowClient = socialFlowClient(http);
		if (socialFlowClient != null) {
			handler.setSocialFlowClient(socialFlowClient);
		}
		return handler;
	}

	private IdTokenRefresher refresher(H http) {
		if (this.refresh.refresher == null) {
			IdTokenRefresher bean = getBeanOrNull(http, IdTokenRefresher.class);
			if (bean == null) {
				bean = new IdTokenRefresher(client(http), tokenFactory(http), deviceContextResolver(http));
				ApplicationContext context = http.getSharedObject(ApplicationContext.class);
				if (context != null) {
					bean.setApplicationEventPublisher(context);
				}
			}
			this.refresh.refresher = bean;
		}
		return this.refresh.refresher;
	}

	/**
	 * Browsers go to the chain's own login page, not to a fixed {@code /login}, when IDaaS
	 * ends the session.
	 */
	private IdaasSessionExpiredHandler sessionExpiredHandler(H http) {
		if (this.refresh.sessionExpiredHandler == null) {
			DefaultIdaasSessionExpiredHandler handler = new DefaultIdaasSessionExpiredHandler();
			handler.setExpiredUrl(withParameter(this.loginPage, "expired"));
			handler.setErrorMessages(errorMessages(http));
			this.refresh.sessionExpiredHandler = handler;
		}
		return this.refresh.sessionExpiredHandler;
	}

	private static String withParameter(String path, String parameter) {
		return path + ((path.indexOf('?') >= 0) ? "&" : "?") + parameter;
	}

	private LogoutHandler logoutHandler(H http) {
		if (this.logout.handler == null) {
			IdaasLogoutHandler bean = getBeanOrNull(http, IdaasLogoutHandler.class);
			if (bean == null) {
				bean = new IdaasLogoutHandler();
				IdaasUpstreamLogout upstreamLogout = getBeanOrNull(http, IdaasUpstreamLogout.class);
				if (upstreamLogout != null) {
					bean.setUpstreamLogout(upstreamLogout);
				}
				if (this.appleWebFlow.enabled()) {
					Cookie state = new Cookie(AppleAuthorizationStateCookieRepository.DEFAULT_COOKIE_NAME, "");
					state.setPath(this.appleWebFlow.callbackUrl);
					state.setSecure(true);
					bean.setCookiesToClear(List.of(state));
				}
			}
			this.logout.handler = bean;
		}
		return this.logout.handler;
	}

	private @Nullable IdaasSocialFlowService socialFlowService(H http, PendingSocialFlowRepository pendingFlows,
			DeviceContextResolver devices) {
		if (this.socialFlows.service == null) {
			IdaasSocialFlowService bean = getBeanOrNull(http, IdaasSocialFlowService.class);
			IdaasSocialFlowClient socialFlowClient = (bean != null) ? null : socialFlowClient(http);
			this.socialFlows.service = (bean != null) ? bean : (socialFlowClient != null)
					? new DefaultIdaasSocialFlowService(socialFlowClient, pendingFlows, devices, rateLimiter(http))
					: null;
		}
		return this.socialFlows.service;
	}

	private @Nullable IdaasSocialFlowClient socialFlowClient(H http) {
		if (!this.socialFlows.clientResolved) {
			this.socialFlows.client = getBeanOrNull(http, IdaasSocialFlowClient.class);
			this.socialFlows.clientResolved = true;
		}
		return this.socialFlows.client;
	}

	private VerificationRateLimiter rateLimiter(H http) {
		if (this.socialFlows.rateLimiter == null) {
			VerificationRateLimiter bean = getBeanOrNull(http, VerificationRateLimiter.class);
			this.socialFlows.rateLimiter = (bean != null) ? bean : new InMemoryVerificationRateLimiter();
		}
		return this.socialFlows.rateLimiter;
	}

	private RequestMatcher socialFlowPosts() {
		PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
		List<RequestMatcher> posts = new ArrayList<>();
		for (String url : this.socialFlows.urls()) {
			posts.add(paths.matcher(HttpMethod.POST, url));
			posts.add(paths.matcher(HttpMethod.POST, url + IdaasSocialFlowFilter.CODE_PATH));
		}
		return new OrRequestMatcher(posts);
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
		if (this.socialFlows.pendingFlowRepository == null) {
			PendingSocialFlowRepository bean = getBeanOrNull(http, PendingSocialFlowRepository.class);
			this.socialFlows.pendingFlowRepository = (bean != null) ? bean : new HttpSessionPendingSocialFlowRepository();
		}
		return this.socialFlows.pendingFlowRepository;
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

package dev.idaas.spring.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import jakarta.servlet.http.Cookie;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.idaas.spring.authentication.IdaasAuthenticationTokenFactory;
import dev.idaas.spring.client.IdaasClient;
import dev.idaas.spring.client.IdaasErrorMessages;
import dev.idaas.spring.client.IdaasLogoutClient;
import dev.idaas.spring.client.IdaasSocialFlowClient;
import dev.idaas.spring.config.IdaasLoginConfigurer;
import dev.idaas.spring.config.IdaasLoginConfigurerCustomizer;
import dev.idaas.spring.config.IdaasLoginSettings;
import dev.idaas.spring.web.apple.AppleAuthorizationStateCookieRepository;
import dev.idaas.spring.web.DefaultDeviceContextResolver;
import dev.idaas.spring.web.flow.DefaultIdaasSocialFlowService;
import dev.idaas.spring.web.DeviceContextResolver;
import dev.idaas.spring.web.flow.HttpSessionPendingSocialFlowRepository;
import dev.idaas.spring.web.session.IdTokenRefreshLock;
import dev.idaas.spring.web.session.IdTokenRefresher;
import dev.idaas.spring.web.session.IdaasBearerTokenInterceptor;
import dev.idaas.spring.web.session.IdaasLogoutHandler;
import dev.idaas.spring.web.session.IdaasSessionTokenUpstreamLogout;
import dev.idaas.spring.web.session.IdaasUpstreamLogout;
import dev.idaas.spring.web.session.InMemoryIdTokenRefreshLock;
import dev.idaas.spring.web.flow.IdaasSocialFlowFilter;
import dev.idaas.spring.web.flow.IdaasSocialFlowService;
import dev.idaas.spring.web.flow.PendingSocialFlowRepository;
import dev.idaas.spring.web.flow.InMemoryVerificationRateLimiter;
import dev.idaas.spring.web.flow.VerificationRateLimiter;
import dev.idaas.spring.web.flow.page.IdaasSocialFlowResourcesFilter;
import dev.idaas.spring.web.session.RedisIdTokenRefreshLock;
import dev.idaas.spring.web.session.RefreshFailureBackoff;
import dev.idaas.spring.web.session.SpringSessionSecurityContextRepository;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.security.autoconfigure.web.servlet.ConditionalOnDefaultServletWebSecurity;
import org.springframework.boot.security.autoconfigure.web.servlet.PathRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.util.StringUtils;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Auto-configuration of IDaaS login for servlet web applications: the device facts resolver,
 * the pending-flow store, the {@link IdaasLoginConfigurerCustomizer} that applies the
 * {@code idaas.*} settings to every {@link IdaasLoginConfigurer} and, when the
 * application declares no {@link SecurityFilterChain} of its own, a default chain that
 * requires sign-in everywhere but the login endpoints, static resources and errors.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
@AutoConfiguration(after = IdaasAutoConfiguration.class,
		afterName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
				"org.springframework.boot.session.autoconfigure.SessionAutoConfiguration",
				"org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration" },
		beforeName = "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(SecurityFilterChain.class)
@ConditionalOnBean(IdaasAutoConfiguration.class)
public final class IdaasWebSecurityAutoConfiguration {

	private static final Log logger = LogFactory.getLog(IdaasWebSecurityAutoConfiguration.class);

	/**
	 * The refresher's {@link SpringSessionSecurityContextRepository}: not a default candidate,
	 * so nothing else injects it as "the" {@link SecurityContextRepository}.
	 */
	static final String SPRING_SESSION_CONTEXT_REPOSITORY = "idaasSpringSessionSecurityContextRepository";

	/**
	 * IDaaS's browser logout endpoint, relative to the tenant base URL.
	 */
	static final String BROWSER_LOGOUT_PATH = "/api/v1/logout";


	private final IdaasProperties properties;

	IdaasWebSecurityAutoConfiguration(IdaasProperties properties) {
		this.properties = properties;
	}

	@Bean
	@ConditionalOnMissingBean
	DeviceContextResolver idaasDeviceContextResolver() {
		IdaasProperties.Device device = this.properties.getDevice();
		DefaultDeviceContextResolver resolver = new DefaultDeviceContextResolver();
		resolver.setCookieName(device.getFingerprintCookieName());
		resolver.setCookieMaxAge(device.getFingerprintCookieMaxAge());
		resolver.setFingerprintHeader(device.getFingerprintHeader());
		resolver.setOsVersionHeader(device.getOsVersionHeader());
		return resolver;
	}

	@Bean
	@ConditionalOnMissingBean
	PendingSocialFlowRepository idaasPendingSocialFlowRepository() {
		HttpSessionPendingSocialFlowRepository repository = new HttpSessionPendingSocialFlowRepository();
		repository.setTimeout(this.properties.getLogin().getPendingFlowTimeout());
		return repository;
	}

	@Bean
	@ConditionalOnMissingBean
	IdaasSocialFlowService idaasSocialFlowService(IdaasSocialFlowClient socialFlowClient,
			PendingSocialFlowRepository pendingFlowRepository, DeviceContextResolver deviceContextResolver,
			ObjectProvider<VerificationRateLimiter> rateLimiter) {
		DefaultIdaasSocialFlowService service = new DefaultIdaasSocialFlowService(socialFlowClient,
				pendingFlowRepository, deviceContextResolver,
				rateLimiter.getIfAvailable(InMemoryVerificationRateLimiter::new));
		IdaasProperties.Login login = this.properties.getLogin();
		service.setPendingFlowTimeout(login.getPendingFlowTimeout());
		service.setCodeResendInterval(login.getCodeResendInterval());
		return service;
	}

	@Bean
	@ConditionalOnMissingBean
	IdaasLoginSettings idaasLoginSettings() {
		IdaasProperties.Login login = this.properties.getLogin();
		IdaasProperties.Apple apple = this.properties.getApple();
		IdaasLoginSettings.Apple appleSettings = StringUtils.hasText(apple.getClientId())
				? new IdaasLoginSettings.Apple(apple.getClientId(), apple.getAuthorizeUri(), apple.getRedirectUri(),
						apple.getScope(), apple.getAuthorizationUrl(), apple.getCallbackUrl(), apple.getStateTimeout(),
						apple.getStateSecret())
				: null;
		if (appleSettings == null) {
			logger.info("Sign in with Apple on the web is off: idaas.apple.client-id is not set. Only Apple codes "
					+ "posted to " + login.getProcessingUrl() + " (native apps, pop-ups) are accepted.");
		}
		URI upstreamLogoutUri = (this.properties.getLogout().getUpstream().isBrowserRedirect()
				&& this.properties.getBaseUrl() != null)
				? UriComponentsBuilder.fromUri(this.properties.getBaseUrl()).path(BROWSER_LOGOUT_PATH).build().toUri()
				: null;
		return new IdaasLoginSettings(login.getProcessingUrl(), login.getLoginPage(), login.getFailureUrl(),
				login.getDefaultSuccessUrl(), login.getBindUrl(), login.getRegisterUrl(), login.getMfaUrl(),
				appleSettings, upstreamLogoutUri);
	}

	/**
	 * Gives every {@link IdaasLoginConfigurer} the {@code idaas.*} settings. Conditional on its
	 * name, not its type: the application's customizers add to it (and run after it); replace
	 * the {@link IdaasLoginSettings} bean to change what it applies.
	 */
	@Bean
	@ConditionalOnMissingBean(name = "idaasLoginConfigurerCustomizer")
	IdaasLoginConfigurerCustomizer idaasLoginConfigurerCustomizer(IdaasLoginSettings settings) {
		return new IdaasLoginSettingsCustomizer(settings);
	}

	@Bean
	@ConditionalOnMissingBean
	IdTokenRefreshLock idaasIdTokenRefreshLock() {
		return new InMemoryIdTokenRefreshLock();
	}

	@Bean
	@ConditionalOnMissingBean
	IdTokenRefresher idaasIdTokenRefresher(IdaasClient client, IdaasAuthenticationTokenFactory tokenFactory,
			DeviceContextResolver deviceContextResolver, IdTokenRefreshLock refreshLock,
			ApplicationEventPublisher eventPublisher,
			@Qualifier(SPRING_SESSION_CONTEXT_REPOSITORY) ObjectProvider<SecurityContextRepository> sessionContextRepository) {
		IdTokenRefresher refresher = new IdTokenRefresher(client, tokenFactory, deviceContextResolver);
		refresher.setRefreshLock(refreshLock);
		sessionContextRepository.ifAvailable((repository) -> {
			refresher.setSecurityContextRepository(repository);
			// Without the cluster lock, two nodes may refresh together; let the loser find the rotated token
			refresher.setRotatedSessionTokenWait(this.properties.getSession().getRotatedTokenWait());
		});
		refresher.setApplicationEventPublisher(eventPublisher);
		refresher.setRefreshAhead(this.properties.getIdToken().getRefreshAhead());
		IdaasProperties.IdToken idToken = this.properties.getIdToken();
		refresher.setRefreshFailureBackoff(new RefreshFailureBackoff(idToken.getRefreshFailureBackoff(),
				idToken.getRefreshFailureBackoffMax(), idToken.getRefreshFailureProbeInterval(),
				RefreshFailureBackoff.DEFAULT_MAX_ENTRIES, new Random()));
		refresher.setAbsoluteTimeout(this.properties.getSession().getAbsoluteTimeout());
		refresher.setWaitTimeout(this.properties.getHttp().getReadTimeout());
		return refresher;
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(IdaasLogoutClient.class)
	IdaasUpstreamLogout idaasUpstreamLogout(IdaasLogoutClient logoutClient,
			DeviceContextResolver deviceContextResolver) {
		return new IdaasSessionTokenUpstreamLogout(logoutClient, deviceContextResolver);
	}

	@Bean
	@ConditionalOnMissingBean
	IdaasLogoutHandler idaasLogoutHandler(IdaasLoginSettings settings, ApplicationEventPublisher eventPublisher,
			ObjectProvider<IdaasUpstreamLogout> upstreamLogout) {
		IdaasLogoutHandler handler = new IdaasLogoutHandler();
		handler.setApplicationEventPublisher(eventPublisher);
		upstreamLogout.ifUnique(handler::setUpstreamLogout);
		if (settings.apple() != null) {
			Cookie state = new Cookie(AppleAuthorizationStateCookieRepository.DEFAULT_COOKIE_NAME, "");
			state.setPath(settings.apple().callbackUrl());
			state.setSecure(true);
			handler.setCookiesToClear(List.of(state));
		}
		return handler;
	}

	@Bean
	@ConditionalOnMissingBean
	@Conditional(OnBearerTokenOriginsCondition.class)
	IdaasBearerTokenInterceptor idaasBearerTokenInterceptor(IdTokenRefresher refresher) {
		return new IdaasBearerTokenInterceptor(refresher, this.properties.getBearerToken().getAllowedOrigins());
	}

	/**
	 * A refresh lock shared by every node through Redis, when the application uses Spring Data
	 * Redis (e.g. for Spring Session) and {@code idaas.session.cluster-lock} is on.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(StringRedisTemplate.class)
	@ConditionalOnBean(StringRedisTemplate.class)
	@ConditionalOnBooleanProperty(name = "idaas.session.cluster-lock", matchIfMissing = true)
	static class IdaasRedisRefreshLockConfiguration {

		@Bean
		@ConditionalOnMissingBean
		IdTokenRefreshLock idaasRedisIdTokenRefreshLock(StringRedisTemplate redisTemplate, IdaasProperties properties) {
			RedisIdTokenRefreshLock lock = new RedisIdTokenRefreshLock(redisTemplate);
			lock.setLockTimeout(properties.getSession().getClusterLockTimeout());
			return lock;
		}

	}

	/**
	 * With Spring Session, the refresher re-reads and writes the security context in the shared
	 * {@link SessionRepository}, not in the request's copy of the session, so a refresh stored
	 * by another node is seen under the refresh lock.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SessionRepository.class)
	@ConditionalOnBean(SessionRepository.class)
	static class IdaasSpringSessionRefreshConfiguration {

		@Bean(name = SPRING_SESSION_CONTEXT_REPOSITORY, defaultCandidate = false)
		@ConditionalOnMissingBean(name = SPRING_SESSION_CONTEXT_REPOSITORY)
		SecurityContextRepository idaasSpringSessionSecurityContextRepository(
				SessionRepository<? extends Session> sessionRepository) {
			return new SpringSessionSecurityContextRepository(sessionRepository);
		}

	}

	/**
	 * The default filter chain, only when the application has none.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnDefaultServletWebSecurity
	static class IdaasDefaultSecurityFilterChainConfiguration {

		@Bean
		SecurityFilterChain idaasSecurityFilterChain(HttpSecurity http, IdaasLoginSettings settings,
				IdaasErrorMessages errorMessages) {
			http.authorizeHttpRequests((requests) -> {
				requests.requestMatchers(PathRequest.toStaticResources().atCommonLocations()).permitAll();
				requests.requestMatchers("/error", settings.loginPage(), settings.processingUrl(), settings.bindUrl(),
						settings.registerUrl(), settings.mfaUrl())
					.permitAll();
				for (String flowUrl : List.of(settings.bindUrl(), settings.registerUrl(), settings.mfaUrl())) {
					requests.requestMatchers(flowUrl + IdaasSocialFlowFilter.CODE_PATH,
							flowUrl + IdaasSocialFlowFilter.CAPTCHA_PATH)
						.permitAll();
				}
				requests.requestMatchers(IdaasSocialFlowResourcesFilter.ASSETS_PATH + "/**").permitAll();
				if (settings.apple() != null) {
					requests.requestMatchers(settings.apple().authorizationUrl(), settings.apple().callbackUrl())
						.permitAll();
				}
				requests.anyRequest().authenticated();
			});
			// the idaas.* settings come from the IdaasLoginConfigurerCustomizer beans
			http.with(IdaasLoginConfigurer.idaasLogin(), Customizer.withDefaults());
			http.logout((logout) -> logout.logoutSuccessUrl(withParameter(settings.loginPage(), "logout")));
			return http.build();
		}

		private static String withParameter(String path, String parameter) {
			return path + ((path.indexOf('?') >= 0) ? "&" : "?") + parameter;
		}

	}

}

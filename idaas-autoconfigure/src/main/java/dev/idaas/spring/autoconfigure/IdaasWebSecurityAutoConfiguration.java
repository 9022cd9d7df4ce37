package dev.idaas.spring.autoconfigure;

import java.util.List;
import java.util.Map;

import jakarta.servlet.http.Cookie;

import dev.idaas.spring.authentication.IdaasAuthenticationTokenFactory;
import dev.idaas.spring.client.IdaasClient;
import dev.idaas.spring.client.IdaasErrorMessages;
import dev.idaas.spring.client.IdaasSocialFlowClient;
import dev.idaas.spring.config.IdaasLoginConfigurer;
import dev.idaas.spring.config.IdaasLoginSettings;
import dev.idaas.spring.web.AppleAuthorizationStateCookieRepository;
import dev.idaas.spring.web.DefaultDeviceContextResolver;
import dev.idaas.spring.web.DefaultIdaasSocialFlowService;
import dev.idaas.spring.web.DeviceContextResolver;
import dev.idaas.spring.web.HttpSessionPendingSocialFlowRepository;
import dev.idaas.spring.web.IdTokenRefreshLock;
import dev.idaas.spring.web.IdTokenRefresher;
import dev.idaas.spring.web.IdaasBearerTokenInterceptor;
import dev.idaas.spring.web.IdaasLogoutHandler;
import dev.idaas.spring.web.InMemoryIdTokenRefreshLock;
import dev.idaas.spring.web.IdaasLoginPageGeneratingFilter;
import dev.idaas.spring.web.IdaasSocialFlowFilter;
import dev.idaas.spring.web.IdaasSocialFlowService;
import dev.idaas.spring.web.PendingSocialFlowRepository;
import dev.idaas.spring.web.RedisIdTokenRefreshLock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.security.autoconfigure.web.servlet.ConditionalOnDefaultWebSecurity;
import org.springframework.boot.security.autoconfigure.web.servlet.PathRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.ui.DefaultLoginPageGeneratingFilter;
import org.springframework.util.StringUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Auto-configuration of IDaaS login for servlet web applications: the device facts resolver,
 * the pending-flow store, the settings of {@link IdaasLoginConfigurer} and, when the
 * application declares no {@link SecurityFilterChain} of its own, a default chain that
 * requires sign-in everywhere but the login endpoints, static resources and errors.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
@AutoConfiguration(after = IdaasAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
		beforeName = "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(SecurityFilterChain.class)
@ConditionalOnBean(IdaasAutoConfiguration.class)
public final class IdaasWebSecurityAutoConfiguration {

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
	IdaasSocialFlowService idaasSocialFlowService(IdaasSocialFlowClient socialFlowClient, IdaasClient client,
			IdaasAuthenticationTokenFactory tokenFactory, PendingSocialFlowRepository pendingFlowRepository,
			DeviceContextResolver deviceContextResolver) {
		DefaultIdaasSocialFlowService service = new DefaultIdaasSocialFlowService(socialFlowClient, client,
				tokenFactory, pendingFlowRepository, deviceContextResolver);
		service.setPendingFlowTimeout(this.properties.getLogin().getPendingFlowTimeout());
		return service;
	}

	@Bean
	@ConditionalOnMissingBean
	IdaasLoginSettings idaasLoginSettings() {
		IdaasProperties.Login login = this.properties.getLogin();
		IdaasProperties.Apple apple = this.properties.getApple();
		IdaasLoginSettings.Apple appleSettings = StringUtils.hasText(apple.getClientId())
				? new IdaasLoginSettings.Apple(apple.getClientId(), apple.getAuthorizeUri(), apple.getRedirectUri(),
						apple.getScope(), apple.getAuthorizationUrl(), apple.getCallbackUrl(), apple.getStateTimeout())
				: null;
		return new IdaasLoginSettings(login.getProcessingUrl(), login.getLoginPage(), login.getFailureUrl(),
				login.getDefaultSuccessUrl(), login.getBindUrl(), login.getRegisterUrl(), appleSettings);
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
			ApplicationEventPublisher eventPublisher) {
		IdTokenRefresher refresher = new IdTokenRefresher(client, tokenFactory, deviceContextResolver);
		refresher.setRefreshLock(refreshLock);
		refresher.setApplicationEventPublisher(eventPublisher);
		refresher.setRefreshAhead(this.properties.getIdToken().getRefreshAhead());
		refresher.setRefreshFailureBackoff(this.properties.getIdToken().getRefreshFailureBackoff());
		refresher.setAbsoluteTimeout(this.properties.getSession().getAbsoluteTimeout());
		refresher.setWaitTimeout(this.properties.getHttp().getReadTimeout());
		return refresher;
	}

	@Bean
	@ConditionalOnMissingBean
	IdaasLogoutHandler idaasLogoutHandler(IdaasLoginSettings settings, ApplicationEventPublisher eventPublisher) {
		IdaasLogoutHandler handler = new IdaasLogoutHandler();
		handler.setApplicationEventPublisher(eventPublisher);
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
	 * The default filter chain, only when the application has none.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnDefaultWebSecurity
	static class IdaasDefaultSecurityFilterChainConfiguration {

		@Bean
		SecurityFilterChain idaasSecurityFilterChain(HttpSecurity http, IdaasLoginSettings settings,
				IdaasErrorMessages errorMessages, ObjectProvider<RequestMappingHandlerMapping> handlerMappings) {
			http.authorizeHttpRequests((requests) -> {
				requests.requestMatchers(PathRequest.toStaticResources().atCommonLocations()).permitAll();
				requests.requestMatchers("/error", settings.loginPage(), settings.processingUrl(), settings.bindUrl(),
						settings.registerUrl())
					.permitAll();
				requests.requestMatchers(settings.bindUrl() + IdaasSocialFlowFilter.CODE_PATH,
						settings.registerUrl() + IdaasSocialFlowFilter.CODE_PATH)
					.permitAll();
				if (settings.apple() != null) {
					requests.requestMatchers(settings.apple().authorizationUrl(), settings.apple().callbackUrl())
						.permitAll();
				}
				requests.anyRequest().authenticated();
			});
			http.with(IdaasLoginConfigurer.idaasLogin(), (login) -> login.settings(settings));
			http.logout((logout) -> logout.logoutSuccessUrl(withParameter(settings.loginPage(), "logout")));
			if (!applicationServes(handlerMappings, settings.loginPage())) {
				http.addFilterBefore(new IdaasLoginPageGeneratingFilter(settings.loginPage(),
						settings.processingUrl(), (settings.apple() != null) ? settings.apple().authorizationUrl() : null,
						errorMessages),
						DefaultLoginPageGeneratingFilter.class);
			}
			return http.build();
		}

		private static String withParameter(String path, String parameter) {
			return path + ((path.indexOf('?') >= 0) ? "&" : "?") + parameter;
		}

		private static boolean applicationServes(ObjectProvider<RequestMappingHandlerMapping> handlerMappings,
				String path) {
			for (RequestMappingHandlerMapping mapping : handlerMappings) {
				for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
					if (entry.getKey().getPatternValues().contains(path)) {
						return true;
					}
				}
			}
			return false;
		}

	}

}

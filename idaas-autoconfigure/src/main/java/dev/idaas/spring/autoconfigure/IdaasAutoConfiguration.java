package dev.idaas.spring.autoconfigure;

import java.net.URI;
import java.util.Map;

import io.micrometer.observation.ObservationRegistry;

import dev.idaas.spring.authentication.IdaasAuthenticationException;
import dev.idaas.spring.authentication.IdaasAuthenticationFailureEvent;
import dev.idaas.spring.authentication.IdaasAuthenticationTokenFactory;
import dev.idaas.spring.authentication.IdaasSocialFlowRequiredException;
import dev.idaas.spring.client.IdaasClient;
import dev.idaas.spring.client.IdaasErrorMessages;
import dev.idaas.spring.client.IdaasLogoutClient;
import dev.idaas.spring.client.IdaasSocialFlowClient;
import dev.idaas.spring.client.RestClientIdaasSocialFlowClient;
import dev.idaas.spring.client.RestClientIdaasClient;
import dev.idaas.spring.client.RestClientIdaasLogoutClient;
import dev.idaas.spring.jwt.IdTokenVerifier;
import dev.idaas.spring.jwt.JwkSetKeySource;
import dev.idaas.spring.jwt.JwksIdTokenVerifier;
import dev.idaas.spring.observation.ObservedIdaasClient;
import dev.idaas.spring.observation.ObservedIdaasLogoutClient;
import dev.idaas.spring.observation.ObservedIdaasSocialFlowClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;
import org.springframework.security.core.authority.mapping.GrantedAuthoritiesMapper;
import org.springframework.web.client.RestClient;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Auto-configuration of the IDaaS client, id_token verification and the authentication
 * factory. Every bean backs off when the application defines its own.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
@AutoConfiguration(afterName = "org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration")
@ConditionalOnBooleanProperty(name = "idaas.enabled", matchIfMissing = true)
@EnableConfigurationProperties(IdaasProperties.class)
public final class IdaasAutoConfiguration {

	private final IdaasProperties properties;

	IdaasAutoConfiguration(IdaasProperties properties) {
		IdaasPropertiesValidator.validate(properties);
		this.properties = properties;
	}

	@Bean
	@ConditionalOnMissingBean
	IdaasErrorMessages idaasErrorMessages() {
		return new IdaasErrorMessages();
	}

	@Bean
	@ConditionalOnMissingBean
	IdaasClient idaasClient(ObjectProvider<RestClient.Builder> restClientBuilder, IdaasErrorMessages errorMessages,
			ObjectProvider<ObservationRegistry> observationRegistry) {
		IdaasProperties.Http http = this.properties.getHttp();
		RestClient restClient = RestClientIdaasClient.createRestClient(builder(restClientBuilder), baseUrl(),
				http.getConnectTimeout(), http.getReadTimeout());
		RestClientIdaasClient client = new RestClientIdaasClient(restClient, clientId());
		client.setSessionTokenHeaderName(http.getSessionTokenHeader());
		client.setMaxAttempts(http.getMaxAttempts());
		client.setBackoff(http.getInitialBackoff(), http.getMaxBackoff());
		client.setErrorMessages(errorMessages);
		return new ObservedIdaasClient(client, observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP));
	}

	@Bean
	@ConditionalOnMissingBean
	IdaasSocialFlowClient idaasSocialFlowClient(ObjectProvider<RestClient.Builder> restClientBuilder,
			IdaasErrorMessages errorMessages, ObjectProvider<ObservationRegistry> observationRegistry) {
		IdaasProperties.Http http = this.properties.getHttp();
		RestClient restClient = RestClientIdaasClient.createRestClient(builder(restClientBuilder), baseUrl(),
				http.getConnectTimeout(), http.getReadTimeout());
		RestClientIdaasSocialFlowClient client = new RestClientIdaasSocialFlowClient(restClient, clientId());
		client.setMaxAttempts(http.getMaxAttempts());
		client.setBackoff(http.getInitialBackoff(), http.getMaxBackoff());
		client.setErrorMessages(errorMessages);
		return new ObservedIdaasSocialFlowClient(client,
				observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP));
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty("idaas.logout.upstream.enabled")
	IdaasLogoutClient idaasLogoutClient(ObjectProvider<RestClient.Builder> restClientBuilder,
			IdaasErrorMessages errorMessages, ObjectProvider<ObservationRegistry> observationRegistry) {
		IdaasProperties.Http http = this.properties.getHttp();
		IdaasProperties.Logout.Upstream upstream = this.properties.getLogout().getUpstream();
		RestClient restClient = RestClientIdaasClient.createRestClient(builder(restClientBuilder), baseUrl(),
				http.getConnectTimeout(), http.getReadTimeout());
		RestClientIdaasLogoutClient client = new RestClientIdaasLogoutClient(restClient, clientId());
		client.setPublicKeyTtl(upstream.getPublicKeyTtl());
		client.setServerTimeTtl(upstream.getServerTimeTtl());
		client.setErrorMessages(errorMessages);
		return new ObservedIdaasLogoutClient(client, observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP));
	}

	@Bean
	@ConditionalOnMissingBean
	JwkSetKeySource idaasJwkSetKeySource(ObjectProvider<RestClient.Builder> restClientBuilder) {
		IdaasProperties.Http http = this.properties.getHttp();
		URI jwkSetUri = this.properties.getIdToken().getJwkSetUri();
		if (jwkSetUri == null) {
			jwkSetUri = UriComponentsBuilder.fromUri(baseUrl()).path("/api/v1/oauth2/keys").build().toUri();
		}
		RestClient restClient = RestClientIdaasClient.createRestClient(builder(restClientBuilder), jwkSetUri,
				http.getConnectTimeout(), http.getReadTimeout());
		JwkSetKeySource keySource = new JwkSetKeySource(restClient, jwkSetUri);
		keySource.setMinRefetchInterval(this.properties.getIdToken().getJwksMinRefetchInterval());
		return keySource;
	}

	@Bean
	@ConditionalOnMissingBean
	IdTokenVerifier idaasIdTokenVerifier(JwkSetKeySource keySource) {
		IdaasProperties.IdToken idToken = this.properties.getIdToken();
		String issuer = idToken.getIssuer();
		if (issuer == null) {
			issuer = UriComponentsBuilder.fromUri(baseUrl()).path("/api/v1/oauth2").build().toUriString();
		}
		JwksIdTokenVerifier verifier = new JwksIdTokenVerifier(keySource, issuer, clientId());
		verifier.setAllowedAlgorithms(idToken.getAlgorithms());
		verifier.setClockSkew(idToken.getClockSkew());
		return verifier;
	}

	@Bean
	@ConditionalOnMissingBean
	IdaasAuthenticationTokenFactory idaasAuthenticationTokenFactory(IdTokenVerifier idTokenVerifier,
			ObjectProvider<GrantedAuthoritiesMapper> authoritiesMapper) {
		IdaasAuthenticationTokenFactory factory = new IdaasAuthenticationTokenFactory(idTokenVerifier);
		factory.setUserNameAttribute(this.properties.getIdToken().getUserNameAttribute());
		authoritiesMapper.ifUnique(factory::setAuthoritiesMapper);
		return factory;
	}

	/**
	 * Maps {@link IdaasAuthenticationException} to {@link IdaasAuthenticationFailureEvent} on
	 * every {@link DefaultAuthenticationEventPublisher}, the context's and the one Spring
	 * Security creates for a filter chain: it maps exceptions by exact class and would publish
	 * nothing for an IDaaS failure.
	 */
	@Bean
	static BeanPostProcessor idaasAuthenticationEventPublisherPostProcessor() {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof DefaultAuthenticationEventPublisher publisher) {
					publisher.setAdditionalExceptionMappings(
							Map.of(IdaasAuthenticationException.class, IdaasAuthenticationFailureEvent.class,
									IdaasSocialFlowRequiredException.class, IdaasAuthenticationFailureEvent.class));
				}
				return bean;
			}

		};
	}

	private static RestClient.Builder builder(ObjectProvider<RestClient.Builder> restClientBuilder) {
		return restClientBuilder.getIfAvailable(RestClient::builder);
	}

	private URI baseUrl() {
		URI baseUrl = this.properties.getBaseUrl();
		if (baseUrl == null) {
			throw new IllegalStateException("idaas.base-url was validated at startup");
		}
		return baseUrl;
	}

	private String clientId() {
		String clientId = this.properties.getClientId();
		if (clientId == null) {
			throw new IllegalStateException("idaas.client-id was validated at startup");
		}
		return clientId;
	}

}

package dev.idaas.spring.autoconfigure;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

import dev.idaas.spring.web.session.IdTokenRefresher;
import dev.idaas.spring.web.session.SpringSessionSecurityContextRepository;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.SessionRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the Spring Session part of {@link IdaasWebSecurityAutoConfiguration}: the
 * refresher reads and writes the shared session store when there is one.
 */
class IdaasWebSecurityAutoConfigurationSessionTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IdaasAutoConfiguration.class,
				IdaasWebSecurityAutoConfiguration.class, IdaasVerificationRateLimiterAutoConfiguration.class,
					SecurityAutoConfiguration.class,
				ServletWebSecurityAutoConfiguration.class))
		.withPropertyValues("idaas.base-url=https://tenant.example.com", "idaas.client-id=client-1");

	@Test
	void refresherWhenSessionRepositoryBeanThenUsesSpringSessionSecurityContextRepository() {
		this.contextRunner.withUserConfiguration(SessionRepositoryConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(IdTokenRefresher.class)).extracting("securityContextRepository")
				.isInstanceOf(SpringSessionSecurityContextRepository.class);
			assertThat(context.getBean(IdTokenRefresher.class)).extracting("rotatedSessionTokenWait")
				.isEqualTo(Duration.ofSeconds(1));
			// not a default candidate: nothing else gets it as "the" SecurityContextRepository
			AbstractBeanDefinition definition = (AbstractBeanDefinition) context.getBeanFactory()
				.getBeanDefinition("idaasSpringSessionSecurityContextRepository");
			assertThat(definition.isDefaultCandidate()).isFalse();
		});
	}

	@Test
	void refresherWhenNoSessionRepositoryBeanThenHttpSessionSecurityContextRepository() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean("idaasSpringSessionSecurityContextRepository");
			assertThat(context.getBean(IdTokenRefresher.class)).extracting("securityContextRepository")
				.isInstanceOf(HttpSessionSecurityContextRepository.class);
		});
	}

	@Test
	void refresherWhenSpringSessionNotOnClasspathThenHttpSessionSecurityContextRepository() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(SessionRepository.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(IdTokenRefresher.class)).extracting("securityContextRepository")
				.isInstanceOf(HttpSessionSecurityContextRepository.class);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class SessionRepositoryConfiguration {

		@Bean
		MapSessionRepository sessionRepository() {
			return new MapSessionRepository(new ConcurrentHashMap<>());
		}

	}

}

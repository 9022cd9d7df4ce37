package dev.idaas.spring.autoconfigure;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.idaas.spring.web.flow.InMemoryVerificationRateLimiter;
import dev.idaas.spring.web.flow.RedisVerificationRateLimiter;
import dev.idaas.spring.web.flow.VerificationAction;
import dev.idaas.spring.web.flow.VerificationLimits;
import dev.idaas.spring.web.flow.VerificationRateLimiter;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link IdaasVerificationRateLimiterAutoConfiguration}: one test per condition.
 */
class IdaasVerificationRateLimiterAutoConfigurationTests {

	private final WebApplicationContextRunner webRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IdaasAutoConfiguration.class, IdaasWebSecurityAutoConfiguration.class,
				IdaasVerificationRateLimiterAutoConfiguration.class))
		.withConfiguration(AutoConfigurations.of(SecurityAutoConfiguration.class,
				ServletWebSecurityAutoConfiguration.class, RestClientAutoConfiguration.class))
		.withPropertyValues("idaas.base-url=https://tenant.idaas.example", "idaas.client-id=client-123");

	@Test
	void limiterWhenNoRedisTemplateThenInMemoryWithDefaults() {
		this.webRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(VerificationRateLimiter.class);
			assertThat(context).getBean(VerificationRateLimiter.class)
				.isInstanceOf(InMemoryVerificationRateLimiter.class)
				.hasFieldOrPropertyWithValue("limits", VerificationLimits.defaults());
		});
	}

	@Test
	void limiterWhenPropertiesThenLimitsFromProperties() {
		this.webRunner
			.withPropertyValues("idaas.login.limits.code-sends-per-target=3", "idaas.login.limits.code-sends-per-subject=4",
					"idaas.login.limits.code-sends-per-ip=30", "idaas.login.limits.code-checks-per-target=6",
					"idaas.login.limits.code-checks-per-subject=7", "idaas.login.limits.code-checks-per-ip=80",
					"idaas.login.limits.window=30m")
			.run((context) -> assertThat(context).getBean(VerificationRateLimiter.class)
				.hasFieldOrPropertyWithValue("limits",
						new VerificationLimits(3, 4, 30, 6, 7, 80, Duration.ofMinutes(30))));
	}

	@Test
	void limiterWhenDeprecatedMaxCodeSendsThenUsedAsSendsPerSubject() {
		this.webRunner.withPropertyValues("idaas.login.max-code-sends=2", "idaas.login.limits.code-sends-per-subject=9")
			.run((context) -> assertThat(context).getBean(VerificationRateLimiter.class)
				.hasFieldOrPropertyWithValue("limits", new VerificationLimits(5, 2, 20, 5, 5, 50, Duration.ofHours(1))));
	}

	@Test
	void limiterWhenRedisTemplateThenRedisWithKeyPrefix() {
		this.webRunner.withUserConfiguration(RedisTemplateConfiguration.class)
			.withPropertyValues("idaas.login.limits.redis-key-prefix=shop:limits:", "idaas.login.limits.window=2h")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(VerificationRateLimiter.class);
				assertThat(context).getBean(VerificationRateLimiter.class)
					.isInstanceOf(RedisVerificationRateLimiter.class)
					.hasFieldOrPropertyWithValue("keyPrefix", "shop:limits:")
					.hasFieldOrPropertyWithValue("limits",
							new VerificationLimits(5, 5, 20, 5, 5, 50, Duration.ofHours(2)));
			});
	}

	@Test
	void limiterWhenSpringDataRedisMissingThenInMemory() {
		this.webRunner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).getBean(VerificationRateLimiter.class)
					.isInstanceOf(InMemoryVerificationRateLimiter.class);
			});
	}

	@Test
	void limiterWhenUserBeanThenBacksOff() {
		this.webRunner.withUserConfiguration(RedisTemplateConfiguration.class, UserLimiterConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(VerificationRateLimiter.class);
				assertThat(context).getBean(VerificationRateLimiter.class)
					.isSameAs(context.getBean(UserLimiterConfiguration.class).limiter);
			});
	}

	@Test
	void limiterWhenNotWebApplicationThenNone() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(IdaasAutoConfiguration.class,
					IdaasVerificationRateLimiterAutoConfiguration.class, RestClientAutoConfiguration.class))
			.withPropertyValues("idaas.base-url=https://tenant.idaas.example", "idaas.client-id=client-123")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(VerificationRateLimiter.class);
			});
	}

	@Test
	void limiterWhenLimitZeroThenFailsAtStartup() {
		this.webRunner.withPropertyValues("idaas.login.limits.code-checks-per-target=0").run((context) -> {
			assertThat(context).hasFailed();
			Throwable root = context.getStartupFailure();
			while (root.getCause() != null) {
				root = root.getCause();
			}
			assertThat(root).isInstanceOf(IdaasConfigurationException.class);
			assertThat(((IdaasConfigurationException) root).getProperty())
				.isEqualTo("idaas.login.limits.code-checks-per-target");
		});
	}

	@Test
	void limiterWhenWindowBelowOneSecondThenFailsAtStartup() {
		this.webRunner.withPropertyValues("idaas.login.limits.window=500ms").run((context) -> {
			assertThat(context).hasFailed();
			Throwable root = context.getStartupFailure();
			while (root.getCause() != null) {
				root = root.getCause();
			}
			assertThat(((IdaasConfigurationException) root).getProperty()).isEqualTo("idaas.login.limits.window");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class RedisTemplateConfiguration {

		@Bean
		StringRedisTemplate stringRedisTemplate() {
			// never connected: the tests only look at which limiter is built
			RedisConnectionFactory factory = (RedisConnectionFactory) Proxy.newProxyInstance(
					getClass().getClassLoader(), new Class<?>[] { RedisConnectionFactory.class }, (proxy, method, args) -> switch (method.getName()) {
						case "hashCode" -> System.identityHashCode(proxy);
						case "equals" -> proxy == args[0];
						case "toString" -> "unconnected RedisConnectionFactory";
						default -> throw new UnsupportedOperationException(method.getName());
					});
			return new StringRedisTemplate(factory);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserLimiterConfiguration {

		final VerificationRateLimiter limiter = new VerificationRateLimiter() {

			@Override
			public void acquire(VerificationAction action, List<String> keys) {
			}

			@Override
			public void reset(VerificationAction action, List<String> keys) {
			}

		};

		@Bean
		VerificationRateLimiter myLimiter() {
			return this.limiter;
		}

	}

}

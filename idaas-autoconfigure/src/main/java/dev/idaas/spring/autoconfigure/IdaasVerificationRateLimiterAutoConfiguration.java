package dev.idaas.spring.autoconfigure;

import dev.idaas.spring.web.flow.InMemoryVerificationRateLimiter;
import dev.idaas.spring.web.flow.RedisVerificationRateLimiter;
import dev.idaas.spring.web.flow.VerificationLimits;
import dev.idaas.spring.web.flow.VerificationRateLimiter;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Auto-configuration of the {@link VerificationRateLimiter} that limits verification code
 * sends and checks of the bind, register and second-factor flows
 * ({@code idaas.login.limits.*}): a {@link RedisVerificationRateLimiter} shared by every node
 * when the application has a {@link StringRedisTemplate} (e.g. for Spring Session), an
 * {@link InMemoryVerificationRateLimiter} otherwise.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
@AutoConfiguration(after = IdaasAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
		before = IdaasWebSecurityAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBean(IdaasAutoConfiguration.class)
public final class IdaasVerificationRateLimiterAutoConfiguration {

	/**
	 * Counters in this node's memory, when no Redis limiter (nor one of the application's) was
	 * defined: member classes are processed first.
	 */
	@Bean
	@ConditionalOnMissingBean
	VerificationRateLimiter idaasVerificationRateLimiter(IdaasProperties properties) {
		InMemoryVerificationRateLimiter limiter = new InMemoryVerificationRateLimiter();
		limiter.setLimits(limits(properties));
		return limiter;
	}

	static VerificationLimits limits(IdaasProperties properties) {
		IdaasProperties.Limits limits = properties.getLogin().getLimits();
		@SuppressWarnings("deprecation")
		Integer maxCodeSends = properties.getLogin().getMaxCodeSends();
		int codeSendsPerSubject = (maxCodeSends != null) ? maxCodeSends : limits.getCodeSendsPerSubject();
		return new VerificationLimits(limits.getCodeSendsPerTarget(), codeSendsPerSubject,
				limits.getCodeSendsPerIp(), limits.getCodeChecksPerTarget(), limits.getCodeChecksPerSubject(),
				limits.getCodeChecksPerIp(), limits.getWindow());
	}

	/**
	 * Counters in Redis, shared by the nodes of a cluster.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(StringRedisTemplate.class)
	@ConditionalOnBean(StringRedisTemplate.class)
	static class IdaasRedisVerificationRateLimiterConfiguration {

		@Bean
		@ConditionalOnMissingBean
		VerificationRateLimiter idaasRedisVerificationRateLimiter(StringRedisTemplate redisTemplate,
				IdaasProperties properties) {
			RedisVerificationRateLimiter limiter = new RedisVerificationRateLimiter(redisTemplate);
			limiter.setLimits(limits(properties));
			limiter.setKeyPrefix(properties.getLogin().getLimits().getRedisKeyPrefix());
			return limiter;
		}

	}

}

package dev.idaas.demo;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.session.SessionRepository;
import org.springframework.session.web.http.SessionRepositoryFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Session Data Redis is on the demo's classpath for the {@code cluster} profile only:
 * without it the demo keeps its sessions in the container and never connects to Redis, so the
 * plain demo command stays offline.
 */
class DemoSessionStoreTests extends MockMvcTestSupport {

	@Autowired
	ApplicationContext context;

	@Test
	void contextWhenDefaultProfileThenNoRedisAndNoSpringSession() throws Exception {
		assertThat(this.context.getEnvironment().getActiveProfiles()).doesNotContain("cluster");
		assertThat(this.context.getBeanNamesForType(RedisConnectionFactory.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(StringRedisTemplate.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(SessionRepository.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(SessionRepositoryFilter.class))
			.isEmpty();
	}

}

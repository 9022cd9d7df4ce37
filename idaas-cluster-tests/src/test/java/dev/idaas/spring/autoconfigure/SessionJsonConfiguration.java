package dev.idaas.spring.autoconfigure;

import dev.idaas.spring.jackson.IdaasJacksonModule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.serializer.GenericJacksonJsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;
import tools.jackson.databind.json.JsonMapper;

@Configuration
class SessionJsonConfiguration {

	@Bean
	RedisSerializer<Object> springSessionDefaultRedisSerializer() {
		JsonMapper mapper = JsonMapper.builder()
			.addModules(IdaasJacksonModule.withSecurityModules(getClass().getClassLoader()))
			.build();
		return new GenericJacksonJsonRedisSerializer(mapper);
	}

}

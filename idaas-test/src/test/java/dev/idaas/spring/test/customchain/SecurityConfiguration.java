package dev.idaas.spring.test.customchain;

import dev.idaas.spring.config.IdaasLoginConfigurer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

@Configuration
public class SecurityConfiguration {

    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests((r) -> r.requestMatchers("/login/idaas/**", "/idaas/**").permitAll()
                .anyRequest().authenticated())
            .with(IdaasLoginConfigurer.idaasLogin(), (login) -> login
                .failureUrl("/login?error")
                .socialFlows((flows) -> flows
                    .bindUrl("/idaas/bind")
                    .registerUrl("/idaas/register")));
        return http.build();
    }

}

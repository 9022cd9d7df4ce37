package dev.idaas.benchmarks.throughput;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The baseline: the same app with Spring Security's plain form login and an in-memory user (the
 * starter's auto-configuration is switched off with {@code idaas.enabled=false}).
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(MeController.class)
public class FormLoginApp {

	static final String USERNAME = "alice";

	static final String PASSWORD = "benchmark-password";

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.requestMatchers("/error").permitAll().anyRequest().authenticated());
		http.formLogin(Customizer.withDefaults());
		return http.build();
	}

	@Bean
	InMemoryUserDetailsManager userDetailsService() {
		return new InMemoryUserDetailsManager(User.withUsername(USERNAME).password("{noop}" + PASSWORD).roles("USER").build());
	}

}

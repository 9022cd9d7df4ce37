package dev.idaas.benchmarks.throughput;

import dev.idaas.spring.config.IdaasLoginConfigurer;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The app signed in through the starter: its DSL in the app's own chain, everything else from the
 * starter's auto-configuration (client, verifier, refresher, refresh filter), against the simulator.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(MeController.class)
public class StarterApp {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.requestMatchers("/error", "/login", "/login/idaas/apple")
			.permitAll()
			.anyRequest()
			.authenticated());
		http.with(IdaasLoginConfigurer.idaasLogin(), Customizer.withDefaults());
		return http.build();
	}

}

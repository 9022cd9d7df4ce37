package dev.idaas.spring.config;

/**
 * Customizes every {@link IdaasLoginConfigurer} of the application context, whichever
 * {@code SecurityFilterChain} it is added to. The customizer beans run, in their
 * {@link org.springframework.core.annotation.Order @Order}, when the DSL is added to a chain
 * ({@code http.with(idaasLogin(), ...)}), before that chain's own customizer: what a chain sets
 * itself wins. Spring Boot's auto-configuration publishes one (order {@code 0}) that applies
 * the {@code idaas.*} properties.
 *
 * <pre class="code">
 * &#64;Bean
 * IdaasLoginConfigurerCustomizer welcomePage() {
 *     return (login) -&gt; login.defaultSuccessUrl("/welcome");
 * }
 * </pre>
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasLoginConfigurer
 */
@FunctionalInterface
public interface IdaasLoginConfigurerCustomizer {

	/**
	 * Customizes the configurer.
	 * @param configurer the configurer of one filter chain
	 * @since 0.1
	 */
	void customize(IdaasLoginConfigurer<?> configurer);

}

package dev.idaas.demo.security;

import java.net.URI;

import dev.idaas.spring.client.IdaasErrorMessages;
import dev.idaas.spring.config.IdaasLoginConfigurer;
import dev.idaas.spring.config.IdaasLoginSettings;
import dev.idaas.spring.web.IdaasJsonAuthenticationEntryPoint;
import dev.idaas.spring.web.JsonRequestMatcher;

import org.springframework.boot.security.autoconfigure.web.servlet.PathRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;

/**
 * The demo's own {@link SecurityFilterChain}: what an application writes to add Sign in with
 * Apple through IDaaS with the starter's DSL. Because the application declares a chain, the
 * starter's default chain steps aside.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
@Configuration(proxyBeanMethods = false)
public class DemoSecurityConfiguration {

	/**
	 * The chain: public sign-in, bind and register pages; everything else signed in;
	 * {@code /api/**} answers {@code 401} JSON; strict security headers.
	 * @param http the builder
	 * @param settings the starter's paths and Apple settings, from {@code idaas.*}
	 * @param errorMessages the localized IDaaS error texts
	 * @return the chain
	 * @throws Exception when the chain cannot be built
	 */
	@Bean
	SecurityFilterChain demoSecurityFilterChain(HttpSecurity http, IdaasLoginSettings settings,
			IdaasErrorMessages errorMessages) throws Exception {
		http.authorizeHttpRequests((requests) -> requests
			.requestMatchers(PathRequest.toStaticResources().atCommonLocations()).permitAll()
			.requestMatchers("/login", "/login/idaas/**", "/idaas/**", "/error", "/actuator/health").permitAll()
			.anyRequest().authenticated());
		// the lines that matter: Apple web flow, JSON login, bind/register, silent id_token refresh, logout
		http.with(IdaasLoginConfigurer.idaasLogin(), (login) -> login
			.loginPage("/login")
			.failureUrl("/login?error")
			.defaultSuccessUrl("/"));
		// an API answers 401 JSON even to a browser that navigates to it
		http.exceptionHandling((exceptions) -> exceptions.defaultAuthenticationEntryPointFor(
				new IdaasJsonAuthenticationEntryPoint(errorMessages),
				PathPatternRequestMatcher.withDefaults().matcher("/api/**")));
		// remember only pages to return to after sign-in, never an API call
		PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
		HttpSessionRequestCache requestCache = new HttpSessionRequestCache();
		requestCache.setRequestMatcher(new AndRequestMatcher(paths.matcher(HttpMethod.GET, "/**"),
				new NegatedRequestMatcher(new OrRequestMatcher(paths.matcher("/api/**"), paths.matcher("/actuator/**"),
						JsonRequestMatcher.INSTANCE))));
		http.requestCache((cache) -> cache.requestCache(requestCache));
		// the DSL adds its logout handler (ends the IDaaS session, sends Clear-Site-Data)
		http.logout((logout) -> logout.logoutSuccessUrl("/login?logout"));
		http.headers((headers) -> headers
			.contentSecurityPolicy((csp) -> csp.policyDirectives(contentSecurityPolicy(settings)))
			.referrerPolicy((referrer) -> referrer.policy(ReferrerPolicy.SAME_ORIGIN))
			.frameOptions((frames) -> frames.deny()));
		return http.build();
	}

	/**
	 * No inline script or style anywhere. {@code form-action} also lists Apple's origin (the
	 * simulator's when embedded): Chromium applies it to the redirects that follow a form
	 * submission too.
	 */
	static String contentSecurityPolicy(IdaasLoginSettings settings) {
		StringBuilder formAction = new StringBuilder("'self'");
		if (settings.apple() != null) {
			URI authorize = settings.apple().authorizeUri();
			formAction.append(' ').append(authorize.getScheme()).append("://").append(authorize.getRawAuthority());
		}
		return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
				+ "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action "
				+ formAction;
	}

}

package dev.idaas.spring.test.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;
import org.springframework.security.test.context.support.TestExecutionEvent;
import org.springframework.security.test.context.support.WithSecurityContext;

/**
 * Runs a test as a user signed in through IDaaS, like Spring Security's
 * {@code @WithMockUser}, but with the starter's own authentication: an {@code OidcUser}
 * principal and the session state the id_token refresh filter works with.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasMockMvcRequestPostProcessors#idaasUser()
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
@WithSecurityContext(factory = WithIdaasUserSecurityContextFactory.class)
public @interface WithIdaasUser {

	/**
	 * The subject ({@code sub}).
	 * @return the subject
	 */
	@AliasFor("subject")
	String value() default "user";

	/**
	 * The subject ({@code sub}).
	 * @return the subject
	 */
	@AliasFor("value")
	String subject() default "user";

	/**
	 * The {@code name} claim.
	 * @return the full name
	 */
	String name() default "Test User";

	/**
	 * The {@code email} claim.
	 * @return the email
	 */
	String email() default "user@example.com";

	/**
	 * Authorities beside {@code OIDC_USER}.
	 * @return the authority names
	 */
	String[] authorities() default {};

	/**
	 * Seconds the id_token stays valid.
	 * @return the validity in seconds
	 */
	long idTokenExpiresInSeconds() default 300;

	/**
	 * When the security context is set up.
	 * @return the event
	 */
	@AliasFor(annotation = WithSecurityContext.class)
	TestExecutionEvent setupBefore() default TestExecutionEvent.TEST_METHOD;

}

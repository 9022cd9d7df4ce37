package dev.idaas.spring.authentication;

import java.io.Serial;

import org.jspecify.annotations.Nullable;

import dev.idaas.spring.client.IdaasErrorCategory;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.util.Assert;

/**
 * A failed IDaaS sign-in, carrying the IDaaS {@code error_code} (or the starter's own
 * {@code IDAAS.STARTER.*} code) as the {@link OAuth2Error#getErrorCode() error code}, and the
 * {@link IdaasErrorCategory} that decides how the web layer answers.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public class IdaasAuthenticationException extends OAuth2AuthenticationException {

	@Serial
	private static final long serialVersionUID = 1L;

	private final IdaasErrorCategory category;

	/**
	 * Creates the exception.
	 * @param errorCode the IDaaS or starter error code
	 * @param description an English description (never a token)
	 * @param category what the error means for the caller
	 * @param cause the cause, or {@code null}
	 */
	public IdaasAuthenticationException(String errorCode, String description, IdaasErrorCategory category,
			@Nullable Throwable cause) {
		super(new OAuth2Error(errorCode, description, null), errorCode + ": " + description, cause);
		Assert.notNull(category, "category cannot be null");
		this.category = category;
	}

	/**
	 * The IDaaS or starter error code.
	 * @return the error code
	 */
	public String getErrorCode() {
		return getError().getErrorCode();
	}

	/**
	 * Returns the localized description of the error.
	 * @return the description, or {@code null}
	 */
	public @Nullable String getDescription() {
		return getError().getDescription();
	}

	/**
	 * What the error means for the caller.
	 * @return the category
	 */
	public IdaasErrorCategory getCategory() {
		return this.category;
	}

}

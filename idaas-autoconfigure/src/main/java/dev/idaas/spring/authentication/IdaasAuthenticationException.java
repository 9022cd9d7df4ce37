package dev.idaas.spring.authentication;

import java.io.Serial;

import org.jspecify.annotations.Nullable;

import dev.idaas.spring.client.IdaasApiException;
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
	 * The vendor's {@code error_msg} when this failure is an IDaaS error answer (the cause is an
	 * {@link IdaasApiException}): printable, at most 200 characters, already in the user's
	 * language. It is the text to show for a code the starter does not know
	 * ({@link IdaasErrorCategory#VENDOR_REFUSED}).
	 * @return the vendor's message, or {@code null}
	 * @since 0.1
	 * @see dev.idaas.spring.client.IdaasErrorMessages#getMessage(String, String, java.util.Locale)
	 */
	public @Nullable String getVendorMessage() {
		return (getCause() instanceof IdaasApiException api) ? api.getVendorMessage() : null;
	}

	/**
	 * What the error means for the caller.
	 * @return the category
	 */
	public IdaasErrorCategory getCategory() {
		return this.category;
	}

}

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

	private final @Nullable String vendorMessage;

	/**
	 * Creates the exception. The vendor's message is taken from the cause when it is an
	 * {@link IdaasApiException}.
	 * @param errorCode the IDaaS or starter error code
	 * @param description an English description (never a token)
	 * @param category what the error means for the caller
	 * @param cause the cause, or {@code null}
	 */
	public IdaasAuthenticationException(String errorCode, String description, IdaasErrorCategory category,
			@Nullable Throwable cause) {
		this(errorCode, description, category, (cause instanceof IdaasApiException api) ? api.getVendorMessage() : null,
				cause);
	}

	/**
	 * Creates the exception.
	 * @param errorCode the IDaaS or starter error code
	 * @param description an English description (never a token)
	 * @param category what the error means for the caller
	 * @param vendorMessage the vendor's {@code error_msg}, already sanitized, or {@code null}
	 * @param cause the cause, or {@code null}
	 * @since 0.1
	 */
	public IdaasAuthenticationException(String errorCode, String description, IdaasErrorCategory category,
			@Nullable String vendorMessage, @Nullable Throwable cause) {
		super(new OAuth2Error(errorCode, description, null), errorCode + ": " + description, cause);
		Assert.notNull(category, "category cannot be null");
		this.category = category;
		this.vendorMessage = vendorMessage;
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
	 * The vendor's {@code error_msg} when this failure is an IDaaS error answer: printable, at
	 * most 200 characters, already in the user's language. It is the text to show for a code the
	 * starter does not know ({@link IdaasErrorCategory#VENDOR_REFUSED}).
	 * @return the vendor's message, or {@code null}
	 * @since 0.1
	 * @see dev.idaas.spring.client.IdaasErrorMessages#getMessage(String, String, java.util.Locale)
	 */
	public @Nullable String getVendorMessage() {
		return this.vendorMessage;
	}

	/**
	 * What the error means for the caller.
	 * @return the category
	 */
	public IdaasErrorCategory getCategory() {
		return this.category;
	}

}

package dev.idaas.spring.client;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A failed call to IDaaS: an error answer, an answer that could not be understood, or no answer
 * at all. Carries the error code (the raw IDaaS {@code error_code} or one of the starter's own
 * {@code IDAAS.STARTER.*} codes), the HTTP status, the vendor's {@code error_msg} and what the
 * failure means for the caller ({@link #getCategory()}).
 * <p>
 * {@link #getMessage()} is the code followed by the English text; it never contains a token, an
 * authorization code or a header value. Use {@link #getLocalizedMessage(Locale)} for a text to
 * show a user.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasErrorCodes
 * @see IdaasErrorMessages
 */
public class IdaasApiException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private static final int MAX_RAW_VALUE_LENGTH = 128;

	private final String errorCode;

	private final IdaasErrorCategory category;

	private final int httpStatus;

	private final @Nullable String vendorMessage;

	private final @Nullable String upstreamStatus;

	private final transient @Nullable IdaasErrorMessages messages;

	/**
	 * Creates an exception for a failure without an HTTP answer.
	 * @param errorCode the error code
	 * @param category what the failure means for the caller
	 * @since 0.1
	 */
	public IdaasApiException(String errorCode, IdaasErrorCategory category) {
		this(errorCode, category, 0, null, null);
	}

	/**
	 * Creates an exception.
	 * @param errorCode the error code, e.g. {@code IDAAS.SDK.PARAM.0023}; control characters are
	 * replaced and it is cut to 128 characters
	 * @param category what the failure means for the caller
	 * @param httpStatus the HTTP status of the answer, or {@code 0} when there was none
	 * @param vendorMessage the {@code error_msg} as IDaaS sent it, or {@code null}; made printable
	 * and cut to 200 characters
	 * @param cause the underlying failure, or {@code null}
	 * @since 0.1
	 */
	public IdaasApiException(String errorCode, IdaasErrorCategory category, int httpStatus,
			@Nullable String vendorMessage, @Nullable Throwable cause) {
		this(errorCode, category, httpStatus, vendorMessage, null, null, IdaasErrorMessages.defaults(), cause);
	}

	IdaasApiException(String errorCode, IdaasErrorCategory category, int httpStatus, @Nullable String vendorMessage,
			@Nullable String upstreamStatus, @Nullable String detail, IdaasErrorMessages messages,
			@Nullable Throwable cause) {
		super(message(errorCode, vendorMessage, detail, messages), cause);
		Assert.notNull(errorCode, "errorCode cannot be null");
		Assert.notNull(category, "category cannot be null");
		Assert.notNull(messages, "messages cannot be null");
		this.errorCode = IdaasErrorMessages.printable(errorCode, MAX_RAW_VALUE_LENGTH);
		this.category = category;
		this.httpStatus = httpStatus;
		this.vendorMessage = sanitized(vendorMessage);
		this.upstreamStatus = (upstreamStatus != null)
				? IdaasErrorMessages.printable(upstreamStatus, MAX_RAW_VALUE_LENGTH) : null;
		this.messages = messages;
	}

	private static @Nullable String sanitized(@Nullable String vendorMessage) {
		if (vendorMessage == null) {
			return null;
		}
		String printable = IdaasErrorMessages.printable(vendorMessage, IdaasErrorMessages.MAX_VENDOR_MESSAGE_LENGTH);
		return printable.isBlank() ? null : printable;
	}

	private static String message(@Nullable String errorCode, @Nullable String vendorMessage, @Nullable String detail,
			IdaasErrorMessages messages) {
		Assert.notNull(errorCode, "errorCode cannot be null");
		String code = IdaasErrorMessages.printable(errorCode, MAX_RAW_VALUE_LENGTH);
		String message = code + ": " + messages.getMessage(code, sanitized(vendorMessage), Locale.ENGLISH);
		return (detail != null) ? message + " (" + detail + ")" : message;
	}

	/**
	 * Returns the error code: the raw {@code error_code} IDaaS sent (kept even when unknown), or
	 * one of the starter's {@code IDAAS.STARTER.*} codes.
	 * @return the error code
	 * @since 0.1
	 */
	public String getErrorCode() {
		return this.errorCode;
	}

	/**
	 * Returns what the failure means for the caller, e.g. whether a retry may help.
	 * @return the category
	 * @since 0.1
	 */
	public IdaasErrorCategory getCategory() {
		return this.category;
	}

	/**
	 * Returns the HTTP status of IDaaS's answer.
	 * @return the status, or {@code 0} when no answer came (or the request was never sent)
	 * @since 0.1
	 */
	public int getHttpStatus() {
		return this.httpStatus;
	}

	/**
	 * Returns the {@code error_msg} IDaaS sent, made printable (control, format and separator
	 * characters replaced with {@code ?}) and cut to 200 characters: the text shown to the user
	 * for a code this starter does not know ({@link IdaasErrorCategory#VENDOR_REFUSED}).
	 * @return the vendor's message, or {@code null} when there was none (or it was blank)
	 * @since 0.1
	 */
	public @Nullable String getVendorMessage() {
		return this.vendorMessage;
	}

	/**
	 * Returns the raw {@code status} value of an answer whose status was not understood, kept for
	 * diagnosis (control characters replaced, cut to 128 characters).
	 * @return the raw status, or {@code null} when the failure is not about an unknown status
	 * @since 0.1
	 */
	public @Nullable String getUpstreamStatus() {
		return this.upstreamStatus;
	}

	/**
	 * Returns the text for this error in the given language, falling back to English, then to the
	 * vendor's message, then to a generic text naming the code.
	 * @param locale the language wanted
	 * @return the localized text, without the code
	 * @since 0.1
	 */
	public String getLocalizedMessage(Locale locale) {
		Assert.notNull(locale, "locale cannot be null");
		IdaasErrorMessages messages = (this.messages != null) ? this.messages : IdaasErrorMessages.defaults();
		return messages.getMessage(this.errorCode, this.vendorMessage, locale);
	}

}

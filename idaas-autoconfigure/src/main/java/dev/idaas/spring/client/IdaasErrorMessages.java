package dev.idaas.spring.client;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.context.MessageSource;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Localized texts for IDaaS error codes. The default texts come from the UTF-8 bundle
 * {@value #BUNDLE_BASENAME} ({@code messages.properties} in English, {@code messages_zh.properties}
 * in Chinese), holding the vendor's own texts for every {@code IDAAS.SDK.*} code of the contract and
 * texts for the starter's {@code IDAAS.STARTER.*} codes.
 * <p>
 * A text is looked up in the requested locale, then in English, then the vendor's
 * {@code error_msg} is used, then a generic text naming the code. The system default locale is
 * never used as a fallback, so a server running in Chinese still answers English to a French user.
 * <p>
 * To change texts or add languages, pass a {@link MessageSource} whose base names include
 * {@value #BUNDLE_BASENAME} after your own.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasApiException#getLocalizedMessage(Locale)
 * @see IdaasErrorCodes
 */
public class IdaasErrorMessages {

	/**
	 * The base name of the default message bundle.
	 */
	public static final String BUNDLE_BASENAME = "dev.idaas.spring.client.messages";

	static final String GENERIC_MESSAGE_KEY = "dev.idaas.spring.client.generic";

	static final int MAX_VENDOR_MESSAGE_LENGTH = 200;

	private final MessageSource messageSource;

	/**
	 * Creates an instance reading the default bundle {@value #BUNDLE_BASENAME}.
	 * @since 0.1
	 */
	public IdaasErrorMessages() {
		this(defaultMessageSource());
	}

	/**
	 * Creates an instance reading texts from the given source.
	 * @param messageSource the source of texts, keyed by error code
	 * @since 0.1
	 */
	public IdaasErrorMessages(MessageSource messageSource) {
		Assert.notNull(messageSource, "messageSource cannot be null");
		this.messageSource = messageSource;
	}

	/**
	 * Returns the text for an error code in the given language, falling back to English, then to
	 * a generic text naming the code.
	 * @param errorCode the error code, e.g. {@code IDAAS.SDK.PARAM.0023}
	 * @param locale the language wanted
	 * @return the text, never {@code null}
	 * @since 0.1
	 */
	public String getMessage(String errorCode, Locale locale) {
		return getMessage(errorCode, null, locale);
	}

	/**
	 * Returns the text for an error code in the given language, falling back to English, then to
	 * the vendor's {@code error_msg}, then to a generic text naming the code.
	 * @param errorCode the error code, e.g. {@code IDAAS.SDK.PARAM.0023}
	 * @param vendorMessage the {@code error_msg} IDaaS sent, or {@code null}
	 * @param locale the language wanted
	 * @return the text, never {@code null}
	 * @since 0.1
	 */
	public String getMessage(String errorCode, @Nullable String vendorMessage, Locale locale) {
		Assert.notNull(errorCode, "errorCode cannot be null");
		Assert.notNull(locale, "locale cannot be null");
		String text = this.messageSource.getMessage(errorCode, null, null, locale);
		if (text == null && !Locale.ENGLISH.getLanguage().equals(locale.getLanguage())) {
			text = this.messageSource.getMessage(errorCode, null, null, Locale.ENGLISH);
		}
		if (text != null) {
			return text;
		}
		if (StringUtils.hasText(vendorMessage)) {
			return printable(vendorMessage, MAX_VENDOR_MESSAGE_LENGTH);
		}
		Object[] args = { printable(errorCode, MAX_VENDOR_MESSAGE_LENGTH) };
		String generic = this.messageSource.getMessage(GENERIC_MESSAGE_KEY, args, null, locale);
		return (generic != null) ? generic : "Identity service error " + args[0];
	}

	/**
	 * Replaces what is not printable (control characters, which could forge log lines;
	 * invisible format characters such as bidirectional overrides; line and paragraph
	 * separators; unpaired surrogates; unassigned and private-use code points) with {@code ?}
	 * and truncates to {@code maxLength} characters without splitting a surrogate pair, for
	 * values that came from upstream and end up in messages.
	 */
	static String printable(String value, int maxLength) {
		String trimmed = value.strip();
		StringBuilder result = new StringBuilder(Math.min(trimmed.length(), maxLength));
		int i = 0;
		while (i < trimmed.length()) {
			int codePoint = trimmed.codePointAt(i);
			int count = Character.charCount(codePoint);
			boolean printable = isPrintable(codePoint);
			if (result.length() + (printable ? count : 1) > maxLength) {
				break;
			}
			if (printable) {
				result.appendCodePoint(codePoint);
			}
			else {
				result.append('?');
			}
			i += count;
		}
		return result.toString();
	}

	private static boolean isPrintable(int codePoint) {
		return switch (Character.getType(codePoint)) {
			case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
					Character.SURROGATE, Character.UNASSIGNED, Character.PRIVATE_USE ->
				false;
			default -> true;
		};
	}

	private static MessageSource defaultMessageSource() {
		ResourceBundleMessageSource messageSource = new ResourceBundleMessageSource();
		messageSource.setBasename(BUNDLE_BASENAME);
		messageSource.setDefaultEncoding("UTF-8");
		messageSource.setFallbackToSystemLocale(false);
		messageSource.setBundleClassLoader(IdaasErrorMessages.class.getClassLoader());
		return messageSource;
	}

	static IdaasErrorMessages defaults() {
		return DefaultHolder.INSTANCE;
	}

	private static final class DefaultHolder {

		private static final IdaasErrorMessages INSTANCE = new IdaasErrorMessages();

	}

}

package dev.idaas.spring.web.flow;

import java.io.IOException;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.idaas.spring.authentication.IdaasAuthenticationException;
import dev.idaas.spring.client.IdaasErrorCategory;
import dev.idaas.spring.client.IdaasErrorCodes;
import dev.idaas.spring.client.VerificationChannel;
import dev.idaas.spring.web.JsonRequestMatcher;

import org.springframework.util.Assert;

/**
 * The fields of a flow request ({@code POST {url}/code}, {@code POST {url}}), read from a form
 * or from a JSON body ({@code application/json}, at most 4 KiB), and the one place where they
 * are checked before anything else happens: {@code method} ({@code VERIFY_PHONE} or
 * {@code VERIFY_EMAIL}), {@code target} (a phone number, as people write it, or an email
 * address; see {@link #target(VerificationChannel)}), {@code verify_code}
 * (4 to 12 letters or digits) and {@code captcha_x} (a finite number within the puzzle's
 * width). Every field is at most a few hundred printable ASCII characters; a field given twice
 * in a form is refused. A bad field throws {@link IdaasErrorCodes#INVALID_VERIFICATION}
 * ({@code 400}) and nobody is called.
 *
 * @param method the {@code method} field as sent, or {@code null}
 * @param target the {@code target} field as sent, or {@code null}
 * @param verifyCode the {@code verify_code} field as sent, or {@code null}
 * @param captchaX the {@code captcha_x} field as sent, or {@code null}
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public record VerificationRequest(@Nullable String method, @Nullable String target, @Nullable String verifyCode,
		@Nullable String captchaX) {

	static final int MAX_BODY_BYTES = 4096;

	static final int MAX_METHOD_LENGTH = 32;

	static final int MAX_TARGET_LENGTH = 254;

	static final int MAX_VERIFY_CODE_LENGTH = 32;

	static final int MAX_CAPTCHA_X_LENGTH = 32;

	private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}"
			+ "[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");

	private static final Pattern VERIFY_CODE = Pattern.compile("[A-Za-z0-9]{4,12}");

	private static final JsonMapper mapper = JsonMapper.builder().build();

	/**
	 * Reads the fields of a request: from its JSON body when it sends JSON, else from its form
	 * parameters. Each field is checked for length and characters; absent fields are
	 * {@code null}.
	 * @param request the request
	 * @return the fields
	 * @throws IOException when the body cannot be read
	 * @throws IdaasAuthenticationException when the body is too large or not a JSON object, or a
	 * field is too long, repeated, not a string (a number for {@code captcha_x}) or not printable
	 * ASCII
	 */
	public static VerificationRequest read(HttpServletRequest request) throws IOException {
		Assert.notNull(request, "request cannot be null");
		JsonNode json = JsonRequestMatcher.sendsJson(request) ? jsonBody(request) : null;
		return new VerificationRequest(field(request, json, "method", MAX_METHOD_LENGTH),
				field(request, json, "target", MAX_TARGET_LENGTH),
				field(request, json, "verify_code", MAX_VERIFY_CODE_LENGTH),
				field(request, json, "captcha_x", MAX_CAPTCHA_X_LENGTH));
	}

	/**
	 * The verification method.
	 * @return the channel
	 * @throws IdaasAuthenticationException when missing or unknown
	 */
	public VerificationChannel channel() {
		VerificationChannel channel = VerificationChannel.fromFlow(required(this.method, "method"));
		if (channel == null) {
			throw invalid("The verification method is unknown");
		}
		return channel;
	}

	/**
	 * The target, checked against the channel's format and, for a phone number, normalised as it
	 * is sent to IDaaS: spaces, dashes, dots and parentheses between the digits are accepted and
	 * dropped, a leading {@code +} is kept ({@code +86 138-0013-8000} gives
	 * {@code +8613800138000}, {@code (010) 1234.5678} gives {@code 01012345678}), 5 to 20
	 * digits; letters and other characters are refused. A flow is finished with the target its
	 * code went to, compared in this normalised form.
	 * @param channel how the code travels
	 * @return the phone number ({@code +digits} or {@code digits}) or email address, stripped
	 * @throws IdaasAuthenticationException when missing or malformed
	 */
	public String target(VerificationChannel channel) {
		Assert.notNull(channel, "channel cannot be null");
		String target = required(this.target, "target");
		if (channel == VerificationChannel.SMS) {
			String number = PhoneNumbers.normalize(target);
			if (number == null) {
				throw invalid("The phone number is malformed");
			}
			return number;
		}
		if (!EMAIL.matcher(target).matches()) {
			throw invalid("The email address is malformed");
		}
		return target;
	}

	/**
	 * The code the user entered.
	 * @return the code
	 * @throws IdaasAuthenticationException when missing or not 4 to 12 letters or digits
	 */
	public String code() {
		String code = required(this.verifyCode, "verify_code");
		if (!VERIFY_CODE.matcher(code).matches()) {
			throw invalid("The verification code is malformed");
		}
		return code;
	}

	/**
	 * Where the user dropped the puzzle piece.
	 * @param width the width of the puzzle's background image, in pixels
	 * @return the x coordinate in background-image pixels, between 0 and {@code width}
	 * @throws IdaasAuthenticationException when missing, not a finite number, or outside the
	 * image
	 */
	public double captchaX(int width) {
		String value = required(this.captchaX, "captcha_x");
		double x;
		try {
			x = Double.parseDouble(value);
		}
		catch (NumberFormatException ex) {
			throw invalid("The field captcha_x is not a number");
		}
		if (!Double.isFinite(x) || x < 0 || x > width) {
			throw invalid("The field captcha_x is outside the puzzle");
		}
		return x;
	}

	private static String required(@Nullable String value, String name) {
		if (value == null) {
			throw invalid("The field " + name + " is missing");
		}
		return value;
	}

	private static JsonNode jsonBody(HttpServletRequest request) throws IOException {
		if (request.getContentLengthLong() > MAX_BODY_BYTES) {
			throw invalid("The request body is too large");
		}
		byte[] bytes = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
		if (bytes.length > MAX_BODY_BYTES) {
			throw invalid("The request body is too large");
		}
		try {
			JsonNode node = mapper.readTree(bytes);
			if (node == null || !node.isObject()) {
				throw invalid("The request body is not a JSON object");
			}
			return node;
		}
		catch (JacksonException ex) {
			throw invalid("The request body is not valid JSON");
		}
	}

	private static @Nullable String field(HttpServletRequest request, @Nullable JsonNode json, String name,
			int maxLength) {
		String value;
		if (json != null) {
			JsonNode node = json.get(name);
			if (node == null || node.isNull()) {
				return null;
			}
			if (node.isString()) {
				value = node.stringValue();
			}
			else if (node.isNumber() && "captcha_x".equals(name)) {
				value = node.asString();
			}
			else {
				throw invalid("The field " + name + " is not a string");
			}
		}
		else {
			String[] values = request.getParameterValues(name);
			if (values == null) {
				return null;
			}
			if (values.length != 1) {
				throw invalid("The field " + name + " is repeated");
			}
			value = values[0];
		}
		if (value.length() > maxLength) {
			throw invalid("The field " + name + " is too long");
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < 0x20 || c > 0x7e) {
				throw invalid("The field " + name + " holds a control or non-ASCII character");
			}
		}
		String stripped = value.strip();
		return stripped.isEmpty() ? null : stripped;
	}

	static IdaasAuthenticationException invalid(String description) {
		return new IdaasAuthenticationException(IdaasErrorCodes.INVALID_VERIFICATION, description,
				IdaasErrorCategory.INVALID_REQUEST, null);
	}

	@Override
	public String toString() {
		return "VerificationRequest[method=" + this.method + ", target=" + ((this.target != null) ? "***" : null)
				+ ", verifyCode=" + ((this.verifyCode != null) ? "***" : null) + ", captchaX=" + this.captchaX + "]";
	}

}

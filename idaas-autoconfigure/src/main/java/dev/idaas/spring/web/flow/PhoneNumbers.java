package dev.idaas.spring.web.flow;

import org.jspecify.annotations.Nullable;

/**
 * The one reading of a phone number a user typed, shared by the checks of a flow request
 * ({@link VerificationRequest}) and the keys of the rate limiter ({@link VerificationLimitKeys}):
 * people write {@code +86 138 0013 8000}, {@code 138-0013-8000} or {@code (010) 1234.5678};
 * IDaaS is sent {@code +8613800138000}, {@code 13800138000}, {@code 01012345678}.
 */
final class PhoneNumbers {

	static final int MIN_DIGITS = 5;

	static final int MAX_DIGITS = 20;

	private PhoneNumbers() {
	}

	/**
	 * The number as sent to IDaaS: its digits, after a {@code +} when it started with one.
	 * Spaces, dashes, dots and parentheses are allowed between the digits (a group may be in
	 * parentheses, e.g. {@code (010)} or {@code +86(10)}, not nested, not empty); anything else
	 * (a letter, a control character, a separator before the first digit or after the last one),
	 * or fewer than 5 or more than 20 digits, is not a phone number.
	 * @param value what the user typed
	 * @return {@code +digits} or {@code digits}, or {@code null} when it is not a phone number
	 */
	static @Nullable String normalize(String value) {
		String number = value.strip();
		boolean plus = number.startsWith("+");
		StringBuilder digits = new StringBuilder(number.length());
		boolean inParentheses = false;
		boolean digitInParentheses = false;
		char previous = plus ? '+' : 0;
		for (int i = plus ? 1 : 0; i < number.length(); i++) {
			char c = number.charAt(i);
			if (c >= '0' && c <= '9') {
				digits.append(c);
				digitInParentheses |= inParentheses;
			}
			else if (c == '(') {
				// one level, a group at a time: +86(10)1234, (010) 1234
				if (inParentheses || previous == ')') {
					return null;
				}
				inParentheses = true;
				digitInParentheses = false;
			}
			else if (c == ')') {
				if (!inParentheses || !digitInParentheses || !isDigit(previous)) {
					return null;
				}
				inParentheses = false;
			}
			else if (isSeparator(c)) {
				// only between digits (or after a closed group)
				if (!(isDigit(previous) || previous == ')' || isSeparator(previous)) || inParentheses) {
					return null;
				}
			}
			else {
				return null;
			}
			previous = c;
		}
		if (inParentheses || !(isDigit(previous) || previous == ')') || digits.length() < MIN_DIGITS
				|| digits.length() > MAX_DIGITS) {
			return null;
		}
		return plus ? "+" + digits : digits.toString();
	}

	/**
	 * The digits of whatever was typed, for a key that must be the same however the number is
	 * written: {@code +86 138-0000-0001}, {@code 0086 13800000001} and {@code 8613800000001} give
	 * {@code 8613800000001}. It gives what {@link #normalize(String)} gives for a well-formed
	 * number, without its leading {@code +} or {@code 00}; it never refuses: characters that are
	 * not separators are kept.
	 * @param value a phone number, possibly malformed
	 * @return the number without separators, a leading {@code +} or a leading {@code 00}
	 */
	static String keyOf(String value) {
		String digits = value.strip().replaceAll("[\\s\\-().]", "");
		if (digits.startsWith("+")) {
			return digits.substring(1);
		}
		return digits.startsWith("00") ? digits.substring(2) : digits;
	}

	private static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}

	private static boolean isSeparator(char c) {
		return c == ' ' || c == '-' || c == '.';
	}

}

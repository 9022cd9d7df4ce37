package dev.idaas.spring.web.flow;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one reading of a typed phone number: what is sent to IDaaS, and the limiter's key of
 * it, which must not depend on how the number was written.
 */
class PhoneNumbersTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			+86 138 0013 8000   | +8613800138000
			138-0013-8000       | 13800138000
			(010) 1234.5678     | 01012345678
			+86(10)1234-5678    | +861012345678
			+1 (555) 123 - 4567 | +15551234567
			' 0086 13800138000 '| 008613800138000
			12345               | 12345
			""")
	void normalizeWhenWrittenAsPeopleDoThenDigitsAfterAnyLeadingPlus(String written, String sent) {
		assertThat(PhoneNumbers.normalize(written)).isEqualTo(sent);
		assertThat(PhoneNumbers.keyOf(written)).isEqualTo(PhoneNumbers.keyOf(sent));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "+", "1234", "123456789012345678901", "138 0013 800O", "138_0013", "+ 138001380",
			"138001380-", ".138001380", "(138001380", "138001380)", "()138001380", "(13)(80)01380", "((13))8001380",
			"(13 8)001380", "138\t0013\t8000", "++8613800138000", "86+13800138000" })
	void normalizeWhenNotAPhoneNumberThenNull(String written) {
		assertThat(PhoneNumbers.normalize(written)).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "+86 138-0000-0001", "0086 13800000001", "8613800000001", "+86 (138) 0000.0001" })
	void keyOfWhenSameNumberWrittenDifferentlyThenSameKey(String written) {
		assertThat(PhoneNumbers.keyOf(written)).isEqualTo("8613800000001");
	}

}

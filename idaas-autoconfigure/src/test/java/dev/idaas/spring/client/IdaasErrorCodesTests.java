package dev.idaas.spring.client;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link IdaasErrorCodes#isWellFormed(String)}, the one definition of a well-formed
 * error code shared by the client and the pages.
 */
class IdaasErrorCodesTests {

	@ParameterizedTest
	@ValueSource(strings = { "IDAAS.SDK.PARAM.0001", "IDAAS.SDK.RISK-0001", "idaas.sdk.foo_bar", "a", "-", "0",
			"IDAAS.STARTER.UNKNOWN_ERROR", "Zz09.Aa",
			"A234567890123456789012345678901234567890123456789012345678901234" })
	void isWellFormedWhenLettersDigitsDotsUnderscoresDashesUpTo64ThenTrue(String code) {
		assertThat(IdaasErrorCodes.isWellFormed(code)).isTrue();
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "A2345678901234567890123456789012345678901234567890123456789012345", " IDAAS.SDK.X",
			"IDAAS.SDK.X ", "IDAAS SDK", "IDAAS.SDK.X\n", "IDAAS.SDK.X\t", "<script>", "IDAAS.SDK.X&y=1", "IDAAS/SDK",
			"IDAAS:SDK", "IDAAS.SDK.[", "IDAAS.SDK.{", "IDAAS.SDK.@", "IDAAS.SDK.`", "IDAAS.SDK.É", "IDAAS.SDK.１", "IDAAS.SDK.X\u202e", "错误" })
	void isWellFormedWhenEmptyTooLongOrOtherCharacterThenFalse(String code) {
		assertThat(IdaasErrorCodes.isWellFormed(code)).isFalse();
	}

}

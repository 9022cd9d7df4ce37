package dev.idaas.spring.web;

import org.junit.jupiter.api.Test;

import dev.idaas.spring.authentication.IdaasAuthenticationException;
import dev.idaas.spring.client.IdaasApiException;
import dev.idaas.spring.client.IdaasErrorCategory;
import dev.idaas.spring.client.IdaasErrorCodes;

import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.BadCredentialsException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ErrorStatuses}.
 */
class ErrorStatusesTests {

	@Test
	void ofWhenVendorRefusedThenBadRequestNeverBadGateway() {
		assertThat(ErrorStatuses.of(failure("IDAAS.SDK.RISK.0001", IdaasErrorCategory.VENDOR_REFUSED)))
			.isEqualTo(HttpStatus.BAD_REQUEST);
	}

	@Test
	void ofWhenUnintelligibleOrMalformedCodeThenBadGateway() {
		assertThat(ErrorStatuses.of(failure(IdaasErrorCodes.MALFORMED_RESPONSE, IdaasErrorCategory.PROTOCOL)))
			.isEqualTo(HttpStatus.BAD_GATEWAY);
		assertThat(ErrorStatuses.of(failure("IDAAS??X", IdaasErrorCategory.UNKNOWN))).isEqualTo(HttpStatus.BAD_GATEWAY);
	}

	@Test
	void ofWhenStateTokenUnknownToIdaasThenGone() {
		assertThat(ErrorStatuses.of(failure(IdaasErrorCodes.STATE_TOKEN_INVALID, IdaasErrorCategory.INVALID_REQUEST)))
			.isEqualTo(HttpStatus.GONE);
	}

	@Test
	void ofWhenCaptchaOrWrongCodeThenBadRequest() {
		for (String code : new String[] { IdaasErrorCodes.CAPTCHA_INVALID, IdaasErrorCodes.CODE_NOT_SENT,
				IdaasErrorCodes.VERIFY_CODE_INCORRECT }) {
			assertThat(ErrorStatuses.of(failure(code, IdaasErrorCategory.INVALID_REQUEST)))
				.isEqualTo(HttpStatus.BAD_REQUEST);
		}
	}

	@Test
	void ofWhenNotAnIdaasFailureThenUnauthorized() {
		assertThat(ErrorStatuses.of(new BadCredentialsException("no"))).isEqualTo(HttpStatus.UNAUTHORIZED);
	}

	@Test
	void vendorMessageWhenCauseIsApiExceptionThenItsSanitizedMessage() {
		IdaasApiException cause = new IdaasApiException("IDAAS.SDK.RISK.0001", IdaasErrorCategory.VENDOR_REFUSED, 400,
				"blocked\r\nnow", null);
		IdaasAuthenticationException ex = new IdaasAuthenticationException(cause.getErrorCode(), "x",
				cause.getCategory(), cause);
		assertThat(ex.getVendorMessage()).isEqualTo("blocked??now");
		assertThat(failure("IDAAS.SDK.RISK.0001", IdaasErrorCategory.VENDOR_REFUSED).getVendorMessage()).isNull();
	}

	private static IdaasAuthenticationException failure(String code, IdaasErrorCategory category) {
		return new IdaasAuthenticationException(code, "description", category, null);
	}

}

package dev.idaas.spring.web;

import java.util.Locale;

import org.junit.jupiter.api.Test;

import dev.idaas.spring.authentication.IdaasAuthenticationException;
import dev.idaas.spring.client.IdaasErrorCategory;
import dev.idaas.spring.client.IdaasErrorCodes;
import dev.idaas.spring.client.IdaasErrorMessages;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.web.WebAttributes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link LastAuthenticationFailure}: kept without its cause, taken once, only for its
 * own code.
 */
class LastAuthenticationFailureTests {

	private final MockHttpSession session = new MockHttpSession();

	private MockHttpServletRequest request() {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setSession(this.session);
		return request;
	}

	@Test
	void saveWhenIdaasFailureThenKeptWithoutCause() {
		LastAuthenticationFailure.save(request(), new IdaasAuthenticationException("IDAAS.SDK.BIND-0999", "refused",
				IdaasErrorCategory.VENDOR_REFUSED, "Vendor words", new IllegalStateException("upstream detail")));
		IdaasAuthenticationException kept = (IdaasAuthenticationException) this.session
			.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
		assertThat(kept.getErrorCode()).isEqualTo("IDAAS.SDK.BIND-0999");
		assertThat(kept.getDescription()).isEqualTo("refused");
		assertThat(kept.getCategory()).isEqualTo(IdaasErrorCategory.VENDOR_REFUSED);
		assertThat(kept.getVendorMessage()).isEqualTo("Vendor words");
		assertThat(kept.getCause()).isNull();
	}

	@Test
	void saveWhenNoSessionThenCreated() {
		MockHttpServletRequest request = new MockHttpServletRequest();
		LastAuthenticationFailure.save(request, new BadCredentialsException("bad"));
		assertThat(request.getSession(false).getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION))
			.isInstanceOf(BadCredentialsException.class);
	}

	@Test
	void takeVendorMessageWhenSameCodeThenVendorWordsOnce() {
		LastAuthenticationFailure.save(request(), new IdaasAuthenticationException("IDAAS.SDK.BIND-0999", "refused",
				IdaasErrorCategory.VENDOR_REFUSED, "Vendor words", null));
		assertThat(LastAuthenticationFailure.takeVendorMessage(request(), "IDAAS.SDK.BIND-0999")).isEqualTo("Vendor words");
		assertThat(this.session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION)).isNull();
		assertThat(LastAuthenticationFailure.takeVendorMessage(request(), "IDAAS.SDK.BIND-0999")).isNull();
	}

	@Test
	void takeMessageWhenVendorWordsKeptThenThemOnceThenTheStartersText() {
		IdaasErrorMessages messages = new IdaasErrorMessages();
		LastAuthenticationFailure.save(request(), new IdaasAuthenticationException("IDAAS.SDK.BIND-0999", "refused",
				IdaasErrorCategory.VENDOR_REFUSED, "Vendor words", null));
		assertThat(LastAuthenticationFailure.takeMessage(request(), "IDAAS.SDK.BIND-0999", messages, Locale.ENGLISH))
			.isEqualTo("Vendor words");
		assertThat(LastAuthenticationFailure.takeMessage(request(), "IDAAS.SDK.BIND-0999", messages, Locale.ENGLISH))
			.isEqualTo(messages.getMessage("IDAAS.SDK.BIND-0999", Locale.ENGLISH))
			.isNotEqualTo("Vendor words");
		assertThat(LastAuthenticationFailure.takeMessage(request(), IdaasErrorCodes.USER_DISABLED, messages,
				Locale.CHINESE)).isEqualTo(messages.getMessage(IdaasErrorCodes.USER_DISABLED, Locale.CHINESE));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LastAuthenticationFailure.takeMessage(request(), "IDAAS.SDK.X", null, Locale.ENGLISH))
			.withMessage("messages cannot be null");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LastAuthenticationFailure.takeMessage(request(), "IDAAS.SDK.X", messages, null))
			.withMessage("locale cannot be null");
	}

	@Test
	void takeVendorMessageWhenOtherCodeThenNothingAndKept() {
		LastAuthenticationFailure.save(request(), new IdaasAuthenticationException("IDAAS.SDK.BIND-0999", "refused",
				IdaasErrorCategory.VENDOR_REFUSED, "Vendor words", null));
		assertThat(LastAuthenticationFailure.takeVendorMessage(request(), "IDAAS.SDK.BIND-0998")).isNull();
		assertThat(LastAuthenticationFailure.takeVendorMessage(request(), "idaas.sdk.bind-0999")).isNull();
		assertThat(this.session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION)).isNotNull();
	}

	@Test
	void takeVendorMessageWhenKnownCodeWithoutVendorWordsThenNullAndRemoved() {
		LastAuthenticationFailure.save(request(), new IdaasAuthenticationException(IdaasErrorCodes.USER_DISABLED,
				"User is disabled", IdaasErrorCategory.USER_DISABLED, null, null));
		assertThat(LastAuthenticationFailure.takeVendorMessage(request(), IdaasErrorCodes.USER_DISABLED)).isNull();
		assertThat(this.session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION)).isNull();
	}

	@Test
	void takeVendorMessageWhenNotAnIdaasFailureThenNullAndRemovedForUnknownError() {
		LastAuthenticationFailure.save(request(), new BadCredentialsException("bad"));
		assertThat(LastAuthenticationFailure.takeVendorMessage(request(), "bad")).isNull();
		assertThat(this.session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION)).isNotNull();
		assertThat(LastAuthenticationFailure.takeVendorMessage(request(), IdaasErrorCodes.UNKNOWN_ERROR)).isNull();
		assertThat(this.session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION)).isNull();
	}

	@Test
	void takeVendorMessageWhenNoSessionThenNullAndNoSessionCreated() {
		MockHttpServletRequest request = new MockHttpServletRequest();
		assertThat(LastAuthenticationFailure.takeVendorMessage(request, "IDAAS.SDK.BIND-0999")).isNull();
		assertThat(request.getSession(false)).isNull();
	}

	@Test
	void takeVendorMessageWhenSessionHoldsSomethingElseThenNullAndLeftAlone() {
		this.session.setAttribute(WebAttributes.AUTHENTICATION_EXCEPTION, "not an exception");
		assertThat(LastAuthenticationFailure.takeVendorMessage(request(), "IDAAS.SDK.BIND-0999")).isNull();
		assertThat(this.session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION)).isEqualTo("not an exception");
	}

	@Test
	void methodsWhenNullThenIllegalArgument() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LastAuthenticationFailure.save(null, new BadCredentialsException("bad")))
			.withMessage("request cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> LastAuthenticationFailure.save(request(), null))
			.withMessage("exception cannot be null");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LastAuthenticationFailure.takeVendorMessage(null, "IDAAS.SDK.X"))
			.withMessage("request cannot be null");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LastAuthenticationFailure.takeVendorMessage(request(), null))
			.withMessage("errorCode cannot be null");
	}

}

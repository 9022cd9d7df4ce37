package dev.idaas.demo.web;

import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.authentication.TestingAuthenticationToken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link SignedInUser}.
 */
class SignedInUserTests {

	@Test
	void ofWhenSignedOutMeanwhileThenAuthenticationExceptionNotNullPointer() {
		// a logout on another request empties the context this request loaded from the session
		assertThatExceptionOfType(AuthenticationCredentialsNotFoundException.class)
			.isThrownBy(() -> SignedInUser.of(null));
	}

	@Test
	void ofWhenNotOidcUserThenNameOnly() {
		SignedInUser user = SignedInUser.of(new TestingAuthenticationToken("bob", "n/a", "ROLE_USER"));
		assertThat(user.sub()).isEqualTo("bob");
		assertThat(user.email()).isNull();
		assertThat(user.refreshCount()).isZero();
	}

}

package dev.idaas.spring.web;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LocalRedirects}.
 */
class LocalRedirectsTests {

	@ParameterizedTest
	@ValueSource(strings = { "/", "/private", "/private?continue", "/a/b?x=1&y=%20z#top", "/login?error&code=X",
			"/caf%C3%A9", "/a//b" })
	void isLocalWhenAbsolutePathThenTrue(String target) {
		assertThat(LocalRedirects.isLocal(target)).isTrue();
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "//evil.example", "///evil.example", "https://evil.example", "http://evil.example/x",
			"/\\evil.example", "\\\\evil.example", "\\/evil.example", "/%2F%2Fevil.example", "/%2fevil.example",
			"/%5Cevil.example", "/%5cevil.example", "javascript:alert(1)", "evil.example", "private",
			"/\tevil.example", "/\n/evil.example", "/\r\nSet-Cookie: x=1", "/%0d%0aSet-Cookie:x", "/%0A", "/%00",
			"/ evil", "/\u007fx", " /private", "//", "/a\\b" })
	void isLocalWhenOffSiteOrMalformedThenFalse(String target) {
		assertThat(LocalRedirects.isLocal(target)).isFalse();
	}

}

package dev.idaas.spring.jwt;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.core.oidc.OidcIdToken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link VerifiedIdTokenParser}: an id_token read back from a serialized session has
 * the claim types the verifier gives ({@code aud} a list, times {@link Instant}s), so the
 * application sees the same user after a restart or on another node.
 */
class VerifiedIdTokenParserTests {

	@Test
	void parseWhenAudIsAStringThenAudienceIsAOneElementList() {
		OidcIdToken token = VerifiedIdTokenParser.parse(jws("{\"sub\":\"alice\",\"aud\":\"app-client-id\"}"));

		assertThat(token.getAudience()).containsExactly("app-client-id");
		assertThat(token.getClaims().get("aud")).isEqualTo(List.of("app-client-id"));
	}

	@Test
	void parseWhenAudIsAnArrayThenAudienceKeepsEveryEntryInOrder() {
		OidcIdToken token = VerifiedIdTokenParser
			.parse(jws("{\"sub\":\"alice\",\"aud\":[\"app-client-id\",\"other-app\"]}"));

		assertThat(token.getAudience()).containsExactly("app-client-id", "other-app");
	}

	@Test
	void parseWhenClaimIsNullThenItIsLeftOut() {
		OidcIdToken token = VerifiedIdTokenParser
			.parse(jws("{\"sub\":\"alice\",\"nickname\":null,\"email\":\"alice@example.com\"}"));

		assertThat(token.getClaims()).containsOnlyKeys("sub", "email");
		assertThat(token.getEmail()).isEqualTo("alice@example.com");
	}

	@Test
	void parseWhenTimeClaimsAreNumbersThenInstants() {
		OidcIdToken token = VerifiedIdTokenParser.parse(jws("{\"sub\":\"alice\",\"iat\":1767225600,"
				+ "\"exp\":1767225900,\"nbf\":1767225600,\"auth_time\":1767225500,\"updated_at\":1767225000}"));

		assertThat(token.getIssuedAt()).isEqualTo(Instant.ofEpochSecond(1767225600));
		assertThat(token.getExpiresAt()).isEqualTo(Instant.ofEpochSecond(1767225900));
		assertThat(token.getAuthenticatedAt()).isEqualTo(Instant.ofEpochSecond(1767225500));
		assertThat(token.getUpdatedAt()).isEqualTo(Instant.ofEpochSecond(1767225000));
		assertThat(token.getClaims().get("nbf")).isEqualTo(Instant.ofEpochSecond(1767225600));
	}

	@Test
	void parseWhenOtherNumberClaimThenKeptAsNumber() {
		OidcIdToken token = VerifiedIdTokenParser.parse(jws("{\"sub\":\"alice\",\"age\":42,\"locale\":\"zh-CN\"}"));

		assertThat(token.getClaims().get("age")).isEqualTo(42);
		assertThat(token.getLocale()).isEqualTo("zh-CN");
		assertThat(token.getTokenValue()).startsWith("eyJ");
	}

	@Test
	void parseWhenNotACompactJwsThenIllegalArgument() {
		assertThatIllegalArgumentException().isThrownBy(() -> VerifiedIdTokenParser.parse(""))
			.withMessage("idToken cannot be empty");
		assertThatIllegalArgumentException().isThrownBy(() -> VerifiedIdTokenParser.parse("a.b"))
			.withMessage("idToken must be a compact JWS");
	}

	private static String jws(String payload) {
		Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
		return encoder.encodeToString("{\"alg\":\"RS256\",\"kid\":\"k1\"}".getBytes(StandardCharsets.UTF_8)) + "."
				+ encoder.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
	}

}

package dev.idaas.spring.jwt;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.util.Assert;

/**
 * Rebuilds the {@link OidcIdToken} of an id_token that was verified earlier, from its payload
 * alone, with the same claim types {@link JwksIdTokenVerifier} produces ({@code aud} a list,
 * time claims {@link Instant}s). It checks nothing: use it only for tokens read back from the
 * application's own trusted store, such as a serialized session.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public final class VerifiedIdTokenParser {

	private static final Set<String> TIME_CLAIMS = Set.of(IdTokenClaimNames.EXP, IdTokenClaimNames.IAT,
			"nbf", IdTokenClaimNames.AUTH_TIME, "updated_at");

	private static final TypeReference<Map<String, Object>> MAP_TYPE = new TypeReference<>() {
	};

	private static final JsonMapper mapper = JacksonJwtDeserializer.defaultJsonMapper();

	private VerifiedIdTokenParser() {
	}

	/**
	 * Reads the claims of a previously verified id_token.
	 * @param idToken the compact JWS
	 * @return the token with its claims
	 */
	public static OidcIdToken parse(String idToken) {
		Assert.hasText(idToken, "idToken cannot be empty");
		String[] parts = idToken.split("\\.", -1);
		Assert.isTrue(parts.length == 3, "idToken must be a compact JWS");
		Map<String, Object> raw = mapper.readValue(Base64.getUrlDecoder().decode(parts[1]), MAP_TYPE);
		Map<String, Object> claims = new LinkedHashMap<>();
		raw.forEach((name, value) -> {
			if (value == null) {
				return;
			}
			if (IdTokenClaimNames.AUD.equals(name)) {
				// JDK list types that sessions stored as JSON can read back (List.copyOf's cannot)
				claims.put(name, (value instanceof Collection<?> values)
						? Collections.unmodifiableList(new ArrayList<>(values)) : Collections.singletonList(value));
			}
			else if (TIME_CLAIMS.contains(name) && value instanceof Number number) {
				claims.put(name, Instant.ofEpochSecond(number.longValue()));
			}
			else {
				claims.put(name, value);
			}
		});
		return new OidcIdToken(idToken, (Instant) claims.get(IdTokenClaimNames.IAT),
				(Instant) claims.get(IdTokenClaimNames.EXP), claims);
	}

}

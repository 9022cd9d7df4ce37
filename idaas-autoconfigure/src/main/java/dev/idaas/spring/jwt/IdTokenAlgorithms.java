package dev.idaas.spring.jwt;

import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The one list of JWS algorithms an id_token may be signed with, shared by
 * {@link JwksIdTokenVerifier} (the header's {@code alg}), {@link JwkSetKeySource} (a key's
 * {@code alg}) and the {@code idaas.id-token.algorithms} property check, so the three never
 * disagree. The keys come from the tenant's JSON Web Key Set as RSA public keys, so only RSA
 * signatures are possible: {@code RS256}, {@code RS384}, {@code RS512} (RSASSA-PKCS1-v1_5) and
 * {@code PS256}, {@code PS384}, {@code PS512} (RSASSA-PSS). {@code none}, HMAC ({@code HS*})
 * and elliptic-curve algorithms are never accepted. The vendor signs with {@code RS256}, the
 * {@link #DEFAULT default}. Names are case-sensitive, as in JWA (RFC 7518).
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see JwksIdTokenVerifier#setAllowedAlgorithms(Set)
 */
public final class IdTokenAlgorithms {

	/**
	 * The algorithm the vendor signs with, and the only one accepted by default.
	 */
	public static final String DEFAULT = "RS256";

	/**
	 * Every algorithm that can be allowed, in a stable order.
	 */
	public static final List<String> SUPPORTED = List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512");

	private static final Set<String> SUPPORTED_SET = Set.copyOf(SUPPORTED);

	private IdTokenAlgorithms() {
	}

	/**
	 * Whether an algorithm name can be allowed for id_tokens.
	 * @param algorithm the JWS {@code alg} value, or {@code null}
	 * @return {@code true} for {@code RS256}, {@code RS384}, {@code RS512}, {@code PS256},
	 * {@code PS384} and {@code PS512} exactly
	 * @since 0.1
	 */
	public static boolean isSupported(@Nullable Object algorithm) {
		return algorithm instanceof String name && SUPPORTED_SET.contains(name);
	}

	/**
	 * Whether every name of a non-empty collection can be allowed.
	 * @param algorithms the names
	 * @return {@code true} when the collection is not empty and holds only supported names
	 * @since 0.1
	 */
	public static boolean areSupported(@Nullable Collection<?> algorithms) {
		return algorithms != null && !algorithms.isEmpty() && algorithms.stream().allMatch(IdTokenAlgorithms::isSupported);
	}

}

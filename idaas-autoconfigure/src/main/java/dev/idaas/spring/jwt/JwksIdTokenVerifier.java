package dev.idaas.spring.jwt;

import java.security.Key;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.JweHeader;
import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.MalformedJwtException;
import io.jsonwebtoken.PrematureJwtException;
import io.jsonwebtoken.UnsupportedJwtException;
import io.jsonwebtoken.security.KeyException;
import io.jsonwebtoken.security.SecureDigestAlgorithm;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.StandardClaimNames;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * An {@link IdTokenVerifier} that checks an IDaaS id_token against the tenant's JSON Web Key
 * Set, in the order that keeps a forged token cheap to reject:
 * <ol>
 * <li>the size, before anything is decoded ({@link #setMaxTokenLength(int) 16 KiB} by
 * default);</li>
 * <li>the shape: a compact JWS of exactly three non-empty base64url segments. Unsecured
 * ({@code alg: none}) and encrypted (JWE) tokens are rejected;</li>
 * <li>the header: {@code alg} in the {@link #setAllowedAlgorithms(Set) allowlist} (only
 * {@code RS256} by default, from {@link IdTokenAlgorithms}), a {@code kid}, a {@code typ} that
 * is {@code JWT} when present (case-insensitive; {@code at+jwt} and other types are refused, so
 * an access token or logout token signed with the same key is not taken for an id_token), no
 * {@code crit} and no {@code zip}. The
 * {@code jku}, {@code x5u}, {@code jwk} and {@code x5c} headers are never dereferenced nor
 * trusted: the key always comes from the configured {@link JwkSetKeySource}, and is always an
 * RSA public key, so an HMAC signature made with the public key as a secret cannot pass;</li>
 * <li>the signature, with the key found by {@code kid};</li>
 * <li>the claims: {@code iss} equal to the expected issuer; {@code aud} containing the client
 * id and, when it has several values or an {@code azp} is present, {@code azp} equal to the
 * client id; {@code exp} present and not past; {@code nbf} and {@code iat} not in the future;
 * {@code sub} present. Time comparisons allow a {@link #setClockSkew(Duration) clock skew} (30
 * seconds by default).</li>
 * </ol>
 * Every failure is an {@link InvalidIdTokenException} whose reason names the rule that failed
 * and never contains the token.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see JwkSetKeySource
 */
public final class JwksIdTokenVerifier implements IdTokenVerifier {

	private static final Log logger = LogFactory.getLog(JwksIdTokenVerifier.class);

	private static final Set<String> TIME_CLAIMS = Set.of(IdTokenClaimNames.EXP, IdTokenClaimNames.IAT,
			IdTokenClaimNames.AUTH_TIME, "nbf", StandardClaimNames.UPDATED_AT);

	private static final String AZP = IdTokenClaimNames.AZP;

	private final JwkSetKeySource keySource;

	private final String issuer;

	private final String clientId;

	private final JacksonJwtDeserializer json = new JacksonJwtDeserializer();

	private volatile Set<String> allowedAlgorithms = Set.of(IdTokenAlgorithms.DEFAULT);

	private volatile Duration clockSkew = Duration.ofSeconds(30);

	private volatile Clock clock = Clock.systemUTC();

	private volatile int maxTokenLength = 16 * 1024;

	// jjwt's parser is immutable and thread-safe: built once per configuration, not per id_token
	private volatile JwtParser parser;

	/**
	 * Creates a verifier.
	 * @param keySource the tenant's signature verification keys
	 * @param issuer the expected {@code iss}, by default {@code {base-url}/api/v1/oauth2}
	 * @param clientId the application's client id, expected in {@code aud}
	 * @since 0.1
	 */
	public JwksIdTokenVerifier(JwkSetKeySource keySource, String issuer, String clientId) {
		Assert.notNull(keySource, "keySource cannot be null");
		Assert.hasText(issuer, "issuer cannot be empty");
		Assert.hasText(clientId, "clientId cannot be empty");
		this.keySource = keySource;
		this.issuer = issuer;
		this.clientId = clientId;
		this.parser = buildParser();
	}

	/**
	 * Sets the JWS algorithms accepted in the token header. The default is {@code RS256} only.
	 * Only the {@link IdTokenAlgorithms#SUPPORTED RSA signature algorithms} ({@code RS256},
	 * {@code RS384}, {@code RS512}, {@code PS256}, {@code PS384}, {@code PS512}) can be allowed,
	 * since the keys are RSA keys.
	 * @param allowedAlgorithms the algorithm names, not empty
	 * @since 0.1
	 */
	public void setAllowedAlgorithms(Set<String> allowedAlgorithms) {
		Assert.notEmpty(allowedAlgorithms, "allowedAlgorithms cannot be empty");
		for (String algorithm : allowedAlgorithms) {
			Assert.isTrue(IdTokenAlgorithms.isSupported(algorithm),
					() -> "allowedAlgorithms can only contain " + IdTokenAlgorithms.SUPPORTED + ", not " + algorithm);
		}
		this.allowedAlgorithms = Set.copyOf(allowedAlgorithms);
		this.parser = buildParser();
	}

	/**
	 * Sets the tolerance allowed when comparing {@code exp}, {@code nbf} and {@code iat} with
	 * the clock. The default is 30 seconds.
	 * @param clockSkew the tolerance, zero or positive
	 * @since 0.1
	 */
	public void setClockSkew(Duration clockSkew) {
		Assert.notNull(clockSkew, "clockSkew cannot be null");
		Assert.isTrue(!clockSkew.isNegative(), "clockSkew cannot be negative");
		this.clockSkew = clockSkew;
		this.parser = buildParser();
	}

	/**
	 * Sets the clock the time claims are compared with. The default is
	 * {@link Clock#systemUTC()}.
	 * @param clock the clock
	 * @since 0.1
	 */
	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	/**
	 * Sets the longest token accepted, in characters; longer tokens are rejected before they are
	 * decoded. The default is 16 KiB.
	 * @param maxTokenLength the maximum length, positive
	 * @since 0.1
	 */
	public void setMaxTokenLength(int maxTokenLength) {
		Assert.isTrue(maxTokenLength > 0, "maxTokenLength must be positive");
		this.maxTokenLength = maxTokenLength;
	}

	/**
	 * Verifies the token and returns it with its claims; {@code aud} is a list of strings and the
	 * time claims ({@code exp}, {@code iat}, {@code nbf}, {@code auth_time},
	 * {@code updated_at}) are {@link Instant}s.
	 * @param idToken the compact JWS
	 * @return the verified token
	 * @throws InvalidIdTokenException when the token is not acceptable, for any reason
	 * @since 0.1
	 */
	@Override
	public OidcIdToken verify(String idToken) {
		if (!StringUtils.hasLength(idToken)) {
			throw new InvalidIdTokenException("empty");
		}
		if (idToken.length() > this.maxTokenLength) {
			throw new InvalidIdTokenException("too large");
		}
		checkHeader(idToken);
		Claims claims = parse(idToken);
		try {
			return checkClaims(idToken, claims);
		}
		catch (InvalidIdTokenException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			// a claim of an unexpected type, e.g. a numeric "sub"; the claim value stays out of the message
			throw new InvalidIdTokenException("malformed claims");
		}
	}

	private void checkHeader(String idToken) {
		String[] segments = idToken.split("\\.", -1);
		if (segments.length == 5) {
			throw new InvalidIdTokenException("encrypted tokens (JWE) are not supported");
		}
		if (segments.length != 3) {
			throw new InvalidIdTokenException("malformed: not a compact JWS");
		}
		if (segments[2].isEmpty()) {
			throw new InvalidIdTokenException("unsecured tokens are not accepted");
		}
		for (String segment : segments) {
			if (!isBase64Url(segment)) {
				throw new InvalidIdTokenException("malformed: invalid base64url");
			}
		}
		Map<String, Object> header;
		try {
			header = this.json.readObject(Base64.getUrlDecoder().decode(segments[0]));
		}
		catch (RuntimeException ex) {
			throw new InvalidIdTokenException("malformed header");
		}
		if (!(header.get("alg") instanceof String algorithm)) {
			throw new InvalidIdTokenException("missing alg");
		}
		if ("none".equalsIgnoreCase(algorithm)) {
			throw new InvalidIdTokenException("unsecured tokens are not accepted");
		}
		if (!this.allowedAlgorithms.contains(algorithm)) {
			throw new InvalidIdTokenException("algorithm not allowed");
		}
		if (header.containsKey("typ") && !jwtType(header.get("typ"))) {
			throw new InvalidIdTokenException("type not allowed");
		}
		if (header.containsKey("enc")) {
			throw new InvalidIdTokenException("encrypted tokens (JWE) are not supported");
		}
		if (header.containsKey("crit")) {
			throw new InvalidIdTokenException("critical header parameters are not supported");
		}
		if (header.containsKey("zip")) {
			throw new InvalidIdTokenException("compressed tokens are not supported");
		}
		if (!(header.get("kid") instanceof String keyId) || keyId.isBlank()) {
			throw new InvalidIdTokenException("missing kid");
		}
	}

	// RFC 7515 4.1.9: "JWT" or its media type; anything else (at+jwt, logout+jwt...) is another kind of token
	private static boolean jwtType(@Nullable Object type) {
		return type instanceof String name && ("JWT".equalsIgnoreCase(name) || "application/jwt".equalsIgnoreCase(name));
	}

	private static boolean isBase64Url(String segment) {
		if (segment.isEmpty()) {
			return false;
		}
		for (int i = 0; i < segment.length(); i++) {
			char c = segment.charAt(i);
			boolean valid = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
					|| c == '_';
			if (!valid) {
				return false;
			}
		}
		// a single character left over after groups of four cannot encode whole bytes
		return segment.length() % 4 != 1;
	}

	private Claims parse(String idToken) {
		try {
			return this.parser.parseSignedClaims(idToken).getPayload();
		}
		catch (InvalidIdTokenException ex) {
			throw ex;
		}
		catch (ExpiredJwtException ex) {
			throw new InvalidIdTokenException("expired");
		}
		catch (PrematureJwtException ex) {
			throw new InvalidIdTokenException("not yet valid");
		}
		catch (KeyException ex) {
			throw rejected("key not usable", ex);
		}
		catch (io.jsonwebtoken.security.SecurityException ex) {
			throw rejected("invalid signature", ex);
		}
		catch (MalformedJwtException ex) {
			throw rejected("malformed", ex);
		}
		catch (UnsupportedJwtException ex) {
			throw rejected("unsupported token", ex);
		}
		catch (JwtException ex) {
			throw rejected("rejected", ex);
		}
		catch (RuntimeException ex) {
			throw rejected("malformed", ex);
		}
	}

	// jjwt's messages can quote the header or claims, so its exception is not kept as the cause
	private static InvalidIdTokenException rejected(String reason, RuntimeException ex) {
		if (logger.isDebugEnabled()) {
			logger.debug("id_token rejected (" + reason + ") by " + ex.getClass().getName());
		}
		return new InvalidIdTokenException(reason);
	}

	private JwtParser buildParser() {
		Set<String> allowed = this.allowedAlgorithms;
		return Jwts.parser()
			.json(this.json)
			.keyLocator(new JwkSetKeyLocator(allowed))
			.sig()
			.clear()
			.add(signatureAlgorithms(allowed))
			.and()
			.clock(() -> Date.from(this.clock.instant()))
			.clockSkewSeconds(this.clockSkew.toSeconds())
			.build();
	}

	private static List<SecureDigestAlgorithm<?, ?>> signatureAlgorithms(Set<String> names) {
		return names.stream().<SecureDigestAlgorithm<?, ?>>map((name) -> Jwts.SIG.get().forKey(name)).toList();
	}

	private OidcIdToken checkClaims(String idToken, Claims claims) {
		Instant now = this.clock.instant();
		Duration skew = this.clockSkew;
		if (!this.issuer.equals(claims.getIssuer())) {
			throw new InvalidIdTokenException(
					(claims.getIssuer() != null) ? "issuer mismatch" : "missing issuer");
		}
		Set<String> audience = claims.getAudience();
		if (audience == null || audience.isEmpty()) {
			throw new InvalidIdTokenException("missing audience");
		}
		if (!audience.contains(this.clientId)) {
			throw new InvalidIdTokenException("audience mismatch");
		}
		Object authorizedParty = claims.get(AZP);
		if (audience.size() > 1 && authorizedParty == null) {
			throw new InvalidIdTokenException("missing azp for multiple audiences");
		}
		if (authorizedParty != null && !this.clientId.equals(authorizedParty)) {
			throw new InvalidIdTokenException("authorized party mismatch");
		}
		Instant expiresAt = instant(claims.getExpiration());
		if (expiresAt == null) {
			throw new InvalidIdTokenException("missing exp");
		}
		if (now.isAfter(expiresAt.plus(skew))) {
			throw new InvalidIdTokenException("expired");
		}
		Instant notBefore = instant(claims.getNotBefore());
		if (notBefore != null && now.plus(skew).isBefore(notBefore)) {
			throw new InvalidIdTokenException("not yet valid");
		}
		Instant issuedAt = instant(claims.getIssuedAt());
		if (issuedAt != null && now.plus(skew).isBefore(issuedAt)) {
			throw new InvalidIdTokenException("issued in the future");
		}
		if (issuedAt != null && !expiresAt.isAfter(issuedAt)) {
			throw new InvalidIdTokenException("exp not after iat");
		}
		if (!StringUtils.hasText(claims.getSubject())) {
			throw new InvalidIdTokenException("missing sub");
		}
		return new OidcIdToken(idToken, issuedAt, expiresAt, toOidcClaims(claims, audience));
	}

	private static Map<String, Object> toOidcClaims(Claims claims, Set<String> audience) {
		Map<String, Object> oidcClaims = new LinkedHashMap<>();
		claims.forEach((name, value) -> {
			if (value == null) {
				return;
			}
			if (IdTokenClaimNames.AUD.equals(name)) {
				// a JDK list type that sessions stored as JSON can read back (List.copyOf's cannot)
				oidcClaims.put(name, Collections.unmodifiableList(new ArrayList<>(audience)));
			}
			else if (TIME_CLAIMS.contains(name)) {
				Instant instant = instant(value);
				if (instant == null) {
					throw new InvalidIdTokenException("malformed time claim");
				}
				oidcClaims.put(name, instant);
			}
			else {
				oidcClaims.put(name, value);
			}
		});
		return oidcClaims;
	}

	private static @Nullable Instant instant(@Nullable Object value) {
		if (value instanceof Date date) {
			return date.toInstant();
		}
		if (value instanceof Instant instant) {
			return instant;
		}
		if (value instanceof Number number) {
			return Instant.ofEpochSecond(number.longValue());
		}
		return null;
	}

	/**
	 * Finds the verification key by {@code kid} in the configured key set only; every other key
	 * source a header could point to ({@code jku}, {@code x5u}, {@code jwk}, {@code x5c}) is
	 * ignored.
	 */
	private final class JwkSetKeyLocator extends LocatorAdapter<Key> {

		private final Set<String> allowedAlgorithms;

		JwkSetKeyLocator(Set<String> allowedAlgorithms) {
			this.allowedAlgorithms = allowedAlgorithms;
		}

		@Override
		protected Key locate(JwsHeader header) {
			// checked again here so the key is never chosen for an algorithm that is not allowed
			if (!this.allowedAlgorithms.contains(header.getAlgorithm())) {
				throw new InvalidIdTokenException("algorithm not allowed");
			}
			String keyId = header.getKeyId();
			if (!StringUtils.hasText(keyId)) {
				throw new InvalidIdTokenException("missing kid");
			}
			RSAPublicKey key = JwksIdTokenVerifier.this.keySource.getKey(keyId);
			if (key == null) {
				JwkSetFetchResult lastFetch = JwksIdTokenVerifier.this.keySource.getLastFetch();
				if (JwksIdTokenVerifier.this.keySource.getKeyCount() == 0 && lastFetch != null
						&& !lastFetch.successful()) {
					throw new JwkSetUnavailableException();
				}
				throw new InvalidIdTokenException("unknown key id");
			}
			return key;
		}

		@Override
		protected Key locate(JweHeader header) {
			throw new InvalidIdTokenException("encrypted tokens (JWE) are not supported");
		}

	}

}

package dev.idaas.spring.jwt;

import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.util.Assert;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

/**
 * The tenant's RSA signature verification keys, read from its JSON Web Key Set (by default
 * {@code {base-url}/api/v1/oauth2/keys}) and cached by key id ({@code kid}).
 * <p>
 * The key set is fetched lazily, on the first lookup, so a tenant that is down while the
 * application starts does not stop it. A lookup of an unknown {@code kid} fetches the key set
 * again, which is how a rotated key is picked up, but at most once per
 * {@link #setMinRefetchInterval(Duration) minimum refetch interval}: a flood of forged tokens
 * carrying random key ids cannot turn into a flood of requests to the tenant. Concurrent misses
 * wait for, and share, a single fetch. A failed fetch keeps the keys already cached.
 * <p>
 * Only entries with {@code "kty":"RSA"}, a {@code kid}, {@code n} and {@code e}, no {@code use}
 * other than {@code sig}, an {@code alg} (when present) among {@link IdTokenAlgorithms} and a
 * modulus of at least 2048 bits are kept; other entries are skipped
 * without failing the whole set.
 * <p>
 * The {@link RestClient} is the caller's, so that the caller controls the timeouts.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see JwksIdTokenVerifier
 */
public final class JwkSetKeySource {

	/**
	 * The smallest RSA modulus accepted, in bits.
	 */
	static final int MIN_RSA_KEY_SIZE = 2048;

	private static final Log logger = LogFactory.getLog(JwkSetKeySource.class);

	private final RestClient restClient;

	private final URI jwkSetUri;

	private final JacksonJwtDeserializer json = new JacksonJwtDeserializer();

	private final Object fetchLock = new Object();

	private final AtomicLong fetchCount = new AtomicLong();

	private volatile Clock clock = Clock.systemUTC();

	private volatile Duration minRefetchInterval = Duration.ofSeconds(30);

	private volatile Map<String, RSAPublicKey> keys = Map.of();

	private volatile @Nullable JwkSetFetchResult lastFetch;

	private volatile @Nullable Instant lastSuccessfulFetchTime;

	/**
	 * Creates a key source; nothing is fetched until the first lookup.
	 * @param restClient the client used to fetch the key set, configured with timeouts
	 * @param jwkSetUri the address of the tenant's JSON Web Key Set
	 * @since 0.1
	 */
	public JwkSetKeySource(RestClient restClient, URI jwkSetUri) {
		Assert.notNull(restClient, "restClient cannot be null");
		Assert.notNull(jwkSetUri, "jwkSetUri cannot be null");
		Assert.isTrue(jwkSetUri.isAbsolute(), "jwkSetUri must be absolute");
		this.restClient = restClient;
		this.jwkSetUri = jwkSetUri;
	}

	/**
	 * Sets the clock used to time fetches. The default is {@link Clock#systemUTC()}.
	 * @param clock the clock
	 * @since 0.1
	 */
	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	/**
	 * Sets the shortest time between two fetches of the key set, successful or not. The default
	 * is 30 seconds.
	 * @param minRefetchInterval the interval, zero or positive
	 * @since 0.1
	 */
	public void setMinRefetchInterval(Duration minRefetchInterval) {
		Assert.notNull(minRefetchInterval, "minRefetchInterval cannot be null");
		Assert.isTrue(!minRefetchInterval.isNegative(), "minRefetchInterval cannot be negative");
		this.minRefetchInterval = minRefetchInterval;
	}

	/**
	 * Returns the RSA public key with the given key id, fetching the key set when the id is not
	 * cached and the minimum refetch interval allows it.
	 * @param keyId the {@code kid} of a JWS header
	 * @return the key, or {@code null} if the tenant does not publish (or could not be asked
	 * about) a usable RSA key with that id
	 * @since 0.1
	 */
	public @Nullable RSAPublicKey getKey(String keyId) {
		Assert.hasText(keyId, "keyId cannot be empty");
		RSAPublicKey key = this.keys.get(keyId);
		if (key != null) {
			return key;
		}
		synchronized (this.fetchLock) {
			// another thread may have fetched the key set while this one waited
			key = this.keys.get(keyId);
			if (key != null) {
				return key;
			}
			if (!isFetchAllowed(this.clock.instant())) {
				logger.debug("Unknown key id; JSON Web Key Set fetched too recently to fetch it again");
				return null;
			}
			fetch();
			return this.keys.get(keyId);
		}
	}

	/**
	 * Fetches the key set now, unless it was fetched less than the minimum refetch interval
	 * ago. A failure is logged and recorded, never thrown, so this can warm the cache at
	 * start-up without stopping the application when the tenant is down.
	 * @return {@code true} if the key set was fetched and replaced the cached keys
	 * @since 0.1
	 */
	public boolean refresh() {
		synchronized (this.fetchLock) {
			if (!isFetchAllowed(this.clock.instant())) {
				return false;
			}
			return fetch().successful();
		}
	}

	/**
	 * Returns the address the key set is fetched from.
	 * @return the JSON Web Key Set URI
	 * @since 0.1
	 */
	public URI getJwkSetUri() {
		return this.jwkSetUri;
	}

	/**
	 * Returns the number of usable keys cached.
	 * @return the key count, {@code 0} before the first successful fetch
	 * @since 0.1
	 */
	public int getKeyCount() {
		return this.keys.size();
	}

	/**
	 * Returns the outcome of the latest fetch attempt.
	 * @return the latest fetch, or {@code null} if the key set was never fetched
	 * @since 0.1
	 */
	public @Nullable JwkSetFetchResult getLastFetch() {
		return this.lastFetch;
	}

	/**
	 * Returns when the key set was last fetched successfully.
	 * @return the time, or {@code null} if no fetch has succeeded yet
	 * @since 0.1
	 */
	public @Nullable Instant getLastSuccessfulFetchTime() {
		return this.lastSuccessfulFetchTime;
	}

	/**
	 * Returns how many times the key set was requested, successfully or not.
	 * @return the fetch count
	 * @since 0.1
	 */
	public long getFetchCount() {
		return this.fetchCount.get();
	}

	private boolean isFetchAllowed(Instant now) {
		JwkSetFetchResult last = this.lastFetch;
		return last == null || !now.isBefore(last.time().plus(this.minRefetchInterval));
	}

	// callers hold fetchLock
	private JwkSetFetchResult fetch() {
		Instant now = this.clock.instant();
		this.fetchCount.incrementAndGet();
		JwkSetFetchResult result;
		try {
			String body = this.restClient.get()
				.uri(this.jwkSetUri)
				.accept(MediaType.APPLICATION_JSON)
				.retrieve()
				.body(String.class);
			Map<String, RSAPublicKey> fetched = parse(body);
			this.keys = Map.copyOf(fetched);
			this.lastSuccessfulFetchTime = now;
			result = JwkSetFetchResult.success(now, fetched.size());
			if (logger.isDebugEnabled()) {
				logger.debug("Fetched JSON Web Key Set from " + this.jwkSetUri + " with key ids " + fetched.keySet());
			}
		}
		catch (RestClientResponseException ex) {
			result = failed(now, "HTTP " + ex.getStatusCode().value());
		}
		catch (InvalidJwkSetException ex) {
			result = failed(now, ex.getMessage());
		}
		catch (RuntimeException ex) {
			result = failed(now, ex.getClass().getSimpleName());
		}
		this.lastFetch = result;
		return result;
	}

	private JwkSetFetchResult failed(Instant now, String failure) {
		logger.warn("Could not fetch the JSON Web Key Set from " + this.jwkSetUri + " (" + failure + "); keeping "
				+ this.keys.size() + " cached key(s)");
		return JwkSetFetchResult.failure(now, failure);
	}

	private Map<String, RSAPublicKey> parse(@Nullable String body) {
		if (body == null || body.isBlank()) {
			throw new InvalidJwkSetException("empty body");
		}
		Map<String, Object> document;
		try {
			document = this.json.readObject(body.getBytes(StandardCharsets.UTF_8));
		}
		catch (RuntimeException ex) {
			throw new InvalidJwkSetException("body is not a JSON object");
		}
		if (!(document.get("keys") instanceof List<?> entries)) {
			throw new InvalidJwkSetException("no keys array");
		}
		Map<String, RSAPublicKey> keys = new LinkedHashMap<>();
		for (Object entry : entries) {
			if (!(entry instanceof Map<?, ?> jwk)) {
				logger.debug("Skipping a JSON Web Key that is not an object");
				continue;
			}
			Object keyId = jwk.get("kid");
			RSAPublicKey key = toRsaSignatureKey(jwk);
			if (key == null) {
				continue;
			}
			if (keys.putIfAbsent((String) keyId, key) != null) {
				logger.warn("Skipping a JSON Web Key with the duplicate key id " + keyId);
			}
		}
		if (keys.isEmpty()) {
			throw new InvalidJwkSetException("no usable RSA signing key");
		}
		return keys;
	}

	private static @Nullable RSAPublicKey toRsaSignatureKey(Map<?, ?> jwk) {
		if (!(jwk.get("kid") instanceof String keyId) || keyId.isBlank()) {
			logger.debug("Skipping a JSON Web Key without a kid");
			return null;
		}
		if (!"RSA".equals(jwk.get("kty"))) {
			logger.debug("Skipping JSON Web Key " + keyId + ": not an RSA key");
			return null;
		}
		Object use = jwk.get("use");
		if (use != null && !"sig".equals(use)) {
			logger.debug("Skipping JSON Web Key " + keyId + ": not a signature key");
			return null;
		}
		Object operations = jwk.get("key_ops");
		if (operations != null && !(operations instanceof Collection<?> ops && ops.contains("verify"))) {
			logger.debug("Skipping JSON Web Key " + keyId + ": not a verification key");
			return null;
		}
		Object algorithm = jwk.get("alg");
		if (algorithm != null && !IdTokenAlgorithms.isSupported(algorithm)) {
			logger.debug("Skipping JSON Web Key " + keyId + ": not an RSA signature algorithm");
			return null;
		}
		BigInteger modulus = base64UrlUnsigned(jwk.get("n"));
		BigInteger exponent = base64UrlUnsigned(jwk.get("e"));
		if (modulus == null || exponent == null || exponent.signum() <= 0) {
			logger.warn("Skipping malformed RSA JSON Web Key " + keyId);
			return null;
		}
		if (modulus.bitLength() < MIN_RSA_KEY_SIZE) {
			logger.warn("Skipping RSA JSON Web Key " + keyId + ": " + modulus.bitLength() + "-bit modulus, at least "
					+ MIN_RSA_KEY_SIZE + " bits are required");
			return null;
		}
		try {
			return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent));
		}
		catch (GeneralSecurityException ex) {
			logger.warn("Skipping malformed RSA JSON Web Key " + keyId);
			return null;
		}
	}

	private static @Nullable BigInteger base64UrlUnsigned(@Nullable Object value) {
		if (!(value instanceof String encoded) || encoded.isEmpty()) {
			return null;
		}
		try {
			return new BigInteger(1, Base64.getUrlDecoder().decode(encoded));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static final class InvalidJwkSetException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		InvalidJwkSetException(String message) {
			super(message, null, false, false);
		}

	}

}

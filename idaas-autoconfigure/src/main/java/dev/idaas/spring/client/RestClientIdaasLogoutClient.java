package dev.idaas.spring.client;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.web.client.RestClient;

/**
 * An {@link IdaasLogoutClient} on Spring's {@link RestClient}, for the IDaaS editions that
 * publish the signed logout call.
 * <p>
 * <b>The call.</b> {@code GET /api/v2/sdk/logout} with the common device headers (checked as
 * by {@link RestClientIdaasClient}) and {@code X-signature}: the text
 * {@code session_token=..&timestamp=..&nonce=..} encrypted with the tenant's RSA public key
 * ({@code RSA/ECB/OAEPWithSHA-256AndMGF1Padding}, SHA-256 for the OAEP digest and for MGF1,
 * given explicitly because the JDK's default for that name is MGF1 with SHA-1), in standard
 * Base64. The timestamp is epoch milliseconds on the <em>server's</em> clock (the local clock
 * plus the offset measured from {@code GET /api/v2/sdk/server-date}); the nonce is 16 random
 * bytes in URL-safe Base64. Any 2xx answer without an {@code error_code} is a success, whatever
 * its body.
 * <p>
 * <b>Caches.</b> The public key ({@code GET /api/v2/sdk/public-key}) is kept for
 * {@link #setPublicKeyTtl(Duration) publicKeyTtl} (24 h), the clock offset for
 * {@link #setServerTimeTtl(Duration) serverTimeTtl} (1 h). When the logout is refused with a 4xx
 * other than an invalid session token or a client configuration error (the signature may have
 * been made with a rotated key or a drifted clock), both are dropped, fetched again and the logout
 * is tried once more. The formats of the key and time answers are read leniently: see
 * {@code IdaasLogoutSignature}; without a readable time in the body, the HTTP {@code Date} header
 * is used.
 * <p>
 * <b>No retries, bounded time.</b> Each of the (at most three, usually one) calls is made once:
 * a sign-out must not wait for backoffs. A failure of any step ends the attempt with an
 * {@link IdaasApiException}. The session token is never logged and never part of an exception
 * message; a token that cannot be signed (empty, not printable ASCII, holding {@code &}, or too
 * long for the key) is refused with {@link IdaasErrorCodes#INVALID_HEADER} before anything is
 * sent.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasLogoutClient
 * @see RestClientIdaasClient#createRestClient(RestClient.Builder, java.net.URI, Duration, Duration)
 */
public final class RestClientIdaasLogoutClient implements IdaasLogoutClient {

	/**
	 * The default lifetime of the cached public key.
	 */
	public static final Duration DEFAULT_PUBLIC_KEY_TTL = Duration.ofHours(24);

	/**
	 * The default lifetime of the cached server clock offset.
	 */
	public static final Duration DEFAULT_SERVER_TIME_TTL = Duration.ofHours(1);

	static final String LOGOUT_PATH = "/api/v2/sdk/logout";

	static final String PUBLIC_KEY_PATH = "/api/v2/sdk/public-key";

	static final String SERVER_DATE_PATH = "/api/v2/sdk/server-date";

	static final String SIGNATURE_HEADER = "X-signature";

	static final int MAX_SESSION_TOKEN_LENGTH = 1024;

	private final Log logger = LogFactory.getLog(getClass());

	private final IdaasApiExchange exchange;

	private final SecureRandom random = new SecureRandom();

	private Clock clock = Clock.systemUTC();

	private Duration publicKeyTtl = DEFAULT_PUBLIC_KEY_TTL;

	private Duration serverTimeTtl = DEFAULT_SERVER_TIME_TTL;

	private volatile @Nullable CachedKey publicKey;

	private volatile @Nullable CachedOffset serverOffset;

	/**
	 * Creates a client.
	 * @param restClient the client to call IDaaS with, already carrying the tenant base URL and
	 * timeouts (see {@link RestClientIdaasClient#createRestClient(RestClient.Builder, java.net.URI)})
	 * @param clientId the application's client id, sent as {@code X-client-id}
	 * @throws IllegalArgumentException when the client id is empty, longer than 128 characters or
	 * not printable ASCII
	 * @since 0.1
	 */
	public RestClientIdaasLogoutClient(RestClient restClient, String clientId) {
		this.exchange = new IdaasApiExchange(restClient, clientId, this.logger);
	}

	/**
	 * Sets the clock the timestamp and the caches are based on (default: system UTC).
	 * @param clock the clock
	 * @since 0.1
	 */
	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	/**
	 * Sets how long the tenant's public key is kept before it is fetched again. A refused
	 * signature drops it earlier.
	 * @param publicKeyTtl a positive duration; defaults to 24 hours
	 * @since 0.1
	 */
	public void setPublicKeyTtl(Duration publicKeyTtl) {
		Assert.notNull(publicKeyTtl, "publicKeyTtl cannot be null");
		Assert.isTrue(!publicKeyTtl.isNegative() && !publicKeyTtl.isZero(), "publicKeyTtl must be positive");
		this.publicKeyTtl = publicKeyTtl;
	}

	/**
	 * Sets how long the measured offset between the server's clock and the local one is kept
	 * before it is measured again. A refused signature drops it earlier.
	 * @param serverTimeTtl a positive duration; defaults to 1 hour
	 * @since 0.1
	 */
	public void setServerTimeTtl(Duration serverTimeTtl) {
		Assert.notNull(serverTimeTtl, "serverTimeTtl cannot be null");
		Assert.isTrue(!serverTimeTtl.isNegative() && !serverTimeTtl.isZero(), "serverTimeTtl must be positive");
		this.serverTimeTtl = serverTimeTtl;
	}

	/**
	 * Sets the source of the texts of thrown {@link IdaasApiException}s.
	 * @param errorMessages the texts; defaults to the bundled English and Chinese texts
	 * @since 0.1
	 */
	public void setErrorMessages(IdaasErrorMessages errorMessages) {
		this.exchange.setErrorMessages(errorMessages);
	}

	@Override
	public void logout(String sessionToken, DeviceContext device) {
		Assert.notNull(sessionToken, "sessionToken cannot be null");
		Assert.notNull(device, "device cannot be null");
		String token = validSessionToken(sessionToken);
		Map<String, String> headers = this.exchange.headers(device);
		boolean fresh = !isCached();
		try {
			send(token, headers);
		}
		catch (IdaasApiException ex) {
			if (fresh || !maySignatureBeStale(ex)) {
				throw ex;
			}
			if (this.logger.isDebugEnabled()) {
				this.logger.debug("IDaaS logout refused (" + ex.getErrorCode()
						+ "); fetching the public key and server time again");
			}
			this.publicKey = null;
			this.serverOffset = null;
			send(token, headers);
		}
	}

	private void send(String sessionToken, Map<String, String> deviceHeaders) {
		RSAPublicKey key = publicKey(deviceHeaders);
		Duration offset = serverOffset(deviceHeaders);
		long timestamp = this.clock.instant().plus(offset).toEpochMilli();
		String text = IdaasLogoutSignature.text(sessionToken, timestamp, IdaasLogoutSignature.nonce(this.random));
		String signature;
		try {
			signature = IdaasLogoutSignature.encrypt(text, key);
		}
		catch (GeneralSecurityException ex) {
			// the cause is left out: it is about the text, which holds the token
			throw this.exchange.failure(IdaasErrorCodes.INVALID_HEADER, IdaasErrorCategory.INVALID_REQUEST, 0, null,
					null, "X-signature cannot be made (" + ex.getClass().getSimpleName() + ")", null);
		}
		Map<String, String> headers = new LinkedHashMap<>(deviceHeaders);
		headers.put(SIGNATURE_HEADER, signature);
		this.exchange.getRaw(LOGOUT_PATH, headers);
	}

	private RSAPublicKey publicKey(Map<String, String> headers) {
		Instant now = this.clock.instant();
		CachedKey cached = this.publicKey;
		if (cached != null && now.isBefore(cached.fetchedAt().plus(this.publicKeyTtl))) {
			return cached.key();
		}
		IdaasApiExchange.RawAnswer answer = this.exchange.getRaw(PUBLIC_KEY_PATH, headers);
		RSAPublicKey key = IdaasLogoutSignature.publicKey(answer.body(), answer.json());
		if (key == null) {
			throw this.exchange.failure(IdaasErrorCodes.MALFORMED_RESPONSE, IdaasErrorCategory.PROTOCOL,
					answer.httpStatus(), null, null, "no RSA public key of at least 2048 bits", null);
		}
		this.publicKey = new CachedKey(key, now);
		return key;
	}

	private Duration serverOffset(Map<String, String> headers) {
		Instant now = this.clock.instant();
		CachedOffset cached = this.serverOffset;
		if (cached != null && now.isBefore(cached.measuredAt().plus(this.serverTimeTtl))) {
			return cached.offset();
		}
		IdaasApiExchange.RawAnswer answer = this.exchange.getRaw(SERVER_DATE_PATH, headers);
		Instant serverTime = IdaasLogoutSignature.serverTime(answer.body(), answer.json());
		if (serverTime == null) {
			serverTime = answer.date();
		}
		if (serverTime == null) {
			throw this.exchange.failure(IdaasErrorCodes.MALFORMED_RESPONSE, IdaasErrorCategory.PROTOCOL,
					answer.httpStatus(), null, null, "no server time", null);
		}
		Instant received = this.clock.instant();
		Duration offset = Duration.between(received, serverTime);
		this.serverOffset = new CachedOffset(offset, received);
		return offset;
	}

	private boolean isCached() {
		Instant now = this.clock.instant();
		CachedKey key = this.publicKey;
		CachedOffset offset = this.serverOffset;
		return key != null && now.isBefore(key.fetchedAt().plus(this.publicKeyTtl)) && offset != null
				&& now.isBefore(offset.measuredAt().plus(this.serverTimeTtl));
	}

	/**
	 * Whether a refused logout may be due to a rotated key or a drifted clock: a 4xx answer that
	 * is neither about the session token nor about the client's configuration.
	 */
	private static boolean maySignatureBeStale(IdaasApiException ex) {
		return ex.getHttpStatus() >= 400 && ex.getHttpStatus() < 500
				&& ex.getCategory() != IdaasErrorCategory.INVALID_SESSION
				&& ex.getCategory() != IdaasErrorCategory.CLIENT_CONFIGURATION;
	}

	private String validSessionToken(String sessionToken) {
		String token = sessionToken.strip();
		if (token.isEmpty() || token.length() > MAX_SESSION_TOKEN_LENGTH || !IdaasApiExchange.isPrintableAscii(token)
				|| token.indexOf('&') >= 0) {
			throw this.exchange.failure(IdaasErrorCodes.INVALID_HEADER, IdaasErrorCategory.INVALID_REQUEST,
					"the session token cannot be signed (empty, too long, not printable ASCII or holding '&')");
		}
		return token;
	}

	/**
	 * A fetched public key.
	 */
	private record CachedKey(RSAPublicKey key, Instant fetchedAt) {
	}

	/**
	 * The server's clock minus the local one, and when it was measured.
	 */
	private record CachedOffset(Duration offset, Instant measuredAt) {
	}

}

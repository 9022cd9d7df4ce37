package dev.idaas.spring.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.MGF1ParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.idaas.spring.test.simulator.MutableClock;

import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link RestClientIdaasLogoutClient} against a raw {@link MockWebServer}: the
 * signature decrypts with the tenant's private key (RSA-OAEP, SHA-256 for the digest and MGF1),
 * the timestamp follows the server's clock, the caches, the lenient formats, and the token never
 * leaking.
 */
class RestClientIdaasLogoutClientTests {

	private static final KeyPair TENANT_KEYS = keyPair();

	private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

	private static final DeviceContext DEVICE = new DeviceContext("ios17.5", "device-fingerprint-1", "192.0.2.10",
			"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)", Locale.CHINESE);

	private static final Pattern SIGNED_TEXT = Pattern
		.compile("session_token=([^&]+)&timestamp=(\\d+)&nonce=([A-Za-z0-9_-]+)");

	private static final String SESSION_TOKEN = "btsiBjx85prcZu6I6Ki057Tmw3nSF2VO";

	private final MockWebServer server = new MockWebServer();

	private final MutableClock clock = new MutableClock(NOW);

	private final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());

	private final ConcurrentLinkedDeque<MockResponse> logoutAnswers = new ConcurrentLinkedDeque<>();

	private volatile Function<KeyPair, MockResponse> publicKeyAnswer = (keys) -> json(
			"{\"public_key\":\"" + base64(keys) + "\"}");

	private volatile KeyPair servedKeys = TENANT_KEYS;

	private volatile MockResponse serverDateAnswer;

	private RestClientIdaasLogoutClient client;

	@BeforeEach
	void setUp() throws IOException {
		this.serverDateAnswer = json("{\"server_date\":" + NOW.plus(Duration.ofHours(2)).toEpochMilli() + "}");
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				RestClientIdaasLogoutClientTests.this.requests.add(request);
				return switch (request.getUrl().encodedPath()) {
					case RestClientIdaasLogoutClient.PUBLIC_KEY_PATH -> RestClientIdaasLogoutClientTests.this.publicKeyAnswer
						.apply(RestClientIdaasLogoutClientTests.this.servedKeys);
					case RestClientIdaasLogoutClient.SERVER_DATE_PATH -> RestClientIdaasLogoutClientTests.this.serverDateAnswer;
					case RestClientIdaasLogoutClient.LOGOUT_PATH -> {
						MockResponse next = RestClientIdaasLogoutClientTests.this.logoutAnswers.poll();
						yield (next != null) ? next : json("{\"status\":\"SUCCESS\"}");
					}
					default -> new MockResponse.Builder().code(404).build();
				};
			}
		});
		this.server.start();
		RestClient restClient = RestClientIdaasClient.createRestClient(RestClient.builder(),
				this.server.url("/").uri(), Duration.ofSeconds(1), Duration.ofSeconds(2));
		this.client = new RestClientIdaasLogoutClient(restClient, "client-123");
		this.client.setClock(this.clock);
	}

	@AfterEach
	void tearDown() {
		this.server.close();
	}

	@Test
	void logoutWhenCalledThenGetWithDeviceHeadersAndSignatureDecryptingToTokenServerTimestampAndNonce()
			throws Exception {
		this.client.logout(SESSION_TOKEN, DEVICE);

		assertThat(paths()).containsExactly(RestClientIdaasLogoutClient.PUBLIC_KEY_PATH,
				RestClientIdaasLogoutClient.SERVER_DATE_PATH, RestClientIdaasLogoutClient.LOGOUT_PATH);
		RecordedRequest logout = this.requests.get(2);
		assertThat(logout.getMethod()).isEqualTo("GET");
		assertThat(logout.getHeaders().get("X-operating-sys-version")).isEqualTo("ios17.5");
		assertThat(logout.getHeaders().get("X-device-fingerprint")).isEqualTo("device-fingerprint-1");
		assertThat(logout.getHeaders().get("X-device-ip")).isEqualTo("192.0.2.10");
		assertThat(logout.getHeaders().get("X-agent")).startsWith("Mozilla/5.0 (iPhone");
		assertThat(logout.getHeaders().get("X-L")).isEqualTo("zh");
		assertThat(logout.getHeaders().get("X-client-id")).isEqualTo("client-123");
		assertThat(logout.getHeaders().get("session-token")).isNull();
		assertThat(logout.getUrl().encodedQuery()).isNull();
		assertThat(logout.getBodySize()).isZero();
		String signature = logout.getHeaders().get("X-signature");
		assertThat(signature).doesNotContain(SESSION_TOKEN);
		Matcher text = SIGNED_TEXT.matcher(decrypt(signature));
		assertThat(text.matches()).isTrue();
		assertThat(text.group(1)).isEqualTo(SESSION_TOKEN);
		// the server's clock runs 2 hours ahead: the timestamp is the server's time, in milliseconds
		assertThat(Long.parseLong(text.group(2))).isEqualTo(NOW.plus(Duration.ofHours(2)).toEpochMilli());
		assertThat(text.group(3)).hasSize(22);
	}

	@Test
	void logoutWhenSignatureThenSha256ForDigestAndMgf1NotTheJdkDefaultSha1Mgf1() throws Exception {
		this.client.logout(SESSION_TOKEN, DEVICE);
		byte[] encrypted = Base64.getDecoder().decode(this.requests.get(2).getHeaders().get("X-signature"));
		assertThat(encrypted).hasSize(256);
		Cipher jdkDefault = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
		jdkDefault.init(Cipher.DECRYPT_MODE, TENANT_KEYS.getPrivate());
		assertThatExceptionOfType(BadPaddingException.class).isThrownBy(() -> jdkDefault.doFinal(encrypted));
		assertThat(decrypt(this.requests.get(2).getHeaders().get("X-signature"))).startsWith("session_token=");
	}

	@Test
	void logoutWhenSeveralThenKeyAndServerTimeFetchedOnceAndNoncesDiffer() throws Exception {
		for (int i = 0; i < 4; i++) {
			this.clock.advance(Duration.ofMinutes(1));
			this.client.logout(SESSION_TOKEN + i, DEVICE);
		}
		assertThat(count(RestClientIdaasLogoutClient.PUBLIC_KEY_PATH)).isEqualTo(1);
		assertThat(count(RestClientIdaasLogoutClient.SERVER_DATE_PATH)).isEqualTo(1);
		assertThat(count(RestClientIdaasLogoutClient.LOGOUT_PATH)).isEqualTo(4);
		Set<String> nonces = new HashSet<>();
		List<Long> timestamps = new ArrayList<>();
		for (RecordedRequest request : this.requests) {
			if (request.getUrl().encodedPath().equals(RestClientIdaasLogoutClient.LOGOUT_PATH)) {
				Matcher text = SIGNED_TEXT.matcher(decrypt(request.getHeaders().get("X-signature")));
				assertThat(text.matches()).isTrue();
				nonces.add(text.group(3));
				timestamps.add(Long.parseLong(text.group(2)));
			}
		}
		assertThat(nonces).hasSize(4);
		// the offset measured once (server NOW+2h at local NOW+1min) is applied to the local clock each time
		Instant server = NOW.plus(Duration.ofHours(2));
		assertThat(timestamps).containsExactly(server.toEpochMilli(), server.plusSeconds(60).toEpochMilli(),
				server.plusSeconds(120).toEpochMilli(), server.plusSeconds(180).toEpochMilli());
	}

	@Test
	void logoutWhenTtlsElapsedThenFetchedAgain() {
		this.client.setPublicKeyTtl(Duration.ofHours(3));
		this.client.setServerTimeTtl(Duration.ofMinutes(10));
		this.client.logout(SESSION_TOKEN, DEVICE);
		this.clock.advance(Duration.ofMinutes(11));
		this.client.logout(SESSION_TOKEN, DEVICE);
		assertThat(count(RestClientIdaasLogoutClient.PUBLIC_KEY_PATH)).isEqualTo(1);
		assertThat(count(RestClientIdaasLogoutClient.SERVER_DATE_PATH)).isEqualTo(2);
		this.clock.advance(Duration.ofHours(3));
		this.client.logout(SESSION_TOKEN, DEVICE);
		assertThat(count(RestClientIdaasLogoutClient.PUBLIC_KEY_PATH)).isEqualTo(2);
		assertThat(count(RestClientIdaasLogoutClient.SERVER_DATE_PATH)).isEqualTo(3);
	}

	@Test
	void logoutWhenRefusedWithCachedKeyThenKeyAndTimeFetchedAgainAndRetriedOnceWithNewKey() throws Exception {
		this.client.logout(SESSION_TOKEN, DEVICE);
		KeyPair rotated = keyPair();
		this.servedKeys = rotated;
		this.logoutAnswers.add(error(400, "IDAAS.SDK.PARAM.0004"));
		this.client.logout(SESSION_TOKEN, DEVICE);
		assertThat(paths()).containsExactly(RestClientIdaasLogoutClient.PUBLIC_KEY_PATH,
				RestClientIdaasLogoutClient.SERVER_DATE_PATH, RestClientIdaasLogoutClient.LOGOUT_PATH,
				RestClientIdaasLogoutClient.LOGOUT_PATH, RestClientIdaasLogoutClient.PUBLIC_KEY_PATH,
				RestClientIdaasLogoutClient.SERVER_DATE_PATH, RestClientIdaasLogoutClient.LOGOUT_PATH);
		String retried = this.requests.get(6).getHeaders().get("X-signature");
		assertThat(decrypt(retried, rotated)).startsWith("session_token=" + SESSION_TOKEN + "&");
	}

	@Test
	void logoutWhenRefusedWithFreshKeyThenNoSecondAttempt() {
		this.logoutAnswers.add(error(400, "IDAAS.SDK.PARAM.0004"));
		assertThatExceptionOfType(IdaasApiException.class).isThrownBy(() -> this.client.logout(SESSION_TOKEN, DEVICE))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo("IDAAS.SDK.PARAM.0004"));
		assertThat(count(RestClientIdaasLogoutClient.LOGOUT_PATH)).isEqualTo(1);
		assertThat(count(RestClientIdaasLogoutClient.PUBLIC_KEY_PATH)).isEqualTo(1);
	}

	@Test
	void logoutWhenSessionTokenAlreadyEndedThenInvalidSessionWithoutRetry() {
		this.client.logout("warm-up-token", DEVICE);
		this.logoutAnswers.add(error(400, "IDAAS.SDK.PARAM.0023"));
		assertThatExceptionOfType(IdaasApiException.class).isThrownBy(() -> this.client.logout(SESSION_TOKEN, DEVICE))
			.satisfies((ex) -> assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.INVALID_SESSION));
		assertThat(count(RestClientIdaasLogoutClient.LOGOUT_PATH)).isEqualTo(2);
		assertThat(count(RestClientIdaasLogoutClient.PUBLIC_KEY_PATH)).isEqualTo(1);
	}

	@Test
	void logoutWhenServerErrorThenTransientOnceAndTokenNotInMessage() {
		this.logoutAnswers.add(new MockResponse.Builder().code(500).body("boom " + SESSION_TOKEN).build());
		assertThatExceptionOfType(IdaasApiException.class).isThrownBy(() -> this.client.logout(SESSION_TOKEN, DEVICE))
			.satisfies((ex) -> {
				assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.TRANSIENT);
				assertThat(ex.getHttpStatus()).isEqualTo(500);
				assertThat(ex.getMessage()).doesNotContain(SESSION_TOKEN);
			});
		assertThat(count(RestClientIdaasLogoutClient.LOGOUT_PATH)).isEqualTo(1);
	}

	@Test
	void logoutWhenSlowThenUnknownOutcomeWithinReadTimeoutAndNoRetry() {
		this.logoutAnswers.add(json("{}").newBuilder().headersDelay(10, TimeUnit.SECONDS).build());
		long start = System.nanoTime();
		assertThatExceptionOfType(IdaasApiException.class).isThrownBy(() -> this.client.logout(SESSION_TOKEN, DEVICE))
			.satisfies((ex) -> assertThat(ex.getCategory()).isEqualTo(IdaasErrorCategory.UNKNOWN_OUTCOME));
		// key and time come at once; the logout waits for the 2 s read timeout, not for the 10 s answer
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
		assertThat(count(RestClientIdaasLogoutClient.LOGOUT_PATH)).isEqualTo(1);
	}

	@Test
	void logoutWhenKeyUnreadableThenMalformedResponseAndNoLogoutCall() {
		this.publicKeyAnswer = (keys) -> json("{\"public_key\":\"not a key\"}");
		assertThatExceptionOfType(IdaasApiException.class).isThrownBy(() -> this.client.logout(SESSION_TOKEN, DEVICE))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.MALFORMED_RESPONSE));
		assertThat(count(RestClientIdaasLogoutClient.LOGOUT_PATH)).isZero();
	}

	@Test
	void logoutWhenKeyUnder2048BitsThenRefused() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(1024);
		this.servedKeys = generator.generateKeyPair();
		assertThatExceptionOfType(IdaasApiException.class).isThrownBy(() -> this.client.logout(SESSION_TOKEN, DEVICE))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.MALFORMED_RESPONSE));
		assertThat(count(RestClientIdaasLogoutClient.LOGOUT_PATH)).isZero();
	}

	@ParameterizedTest
	@ValueSource(strings = { "json-public_key-pem", "json-data-bare", "json-nested-data", "json-string",
			"plain-pem", "plain-bare-url-safe", "json-publicKey-escaped-newlines" })
	void logoutWhenPublicKeyInLenientFormatThenSignsWithIt(String format) throws Exception {
		this.publicKeyAnswer = (keys) -> switch (format) {
			case "json-public_key-pem" -> json("{\"public_key\":\"" + pem(keys).replace("\n", "\\n") + "\"}");
			case "json-data-bare" -> json("{\"code\":\"200\",\"data\":\"" + base64(keys) + "\"}");
			case "json-nested-data" -> json("{\"data\":{\"publicKey\":\"" + base64(keys) + "\"}}");
			case "json-string" -> json("\"" + base64(keys) + "\"");
			case "plain-pem" -> text(pem(keys));
			case "plain-bare-url-safe" -> text(Base64.getUrlEncoder().withoutPadding()
				.encodeToString(keys.getPublic().getEncoded()));
			case "json-publicKey-escaped-newlines" -> json("{\"publicKey\":\"" + pem(keys).replace("\n", "\\\\n")
					+ "\"}");
			default -> throw new IllegalArgumentException(format);
		};
		this.client.logout(SESSION_TOKEN, DEVICE);
		assertThat(decrypt(this.requests.get(2).getHeaders().get("X-signature")))
			.startsWith("session_token=" + SESSION_TOKEN + "&timestamp=");
	}

	@ParameterizedTest
	@ValueSource(strings = { "json-millis", "json-seconds", "json-number", "json-iso", "json-data-string",
			"plain-millis", "plain-iso-offset", "plain-rfc1123", "date-header-only", "json-unknown-then-date-header" })
	void logoutWhenServerTimeInLenientFormatThenTimestampFollowsIt(String format) throws Exception {
		Instant server = Instant.parse("2026-11-30T12:07:30Z");
		String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(server.atZone(ZoneOffset.UTC));
		this.serverDateAnswer = switch (format) {
			case "json-millis" -> json("{\"server_date\":" + server.toEpochMilli() + "}");
			case "json-seconds" -> json("{\"timestamp\":" + server.getEpochSecond() + "}");
			case "json-number" -> json(Long.toString(server.toEpochMilli()));
			case "json-iso" -> json("{\"serverDate\":\"2026-11-30T12:07:30Z\"}");
			case "json-data-string" -> json("{\"code\":0,\"data\":\"" + server.toEpochMilli() + "\"}");
			case "plain-millis" -> text(Long.toString(server.toEpochMilli()));
			case "plain-iso-offset" -> text("2026-11-30T20:07:30+08:00");
			case "plain-rfc1123" -> text(date);
			case "date-header-only" -> new MockResponse.Builder().code(200).setHeader("Date", date).build();
			case "json-unknown-then-date-header" -> json("{\"date\":\"2026-11-30 20:07:30\"}").newBuilder()
				.setHeader("Date", date)
				.build();
			default -> throw new IllegalArgumentException(format);
		};
		this.client.logout(SESSION_TOKEN, DEVICE);
		Matcher text = SIGNED_TEXT.matcher(decrypt(this.requests.get(2).getHeaders().get("X-signature")));
		assertThat(text.matches()).isTrue();
		assertThat(Long.parseLong(text.group(2))).isEqualTo(server.toEpochMilli());
	}

	@Test
	void logoutWhenNoServerTimeAtAllThenMalformedResponseAndNoLogoutCall() {
		this.serverDateAnswer = json("{\"status\":\"ok\"}");
		assertThatExceptionOfType(IdaasApiException.class).isThrownBy(() -> this.client.logout(SESSION_TOKEN, DEVICE))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.MALFORMED_RESPONSE));
		assertThat(count(RestClientIdaasLogoutClient.LOGOUT_PATH)).isZero();
	}

	@ParameterizedTest
	@ValueSource(strings = { "a&b", "tok\r\nX-injected: 1", "", "   " })
	void logoutWhenSessionTokenCannotBeSignedThenRefusedBeforeAnyCall(String token) {
		assertThatExceptionOfType(IdaasApiException.class).isThrownBy(() -> this.client.logout(token, DEVICE))
			.satisfies((ex) -> {
				assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.INVALID_HEADER);
				if (!token.isBlank()) {
					assertThat(ex.getMessage()).doesNotContain(token);
				}
			});
		assertThat(this.requests).isEmpty();
	}

	@Test
	void logoutWhenSessionTokenTooLongForTheKeyThenRefusedWithoutTokenInMessage() {
		String longToken = "T".repeat(300);
		assertThatExceptionOfType(IdaasApiException.class).isThrownBy(() -> this.client.logout(longToken, DEVICE))
			.satisfies((ex) -> {
				assertThat(ex.getErrorCode()).isEqualTo(IdaasErrorCodes.INVALID_HEADER);
				assertThat(ex.getMessage()).doesNotContain("TTTTTTTT");
				assertThat(ex.getCause()).isNull();
			});
		assertThat(count(RestClientIdaasLogoutClient.LOGOUT_PATH)).isZero();
	}

	// ---- helpers

	private List<String> paths() {
		synchronized (this.requests) {
			return this.requests.stream().map((request) -> request.getUrl().encodedPath()).toList();
		}
	}

	private long count(String path) {
		return paths().stream().filter(path::equals).count();
	}

	private static String decrypt(String signature) throws GeneralSecurityException {
		return decrypt(signature, TENANT_KEYS);
	}

	private static String decrypt(String signature, KeyPair keys) throws GeneralSecurityException {
		Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
		cipher.init(Cipher.DECRYPT_MODE, keys.getPrivate(), new OAEPParameterSpec("SHA-256", "MGF1",
				MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
		return new String(cipher.doFinal(Base64.getDecoder().decode(signature)), StandardCharsets.UTF_8);
	}

	private static MockResponse json(String body) {
		return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(body).build();
	}

	private static MockResponse text(String body) {
		return new MockResponse.Builder().code(200).setHeader("Content-Type", "text/plain").body(body).build();
	}

	private static MockResponse error(int status, String code) {
		return new MockResponse.Builder().code(status)
			.setHeader("Content-Type", "application/json")
			.body("{\"error_code\":\"" + code + "\",\"error_msg\":\"refused\"}")
			.build();
	}

	private static String base64(KeyPair keys) {
		return Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
	}

	private static String pem(KeyPair keys) {
		return "-----BEGIN PUBLIC KEY-----\n"
				+ Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(keys.getPublic().getEncoded())
				+ "\n-----END PUBLIC KEY-----\n";
	}

	private static KeyPair keyPair() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}

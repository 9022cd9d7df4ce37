package dev.idaas.spring.jwt;

import java.net.URI;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link JwkSetKeySource}.
 */
class JwkSetKeySourceTests {

	private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

	private final MockWebServer server = new MockWebServer();

	private final MutableClock clock = new MutableClock(START);

	private JwksDispatcher dispatcher;

	private JwkSetKeySource keySource;

	@BeforeEach
	void setUp() throws Exception {
		this.dispatcher = new JwksDispatcher(TestKeys.json(TestKeys.jwkSet(TestKeys.jwk("k1", TestKeys.TENANT))));
		this.server.setDispatcher(this.dispatcher);
		this.server.start();
		this.keySource = new JwkSetKeySource(RestClient.create(), this.server.url("/api/v1/oauth2/keys").uri());
		this.keySource.setClock(this.clock);
	}

	@AfterEach
	void tearDown() {
		this.server.close();
	}

	@Test
	void constructorWhenNothingLookedUpThenNoFetch() {
		assertThat(this.server.getRequestCount()).isZero();
		assertThat(this.keySource.getFetchCount()).isZero();
		assertThat(this.keySource.getLastFetch()).isNull();
		assertThat(this.keySource.getKeyCount()).isZero();
	}

	@Test
	void constructorWhenRestClientNullThenIllegalArgument() {
		assertThatIllegalArgumentException().isThrownBy(() -> new JwkSetKeySource(null, URI.create("https://x")))
			.withMessage("restClient cannot be null");
	}

	@Test
	void setMinRefetchIntervalWhenNegativeThenIllegalArgument() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.keySource.setMinRefetchInterval(Duration.ofSeconds(-1)))
			.withMessage("minRefetchInterval cannot be negative");
	}

	@Test
	void getKeyWhenKnownKidThenKeyAndFetchedOnce() throws Exception {
		RSAPublicKey first = this.keySource.getKey("k1");
		RSAPublicKey second = this.keySource.getKey("k1");
		assertThat(first).isEqualTo(TestKeys.TENANT.getPublic());
		assertThat(second).isSameAs(first);
		assertThat(this.server.getRequestCount()).isEqualTo(1);
		assertThat(this.server.takeRequest().getUrl().encodedPath()).isEqualTo("/api/v1/oauth2/keys");
		assertThat(this.keySource.getKeyCount()).isEqualTo(1);
		assertThat(this.keySource.getFetchCount()).isEqualTo(1);
		assertThat(this.keySource.getLastFetch()).isEqualTo(JwkSetFetchResult.success(START, 1));
		assertThat(this.keySource.getLastSuccessfulFetchTime()).isEqualTo(START);
	}

	@Test
	void getKeyWhenUnknownKidTwiceWithinIntervalThenOneRefetch() {
		assertThat(this.keySource.getKey("k1")).isNotNull();
		// the initial fetch also counts: a miss right after it does not fetch again
		assertThat(this.keySource.getKey("random-0")).isNull();
		assertThat(this.server.getRequestCount()).isEqualTo(1);
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(this.keySource.getKey("random-1")).isNull();
		assertThat(this.server.getRequestCount()).isEqualTo(2);
		this.clock.advance(Duration.ofSeconds(29));
		assertThat(this.keySource.getKey("random-2")).isNull();
		assertThat(this.keySource.getKey("random-3")).isNull();
		assertThat(this.server.getRequestCount()).isEqualTo(2);
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.keySource.getKey("random-4")).isNull();
		assertThat(this.server.getRequestCount()).isEqualTo(3);
		assertThat(this.keySource.getFetchCount()).isEqualTo(3);
	}

	@Test
	void getKeyWhenKeyRotatedThenNewKidPickedUpWithOneRefetch() {
		assertThat(this.keySource.getKey("k1")).isNotNull();
		this.dispatcher.serve(TestKeys.json(TestKeys.jwkSet(TestKeys.jwk("k2", TestKeys.ROTATED))));
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(this.keySource.getKey("k2")).isEqualTo(TestKeys.ROTATED.getPublic());
		assertThat(this.server.getRequestCount()).isEqualTo(2);
		// the successful refetch replaced the set: the retired key is gone
		assertThat(this.keySource.getKey("k1")).isNull();
		assertThat(this.keySource.getKeyCount()).isEqualTo(1);
	}

	@Test
	void getKeyWhenJwksDownAtFirstUseThenNullAndLaterRecovers() {
		this.dispatcher.serve(TestKeys.status(503));
		assertThat(this.keySource.getKey("k1")).isNull();
		assertThat(this.keySource.getLastFetch()).isEqualTo(JwkSetFetchResult.failure(START, "HTTP 503"));
		assertThat(this.keySource.getLastSuccessfulFetchTime()).isNull();
		this.dispatcher.serve(TestKeys.json(TestKeys.jwkSet(TestKeys.jwk("k1", TestKeys.TENANT))));
		// still within the interval: the tenant is not asked again
		assertThat(this.keySource.getKey("k1")).isNull();
		assertThat(this.server.getRequestCount()).isEqualTo(1);
		this.clock.advance(Duration.ofSeconds(30));
		assertThat(this.keySource.getKey("k1")).isEqualTo(TestKeys.TENANT.getPublic());
		assertThat(this.server.getRequestCount()).isEqualTo(2);
		assertThat(this.keySource.getLastFetch().successful()).isTrue();
	}

	@Test
	void getKeyWhenRefetchFailsThenOldKeysStillUsable() {
		assertThat(this.keySource.getKey("k1")).isNotNull();
		this.dispatcher.serve(TestKeys.status(500));
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(this.keySource.getKey("k2")).isNull();
		assertThat(this.server.getRequestCount()).isEqualTo(2);
		assertThat(this.keySource.getKey("k1")).isEqualTo(TestKeys.TENANT.getPublic());
		assertThat(this.keySource.getKeyCount()).isEqualTo(1);
		assertThat(this.keySource.getLastFetch()).isEqualTo(JwkSetFetchResult.failure(START.plusSeconds(60), "HTTP 500"));
		assertThat(this.keySource.getLastSuccessfulFetchTime()).isEqualTo(START);
	}

	@Test
	void getKeyWhenRefetchReturnsGarbageThenOldKeysStillUsable() {
		assertThat(this.keySource.getKey("k1")).isNotNull();
		this.dispatcher.serve(TestKeys.json("<html>maintenance</html>"));
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(this.keySource.getKey("k2")).isNull();
		assertThat(this.keySource.getKey("k1")).isEqualTo(TestKeys.TENANT.getPublic());
		assertThat(this.keySource.getLastFetch().failure()).isEqualTo("body is not a JSON object");
	}

	@Test
	void getKeyWhenConcurrentMissesOfServedKidThenOneFetch() throws Exception {
		this.keySource.setMinRefetchInterval(Duration.ZERO);
		this.dispatcher.serve(new MockResponse.Builder(TestKeys.json(TestKeys.jwkSet(TestKeys.jwk("k1", TestKeys.TENANT))))
			.headersDelay(300, TimeUnit.MILLISECONDS)
			.build());
		List<RSAPublicKey> keys = concurrently(16, () -> this.keySource.getKey("k1"));
		assertThat(keys).hasSize(16).allSatisfy((key) -> assertThat(key).isEqualTo(TestKeys.TENANT.getPublic()));
		assertThat(this.server.getRequestCount()).isEqualTo(1);
		assertThat(this.keySource.getFetchCount()).isEqualTo(1);
	}

	@Test
	void getKeyWhenConcurrentMissesOfUnknownKidThenOneFetch() throws Exception {
		assertThat(this.keySource.getKey("k1")).isNotNull();
		this.clock.advance(Duration.ofMinutes(1));
		this.dispatcher.serve(new MockResponse.Builder(TestKeys.json(TestKeys.jwkSet(TestKeys.jwk("k1", TestKeys.TENANT))))
			.headersDelay(300, TimeUnit.MILLISECONDS)
			.build());
		List<RSAPublicKey> keys = concurrently(16, () -> this.keySource.getKey("forged-kid"));
		assertThat(keys).hasSize(16).containsOnlyNulls();
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	@Test
	void getKeyWhenEntriesNotUsableThenSkippedAndRestLoaded() {
		Map<String, Object> encryption = new LinkedHashMap<>(TestKeys.jwk("enc", TestKeys.ROTATED));
		encryption.put("use", "enc");
		Map<String, Object> badModulus = new LinkedHashMap<>(TestKeys.jwk("bad-n", TestKeys.ROTATED));
		badModulus.put("n", "not base64!");
		Map<String, Object> missingExponent = new LinkedHashMap<>(TestKeys.jwk("no-e", TestKeys.ROTATED));
		missingExponent.remove("e");
		Map<String, Object> noKid = new LinkedHashMap<>(TestKeys.jwk("x", TestKeys.ROTATED));
		noKid.remove("kid");
		Map<String, Object> encryptionAlgorithm = new LinkedHashMap<>(TestKeys.jwk("oaep", TestKeys.ROTATED));
		encryptionAlgorithm.remove("use");
		encryptionAlgorithm.put("alg", "RSA-OAEP");
		Map<String, Object> ec = Map.of("kty", "EC", "kid", "ec", "crv", "P-256", "x", "AAAA", "y", "AAAA");
		this.dispatcher.serve(TestKeys.json(TestKeys.jwkSet(encryption, badModulus, missingExponent, noKid,
				encryptionAlgorithm, ec, "not an object", TestKeys.jwk("weak", TestKeys.WEAK),
				TestKeys.jwk("k1", TestKeys.TENANT))));
		assertThat(this.keySource.getKey("k1")).isEqualTo(TestKeys.TENANT.getPublic());
		assertThat(this.keySource.getKeyCount()).isEqualTo(1);
		for (String kid : List.of("enc", "bad-n", "no-e", "x", "oaep", "ec", "weak")) {
			assertThat(this.keySource.getKey(kid)).as(kid).isNull();
		}
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void getKeyWhenKeyOpsDoNotAllowVerifyThenKeySkipped() {
		Map<String, Object> signOnly = new LinkedHashMap<>(TestKeys.jwk("sign-only", TestKeys.ROTATED));
		signOnly.put("key_ops", List.of("sign"));
		Map<String, Object> notAList = new LinkedHashMap<>(TestKeys.jwk("ops-string", TestKeys.ROTATED));
		notAList.put("key_ops", "verify");
		Map<String, Object> verify = new LinkedHashMap<>(TestKeys.jwk("verify", TestKeys.ATTACKER));
		verify.put("key_ops", List.of("sign", "verify"));
		this.dispatcher.serve(TestKeys.json(TestKeys.jwkSet(signOnly, notAList, verify,
				TestKeys.jwk("k1", TestKeys.TENANT))));
		assertThat(this.keySource.getKey("verify")).isEqualTo(TestKeys.ATTACKER.getPublic());
		assertThat(this.keySource.getKey("k1")).isEqualTo(TestKeys.TENANT.getPublic());
		assertThat(this.keySource.getKeyCount()).isEqualTo(2);
		assertThat(this.keySource.getKey("sign-only")).isNull();
		assertThat(this.keySource.getKey("ops-string")).isNull();
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void getKeyWhenOnlyWeakKeyPublishedThenFetchFailsAndKeyRejected() {
		this.dispatcher.serve(TestKeys.json(TestKeys.jwkSet(TestKeys.jwk("weak", TestKeys.WEAK))));
		assertThat(this.keySource.getKey("weak")).isNull();
		assertThat(this.keySource.getLastFetch()).isEqualTo(JwkSetFetchResult.failure(START, "no usable RSA signing key"));
	}

	@Test
	void refreshWhenJwksDownThenFalseAndNoException() {
		this.dispatcher.serve(TestKeys.status(502));
		assertThat(this.keySource.refresh()).isFalse();
		assertThat(this.keySource.getFetchCount()).isEqualTo(1);
		// within the interval refresh does not ask again
		this.dispatcher.serve(TestKeys.json(TestKeys.jwkSet(TestKeys.jwk("k1", TestKeys.TENANT))));
		assertThat(this.keySource.refresh()).isFalse();
		assertThat(this.server.getRequestCount()).isEqualTo(1);
		this.clock.advance(Duration.ofSeconds(30));
		assertThat(this.keySource.refresh()).isTrue();
		assertThat(this.keySource.getKeyCount()).isEqualTo(1);
	}

	@Test
	void refreshWhenConnectionRefusedThenRecordedAsFailure() {
		this.server.close();
		assertThat(this.keySource.refresh()).isFalse();
		assertThat(this.keySource.getLastFetch().successful()).isFalse();
		assertThat(this.keySource.getLastFetch().failure()).isNotBlank();
	}

	private static <T> List<T> concurrently(int threads, Callable<T> task) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<T>> futures = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				futures.add(executor.submit(() -> {
					start.await();
					return task.call();
				}));
			}
			start.countDown();
			List<T> results = new ArrayList<>();
			for (Future<T> future : futures) {
				results.add(future.get(10, TimeUnit.SECONDS));
			}
			return results;
		}
		finally {
			executor.shutdownNow();
		}
	}

}

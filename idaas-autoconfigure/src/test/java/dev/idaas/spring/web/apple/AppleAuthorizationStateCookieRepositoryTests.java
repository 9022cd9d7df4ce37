package dev.idaas.spring.web.apple;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link AppleAuthorizationStateCookieRepository}: the signed state cookie, on one
 * node and across nodes, bound to the browser by its nonce cookie, and the bounded memory of
 * consumed states.
 */
@ExtendWith(OutputCaptureExtension.class)
class AppleAuthorizationStateCookieRepositoryTests {

	private static final String CALLBACK = "/login/idaas/apple/callback";

	private static final String SECRET = "cluster-secret-0123456789abcdefghijklmnopqr";

	private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

	private static final String NONCE_COOKIE = "__Host-IDAAS_APPLE_NONCE";

	@Test
	void consumeWhenSameRepositoryThenState() {
		AppleAuthorizationStateCookieRepository repository = repository(null);
		Issued issued = issue(repository, "/orders?id=7");
		AppleAuthorizationState state = consume(repository, issued.state().state(), issued);
		assertThat(state).isNotNull();
		assertThat(state.state()).isEqualTo(issued.state().state());
		assertThat(state.targetPath()).isEqualTo("/orders?id=7");
	}

	@Test
	void consumeWhenDeviceFingerprintRecordedThenSameFingerprint() {
		AppleAuthorizationStateCookieRepository repository = repository(SECRET);
		Issued issued = issue(repository, "/orders", "browser-device.0001_x-y");
		assertThat(issued.state().deviceFingerprint()).isEqualTo("browser-device.0001_x-y");
		String[] parts = issued.cookie().split("\\.", -1);
		assertThat(parts).hasSize(6);
		// base64url, so a '.' in the fingerprint cannot split the cookie
		assertThat(parts[4]).isEqualTo(encode("browser-device.0001_x-y"));
		AppleAuthorizationState state = consume(repository, issued.state().state(), issued);
		assertThat(state).isNotNull();
		assertThat(state.targetPath()).isEqualTo("/orders");
		assertThat(state.deviceFingerprint()).isEqualTo("browser-device.0001_x-y");
		assertThat(state.toString()).doesNotContain("browser-device").doesNotContain(issued.state().state());
	}

	@Test
	void consumeWhenNoDeviceFingerprintRecordedThenNone() {
		AppleAuthorizationStateCookieRepository repository = repository(SECRET);
		Issued issued = issue(repository, null);
		assertThat(issued.cookie().split("\\.", -1)).hasSize(6);
		AppleAuthorizationState state = consume(repository, issued.state().state(), issued);
		assertThat(state).isNotNull();
		assertThat(state.deviceFingerprint()).isNull();
	}

	@Test
	void createWhenDeviceFingerprintLongerThanMaximumThenNotRecorded() {
		AppleAuthorizationStateCookieRepository repository = repository(SECRET);
		int max = AppleAuthorizationStateCookieRepository.MAX_DEVICE_FINGERPRINT_LENGTH;
		Issued longest = issue(repository, null, "d".repeat(max));
		assertThat(consume(repository, longest.state().state(), longest).deviceFingerprint()).isEqualTo("d".repeat(max));
		Issued tooLong = issue(repository, null, "d".repeat(max + 1));
		assertThat(tooLong.state().deviceFingerprint()).isNull();
		assertThat(tooLong.cookie().split("\\.", -1)[4]).isEmpty();
		assertThat(consume(repository, tooLong.state().state(), tooLong).deviceFingerprint()).isNull();
	}

	@Test
	void consumeWhenCookieOfTheFormatBeforeFingerprintsThenStateWithoutFingerprint() {
		// written by a node of the previous version during a rolling upgrade: no fingerprint part, v2 purpose
		AppleAuthorizationStateCookieRepository repository = repository(SECRET);
		String nonce = "nonce-of-the-browser-0123456789abcdefghijklm";
		String state = "state-of-the-previous-version-0123456789abcd";
		String value = state + "." + encode("/orders") + "." + NOW.getEpochSecond() + "." + sha256(nonce);
		String old = value + "." + hmac("idaas-apple-authorization-state-v2", value, SECRET);
		AppleAuthorizationState consumed = consume(repository, state, old, nonce);
		assertThat(consumed).isNotNull();
		assertThat(consumed.state()).isEqualTo(state);
		assertThat(consumed.targetPath()).isEqualTo("/orders");
		assertThat(consumed.deviceFingerprint()).isNull();
		// still usable once
		assertThat(consume(repository, state, old, nonce)).isNull();
	}

	@Test
	void consumeWhenFormatsAndPurposesSwappedThenNull() {
		AppleAuthorizationStateCookieRepository repository = repository(SECRET);
		String nonce = "nonce-of-the-browser-0123456789abcdefghijklm";
		String state = "state-0123456789abcdefghijklmnopqrstuvwxyzAB";
		String withoutDevice = state + ".." + NOW.getEpochSecond() + "." + sha256(nonce);
		String withDevice = withoutDevice + "." + encode("browser-device-0001");
		// each format is accepted only with its own purpose's MAC
		assertThat(consume(repository, state,
				withoutDevice + "." + hmac("idaas-apple-authorization-state-v3", withoutDevice, SECRET), nonce))
			.isNull();
		assertThat(consume(repository, state,
				withDevice + "." + hmac("idaas-apple-authorization-state-v2", withDevice, SECRET), nonce))
			.isNull();
		AppleAuthorizationState genuine = consume(repository, state,
				withDevice + "." + hmac("idaas-apple-authorization-state-v3", withDevice, SECRET), nonce);
		assertThat(genuine).isNotNull();
		assertThat(genuine.deviceFingerprint()).isEqualTo("browser-device-0001");
	}

	@Test
	void consumeWhenDeviceFingerprintTamperedThenNull() {
		AppleAuthorizationStateCookieRepository repository = repository(SECRET);
		Issued issued = issue(repository, null, "browser-device-0001");
		String[] parts = issued.cookie().split("\\.", -1);
		String state = parts[0];
		String nonce = issued.nonce();
		assertThat(consume(repository, state, join(parts[0], parts[1], parts[2], parts[3],
				encode("someone-elses-device"), parts[5]), nonce)).isNull();
		assertThat(consume(repository, state, join(parts[0], parts[1], parts[2], parts[3], "", parts[5]), nonce))
			.isNull();
		// dropping the fingerprint does not make it a cookie of the older format
		assertThat(consume(repository, state, join(parts[0], parts[1], parts[2], parts[3], parts[5]), nonce)).isNull();
		assertThat(consume(repository, state, issued).deviceFingerprint()).isEqualTo("browser-device-0001");
	}

	@Test
	void consumeWhenOtherNodeWithSameSecretThenState() {
		AppleAuthorizationStateCookieRepository authorizeNode = repository(SECRET);
		AppleAuthorizationStateCookieRepository callbackNode = repository(SECRET);
		Issued issued = issue(authorizeNode, "/orders");
		AppleAuthorizationState state = consume(callbackNode, issued.state().state(), issued);
		assertThat(state).isNotNull();
		assertThat(state.targetPath()).isEqualTo("/orders");
	}

	@Test
	void consumeWhenOtherNodeWithRandomKeysThenNull() {
		AppleAuthorizationStateCookieRepository authorizeNode = repository(null);
		AppleAuthorizationStateCookieRepository callbackNode = repository(null);
		Issued issued = issue(authorizeNode, null);
		assertThat(consume(callbackNode, issued.state().state(), issued)).isNull();
		// and the cookie was not spent: its own node still accepts it
		assertThat(consume(authorizeNode, issued.state().state(), issued)).isNotNull();
	}

	@Test
	void consumeWhenOtherNodeWithDifferentSecretThenNull() {
		AppleAuthorizationStateCookieRepository authorizeNode = repository(SECRET);
		AppleAuthorizationStateCookieRepository callbackNode = repository(SECRET.replace('0', '1'));
		Issued issued = issue(authorizeNode, null);
		assertThat(consume(callbackNode, issued.state().state(), issued)).isNull();
	}

	@Test
	void consumeWhenAnyPartChangedThenNull() {
		AppleAuthorizationStateCookieRepository repository = repository(SECRET);
		Issued issued = issue(repository, "/orders", "browser-device-0001");
		String[] parts = issued.cookie().split("\\.", -1);
		assertThat(parts).hasSize(6);
		String state = parts[0];
		String nonce = issued.nonce();
		assertThat(consume(repository, state, "x" + String.join(".", parts), nonce)).isNull();
		assertThat(consume(repository, state, join(parts[0], "L2FkbWlu", parts[2], parts[3], parts[4], parts[5]),
				nonce))
			.isNull();
		assertThat(consume(repository, state, join(parts[0], "", parts[2], parts[3], parts[4], parts[5]), nonce))
			.isNull();
		assertThat(consume(repository, state, join(parts[0], parts[1], String.valueOf(Long.parseLong(parts[2]) + 1),
				parts[3], parts[4], parts[5]), nonce))
			.isNull();
		assertThat(consume(repository, state,
				join(parts[0], parts[1], parts[2], "x" + parts[3], parts[4], parts[5]), nonce))
			.isNull();
		assertThat(consume(repository, state,
				join(parts[0], parts[1], parts[2], parts[3], "x" + parts[4], parts[5]), nonce))
			.isNull();
		assertThat(consume(repository, state, join(parts[0], parts[1], parts[2], parts[3], parts[4]), nonce))
			.isNull();
		assertThat(consume(repository, state, join(parts[0], parts[1], parts[2], parts[3], parts[5]), nonce))
			.isNull();
		assertThat(consume(repository, state, String.join(".", parts) + ".x", nonce)).isNull();
		// none of the refusals spent the state
		assertThat(consume(repository, state, issued)).isNotNull();
	}

	@Test
	void consumeWhenGenuineStateWithAnotherBrowsersNonceThenNull() {
		AppleAuthorizationStateCookieRepository repository = repository(SECRET);
		Issued attacker = issue(repository, null);
		Issued victim = issue(repository, null);
		// the attacker's own genuine cookie and state, planted in the victim's browser
		assertThat(consume(repository, attacker.state().state(), attacker.cookie(), victim.nonce())).isNull();
		assertThat(consume(repository, attacker.state().state(), attacker.cookie(), null)).isNull();
		assertThat(consume(repository, attacker.state().state(), attacker.cookie(), "")).isNull();
		// each state works in the browser that asked for it
		assertThat(consume(repository, victim.state().state(), victim)).isNotNull();
		assertThat(consume(repository, attacker.state().state(), attacker)).isNotNull();
	}

	@Test
	void consumeWhenFloodedWithConsumedStatesThenGenuineStateAcceptedAndOneWarning(CapturedOutput output) {
		AppleAuthorizationStateCookieRepository repository = repository(null);
		int flood = AppleAuthorizationStateCookieRepository.MAX_REMEMBERED_STATES + 2_000;
		assertThat(startAndFinish(repository, flood)).isEqualTo(flood);
		Issued genuine = issue(repository, "/orders");
		AppleAuthorizationState state = consume(repository, genuine.state().state(), genuine);
		assertThat(state).isNotNull();
		assertThat(state.targetPath()).isEqualTo("/orders");
		// still usable once, even with the memory full
		assertThat(consume(repository, genuine.state().state(), genuine)).isNull();
		assertThat(output.getAll().lines().filter((line) -> line.contains("WARN")
				&& line.contains("states consumed on this node are still unexpired"))).hasSize(1);
		assertThat(output.getAll()).doesNotContain(genuine.state().state()).doesNotContain(genuine.nonce());
	}

	@Test
	void consumeWhenRememberedStatesExpireThenMemoryDrainsWithoutWarning(CapturedOutput output) {
		AppleAuthorizationStateCookieRepository repository = repository(null);
		int full = AppleAuthorizationStateCookieRepository.MAX_REMEMBERED_STATES;
		assertThat(startAndFinish(repository, full)).isEqualTo(full);
		repository.setClock(Clock.fixed(NOW.plus(Duration.ofMinutes(10)).plusSeconds(1), ZoneOffset.UTC));
		assertThat(startAndFinish(repository, 100)).isEqualTo(100);
		assertThat(output.getAll()).doesNotContain("states consumed on this node are still unexpired");
	}

	@Test
	void consumeWhenReplayedThenNull() {
		AppleAuthorizationStateCookieRepository repository = repository(SECRET);
		Issued issued = issue(repository, null);
		assertThat(consume(repository, issued.state().state(), issued)).isNotNull();
		assertThat(consume(repository, issued.state().state(), issued)).isNull();
	}

	@Test
	void consumeWhenSignedButExpiredThenNull() {
		AppleAuthorizationStateCookieRepository repository = repository(SECRET);
		Issued issued = issue(repository, null);
		repository.setClock(Clock.fixed(NOW.plus(Duration.ofMinutes(10)).plusSeconds(1), ZoneOffset.UTC));
		assertThat(consume(repository, issued.state().state(), issued)).isNull();
	}

	@Test
	void setSecretWhenShorterThanMinimumThenIllegalArgument() {
		AppleAuthorizationStateCookieRepository repository = new AppleAuthorizationStateCookieRepository(CALLBACK);
		assertThatIllegalArgumentException().isThrownBy(() -> repository.setSecret("x".repeat(31)))
			.withMessage("secret must be at least 32 characters");
	}

	@Test
	void createWhenCalledThenNonceCookieHostPrefixedAndItsHashSigned() {
		MockHttpServletResponse response = new MockHttpServletResponse();
		repository(null).create(null, new MockHttpServletRequest("GET", "/shop/login/idaas/apple/authorize"),
				response);
		assertThat(response.getHeaders("Set-Cookie")).hasSize(2);
		String nonce = response.getHeaders("Set-Cookie").get(1);
		assertThat(nonce).matches(NONCE_COOKIE + "=[A-Za-z0-9_-]{43}; Path=/; Max-Age=600; Expires=.*")
			.contains("; Secure")
			.contains("; HttpOnly")
			.contains("; SameSite=None")
			.doesNotContainIgnoringCase("Domain");
		String value = response.getCookie(NONCE_COOKIE).getValue();
		String[] parts = response.getCookie(AppleAuthorizationStateCookieRepository.DEFAULT_COOKIE_NAME)
			.getValue()
			.split("\\.", -1);
		assertThat(parts[3]).isEqualTo(sha256(value)).doesNotContain(value);
	}

	@Test
	void consumeWhenCalledThenBothCookiesExpired() {
		AppleAuthorizationStateCookieRepository repository = repository(null);
		Issued issued = issue(repository, null);
		MockHttpServletRequest request = new MockHttpServletRequest("POST", CALLBACK);
		request.setCookies(new Cookie(AppleAuthorizationStateCookieRepository.DEFAULT_COOKIE_NAME, issued.cookie()),
				new Cookie(NONCE_COOKIE, issued.nonce()));
		MockHttpServletResponse response = new MockHttpServletResponse();
		assertThat(repository.consume(issued.state().state(), request, response)).isNotNull();
		assertThat(response.getHeaders("Set-Cookie")).satisfiesExactlyInAnyOrder(
				(header) -> assertThat(header).startsWith("__Secure-IDAAS_APPLE_STATE=; Path=" + CALLBACK + "; Max-Age=0"),
				(header) -> assertThat(header).startsWith(NONCE_COOKIE + "=; Path=/; Max-Age=0"));
	}

	@Test
	void createWhenCalledThenCookieNamedWithSecurePrefix() {
		MockHttpServletResponse response = new MockHttpServletResponse();
		repository(null).create(null, new MockHttpServletRequest("GET", "/login/idaas/apple/authorize"), response);
		assertThat(response.getHeader("Set-Cookie")).startsWith("__Secure-IDAAS_APPLE_STATE=")
			.contains("; Path=" + CALLBACK + ";")
			.contains("; Secure");
	}

	// what a flood does: authorize, then post the callback with error=x; returns how many were accepted
	private static int startAndFinish(AppleAuthorizationStateCookieRepository repository, int times) {
		int accepted = 0;
		for (int i = 0; i < times; i++) {
			Issued issued = issue(repository, null);
			if (consume(repository, issued.state().state(), issued) != null) {
				accepted++;
			}
		}
		return accepted;
	}

	private static String join(String... parts) {
		return String.join(".", parts);
	}

	private static String sha256(String value) {
		try {
			return Base64.getUrlEncoder()
				.withoutPadding()
				.encodeToString(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static AppleAuthorizationStateCookieRepository repository(String secret) {
		AppleAuthorizationStateCookieRepository repository = new AppleAuthorizationStateCookieRepository(CALLBACK);
		repository.setClock(Clock.fixed(NOW, ZoneOffset.UTC));
		if (secret != null) {
			repository.setSecret(secret);
		}
		return repository;
	}

	private static String encode(String text) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

	// HMAC-SHA256 over the purpose, a zero byte and the value, as the repository signs
	private static String hmac(String purpose, String value, String secret) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			mac.update(purpose.getBytes(StandardCharsets.US_ASCII));
			mac.update((byte) 0);
			return Base64.getUrlEncoder()
				.withoutPadding()
				.encodeToString(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Issued issue(AppleAuthorizationStateCookieRepository repository, String targetPath) {
		return issue(repository, targetPath, null);
	}

	private static Issued issue(AppleAuthorizationStateCookieRepository repository, String targetPath,
			String deviceFingerprint) {
		MockHttpServletResponse response = new MockHttpServletResponse();
		AppleAuthorizationState state = repository.create(targetPath, deviceFingerprint,
				new MockHttpServletRequest("GET", "/login/idaas/apple/authorize"), response);
		Cookie cookie = response.getCookie(AppleAuthorizationStateCookieRepository.DEFAULT_COOKIE_NAME);
		assertThat(cookie).isNotNull();
		Cookie nonce = response.getCookie(NONCE_COOKIE);
		return new Issued(state, cookie.getValue(), (nonce != null) ? nonce.getValue() : null);
	}

	// the browser that started the flow posts the callback: its own nonce cookie comes along
	private static AppleAuthorizationState consume(AppleAuthorizationStateCookieRepository repository,
			String postedState, Issued issued) {
		return consume(repository, postedState, issued.cookie(), issued.nonce());
	}

	private static AppleAuthorizationState consume(AppleAuthorizationStateCookieRepository repository,
			String postedState, String cookieValue, String nonce) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", CALLBACK);
		if (nonce != null) {
			request.setCookies(new Cookie(AppleAuthorizationStateCookieRepository.DEFAULT_COOKIE_NAME, cookieValue),
					new Cookie(NONCE_COOKIE, nonce));
		}
		else {
			request.setCookies(new Cookie(AppleAuthorizationStateCookieRepository.DEFAULT_COOKIE_NAME, cookieValue));
		}
		return repository.consume(postedState, request, new MockHttpServletResponse());
	}

	private record Issued(AppleAuthorizationState state, String cookie, String nonce) {
	}

}

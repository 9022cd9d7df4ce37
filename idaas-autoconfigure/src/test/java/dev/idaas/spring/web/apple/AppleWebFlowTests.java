package dev.idaas.spring.web.apple;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.idaas.spring.authentication.UnverifiedAppleUserInfoReceivedEvent;
import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.IdaasSimulatorExtension;
import dev.idaas.spring.test.simulator.RecordedIdaasRequest;
import dev.idaas.spring.test.simulator.SimulatedUser;
import dev.idaas.spring.web.flow.HttpSessionPendingSocialFlowRepository;
import dev.idaas.spring.web.flow.PendingSocialFlow;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponents;
import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Sign in with Apple on the web: the authorize redirect, the state cookie and Apple's
 * cross-site form_post callback, against the IDaaS simulator.
 */
@SpringBootTest
@AutoConfigureMockMvc
@RecordApplicationEvents
class AppleWebFlowTests {

	@Autowired
	ApplicationEvents events;


	private static final String AUTHORIZE = "/login/idaas/apple/authorize";

	private static final String CALLBACK = "/login/idaas/apple/callback";

	private static final String STATE_COOKIE = "__Secure-IDAAS_APPLE_STATE";

	private static final String NONCE_COOKIE = "__Host-IDAAS_APPLE_NONCE";

	private static final String DEVICE_COOKIE = "IDAAS_DEVICE";

	// the nonce cookie a test sends with a cookie it forged, so that only the forged part is wrong
	private static final String FORGED_NONCE = "forged-nonce-0123456789abcdefghijklmnopqrstu";

	// lets a test forge what only a holder of the secret could: a correctly signed cookie
	private static final String STATE_SECRET = "test-state-secret-0123456789abcdefghijklmnop";

	@RegisterExtension
	static IdaasSimulatorExtension extension = new IdaasSimulatorExtension();

	@DynamicPropertySource
	static void idaasProperties(DynamicPropertyRegistry registry) {
		extension.simulator().registerProperties(registry);
		registry.add("idaas.apple.client-id", () -> "com.example.web");
		registry.add("idaas.apple.state-secret", () -> STATE_SECRET);
		registry.add("idaas.apple.authorize-uri",
				() -> extension.simulator().baseUrl() + IdaasSimulator.AUTHORIZE_PATH);
	}

	@Autowired
	private MockMvc mvc;

	private final IdaasSimulator idaas = extension.simulator();

	private SimulatedUser alice;

	@BeforeEach
	void registerAlice() {
		this.alice = SimulatedUser.of("alice", "Alice Liddell", "+8613800000001", "alice@example.com");
		this.idaas.registerUser(this.alice);
	}

	@Test
	void authorizeWhenRequestedThenRedirectToAppleWithExactParameters() throws Exception {
		MvcResult result = this.mvc.perform(get(AUTHORIZE).cookie(new Cookie(DEVICE_COOKIE, "browser-device-0000")))
			.andExpect(status().isFound())
			.andReturn();
		MockHttpServletResponse response = result.getResponse();
		UriComponents location = UriComponentsBuilder.fromUriString(response.getRedirectedUrl()).build();
		assertThat(location.getScheme() + "://" + location.getHost() + ":" + location.getPort() + location.getPath())
			.isEqualTo(this.idaas.baseUrl() + IdaasSimulator.AUTHORIZE_PATH);
		MultiValueMap<String, String> params = UriComponentsBuilder.fromUriString(response.getRedirectedUrl())
			.build(true)
			.getQueryParams();
		assertThat(params.keySet()).containsExactlyInAnyOrder("client_id", "redirect_uri", "response_type",
				"response_mode", "scope", "state");
		assertThat(params.get("client_id")).containsExactly("com.example.web");
		assertThat(decode(params.getFirst("redirect_uri"))).isEqualTo("http://localhost" + CALLBACK);
		assertThat(params.get("response_type")).containsExactly("code");
		assertThat(params.get("response_mode")).containsExactly("form_post");
		assertThat(decode(params.getFirst("scope"))).isEqualTo("name email");
		String state = params.getFirst("state");
		assertThat(state).matches("[A-Za-z0-9_-]{43}");
		assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
		assertThat(response.getHeaders("Set-Cookie")).hasSize(2);
		String setCookie = response.getHeaders("Set-Cookie").get(0);
		// state, no target, issue time, nonce hash (SHA-256), device fingerprint, MAC (HMAC-SHA256), base64url
		assertThat(setCookie)
			.matches(STATE_COOKIE + "=" + state + "\\.\\.[0-9]+\\.[A-Za-z0-9_-]{43}\\." + encode("browser-device-0000")
					+ "\\.[A-Za-z0-9_-]{43};.*")
			.contains("; Path=" + CALLBACK + ";")
			.contains("Max-Age=600")
			.contains("Secure")
			.contains("HttpOnly")
			.contains("SameSite=None");
		String nonce = response.getHeaders("Set-Cookie").get(1);
		assertThat(nonce).matches(NONCE_COOKIE + "=[A-Za-z0-9_-]{43}; Path=/; Max-Age=600; .*")
			.contains("Secure")
			.contains("HttpOnly")
			.contains("SameSite=None")
			.doesNotContainIgnoringCase("Domain=");
		assertThat(setCookie.split(";")[0].split("\\.")[3])
			.isEqualTo(sha256(response.getCookie(NONCE_COOKIE).getValue()));
		assertThat(this.idaas.loginRequestCount()).isZero();
	}

	@Test
	void callbackWhenCrossSiteWithoutDeviceCookieThenIdaasSeesTheBrowsersFingerprintEveryTime() throws Exception {
		// the browser's own device id, set on an earlier same-site visit
		Cookie device = new Cookie(DEVICE_COOKIE, "browser-device-0001");
		for (int signIn = 0; signIn < 2; signIn++) {
			// the authorize GET is same-site: the SameSite=Lax device cookie comes along
			MvcResult started = this.mvc.perform(get(AUTHORIZE).cookie(device)).andExpect(status().isFound()).andReturn();
			assertThat(started.getResponse().getCookie(DEVICE_COOKIE)).isNull();
			Cookie cookie = stateCookie(started);
			// Apple's cross-site form_post: the SameSite=None state and nonce cookies, not the Lax device cookie
			MvcResult result = this.mvc
				.perform(post(CALLBACK).cookie(cookie, nonceCookie(started))
					.param("state", state(cookie))
					.param("code", this.idaas.issueAppleCode(this.alice)))
				.andExpect(status().isFound())
				.andExpect(redirectedUrl("/"))
				.andReturn();
			assertThat(signedIn(result).getName()).isEqualTo("alice");
			// the browser keeps its device id: no new one is set on the callback
			assertThat(result.getResponse().getCookie(DEVICE_COOKIE)).isNull();
			assertThat(result.getResponse().getHeaders("Set-Cookie")).noneMatch((value) -> value.startsWith(DEVICE_COOKIE));
		}
		assertThat(this.idaas.recordedRequests(IdaasSimulator.LOGIN_PATH)).hasSize(2)
			.extracting((request) -> request.header("X-device-fingerprint"))
			.containsExactly("browser-device-0001", "browser-device-0001");
	}

	@Test
	void callbackWhenBrowserWithoutDeviceIdThenAuthorizeSetsItAndCallbackPresentsIt() throws Exception {
		MvcResult started = this.mvc.perform(get(AUTHORIZE)).andExpect(status().isFound()).andReturn();
		Cookie device = started.getResponse().getCookie(DEVICE_COOKIE);
		assertThat(device).isNotNull();
		assertThat(device.getValue()).matches("[A-Za-z0-9_-]{22}");
		assertThat(started.getResponse().getHeaders("Set-Cookie"))
			.anySatisfy((value) -> assertThat(value).startsWith(DEVICE_COOKIE + "=" + device.getValue() + ";")
				.contains("HttpOnly")
				.contains("SameSite=Lax"));
		Cookie cookie = stateCookie(started);
		MvcResult result = this.mvc
			.perform(post(CALLBACK).cookie(cookie, nonceCookie(started))
				.param("state", state(cookie))
				.param("code", this.idaas.issueAppleCode(this.alice)))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/"))
			.andReturn();
		assertThat(result.getResponse().getCookie(DEVICE_COOKIE)).isNull();
		assertThat(this.idaas.recordedRequests(IdaasSimulator.LOGIN_PATH)).singleElement()
			.satisfies((request) -> assertThat(request.header("X-device-fingerprint")).isEqualTo(device.getValue()));
	}

	@Test
	void callbackWhenSecondFactorThenEveryCallOfTheCallbackPresentsTheRecordedFingerprint() throws Exception {
		SimulatedUser dave = SimulatedUser.of("dave", "Dave Second", "+8613800000004", "dave@example.com");
		this.idaas.registerUser(dave);
		this.idaas.requireSecondFactor(dave, true);
		Cookie device = new Cookie(DEVICE_COOKIE, "browser-device-0002");
		MvcResult started = this.mvc.perform(get(AUTHORIZE).cookie(device)).andReturn();
		Cookie cookie = stateCookie(started);
		MvcResult result = this.mvc
			.perform(post(CALLBACK).cookie(cookie, nonceCookie(started))
				.param("state", state(cookie))
				.param("code", this.idaas.issueAppleCode(dave)))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/idaas/mfa"))
			.andReturn();
		assertThat(result.getResponse().getCookie(DEVICE_COOKIE)).isNull();
		assertThat(this.idaas.recordedRequests()).filteredOn((request) -> !request.path().equals(IdaasSimulator.JWKS_PATH))
			.extracting(RecordedIdaasRequest::path)
			.containsExactly(IdaasSimulator.LOGIN_PATH, IdaasSimulator.MOBILE_BY_TOKEN_PATH);
		assertThat(this.idaas.recordedRequests())
			.extracting((request) -> request.header("X-device-fingerprint"))
			.containsOnly("browser-device-0002");
	}

	@Test
	void callbackWhenStateCookieOfTheFormatBeforeFingerprintsThenSignedInAsBefore() throws Exception {
		// a state cookie issued by a node that did not record fingerprints yet (rolling upgrade)
		MvcResult started = this.mvc.perform(get(AUTHORIZE)).andReturn();
		Cookie nonce = nonceCookie(started);
		String state = state(stateCookie(started));
		Cookie old = new Cookie(STATE_COOKIE,
				signed(state + ".." + Instant.now().getEpochSecond() + "." + sha256(nonce.getValue()), STATE_SECRET));
		MvcResult result = this.mvc
			.perform(post(CALLBACK).cookie(old, nonce)
				.param("state", state)
				.param("code", this.idaas.issueAppleCode(this.alice)))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/"))
			.andReturn();
		assertThat(signedIn(result).getName()).isEqualTo("alice");
		// as before: without its device cookie the callback resolves (and sets) a device id of its own
		Cookie device = result.getResponse().getCookie(DEVICE_COOKIE);
		assertThat(device).isNotNull();
		assertThat(this.idaas.recordedRequests(IdaasSimulator.LOGIN_PATH)).singleElement()
			.satisfies((request) -> assertThat(request.header("X-device-fingerprint")).isEqualTo(device.getValue()));
	}

	@Test
	void callbackWhenGenuineCookieFingerprintTamperedThenRejectedWithoutUpstreamCall() throws Exception {
		MvcResult started = this.mvc.perform(get(AUTHORIZE).cookie(new Cookie(DEVICE_COOKIE, "browser-device-0003")))
			.andReturn();
		String[] parts = stateCookie(started).getValue().split("\\.", -1);
		assertThat(parts).hasSize(6);
		assertThat(parts[4]).isEqualTo(encode("browser-device-0003"));
		String code = this.idaas.issueAppleCode(this.alice);
		for (String tampered : new String[] {
				join(parts[0], parts[1], parts[2], parts[3], encode("someone-elses-device"), parts[5]),
				join(parts[0], parts[1], parts[2], parts[3], "", parts[5]),
				// the fingerprint dropped, as if the cookie were of the older format
				join(parts[0], parts[1], parts[2], parts[3], parts[5]) }) {
			this.mvc
				.perform(post(CALLBACK).cookie(new Cookie(STATE_COOKIE, tampered), nonceCookie(started))
					.param("state", parts[0])
					.param("code", code))
				.andExpect(status().isFound())
				.andExpect(redirectedUrl("/login?error&code=IDAAS.STARTER.INVALID_STATE"));
		}
		assertThat(this.idaas.loginRequestCount()).isZero();
	}

	@Test
	void authorizeWhenTwiceThenDifferentStates() throws Exception {
		String first = stateCookie(this.mvc.perform(get(AUTHORIZE)).andReturn()).getValue();
		String second = stateCookie(this.mvc.perform(get(AUTHORIZE)).andReturn()).getValue();
		assertThat(first.substring(0, first.indexOf('.'))).isNotEqualTo(second.substring(0, second.indexOf('.')));
	}

	@Test
	void callbackWhenCodeAndStateThenSignedInWithoutCsrfToken() throws Exception {
		MvcResult started = this.mvc.perform(get(AUTHORIZE)).andReturn();
		Cookie cookie = stateCookie(started);
		Cookie nonce = nonceCookie(started);
		String code = this.idaas.issueAppleCode(this.alice);
		MvcResult result = this.mvc
			.perform(post(CALLBACK).cookie(cookie, nonce).param("state", state(cookie)).param("code", code))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/"))
			.andReturn();
		Authentication authentication = signedIn(result);
		assertThat(authentication.getName()).isEqualTo("alice");
		assertThat(this.idaas.loginRequestCount()).isEqualTo(1);
		assertThat(result.getResponse().getHeaders("Set-Cookie"))
			.anySatisfy((value) -> assertThat(value).startsWith(STATE_COOKIE + "=;").contains("Max-Age=0")
				.contains("Path=" + CALLBACK));
	}

	@Test
	void callbackWhenUserFieldThenOnlyUnverifiedClaimsAndEvent() throws Exception {
		MvcResult started = this.mvc.perform(get(AUTHORIZE)).andReturn();
		Cookie cookie = stateCookie(started);
		Cookie nonce = nonceCookie(started);
		String code = this.idaas.issueAppleCode(this.alice);
		MvcResult result = this.mvc
			.perform(post(CALLBACK).cookie(cookie, nonce)
				.param("state", state(cookie))
				.param("code", code)
				// whoever posts the callback chooses this field: here, someone posing as the admin
				.param("user",
						"{\"name\":{\"firstName\":\"Root\",\"lastName\":\"Admin\"},\"email\":\"admin@example.com\"}"))
			.andExpect(status().isFound())
			.andReturn();
		OidcUser user = (OidcUser) signedIn(result).getPrincipal();
		assertThat(user.getSubject()).isEqualTo("alice");
		// the standard claims are the id_token's, untouched by the form field
		assertThat(user.getEmail()).isEqualTo("alice@example.com");
		assertThat(user.getFullName()).isEqualTo("Alice Liddell");
		assertThat(user.getGivenName()).isNull();
		assertThat(user.getFamilyName()).isNull();
		assertThat(user.getClaims()).doesNotContainKeys("given_name", "family_name", "apple_name", "apple_email");
		assertThat(user.getUserInfo().getClaims()).containsOnly(entry("apple_unverified_given_name", "Root"),
				entry("apple_unverified_family_name", "Admin"), entry("apple_unverified_name", "Root Admin"),
				entry("apple_unverified_email", "admin@example.com"));
		assertThat(this.events.stream(UnverifiedAppleUserInfoReceivedEvent.class)).singleElement()
			.satisfies((event) -> {
				assertThat(event.getUnverifiedUserInfo().fullName()).isEqualTo("Root Admin");
				assertThat(event.getUnverifiedUserInfo().email()).isEqualTo("admin@example.com");
				assertThat(event.getAuthentication().getName()).isEqualTo("alice");
			});
	}

	@Test
	void callbackWhenNoUserFieldThenNoNameEvent() throws Exception {
		MvcResult started = this.mvc.perform(get(AUTHORIZE)).andReturn();
		Cookie cookie = stateCookie(started);
		Cookie nonce = nonceCookie(started);
		this.mvc
			.perform(post(CALLBACK).cookie(cookie, nonce)
				.param("state", state(cookie))
				.param("code", this.idaas.issueAppleCode(this.alice)))
			.andExpect(status().isFound());
		assertThat(this.events.stream(UnverifiedAppleUserInfoReceivedEvent.class)).isEmpty();
	}

	@Test
	void callbackWhenSavedRequestThenBackToIt() throws Exception {
		MockHttpSession session = new MockHttpSession();
		this.mvc.perform(get("/private").session(session).accept(MediaType.TEXT_HTML)).andExpect(status().isFound());
		MvcResult started = this.mvc.perform(get(AUTHORIZE).session(session)).andReturn();
		Cookie cookie = stateCookie(started);
		Cookie nonce = nonceCookie(started);
		String code = this.idaas.issueAppleCode(this.alice);
		// Apple's cross-site POST carries no SameSite=Lax session cookie
		this.mvc.perform(post(CALLBACK).cookie(cookie, nonce).param("state", state(cookie)).param("code", code))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/private?continue"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "//evil.example", "https://evil.example", "/\\evil.example", "/%2F%2Fevil.example",
			"/%5Cevil.example", "\\\\evil.example", "http:evil.example", "/\tevil", "javascript:alert(1)" })
	void callbackWhenForgedTargetThenNeverLeavesSite(String target) throws Exception {
		// signed with the secret, as if it leaked, so the target check itself is what is tested
		String state = "forged-state-" + Math.abs(target.hashCode()) + "-" + System.nanoTime();
		Cookie cookie = new Cookie(STATE_COOKIE, signed(state + "." + encode(target) + "."
				+ Instant.now().getEpochSecond() + "." + sha256(FORGED_NONCE), STATE_SECRET));
		Cookie nonce = new Cookie(NONCE_COOKIE, FORGED_NONCE);
		String code = this.idaas.issueAppleCode(this.alice);
		this.mvc.perform(post(CALLBACK).cookie(cookie, nonce).param("state", state).param("code", code))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/"));
		assertThat(this.idaas.loginRequestCount()).isEqualTo(1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", ".", ".AAAA", ".not-a-mac", ".c2lnbmF0dXJl" })
	void callbackWhenPlantedCookieWithoutValidMacThenRejectedWithoutUpstreamCall(String mac) throws Exception {
		// someone who can set cookies for the site plants a state cookie and posts the same state
		String state = "planted-state-" + System.nanoTime();
		Cookie planted = new Cookie(STATE_COOKIE,
				state + ".." + Instant.now().getEpochSecond() + "." + sha256(FORGED_NONCE) + mac);
		Cookie nonce = new Cookie(NONCE_COOKIE, FORGED_NONCE);
		String code = this.idaas.issueAppleCode(this.alice);
		MvcResult result = this.mvc
			.perform(post(CALLBACK).cookie(planted, nonce).param("state", state).param("code", code))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/login?error&code=IDAAS.STARTER.INVALID_STATE"))
			.andReturn();
		assertThat(signedIn(result)).isNull();
		assertThat(this.idaas.loginRequestCount()).isZero();
	}

	@Test
	void callbackWhenPlantedCookieSignedWithAnotherSecretThenRejectedWithoutUpstreamCall() throws Exception {
		String state = "planted-state-" + System.nanoTime();
		Cookie planted = new Cookie(STATE_COOKIE, signed(state + ".." + Instant.now().getEpochSecond() + "."
				+ sha256(FORGED_NONCE), "attacker-secret-0123456789abcdefghijklmnopq"));
		String code = this.idaas.issueAppleCode(this.alice);
		this.mvc
			.perform(post(CALLBACK).cookie(planted, new Cookie(NONCE_COOKIE, FORGED_NONCE))
				.param("state", state)
				.param("code", code))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/login?error&code=IDAAS.STARTER.INVALID_STATE"));
		assertThat(this.idaas.loginRequestCount()).isZero();
	}

	@Test
	void callbackWhenGenuineCookieTargetTamperedThenRejectedWithoutUpstreamCall() throws Exception {
		MockHttpSession session = new MockHttpSession();
		this.mvc.perform(get("/private").session(session).accept(MediaType.TEXT_HTML)).andExpect(status().isFound());
		MvcResult started = this.mvc.perform(get(AUTHORIZE).session(session)).andReturn();
		String[] parts = stateCookie(started).getValue().split("\\.", -1);
		assertThat(parts).hasSize(6);
		assertThat(parts[1]).isEqualTo(encode("/private?continue"));
		Cookie tampered = new Cookie(STATE_COOKIE, join(parts[0], encode("/admin"), parts[2], parts[3], parts[4], parts[5]));
		String code = this.idaas.issueAppleCode(this.alice);
		this.mvc
			.perform(post(CALLBACK).cookie(tampered, nonceCookie(started)).param("state", parts[0]).param("code", code))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/login?error&code=IDAAS.STARTER.INVALID_STATE"));
		assertThat(this.idaas.loginRequestCount()).isZero();
	}

	@Test
	void callbackWhenGenuineCookieIssueTimeTamperedThenRejectedWithoutUpstreamCall() throws Exception {
		MvcResult started = this.mvc.perform(get(AUTHORIZE)).andReturn();
		String[] parts = stateCookie(started).getValue().split("\\.", -1);
		assertThat(parts).hasSize(6);
		// pushed into the future, the cookie would otherwise outlive its 10 minutes
		Cookie tampered = new Cookie(STATE_COOKIE,
				join(parts[0], parts[1], String.valueOf(Long.parseLong(parts[2]) + 3600), parts[3], parts[4], parts[5]));
		String code = this.idaas.issueAppleCode(this.alice);
		this.mvc
			.perform(post(CALLBACK).cookie(tampered, nonceCookie(started)).param("state", parts[0]).param("code", code))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/login?error&code=IDAAS.STARTER.INVALID_STATE"));
		assertThat(this.idaas.loginRequestCount()).isZero();
	}

	@Test
	void callbackWhenAttackersGenuineStatePlantedInVictimsBrowserThenRejectedWithoutUpstreamCall() throws Exception {
		// the attacker starts a sign-in in their own browser and stops at Apple's answer
		MvcResult attackers = this.mvc.perform(get(AUTHORIZE)).andReturn();
		Cookie attackersState = stateCookie(attackers);
		SimulatedUser mallory = SimulatedUser.of("mallory", "Mallory", "+8613800000009", "mallory@example.com");
		this.idaas.registerUser(mallory);
		String attackersCode = this.idaas.issueAppleCode(mallory);
		// the victim's browser holds its own nonce (from any earlier authorize) and, planted from a
		// sibling subdomain, the attacker's genuine signed state cookie
		Cookie victimsNonce = nonceCookie(this.mvc.perform(get(AUTHORIZE)).andReturn());
		MvcResult result = this.mvc
			.perform(post(CALLBACK).cookie(attackersState, victimsNonce)
				.param("state", state(attackersState))
				.param("code", attackersCode))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/login?error&code=IDAAS.STARTER.INVALID_STATE"))
			.andReturn();
		assertThat(signedIn(result)).isNull();
		// and with no nonce cookie at all
		this.mvc
			.perform(post(CALLBACK).cookie(attackersState)
				.param("state", state(attackersState))
				.param("code", attackersCode))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/login?error&code=IDAAS.STARTER.INVALID_STATE"));
		assertThat(this.idaas.loginRequestCount()).isZero();
	}

	@Test
	void callbackWhenStateWithNonceCookieOfAnotherSignInThenRejectedWithoutUpstreamCall() throws Exception {
		MvcResult first = this.mvc.perform(get(AUTHORIZE)).andReturn();
		MvcResult second = this.mvc.perform(get(AUTHORIZE)).andReturn();
		Cookie cookie = stateCookie(first);
		String code = this.idaas.issueAppleCode(this.alice);
		this.mvc
			.perform(post(CALLBACK).cookie(cookie, nonceCookie(second)).param("state", state(cookie)).param("code", code))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/login?error&code=IDAAS.STARTER.INVALID_STATE"));
		assertThat(this.idaas.loginRequestCount()).isZero();
	}

	@Test
	void authorizeWhenHostNotLoopbackAndNoRedirectUriThenBadRequestWithoutStateOrRedirect() throws Exception {
		for (String host : new String[] { "evil.example", "app.example.com", "localhost.evil.example", "10.0.0.1",
				"127.0.0.1.evil.example", "[::2]" }) {
			MockHttpServletResponse response = this.mvc
				.perform(get(AUTHORIZE).header("Host", host).with((request) -> {
					request.setServerName(host);
					return request;
				}))
				.andExpect(status().isBadRequest())
				.andReturn()
				.getResponse();
			assertThat(response.getContentAsString(StandardCharsets.UTF_8))
				.isEqualTo(AppleAuthorizationRequestRedirectFilter.UNSET_REDIRECT_URI_MESSAGE);
			assertThat(response.getRedirectedUrl()).as(host).isNull();
			assertThat(response.getHeader("Location")).as(host).isNull();
			assertThat(response.getHeaders("Set-Cookie")).as(host).isEmpty();
		}
		assertThat(this.idaas.loginRequestCount()).isZero();
	}

	@ParameterizedTest
	@ValueSource(strings = { "localhost", "127.0.0.1", "127.1.2.3", "[::1]" })
	void authorizeWhenLoopbackHostAndNoRedirectUriThenDerivedFromIt(String host) throws Exception {
		MockHttpServletResponse response = this.mvc
			.perform(get(AUTHORIZE).header("Host", host).with((request) -> {
				request.setServerName(host);
				request.setServerPort(8080);
				return request;
			}))
			.andExpect(status().isFound())
			.andReturn()
			.getResponse();
		MultiValueMap<String, String> params = UriComponentsBuilder.fromUriString(response.getRedirectedUrl())
			.build(true)
			.getQueryParams();
		assertThat(decode(params.getFirst("redirect_uri"))).isEqualTo("http://" + host + ":8080" + CALLBACK);
	}

	@Test
	void callbackWhenStateCookieMissingThenRejectedWithoutUpstreamCall() throws Exception {
		MvcResult started = this.mvc.perform(get(AUTHORIZE)).andReturn();
		Cookie cookie = stateCookie(started);
		Cookie nonce = nonceCookie(started);
		String code = this.idaas.issueAppleCode(this.alice);
		MvcResult result = this.mvc.perform(post(CALLBACK).param("state", state(cookie)).param("code", code))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/login?error&code=IDAAS.STARTER.INVALID_STATE"))
			.andReturn();
		assertThat(signedIn(result)).isNull();
		assertThat(this.idaas.loginRequestCount()).isZero();
	}

	@Test
	void callbackWhenStateMissingThenRejectedWithoutUpstreamCall() throws Exception {
		MvcResult started = this.mvc.perform(get(AUTHORIZE)).andReturn();
		Cookie cookie = stateCookie(started);
		Cookie nonce = nonceCookie(started);
		String code = this.idaas.issueAppleCode(this.alice);
		this.mvc.perform(post(CALLBACK).cookie(cookie, nonce).param("code", code))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/login?error&code=IDAAS.STARTER.INVALID_STATE"));
		assertThat(this.idaas.loginRequestCount()).isZero();
	}

	@Test
	void callbackWhenStateMismatchedThenRejectedWithoutUpstreamCall() throws Exception {
		MvcResult started = this.mvc.perform(get(AUTHORIZE)).andReturn();
		Cookie cookie = stateCookie(started);
		Cookie nonce = nonceCookie(started);
		Cookie other = stateCookie(this.mvc.perform(get(AUTHORIZE)).andReturn());
		String code = this.idaas.issueAppleCode(this.alice);
		this.mvc.perform(post(CALLBACK).cookie(cookie, nonce).param("state", state(other)).param("code", code))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/login?error&code=IDAAS.STARTER.INVALID_STATE"));
		this.mvc.perform(post(CALLBACK).cookie(cookie, nonce).param("state", "").param("code", code))
			.andExpect(redirectedUrl("/login?error&code=IDAAS.STARTER.INVALID_STATE"));
		assertThat(this.idaas.loginRequestCount()).isZero();
	}

	@Test
	void callbackWhenStateReplayedThenRejectedWithoutUpstreamCall() throws Exception {
		MvcResult started = this.mvc.perform(get(AUTHORIZE)).andReturn();
		Cookie cookie = stateCookie(started);
		Cookie nonce = nonceCookie(started);
		String code = this.idaas.issueAppleCode(this.alice);
		this.mvc.perform(post(CALLBACK).cookie(cookie, nonce).param("state", state(cookie)).param("code", code))
			.andExpect(redirectedUrl("/"));
		String second = this.idaas.issueAppleCode(this.alice);
		MvcResult replay = this.mvc
			.perform(post(CALLBACK).cookie(cookie, nonce).param("state", state(cookie)).param("code", second))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/login?error&code=IDAAS.STARTER.INVALID_STATE"))
			.andReturn();
		assertThat(signedIn(replay)).isNull();
		assertThat(this.idaas.loginRequestCount()).isEqualTo(1);
	}

	@Test
	void callbackWhenStateExpiredThenRejectedWithoutUpstreamCall() throws Exception {
		MvcResult started = this.mvc.perform(get(AUTHORIZE)).andReturn();
		Cookie nonce = nonceCookie(started);
		String state = state(stateCookie(started));
		long elevenMinutesAgo = Instant.now().minusSeconds(660).getEpochSecond();
		// correctly signed and bound to this browser, so only its age refuses it
		Cookie expired = new Cookie(STATE_COOKIE,
				signed(state + ".." + elevenMinutesAgo + "." + sha256(nonce.getValue()), STATE_SECRET));
		String code = this.idaas.issueAppleCode(this.alice);
		this.mvc.perform(post(CALLBACK).cookie(expired, nonce).param("state", state).param("code", code))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/login?error&code=IDAAS.STARTER.INVALID_STATE"));
		assertThat(this.idaas.loginRequestCount()).isZero();
	}

	@Test
	void callbackWhenUserCancelledThenBackToLoginWithoutUpstreamCall() throws Exception {
		MvcResult started = this.mvc.perform(get(AUTHORIZE)).andReturn();
		Cookie cookie = stateCookie(started);
		Cookie nonce = nonceCookie(started);
		MvcResult result = this.mvc
			.perform(post(CALLBACK).cookie(cookie, nonce).param("state", state(cookie)).param("error", "user_cancelled_authorize"))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/login"))
			.andReturn();
		assertThat(signedIn(result)).isNull();
		assertThat(this.idaas.loginRequestCount()).isZero();
	}

	@Test
	void callbackWhenSocialBindThenRedirectToBindPage() throws Exception {
		MvcResult started = this.mvc.perform(get(AUTHORIZE)).andReturn();
		Cookie cookie = stateCookie(started);
		Cookie nonce = nonceCookie(started);
		String code = this.idaas.issueSocialBindCode();
		MvcResult result = this.mvc
			.perform(post(CALLBACK).cookie(cookie, nonce).param("state", state(cookie)).param("code", code))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/idaas/bind"))
			.andReturn();
		assertThat(result.getRequest().getSession().getAttribute(HttpSessionPendingSocialFlowRepository.ATTRIBUTE))
			.isInstanceOf(PendingSocialFlow.class);
		assertThat(signedIn(result)).isNull();
	}

	@Test
	void callbackWhenHostileCodeThenRejectedWithoutUpstreamCall() throws Exception {
		MvcResult started = this.mvc.perform(get(AUTHORIZE)).andReturn();
		Cookie cookie = stateCookie(started);
		Cookie nonce = nonceCookie(started);
		this.mvc.perform(post(CALLBACK).cookie(cookie, nonce).param("state", state(cookie)).param("code", "a".repeat(4097)))
			.andExpect(redirectedUrl("/login?error&code=IDAAS.STARTER.INVALID_CODE"));
		assertThat(this.idaas.loginRequestCount()).isZero();
	}

	@Test
	void callbackWhenContextPathThenCookieScopedToItAndSignedIn() throws Exception {
		MvcResult authorize = this.mvc.perform(get("/shop" + AUTHORIZE).contextPath("/shop"))
			.andExpect(status().isFound())
			.andReturn();
		MultiValueMap<String, String> params = UriComponentsBuilder
			.fromUriString(authorize.getResponse().getRedirectedUrl())
			.build(true)
			.getQueryParams();
		assertThat(decode(params.getFirst("redirect_uri"))).isEqualTo("http://localhost/shop" + CALLBACK);
		assertThat(authorize.getResponse().getHeaders("Set-Cookie"))
			.filteredOn((value) -> value.startsWith(STATE_COOKIE + "="))
			.singleElement()
			.satisfies((value) -> assertThat(value).contains("; Path=/shop" + CALLBACK + ";"));
		Cookie cookie = stateCookie(authorize);
		Cookie nonce = nonceCookie(authorize);
		assertThat(authorize.getResponse().getHeaders("Set-Cookie"))
			.filteredOn((value) -> value.startsWith(NONCE_COOKIE + "="))
			.singleElement()
			.satisfies((value) -> assertThat(value).contains("; Path=/;"));
		String code = this.idaas.issueAppleCode(this.alice);
		this.mvc
			.perform(post("/shop" + CALLBACK).contextPath("/shop")
				.cookie(cookie, nonce)
				.param("state", state(cookie))
				.param("code", code))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/shop/"));
	}

	@Test
	void logoutWhenAppleConfiguredThenStateCookieExpiredOnCallbackPath() throws Exception {
		MockHttpServletResponse response = this.mvc.perform(post("/logout").with(csrf()))
			.andExpect(status().isFound())
			.andReturn()
			.getResponse();
		Cookie expired = response.getCookie(STATE_COOKIE);
		assertThat(expired).isNotNull();
		assertThat(expired.getMaxAge()).isZero();
		assertThat(expired.getPath()).isEqualTo(CALLBACK);
		// browsers ignore a __Secure- cookie without Secure, so the clearing cookie needs it too
		assertThat(expired.getSecure()).isTrue();
	}

	@Test
	void loginPageWhenAppleConfiguredThenLinksToAuthorize() throws Exception {
		MvcResult result = this.mvc.perform(get("/login")).andExpect(status().isOk()).andReturn();
		assertThat(result.getResponse().getContentAsString(StandardCharsets.UTF_8))
			.contains("<a class=\"apple\" href=\"" + AUTHORIZE + "\">Sign in with Apple</a>");
	}

	private static String join(String... parts) {
		return String.join(".", parts);
	}

	private static String encode(String target) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(target.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * The cookie value as the repository signed it before it recorded device fingerprints, a
	 * format it still accepts: HMAC-SHA256 over the purpose, a zero byte and
	 * {@code state.target.issued.nonceHash}.
	 */
	private static String signed(String value, String secret) throws GeneralSecurityException {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		mac.update("idaas-apple-authorization-state-v2".getBytes(StandardCharsets.US_ASCII));
		mac.update((byte) 0);
		return value + "." + Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
	}

	private static String decode(String value) {
		return java.net.URLDecoder.decode(value, StandardCharsets.UTF_8);
	}

	private static String sha256(String value) throws GeneralSecurityException {
		return Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
	}

	private static Cookie nonceCookie(MvcResult result) {
		Cookie cookie = result.getResponse().getCookie(NONCE_COOKIE);
		assertThat(cookie).isNotNull();
		return new Cookie(cookie.getName(), cookie.getValue());
	}

	private static Cookie stateCookie(MvcResult result) {
		Cookie cookie = result.getResponse().getCookie(STATE_COOKIE);
		assertThat(cookie).isNotNull();
		return new Cookie(cookie.getName(), cookie.getValue());
	}

	private static String state(Cookie cookie) {
		return cookie.getValue().substring(0, cookie.getValue().indexOf('.'));
	}

	private static Authentication signedIn(MvcResult result) {
		HttpSession session = result.getRequest().getSession(false);
		if (session == null) {
			return null;
		}
		SecurityContext context = (SecurityContext) session
			.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
		return (context != null) ? context.getAuthentication() : null;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(PagesController.class)
	static class AppleApplication {

	}

	@RestController
	static class PagesController {

		@GetMapping("/private")
		String secret(Authentication authentication) {
			return "private " + authentication.getName();
		}

	}

}

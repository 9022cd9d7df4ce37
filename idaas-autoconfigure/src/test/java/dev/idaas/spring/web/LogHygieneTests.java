package dev.idaas.spring.web;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.IdaasSimulatorExtension;
import dev.idaas.spring.test.simulator.MutableClock;
import dev.idaas.spring.test.simulator.RecordedIdaasRequest;
import dev.idaas.spring.test.simulator.SentVerificationCode;
import dev.idaas.spring.test.simulator.SimulatedUser;
import dev.idaas.spring.web.session.IdTokenRefresher;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Every secret the starter handles, through every flow, with every {@code dev.idaas} logger at
 * TRACE and the HTTP client's logging on: none of them reaches the log output.
 */
@SpringBootTest(classes = LogHygieneTests.TestApplication.class,
		properties = { "logging.level.dev.idaas=TRACE", "logging.level.org.springframework.web.client=TRACE",
				"logging.level.org.springframework.http=TRACE", "logging.level.jdk.internal.httpclient=TRACE",
				"logging.level.jdk.httpclient=TRACE", "idaas.http.initial-backoff=1ms", "idaas.http.max-backoff=1ms",
				"idaas.apple.client-id=com.example.web" })
@AutoConfigureMockMvc
@ExtendWith(OutputCaptureExtension.class)
class LogHygieneTests {

	static {
		// the JDK client's own debug channel (to System.err); only effective if this JVM has
		// not created an HttpClient yet, so the test does not depend on it
		System.setProperty("jdk.internal.httpclient.debug", "true");
	}

	private static final String UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)";

	private static final SecureRandom random = new SecureRandom();

	/**
	 * The puzzle token of a captcha check and the captcha_token of a send.
	 */
	private static final Pattern CAPTCHA_TOKENS = Pattern.compile("\"(?:token|captcha_token)\"\\s*:\\s*\"([^\"]+)\"");

	static final MutableClock refresherClock = new MutableClock(Instant.now());

	static final String STATE_SECRET = "state-secret-" + randomToken(24);

	@RegisterExtension
	static final IdaasSimulatorExtension extension = new IdaasSimulatorExtension();

	@DynamicPropertySource
	static void idaasProperties(DynamicPropertyRegistry registry) {
		extension.simulator().registerProperties(registry);
		registry.add("idaas.apple.authorize-uri",
				() -> extension.simulator().baseUrl() + IdaasSimulator.AUTHORIZE_PATH);
		registry.add("idaas.apple.state-secret", () -> STATE_SECRET);
	}

	@Autowired
	private MockMvc mvc;

	private final IdaasSimulator idaas = extension.simulator();

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

	/** Secret values by what they are, for a readable failure. */
	private final Map<String, String> secrets = new LinkedHashMap<>();

	@BeforeEach
	void captureRootLogger() {
		this.appender.start();
		this.root.addAppender(this.appender);
		refresherClock.setInstant(Instant.now());
	}

	@AfterEach
	void detach() {
		this.root.detachAppender(this.appender);
	}

	@Test
	void allFlowsWhenTraceLoggingThenNoSecretInOutput(CapturedOutput output) throws Exception {
		String verificationCode = "Vc" + randomToken(8);
		this.idaas.verificationCode(verificationCode);
		secret("verification code", verificationCode);
		SimulatedUser alice = user("alice");

		// 1. JSON login, and a replay of the same (now used) Apple code
		MockHttpSession json = session();
		String code = secret("apple code (json)", this.idaas.issueAppleCode(alice));
		perform(post("/login/idaas/apple").session(json).contentType(MediaType.APPLICATION_JSON)
			.content("{\"code\":\"" + code + "\"}"), 200);
		collectSignedIn("json login", json);
		perform(post("/login/idaas/apple").session(session()).contentType(MediaType.APPLICATION_JSON)
			.content("{\"code\":\"" + code + "\"}"), 400);

		// 2. Apple web flow: authorize, then the form_post callback with the state cookie;
		// then a callback with a forged state
		MvcResult authorize = perform(get("/login/idaas/apple/authorize"), 302);
		Cookie stateCookie = authorize.getResponse().getCookie("__Secure-IDAAS_APPLE_STATE");
		assertThat(stateCookie).isNotNull();
		String state = secret("apple state", stateCookie.getValue().substring(0, stateCookie.getValue().indexOf('.')));
		secret("apple state cookie", stateCookie.getValue());
		secret("apple state cookie signature",
				stateCookie.getValue().substring(stateCookie.getValue().lastIndexOf('.') + 1));
		secret("apple state secret", STATE_SECRET);
		String webCode = secret("apple code (web)", this.idaas.issueAppleCode(alice));
		MockHttpSession web = session();
		perform(post("/login/idaas/apple/callback").session(web).cookie(stateCookie).param("state", state)
			.param("code", webCode), 302);
		collectSignedIn("web login", web);
		String forgedCode = secret("apple code (forged state)", this.idaas.issueAppleCode(alice));
		perform(post("/login/idaas/apple/callback").cookie(stateCookie).param("state", "x" + state)
			.param("code", forgedCode), 302);

		// 3. Refresh: the refresher's clock moves past the id_token's expiry
		refresherClock.advance(Duration.ofMinutes(6));
		perform(get("/api/me").session(json).accept(MediaType.APPLICATION_JSON), 200);
		collectSignedIn("refreshed", json);
		assertThat(this.idaas.refreshRequestCount()).isGreaterThanOrEqualTo(1);
		refresherClock.setInstant(Instant.now());

		// 4. Bind, with one wrong code first
		SimulatedUser bob = user("bob");
		MockHttpSession bind = session();
		perform(json(post("/login/idaas/apple"), bind,
				"{\"code\":\"" + secret("apple code (bind)", this.idaas.issueSocialBindCode()) + "\"}"), 200);
		perform(get("/idaas/bind/captcha").session(bind).with(requestedSession(bind)), 200);
		perform(json(post("/idaas/bind/code"), bind, "{\"method\":\"VERIFY_PHONE\",\"target\":\"" + bob.mobile()
				+ "\",\"captcha_x\":" + this.idaas.captchaSolutionX() + "}"), 200);
		perform(json(post("/idaas/bind"), bind, "{\"method\":\"VERIFY_PHONE\",\"target\":\"" + bob.mobile()
				+ "\",\"verify_code\":\"Wr" + randomToken(6) + "\"}"), 400);
		perform(json(post("/idaas/bind"), bind, "{\"method\":\"VERIFY_PHONE\",\"target\":\"" + bob.mobile()
				+ "\",\"verify_code\":\"" + verificationCode + "\"}"), 200);
		collectSignedIn("bind", bind);

		// 5. Register
		MockHttpSession register = session();
		String email = "carol" + System.nanoTime() + "@example.com";
		perform(json(post("/login/idaas/apple"), register,
				"{\"code\":\"" + secret("apple code (register)", this.idaas.issueUserRegisterCode()) + "\"}"), 200);
		perform(get("/idaas/register/captcha").session(register).with(requestedSession(register)), 200);
		perform(json(post("/idaas/register/code"), register, "{\"method\":\"VERIFY_EMAIL\",\"target\":\"" + email
				+ "\",\"captcha_x\":" + this.idaas.captchaSolutionX() + "}"), 200);
		perform(json(post("/idaas/register"), register, "{\"method\":\"VERIFY_EMAIL\",\"target\":\"" + email
				+ "\",\"verify_code\":\"" + verificationCode + "\"}"), 200);
		collectSignedIn("register", register);

		// 6. Logout
		perform(post("/logout").session(web).with(requestedSession(web)).with(csrf()), 302);

		collectFromSimulator();
		String captured = output.getAll();
		String events = renderEvents();
		// the test can fail: the flows above did log, at TRACE, through both channels
		assertThat(captured).contains("IDaaS POST /api/v2/sdk/login/apple")
			.contains("IDaaS POST /api/v2/sdk/social/bind")
			.contains("IDaaS POST /api/v2/sdk/sso/session-token/id-token");
		assertThat(events).contains("IDaaS POST /api/v2/sdk/social/register-bind");
		assertThat(this.secrets).hasSizeGreaterThanOrEqualTo(20);
		this.secrets.forEach((what, value) -> {
			assertThat(captured).as("console output holds the %s", what).doesNotContain(value);
			assertThat(events).as("log events hold the %s", what).doesNotContain(value);
		});
	}

	// ---- collecting the secrets

	private void collectSignedIn(String step, MockHttpSession session) {
		SecurityContext context = (SecurityContext) session
			.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
		assertThat(context).as(step + " signed in").isNotNull();
		IdaasAuthenticationToken token = (IdaasAuthenticationToken) context.getAuthentication();
		secret("session_token (" + step + ")", token.getSessionState().sessionToken());
		String idToken = secret("id_token (" + step + ")", token.getIdToken().getTokenValue());
		secret("id_token signature (" + step + ")", idToken.substring(idToken.lastIndexOf('.') + 1));
		secret("session id after " + step, session.getId());
	}

	private void collectFromSimulator() {
		for (RecordedIdaasRequest request : this.idaas.recordedRequests()) {
			secret("session-token header of " + request.path(), request.header("session-token"));
			secret("X-state-token header of " + request.path(), request.header("X-state-token"));
			secret("device fingerprint", request.header("X-device-fingerprint"));
			Matcher token = CAPTCHA_TOKENS.matcher(request.body());
			while (token.find()) {
				secret("captcha token in " + request.path(), token.group(1));
			}
		}
		for (SentVerificationCode sent : this.idaas.sentVerificationCodes()) {
			secret("sent verification code", sent.code());
		}
		assertThat(this.secrets.keySet()).anyMatch((what) -> what.startsWith("captcha token in /api/v2/sdk/captcha/verify"))
			.anyMatch((what) -> what.startsWith("captcha token in /api/v2/sdk/sms/send"))
			.anyMatch((what) -> what.startsWith("X-state-token header of /api/v2/sdk/social/bind"))
			.anyMatch((what) -> what.startsWith("X-state-token header of /api/v2/sdk/social/register-bind"))
			.anyMatch((what) -> what.startsWith("session-token header"));
	}

	private String secret(String what, String value) {
		// MockHttpSession renumbers ids ("1", "2"...) when the login changes them: such short
		// values match anything, so only values long enough to be secrets are checked
		if (value != null && value.length() >= 8) {
			this.secrets.putIfAbsent(what + " #" + this.secrets.size(), value);
		}
		return value;
	}

	private String renderEvents() {
		StringBuilder text = new StringBuilder();
		for (ILoggingEvent event : List.copyOf(this.appender.list)) {
			text.append(event.getLoggerName()).append(' ').append(event.getFormattedMessage()).append('\n');
			if (event.getThrowableProxy() != null) {
				text.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append('\n');
			}
			if (event.getKeyValuePairs() != null) {
				text.append(event.getKeyValuePairs()).append('\n');
			}
			text.append(event.getMDCPropertyMap()).append('\n');
		}
		return text.toString();
	}

	// ---- requests

	private MockHttpSession session() {
		MockHttpSession session = new MockHttpSession(null, "sid-" + randomToken(24));
		secret("session id", session.getId());
		return session;
	}

	private SimulatedUser user(String name) {
		String suffix = Long.toString(System.nanoTime() % 100_000_000L);
		SimulatedUser user = SimulatedUser.of(name + suffix, name, "+86138" + suffix, name + suffix + "@example.com");
		this.idaas.registerUser(user);
		return user;
	}

	private MvcResult perform(MockHttpServletRequestBuilder request, int expectedStatus) throws Exception {
		MvcResult result = this.mvc.perform(request.header("User-Agent", UA)).andReturn();
		MockHttpServletResponse response = result.getResponse();
		assertThat(response.getStatus()).as(request.toString()).isEqualTo(expectedStatus);
		HttpSession session = result.getRequest().getSession(false);
		if (session != null) {
			secret("session id (response)", session.getId());
		}
		return result;
	}

	private static MockHttpServletRequestBuilder json(MockHttpServletRequestBuilder request, MockHttpSession session,
			String body) {
		return request.session(session).with(requestedSession(session)).contentType(MediaType.APPLICATION_JSON)
			.content(body);
	}

	private static org.springframework.test.web.servlet.request.RequestPostProcessor requestedSession(
			MockHttpSession session) {
		return (request) -> {
			request.setRequestedSessionId(session.getId());
			return request;
		};
	}

	private static String randomToken(int length) {
		String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
		StringBuilder token = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			token.append(alphabet.charAt(random.nextInt(alphabet.length())));
		}
		return token.toString();
	}

	@SpringBootConfiguration
	// a plain single-node app: no Redis (Spring Session and the cluster lock are on the test classpath)
	@EnableAutoConfiguration(excludeName = {
			"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
			"org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration" })
	@Import(MeController.class)
	static class TestApplication {

		@Bean
		static BeanPostProcessor refresherClockPostProcessor() {
			return new BeanPostProcessor() {
				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					if (bean instanceof IdTokenRefresher refresher) {
						refresher.setClock(refresherClock);
					}
					return bean;
				}
			};
		}

	}

	@RestController
	static class MeController {

		@GetMapping("/api/me")
		String me(java.security.Principal principal) {
			return principal.getName();
		}

	}

}

package dev.idaas.spring.client;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests that {@link RestClientIdaasClient} logs outcomes without secrets.
 */
class RestClientIdaasClientLoggingTests {

	private static final String CODE = "apple-code-Zq81";

	private static final String SESSION_TOKEN = "session-token-Hx72";

	private static final String ID_TOKEN = "id-token-Pw55";

	private static final String STATE_TOKEN = "state-token-Kd19";

	private static final DeviceContext DEVICE = new DeviceContext("ios17.5", "fingerprint-Ab12", "10.1.2.3",
			"Mozilla/5.0", Locale.ENGLISH);

	@StartStop
	private final MockWebServer server = new MockWebServer();

	private final Logger logger = (Logger) LoggerFactory.getLogger(RestClientIdaasClient.class);

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private Level previousLevel;

	private RestClientIdaasClient client;

	@BeforeEach
	void setUp() {
		this.previousLevel = this.logger.getLevel();
		this.logger.setLevel(Level.TRACE);
		this.appender.start();
		this.logger.addAppender(this.appender);
		RestClient restClient = RestClientIdaasClient.createRestClient(RestClient.builder(),
				this.server.url("/").uri());
		this.client = new RestClientIdaasClient(restClient, "client-id-1");
		this.client.setBackoff(Duration.ofMillis(1), Duration.ofMillis(2));
	}

	@AfterEach
	void tearDown() {
		this.logger.detachAppender(this.appender);
		this.logger.setLevel(this.previousLevel);
	}

	private void enqueue(int code, String body) {
		this.server.enqueue(new MockResponse.Builder().code(code).body(body).build());
	}

	@Test
	void loginAndRefreshWhenTraceLoggingThenOutcomesLoggedWithoutSecrets() {
		enqueue(500, "{\"error_code\":\"IDAAS.SDK.COM.0002\",\"error_msg\":\"System busy\"}");
		enqueue(200, "{\"status\":\"SUCCESS\",\"session_token\":\"" + SESSION_TOKEN + "\",\"id_token\":\"" + ID_TOKEN
				+ "\",\"expire\":60}");
		enqueue(200, "{\"status\":\"SOCIAL_BIND\",\"state_token\":\"" + STATE_TOKEN + "\"}");
		enqueue(400, "{\"error_code\":\"IDAAS.SDK.PARAM.0023\",\"error_msg\":\"Invalid or expired session token\"}");
		this.client.loginWithApple(CODE, DEVICE);
		this.client.loginWithApple(CODE, DEVICE);
		assertThatExceptionOfType(IdaasApiException.class)
			.isThrownBy(() -> this.client.refreshIdToken(SESSION_TOKEN, DEVICE));
		List<String> lines = this.appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
		assertThat(lines).anySatisfy((line) -> assertThat(line).contains("/api/v2/sdk/login/apple")
			.contains("attempt 1/3")
			.contains("HTTP 500")
			.contains("IDAAS.SDK.COM.0002")
			.contains("retrying"));
		assertThat(lines).anySatisfy((line) -> assertThat(line).contains("/api/v2/sdk/login/apple")
			.contains("answered HTTP 200")
			.contains("attempt 2/3"));
		assertThat(lines).contains("IDaaS Apple login status SUCCESS", "IDaaS Apple login status SOCIAL_BIND");
		assertThat(lines).anySatisfy((line) -> assertThat(line).contains("/api/v2/sdk/sso/session-token/id-token")
			.contains("HTTP 400")
			.contains("IDAAS.SDK.PARAM.0023")
			.contains("INVALID_SESSION"));
		assertThat(lines).allSatisfy((line) -> assertThat(line).doesNotContain(CODE)
			.doesNotContain(SESSION_TOKEN)
			.doesNotContain(ID_TOKEN)
			.doesNotContain(STATE_TOKEN)
			.doesNotContain("fingerprint-Ab12"));
		assertThat(this.server.getRequestCount()).isEqualTo(4);
	}

}

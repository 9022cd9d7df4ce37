package dev.idaas.spring.test.simulator;

import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

class IdaasSimulatorFaultTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final SimulatedUser alice = SimulatedUser.of("alice", "Alice", null, "alice@example.com");

	private IdaasSimulator simulator;

	private IdaasHttp http;

	@BeforeEach
	void start() {
		this.simulator = new IdaasSimulator().clock(this.clock).start();
		this.http = new IdaasHttp(this.simulator);
	}

	@AfterEach
	void stop() {
		this.simulator.close();
	}

	@Test
	void failNextWhen500ThenCom0002ForThatManyCallsThenRecovery() {
		String code = this.simulator.issueAppleCode(this.alice);
		this.simulator.failNext(2, 500);
		for (int i = 0; i < 2; i++) {
			IdaasHttp.Response response = this.http.login(code);
			assertThat(response.status()).isEqualTo(500);
			assertThat(response.errorCode()).isEqualTo("IDAAS.SDK.COM.0002");
			assertThat(response.field("error_msg")).isEqualTo("System busy, please try again later");
		}
		// Failed calls never reached the login: the code is still good.
		assertThat(this.http.login(code).field("status")).isEqualTo("SUCCESS");
		assertThat(this.simulator.loginRequestCount()).isEqualTo(3);
	}

	@Test
	void failNextWhen400ThenCom0002As400OnRefreshThenRecovery() {
		String sessionToken = this.simulator.issueSessionToken(this.alice);
		this.simulator.failNext(1, 400);
		IdaasHttp.Response failed = this.http.refresh(sessionToken);
		assertThat(failed.status()).isEqualTo(400);
		assertThat(failed.errorCode()).isEqualTo("IDAAS.SDK.COM.0002");
		assertThat(this.http.refresh(sessionToken).status()).isEqualTo(200);
	}

	@Test
	void failNextWhenChineseThenChineseMessage() {
		this.simulator.failNext(1, 500);
		java.util.Map<String, String> headers = this.http.deviceHeaders();
		headers.put("X-L", "zh");
		assertThat(this.http.post(IdaasSimulator.LOGIN_PATH, headers, "{}").field("error_msg"))
			.isEqualTo("系统繁忙,请稍后再试");
	}

	@Test
	void failNextWhenStatusNotAnErrorThenIllegalArgument() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.simulator.failNext(1, 200));
		assertThatIllegalArgumentException().isThrownBy(() -> this.simulator.failNext(0, 500));
	}

	@Test
	void delayNextWhenLongerThanClientTimeoutThenTimeoutAndCodeConsumed() {
		String code = this.simulator.issueAppleCode(this.alice);
		this.simulator.delayNext(Duration.ofSeconds(5));
		assertThatExceptionOfType(UncheckedIOException.class)
			.isThrownBy(() -> this.http.post(IdaasSimulator.LOGIN_PATH, this.http.deviceHeaders(),
					IdaasHttp.json(java.util.Map.of("code", code)), Duration.ofMillis(300)))
			.withCauseInstanceOf(HttpTimeoutException.class);
		// IDaaS did process the login: the single-use code is gone.
		assertThat(this.http.login(code).errorCode()).isEqualTo("IDAAS.SDK.PARAM.0011");
	}

	@Test
	void delayNextWhenShorterThanClientTimeoutThenNormalAnswerLater() {
		this.simulator.delayNext(Duration.ofMillis(300));
		long started = System.nanoTime();
		IdaasHttp.Response response = this.http.login(this.simulator.issueAppleCode(this.alice));
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
		assertThat(response.field("status")).isEqualTo("SUCCESS");
	}

	@Test
	void holdNextUntilWhenReleasedThenNormalAnswerOnlyThen() throws Exception {
		String code = this.simulator.issueAppleCode(this.alice);
		CountDownLatch release = new CountDownLatch(1);
		this.simulator.holdNextUntil(release);
		CompletableFuture<IdaasHttp.Response> login = CompletableFuture.supplyAsync(() -> this.http.login(code));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.simulator.loginRequestCount() == 1);
		assertThat(login).isNotDone();
		release.countDown();
		assertThat(login.get(10, TimeUnit.SECONDS).field("status")).isEqualTo("SUCCESS");
		// only the next call was held
		assertThat(this.http.login(this.simulator.issueAppleCode(this.alice)).field("status")).isEqualTo("SUCCESS");
	}

	@Test
	void stallNextWhenCalledThenNoAnswerWithinClientTimeout() {
		this.simulator.stallNext();
		assertThatExceptionOfType(UncheckedIOException.class)
			.isThrownBy(() -> this.http.post(IdaasSimulator.REFRESH_PATH, this.http.deviceHeaders(), "",
					Duration.ofMillis(300)))
			.withCauseInstanceOf(HttpTimeoutException.class);
		assertThat(this.http.refresh("x").status()).isEqualTo(400);
	}

	@Test
	void malformedNextWhenHtmlBadGatewayThen502HtmlAndNothingConsumed() {
		String code = this.simulator.issueAppleCode(this.alice);
		this.simulator.malformedNext(Malformation.HTML_BAD_GATEWAY);
		IdaasHttp.Response response = this.http.login(code);
		assertThat(response.status()).isEqualTo(502);
		assertThat(response.contentType()).startsWith("text/html");
		assertThat(response.body()).contains("<h1>502 Bad Gateway</h1>");
		assertThat(this.http.login(code).field("status")).isEqualTo("SUCCESS");
	}

	@Test
	void malformedNextWhenTruncatedJsonThen200WithHalfTheAnswer() {
		this.simulator.malformedNext(Malformation.TRUNCATED_JSON);
		IdaasHttp.Response response = this.http.login(this.simulator.issueAppleCode(this.alice));
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.contentType()).startsWith("application/json");
		assertThat(response.body()).startsWith("{\"session_token\":\"").doesNotEndWith("}");
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(response::json);
	}

	@Test
	void malformedNextWhenEmptyBodyThen200WithNoBodyThenRecovery() {
		String sessionToken = this.simulator.issueSessionToken(this.alice);
		this.simulator.malformedNext(Malformation.EMPTY_BODY);
		IdaasHttp.Response response = this.http.refresh(sessionToken);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEmpty();
		assertThat(this.http.refresh(sessionToken).status()).isEqualTo(200);
	}

	@Test
	void faultsWhenQueuedThenAppliedInOrderOnePerCall() {
		String sessionToken = this.simulator.issueSessionToken(this.alice);
		this.simulator.failNext(1, 500).malformedNext(Malformation.EMPTY_BODY).failNext(1, 400);
		assertThat(this.http.refresh(sessionToken).status()).isEqualTo(500);
		assertThat(this.http.refresh(sessionToken).body()).isEmpty();
		assertThat(this.http.refresh(sessionToken).status()).isEqualTo(400);
		assertThat(this.http.refresh(sessionToken).status()).isEqualTo(200);
		assertThat(this.simulator.refreshRequestCount()).isEqualTo(4);
	}

	@Test
	void outageWhenSystemBusyThenEverySdkCallCom0002AndRecordedUntilRecovery() {
		String sessionToken = this.simulator.issueSessionToken(this.alice);
		String code = this.simulator.issueAppleCode(this.alice);
		this.simulator.failNext(1, 400);
		this.simulator.outage(Outage.SYSTEM_BUSY);
		assertThat(this.simulator.outage()).isEqualTo(Outage.SYSTEM_BUSY);
		for (int i = 0; i < 3; i++) {
			// as the vendor's tables list it: 400 on refresh, 500 on login
			IdaasHttp.Response response = this.http.refresh(sessionToken);
			assertThat(response.status()).isEqualTo(400);
			assertThat(response.errorCode()).isEqualTo("IDAAS.SDK.COM.0002");
		}
		assertThat(this.http.login(code).status()).isEqualTo(500);
		assertThat(this.http.get(IdaasSimulator.JWKS_PATH).status()).isEqualTo(200);
		assertThat(this.simulator.refreshRequestCount()).isEqualTo(3);
		this.simulator.outage(Outage.NONE);
		// the queued fault waited for the outage to end; nothing was processed meanwhile
		assertThat(this.http.refresh(sessionToken).status()).isEqualTo(400);
		assertThat(this.http.refresh(sessionToken).status()).isEqualTo(200);
		assertThat(this.http.login(code).field("status")).isEqualTo("SUCCESS");
		assertThat(this.simulator.refreshRequestCount()).isEqualTo(5);
	}

	@Test
	void outageWhenConnectionClosedThenIoErrorRecordedAndNothingProcessed() {
		String code = this.simulator.issueAppleCode(this.alice);
		this.simulator.outage(Outage.CONNECTION_CLOSED);
		assertThatExceptionOfType(UncheckedIOException.class).isThrownBy(() -> this.http.login(code));
		assertThatExceptionOfType(UncheckedIOException.class).isThrownBy(() -> this.http.refresh("x"));
		assertThat(this.simulator.loginRequestCount()).isEqualTo(1);
		assertThat(this.simulator.refreshRequestCount()).isEqualTo(1);
		this.simulator.resetRecordsAndFaults();
		assertThat(this.simulator.outage()).isEqualTo(Outage.NONE);
		assertThat(this.http.login(code).field("status")).isEqualTo("SUCCESS");
	}

	@Test
	void outageWhenNullThenIllegalArgument() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.simulator.outage(null));
	}

	@Test
	void failNextWhenSetThenKeySetUnaffected() {
		this.simulator.failNext(1, 500);
		assertThat(this.http.get(IdaasSimulator.JWKS_PATH).status()).isEqualTo(200);
		assertThat(this.http.refresh("x").status()).isEqualTo(500);
	}

}

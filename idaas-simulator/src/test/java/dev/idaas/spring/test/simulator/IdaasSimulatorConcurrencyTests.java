package dev.idaas.spring.test.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class IdaasSimulatorConcurrencyTests {

	@Test
	void loginWhenManyConcurrentCallsThenEachSucceedsOnceAndAllCounted() throws Exception {
		try (IdaasSimulator simulator = new IdaasSimulator().start()) {
			IdaasHttp http = new IdaasHttp(simulator);
			ExecutorService executor = Executors.newFixedThreadPool(8);
			try {
				List<Callable<String>> logins = IntStream.range(0, 24).<Callable<String>>mapToObj((i) -> () -> {
					SimulatedUser user = SimulatedUser.of("user" + i, "User " + i, null, "user" + i + "@example.com");
					simulator.registerUser(user);
					return http.login(simulator.issueAppleCode(user)).field("session_token");
				}).toList();
				List<String> sessionTokens = executor.invokeAll(logins)
					.stream()
					.map(IdaasSimulatorConcurrencyTests::get)
					.toList();
				assertThat(sessionTokens).doesNotContainNull().doesNotHaveDuplicates().hasSize(24);
				assertThat(simulator.loginRequestCount()).isEqualTo(24);
				assertThat(simulator.users()).hasSize(24);
			}
			finally {
				executor.shutdownNow();
			}
		}
	}

	@Test
	void simulatedUserWhenRequiredFieldBlankThenIllegalArgument() {
		assertThatIllegalArgumentException().isThrownBy(() -> new SimulatedUser(" ", "1", "n", "u", null, null))
			.withMessage("sub cannot be empty");
		assertThatIllegalArgumentException().isThrownBy(() -> SimulatedUser.of("", "n", null, null))
			.withMessage("sub cannot be empty");
		SimulatedUser user = SimulatedUser.of("carol", "Carol", null, null);
		assertThat(user.sub()).isEqualTo("carol");
		assertThat(user.userName()).isEqualTo("carol");
		assertThat(user.id()).matches("[0-9]{13}");
	}

	@Test
	void mutableClockWhenAdvancedThenMoves() {
		MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
		assertThat(clock.advance(Duration.ofMinutes(5))).isEqualTo(Instant.parse("2026-01-01T00:05:00Z"));
		clock.setInstant(Instant.EPOCH);
		assertThat(clock.instant()).isEqualTo(Instant.EPOCH);
		assertThat(clock.millis()).isZero();
	}

	@Test
	void configurationWhenInvalidThenIllegalArgumentWithSpringStyleMessage() {
		IdaasSimulator simulator = new IdaasSimulator();
		assertThatIllegalArgumentException().isThrownBy(() -> simulator.idTokenTtl(Duration.ZERO))
			.withMessage("ttl must be positive");
		assertThatIllegalArgumentException().isThrownBy(() -> simulator.sessionTokenHeader(" "))
			.withMessage("headerName cannot be empty");
		assertThatIllegalArgumentException().isThrownBy(() -> new IdaasSimulator(""))
			.withMessage("clientId cannot be empty");
		simulator.close();
	}

	private static <T> T get(Future<T> future) {
		try {
			return future.get();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}

package dev.idaas.spring.web.session;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link IdTokenRefreshUnavailableException}: the {@code Retry-After} a client is told.
 */
class IdTokenRefreshUnavailableExceptionTests {

	@Test
	void getRetryAfterSecondsThenWholeSecondsRoundedUpAndAtLeastOne() {
		assertThat(retryAfterSeconds(Duration.ZERO)).isEqualTo(1);
		assertThat(retryAfterSeconds(Duration.ofMillis(1))).isEqualTo(1);
		assertThat(retryAfterSeconds(Duration.ofMillis(1000))).isEqualTo(1);
		assertThat(retryAfterSeconds(Duration.ofMillis(1001))).isEqualTo(2);
		assertThat(retryAfterSeconds(Duration.ofMillis(4500))).isEqualTo(5);
		assertThat(retryAfterSeconds(Duration.ofSeconds(30))).isEqualTo(30);
	}

	@Test
	void constructorThenCodeDelayAndCauseKept() {
		IllegalStateException cause = new IllegalStateException("busy");
		IdTokenRefreshUnavailableException ex = new IdTokenRefreshUnavailableException("IDAAS.SDK.COM.0002",
				Duration.ofSeconds(5), cause);
		assertThat(ex.getErrorCode()).isEqualTo("IDAAS.SDK.COM.0002");
		assertThat(ex.getRetryAfter()).isEqualTo(Duration.ofSeconds(5));
		assertThat(ex.getCause()).isSameAs(cause);
		assertThat(ex.getMessage()).isEqualTo("IDAAS.SDK.COM.0002: the id_token expired and could not be refreshed");
	}

	@Test
	void constructorWhenCodeOrDelayMissingThenIllegalArgument() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new IdTokenRefreshUnavailableException("", Duration.ofSeconds(5), null))
			.withMessage("errorCode cannot be empty");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new IdTokenRefreshUnavailableException("IDAAS.SDK.COM.0002", null, null))
			.withMessage("retryAfter cannot be null");
	}

	private static long retryAfterSeconds(Duration retryAfter) {
		return new IdTokenRefreshUnavailableException("IDAAS.SDK.COM.0002", retryAfter, null).getRetryAfterSeconds();
	}

}

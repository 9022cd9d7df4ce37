package dev.idaas.spring.observation;

import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import dev.idaas.spring.client.AppleLoginResult;
import dev.idaas.spring.client.DeviceContext;
import dev.idaas.spring.client.IdaasApiException;
import dev.idaas.spring.client.IdaasClient;
import dev.idaas.spring.client.TokenRefreshResult;

import org.springframework.util.Assert;

/**
 * An {@link IdaasClient} that wraps every call in an {@link Observation} named
 * {@value #OBSERVATION_NAME}, with the low-cardinality tags {@code endpoint}
 * ({@code login}, {@code refresh}), {@code outcome} ({@code SUCCESS}, {@code SOCIAL_BIND},
 * {@code USER_REGISTER}, {@code ACCESS_DENIED}, {@code REFRESHED}, or the error category) and
 * {@code error_code} ({@code none} or the IDaaS code). With Micrometer and Actuator this gives
 * timers, counters and tracing spans; a user or a token is never a tag.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public final class ObservedIdaasClient implements IdaasClient {

	/**
	 * The name of the observation.
	 */
	public static final String OBSERVATION_NAME = "idaas.client.requests";

	private static final Pattern ERROR_CODE_SHAPE = Pattern.compile("IDAAS\\.(SDK\\.[A-Z]{1,10}\\.\\d{4}|STARTER\\.[A-Z_]{1,40})");

	private final IdaasClient delegate;

	private final ObservationRegistry registry;

	/**
	 * Creates the client.
	 * @param delegate the client that calls IDaaS
	 * @param registry the observation registry
	 */
	public ObservedIdaasClient(IdaasClient delegate, ObservationRegistry registry) {
		Assert.notNull(delegate, "delegate cannot be null");
		Assert.notNull(registry, "registry cannot be null");
		this.delegate = delegate;
		this.registry = registry;
	}

	@Override
	public AppleLoginResult loginWithApple(String code, DeviceContext device) {
		return observe("login", () -> this.delegate.loginWithApple(code, device), ObservedIdaasClient::outcome);
	}

	@Override
	public TokenRefreshResult refreshIdToken(String sessionToken, DeviceContext device) {
		return observe("refresh", () -> this.delegate.refreshIdToken(sessionToken, device), (result) -> "REFRESHED");
	}

	static String outcome(AppleLoginResult result) {
		if (result instanceof AppleLoginResult.Authenticated) {
			return "SUCCESS";
		}
		if (result instanceof AppleLoginResult.PendingSocialFlow pending) {
			return pending.branch().name();
		}
		return "ACCESS_DENIED";
	}

	/**
	 * The error code as a tag: kept when it has the vendor's or the starter's shape, so an
	 * upstream sending arbitrary codes cannot explode the number of time series.
	 */
	static String errorCodeTag(String errorCode) {
		return ERROR_CODE_SHAPE.matcher(errorCode).matches() ? errorCode : "other";
	}

	private <T> T observe(String endpoint, Supplier<T> call, Function<T, String> outcome) {
		Observation observation = Observation.createNotStarted(OBSERVATION_NAME, this.registry)
			.contextualName("idaas " + endpoint)
			.lowCardinalityKeyValue("endpoint", endpoint)
			.start();
		try (Observation.Scope scope = observation.openScope()) {
			T result = call.get();
			observation.lowCardinalityKeyValue(KeyValue.of("outcome", outcome.apply(result)))
				.lowCardinalityKeyValue("error_code", "none");
			return result;
		}
		catch (IdaasApiException ex) {
			observation.lowCardinalityKeyValue("outcome", ex.getCategory().name())
				.lowCardinalityKeyValue("error_code", errorCodeTag(ex.getErrorCode()))
				.error(ex);
			throw ex;
		}
		catch (RuntimeException ex) {
			observation.lowCardinalityKeyValue("outcome", "ERROR")
				.lowCardinalityKeyValue("error_code", "none")
				.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

}

package dev.idaas.spring.observation;

import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import dev.idaas.spring.client.IdaasApiException;

/**
 * Wraps one IDaaS call in the {@value #NAME} observation, shared by the observed clients:
 * low-cardinality tags {@code endpoint}, {@code outcome} and {@code error_code}, never a user or
 * a token.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
final class IdaasClientObservation {

	static final String NAME = "idaas.client.requests";

	private static final Pattern ERROR_CODE_SHAPE = Pattern
		.compile("IDAAS\\.(SDK\\.[A-Z]{1,10}\\.\\d{4}|STARTER\\.[A-Z_]{1,40})");

	private IdaasClientObservation() {
	}

	static <T> T observe(ObservationRegistry registry, String endpoint, Supplier<T> call, Function<T, String> outcome) {
		Observation observation = Observation.createNotStarted(NAME, registry)
			.contextualName("idaas " + endpoint)
			.lowCardinalityKeyValue("endpoint", endpoint)
			.start();
		try (Observation.Scope scope = observation.openScope()) {
			T result = call.get();
			observation.lowCardinalityKeyValue("outcome", outcome.apply(result))
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
			observation.lowCardinalityKeyValue("outcome", "ERROR").lowCardinalityKeyValue("error_code", "none").error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

	/**
	 * The error code as a tag: kept when it has the vendor's or the starter's shape, so an
	 * upstream sending arbitrary codes cannot explode the number of time series.
	 */
	static String errorCodeTag(String errorCode) {
		return ERROR_CODE_SHAPE.matcher(errorCode).matches() ? errorCode : "other";
	}

}

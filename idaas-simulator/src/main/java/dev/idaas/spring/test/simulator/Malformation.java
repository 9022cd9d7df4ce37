package dev.idaas.spring.test.simulator;

/**
 * Broken answers that {@link IdaasSimulator#malformedNext(Malformation)} injects, to test how a
 * client copes with what gateways and half-written responses look like.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public enum Malformation {

	/**
	 * A gateway's HTML error page with status 502; the call never reached IDaaS (nothing is
	 * consumed).
	 */
	HTML_BAD_GATEWAY,

	/**
	 * Status 200 and {@code application/json}, but only the first half of the real answer. The
	 * call was processed (an Apple code is consumed, a rotated session token is replaced).
	 */
	TRUNCATED_JSON,

	/**
	 * Status 200 and {@code application/json} with an empty body. The call was processed.
	 */
	EMPTY_BODY

}

package dev.idaas.spring.test.simulator;

/**
 * How the simulated IDaaS answers every SDK call during an outage set with
 * {@link IdaasSimulator#outage(Outage)}, until it is set back to {@link #NONE}. Every call is
 * still recorded, so the request counters measure what clients attempt during the outage.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public enum Outage {

	/**
	 * No outage: calls are answered normally.
	 */
	NONE,

	/**
	 * Every SDK call is answered with {@code IDAAS.SDK.COM.0002} ("System busy"), without being
	 * processed: {@code 400} for the id_token refresh and {@code 500} for the other calls, as the
	 * vendor's two tables list it.
	 */
	SYSTEM_BUSY,

	/**
	 * Every SDK call is read, then its connection is closed without an answer: the client sees
	 * an I/O error, as when the tenant's nodes are down behind their address. (A refused
	 * connection could not be counted.) Nothing is processed.
	 */
	CONNECTION_CLOSED

}

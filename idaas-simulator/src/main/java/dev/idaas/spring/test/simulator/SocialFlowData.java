package dev.idaas.spring.test.simulator;

/**
 * How the Apple login's {@code SOCIAL_BIND} and {@code USER_REGISTER} answers carry
 * {@code data}, the tenant's {@code socialBindOrRegisterFlow} (see
 * {@link IdaasSimulator#socialFlowData(SocialFlowData)}). The contract's quirks say it "may be
 * absent or empty"; whatever is answered, the simulator still enforces the flows it was given
 * when the flow is finished.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public enum SocialFlowData {

	/**
	 * The default, as published: a JSON document inside a string,
	 * {@code "data":"{\"socialBindOrRegisterFlow\":[\"VERIFY_PHONE\",\"VERIFY_EMAIL\"]}"}.
	 */
	JSON_STRING,

	/**
	 * No {@code data} field at all.
	 */
	ABSENT,

	/**
	 * {@code "data":""}.
	 */
	EMPTY,

	/**
	 * A string that is not JSON: {@code "data":"socialBindOrRegisterFlow=VERIFY_PHONE,VERIFY_EMAIL"}.
	 */
	NOT_JSON

}

package dev.idaas.spring.test.simulator;

/**
 * Which of the vendor's published success answers {@code social/bind} and
 * {@code social/register-bind} give (see {@link IdaasSimulator#socialFinishAnswer}).
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public enum SocialFinishAnswer {

	/**
	 * The default: a bind answers {@code {"session_token":..,"expire":..}} (no {@code status}, no
	 * {@code id_token}: the client refreshes for one), a register-and-bind answers
	 * {@code {"status":"SUCCESS","session_token":..,"expire":..,"id_token":..}}.
	 */
	PER_FLOW,

	/**
	 * Both answer {@code {"status":"SUCCESS","session_token":..,"expire":..,"id_token":..}}.
	 */
	WITH_ID_TOKEN,

	/**
	 * Both answer {@code {"session_token":..,"expire":..}}, without {@code status} and
	 * {@code id_token}.
	 */
	WITHOUT_ID_TOKEN,

	/**
	 * Both answer {@code {"status":"SUCCESS","session_token":..,"id_token":..}} without
	 * {@code expire}: the session token's lifetime is left for a refresh to tell.
	 */
	WITHOUT_EXPIRE

}

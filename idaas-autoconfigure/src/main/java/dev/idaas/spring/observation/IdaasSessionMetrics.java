package dev.idaas.spring.observation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.authentication.IdaasSocialFlowRequiredException;
import dev.idaas.spring.web.session.IdTokenRefreshedEvent;
import dev.idaas.spring.web.session.IdaasSessionEndedEvent;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.util.Assert;

/**
 * Counts what happens to IDaaS sessions, from the application events the starter and Spring
 * Security publish:
 * <ul>
 * <li>{@code idaas.logins} tagged {@code result} ({@code SUCCESS}, {@code SOCIAL_BIND},
 * {@code USER_REGISTER} or the error code);</li>
 * <li>{@code idaas.refreshes} tagged {@code result} ({@code refreshed}, {@code rotated});</li>
 * <li>{@code idaas.sessions.ended} tagged {@code reason}.</li>
 * </ul>
 * Transient upstream failures also show in the
 * {@value ObservedIdaasClient#OBSERVATION_NAME} timers' {@code outcome} tag. Never tagged with
 * a user or a token.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public final class IdaasSessionMetrics implements ApplicationListener<ApplicationEvent> {

	private final MeterRegistry registry;

	/**
	 * Creates the listener.
	 * @param registry where the counters are registered
	 */
	public IdaasSessionMetrics(MeterRegistry registry) {
		Assert.notNull(registry, "registry cannot be null");
		this.registry = registry;
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof IdTokenRefreshedEvent refreshed) {
			count("idaas.refreshes", "result", refreshed.isSessionTokenRotated() ? "rotated" : "refreshed");
		}
		else if (event instanceof IdaasSessionEndedEvent ended) {
			count("idaas.sessions.ended", "reason", ended.getReason().name());
		}
		else if (event instanceof AuthenticationSuccessEvent success
				&& success.getAuthentication() instanceof IdaasAuthenticationToken) {
			count("idaas.logins", "result", "SUCCESS");
		}
		else if (event instanceof AbstractAuthenticationFailureEvent failure
				&& failure.getException() instanceof IdaasSocialFlowRequiredException required) {
			count("idaas.logins", "result", required.getPendingFlow().branch().name());
		}
		else if (event instanceof AbstractAuthenticationFailureEvent failure
				&& failure.getException() instanceof OAuth2AuthenticationException oauth2
				&& oauth2.getError().getErrorCode().startsWith("IDAAS.")) {
			count("idaas.logins", "result", IdaasClientObservation.errorCodeTag(oauth2.getError().getErrorCode()));
		}
	}

	private void count(String name, String tag, String value) {
		Counter.builder(name).tag(tag, value).register(this.registry).increment();
	}

}

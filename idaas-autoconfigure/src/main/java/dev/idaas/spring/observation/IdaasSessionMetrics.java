package dev.idaas.spring.observation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.authentication.IdaasSocialFlowAuthenticationToken;
import dev.idaas.spring.authentication.IdaasSocialFlowRequiredException;
import dev.idaas.spring.web.flow.SocialFlowAuthenticationDetails;
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
 * {@code USER_REGISTER}, {@code MFA_AUTH} or the error code) and {@code branch}, the step that
 * ended so: {@code APPLE} (the Apple login), or the flow that was being finished
 * ({@code SOCIAL_BIND}, {@code USER_REGISTER}, {@code MFA_AUTH});</li>
 * <li>{@code idaas.refreshes} tagged {@code result} ({@code refreshed}, {@code rotated});</li>
 * <li>{@code idaas.sessions.ended} tagged {@code reason} and {@code error_code} (the IDaaS or
 * starter code behind the end, e.g. the vendor's {@code IDAAS.SDK.RISK.0001} of a
 * {@code VENDOR_REFUSED} end; {@code none} for a logout).</li>
 * </ul>
 * Transient upstream failures also show in the
 * {@value ObservedIdaasClient#OBSERVATION_NAME} timers' {@code outcome} tag. Never tagged with
 * a user or a token.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public final class IdaasSessionMetrics implements ApplicationListener<ApplicationEvent> {

	private static final String APPLE = "APPLE";

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
			String errorCode = ended.getErrorCode();
			Counter.builder("idaas.sessions.ended")
				.tag("reason", ended.getReason().name())
				.tag("error_code", (errorCode != null) ? IdaasClientObservation.errorCodeTag(errorCode) : "none")
				.register(this.registry)
				.increment();
		}
		else if (event instanceof AuthenticationSuccessEvent success
				&& success.getAuthentication() instanceof IdaasAuthenticationToken token) {
			String branch = (token.getDetails() instanceof SocialFlowAuthenticationDetails details
					&& details.getBranch() != null) ? details.getBranch().name() : APPLE;
			countLogin("SUCCESS", branch);
		}
		else if (event instanceof AbstractAuthenticationFailureEvent failure
				&& failure.getException() instanceof IdaasSocialFlowRequiredException required) {
			countLogin(required.getPendingFlow().branch().name(), branch(failure));
		}
		else if (event instanceof AbstractAuthenticationFailureEvent failure
				&& failure.getException() instanceof OAuth2AuthenticationException oauth2
				&& oauth2.getError().getErrorCode().startsWith("IDAAS.")) {
			countLogin(IdaasClientObservation.errorCodeTag(oauth2.getError().getErrorCode()), branch(failure));
		}
	}

	private static String branch(AbstractAuthenticationFailureEvent failure) {
		return (failure.getAuthentication() instanceof IdaasSocialFlowAuthenticationToken request)
				? request.getBranch().name() : APPLE;
	}

	private void countLogin(String result, String branch) {
		Counter.builder("idaas.logins").tag("result", result).tag("branch", branch).register(this.registry)
			.increment();
	}

	private void count(String name, String tag, String value) {
		Counter.builder(name).tag(tag, value).register(this.registry).increment();
	}

}

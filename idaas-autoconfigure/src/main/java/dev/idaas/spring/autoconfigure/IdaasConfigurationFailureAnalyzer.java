package dev.idaas.spring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link IdaasConfigurationException} in Spring Boot's startup failure report.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
class IdaasConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<IdaasConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, IdaasConfigurationException cause) {
		return new FailureAnalysis("IDaaS login is not configured correctly: " + cause.getMessage() + " (property '"
				+ cause.getProperty() + "')", cause.getAction(), cause);
	}

}

package dev.idaas.spring.autoconfigure;

import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code idaas.bearer-token.allowed-origins} lists at least one origin, in any of
 * the forms Spring Boot binds (comma-separated or indexed).
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
class OnBearerTokenOriginsCondition extends SpringBootCondition {

	private static final String PROPERTY = "idaas.bearer-token.allowed-origins";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		List<String> origins = Binder.get(context.getEnvironment())
			.bind(PROPERTY, Bindable.listOf(String.class))
			.orElse(List.of());
		return origins.isEmpty() ? ConditionOutcome.noMatch(PROPERTY + " is empty")
				: ConditionOutcome.match(PROPERTY + " lists " + origins.size() + " origin(s)");
	}

}

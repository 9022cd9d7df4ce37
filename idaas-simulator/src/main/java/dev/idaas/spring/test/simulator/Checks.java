package dev.idaas.spring.test.simulator;

import org.jspecify.annotations.Nullable;

/**
 * Argument checks in the wording of Spring's {@code Assert}. Spring is an optional dependency of
 * this module (only {@code spring-test} for {@code @DynamicPropertySource}), so its
 * {@code Assert} cannot be used here.
 */
final class Checks {

	private Checks() {
	}

	static void notNull(@Nullable Object value, String message) {
		if (value == null) {
			throw new IllegalArgumentException(message);
		}
	}

	static void hasText(@Nullable String value, String message) {
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException(message);
		}
	}

	static void isTrue(boolean condition, String message) {
		if (!condition) {
			throw new IllegalArgumentException(message);
		}
	}

}

/**
 * Runs an application against the IDaaS simulator instead of a tenant, at development time
 * ({@code ./mvnw spring-boot:test-run}) or in a {@code @SpringBootTest}:
 * {@link dev.idaas.spring.test.context.IdaasSimulatorDevelopmentConfiguration}.
 */
@NullMarked
package dev.idaas.spring.test.context;

import org.jspecify.annotations.NullMarked;

/**
 * A faithful IDaaS (and "Sign in with Apple") simulator on okhttp's {@code MockWebServer}: real
 * HTTP, real RS256 id_tokens from a real JSON Web Key Set, scriptable answers and faults, and a
 * JUnit 5 extension. Depends on nothing of the starter, so the starter's own tests can use it.
 */
@NullMarked
package dev.idaas.spring.test.simulator;

import org.jspecify.annotations.NullMarked;

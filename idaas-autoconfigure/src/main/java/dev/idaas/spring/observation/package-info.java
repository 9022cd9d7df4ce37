/**
 * Micrometer observations and meters of the starter: IDaaS calls, logins, refreshes and JWKS
 * fetches. Never tagged with a user or a token.
 */
@NullMarked
package dev.idaas.spring.observation;

import org.jspecify.annotations.NullMarked;

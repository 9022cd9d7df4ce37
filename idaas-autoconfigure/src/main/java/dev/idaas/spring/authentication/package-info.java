/**
 * Spring Security authentication for IDaaS: the Apple code token, the provider and the authenticated principal.
 */
@NullMarked
package dev.idaas.spring.authentication;

import org.jspecify.annotations.NullMarked;

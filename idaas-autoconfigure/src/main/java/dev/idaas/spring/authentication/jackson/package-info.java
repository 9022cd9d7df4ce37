/**
 * Jackson 3 support for the starter's authentication, so sessions can be stored as JSON beside Spring Security's own
 * types.
 */
@NullMarked
package dev.idaas.spring.authentication.jackson;

import org.jspecify.annotations.NullMarked;

/**
 * Jackson 3 support for what the starter keeps in an HTTP session (the authentication, a pending bind/register/MFA
 * flow, a failed login), so sessions can be stored as JSON beside Spring Security's own types. Nothing in the starter
 * imports this package.
 */
@NullMarked
package dev.idaas.spring.jackson;

import org.jspecify.annotations.NullMarked;

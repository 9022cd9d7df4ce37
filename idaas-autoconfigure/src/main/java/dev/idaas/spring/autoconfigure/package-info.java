/**
 * Spring Boot auto-configuration and the idaas.* configuration properties.
 */
@NullMarked
package dev.idaas.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;

/**
 * Spring Boot Actuator health of the starter's upstream dependencies.
 */
@NullMarked
package dev.idaas.spring.health;

import org.jspecify.annotations.NullMarked;

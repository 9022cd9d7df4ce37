/**
 * The second-step flows that follow a {@code state_token}: bind, register-and-bind, their pending state, verification code sends and their limits.
 */
@NullMarked
package dev.idaas.spring.web.flow;

import org.jspecify.annotations.NullMarked;

/**
 * The HttpSecurity DSL that applies IDaaS login to a user's own filter chain.
 */
@NullMarked
package dev.idaas.spring.config;

import org.jspecify.annotations.NullMarked;

/**
 * The IDaaS SDK API client: requests, typed results, device facts and the error model. Free of Spring Security web types.
 */
@NullMarked
package dev.idaas.spring.client;

import org.jspecify.annotations.NullMarked;

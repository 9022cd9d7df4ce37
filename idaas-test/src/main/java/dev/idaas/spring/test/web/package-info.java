/**
 * Test support for applications signed in through the starter: a MockMvc request
 * post-processor and {@link dev.idaas.spring.test.web.WithIdaasUser}.
 */
@NullMarked
package dev.idaas.spring.test.web;

import org.jspecify.annotations.NullMarked;

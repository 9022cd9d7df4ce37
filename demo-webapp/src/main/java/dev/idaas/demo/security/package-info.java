/**
 * The demo's security filter chain, built with the starter's DSL.
 */
@NullMarked
package dev.idaas.demo.security;

import org.jspecify.annotations.NullMarked;

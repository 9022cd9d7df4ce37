/**
 * The demo's pages (sign-in, profile, bind and register) and its small JSON API.
 */
@NullMarked
package dev.idaas.demo.web;

import org.jspecify.annotations.NullMarked;

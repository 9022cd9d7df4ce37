/**
 * Servlet filters and handlers: login entry points, the bind/register branch handler and the id_token refresh filter.
 */
@NullMarked
package dev.idaas.spring.web;

import org.jspecify.annotations.NullMarked;

/**
 * The session lifecycle of an IDaaS sign-in: the id_token refresh filter and refresher, its locks, the session-end reasons, events and handlers, and logout.
 */
@NullMarked
package dev.idaas.spring.web.session;

import org.jspecify.annotations.NullMarked;

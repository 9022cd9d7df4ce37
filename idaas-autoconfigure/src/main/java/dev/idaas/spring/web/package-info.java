/**
 * Shared servlet pieces of IDaaS sign-in: the login filter and page, success and failure handlers, device facts and
 * JSON answers. The features live in sub-packages: {@code apple} (web flow), {@code flow} (bind/register),
 * {@code session} (refresh and logout).
 */
@NullMarked
package dev.idaas.spring.web;

import org.jspecify.annotations.NullMarked;

/**
 * The starter's own pages for the second-step flows (bind, register, second factor) and the
 * slider captcha script and style they share with the application's pages.
 */
@NullMarked
package dev.idaas.spring.web.flow.page;

import org.jspecify.annotations.NullMarked;

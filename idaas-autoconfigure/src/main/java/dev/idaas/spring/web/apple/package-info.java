/**
 * The Apple web flow: the redirect to Apple's authorize endpoint, the signed state cookie and the form-post callback.
 */
@NullMarked
package dev.idaas.spring.web.apple;

import org.jspecify.annotations.NullMarked;

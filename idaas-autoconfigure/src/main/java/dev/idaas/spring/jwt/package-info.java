/**
 * id_token verification: JSON Web Key Set fetch and cache, algorithm and claim rules.
 */
@NullMarked
package dev.idaas.spring.jwt;

import org.jspecify.annotations.NullMarked;

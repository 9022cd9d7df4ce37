/**
 * The IDaaS simulator embedded in the demo when no tenant is configured.
 */
@NullMarked
package dev.idaas.demo.simulator;

import org.jspecify.annotations.NullMarked;

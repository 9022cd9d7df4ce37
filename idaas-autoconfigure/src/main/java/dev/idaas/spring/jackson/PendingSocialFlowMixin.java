package dev.idaas.spring.jackson;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Reads and writes a {@code PendingSocialFlow} (a bind, register or second-factor flow waiting
 * for its code) by its record components; components a later version adds are ignored by an
 * older node, and missing ones take the defaults its canonical constructor gives.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
@JsonIgnoreProperties(ignoreUnknown = true)
abstract class PendingSocialFlowMixin {

}

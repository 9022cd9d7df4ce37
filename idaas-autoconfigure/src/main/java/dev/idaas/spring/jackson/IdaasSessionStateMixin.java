package dev.idaas.spring.jackson;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Reads and writes {@code IdaasSessionState} by its record components, with its class named
 * like every other type in a Spring Security JSON session; components a later version adds
 * are ignored by an older node.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
@JsonIgnoreProperties(ignoreUnknown = true)
abstract class IdaasSessionStateMixin {

}

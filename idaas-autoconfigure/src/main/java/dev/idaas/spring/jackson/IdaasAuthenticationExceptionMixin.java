package dev.idaas.spring.jackson;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import dev.idaas.spring.client.IdaasErrorCategory;

/**
 * Reads and writes an {@code IdaasAuthenticationException} (what a failed form login leaves in
 * the session) as its code, description, category and the vendor's message; the cause is never written.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.NONE, getterVisibility = JsonAutoDetect.Visibility.NONE,
		isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@JsonIgnoreProperties(ignoreUnknown = true)
abstract class IdaasAuthenticationExceptionMixin {

	@JsonCreator
	IdaasAuthenticationExceptionMixin(@JsonProperty("errorCode") String errorCode,
			@JsonProperty("description") String description, @JsonProperty("category") IdaasErrorCategory category,
			@JsonProperty("vendorMessage") String vendorMessage, @JsonProperty("cause") Throwable cause) {
	}

	@JsonProperty("errorCode")
	abstract String getErrorCode();

	@JsonProperty("description")
	abstract String getDescription();

	@JsonProperty("category")
	abstract IdaasErrorCategory getCategory();

	@JsonProperty("vendorMessage")
	abstract String getVendorMessage();

}

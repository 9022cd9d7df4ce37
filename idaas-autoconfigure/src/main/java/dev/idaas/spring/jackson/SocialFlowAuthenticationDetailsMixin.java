package dev.idaas.spring.jackson;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import dev.idaas.spring.client.SocialFlowBranch;

/**
 * Reads and writes the {@code SocialFlowAuthenticationDetails} of a sign-in that finished a bind,
 * register or second-factor flow, as Spring Security's {@code WebAuthenticationDetailsMixin}
 * does for its parent.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
		isGetterVisibility = JsonAutoDetect.Visibility.NONE, creatorVisibility = JsonAutoDetect.Visibility.ANY)
@JsonIgnoreProperties(ignoreUnknown = true)
abstract class SocialFlowAuthenticationDetailsMixin {

	@JsonCreator
	SocialFlowAuthenticationDetailsMixin(@JsonProperty("remoteAddress") String remoteAddress,
			@JsonProperty("sessionId") String sessionId, @JsonProperty("branch") SocialFlowBranch branch) {
	}

}

package dev.idaas.spring.jackson;

import java.util.Collection;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import dev.idaas.spring.authentication.IdaasSessionState;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * Reads and writes {@code IdaasAuthenticationToken} through its fields and its public
 * constructor, as Spring Security's {@code OAuth2AuthenticationTokenMixin} does for
 * {@code OAuth2AuthenticationToken}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
		isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@JsonIgnoreProperties(value = { "authenticated" }, ignoreUnknown = true)
abstract class IdaasAuthenticationTokenMixin {

	@JsonCreator
	IdaasAuthenticationTokenMixin(@JsonProperty("principal") OidcUser principal,
			@JsonProperty("authorities") Collection<? extends GrantedAuthority> authorities,
			@JsonProperty("sessionState") IdaasSessionState sessionState) {
	}

}

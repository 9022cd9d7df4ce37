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
 * Reads and writes {@code IdaasAuthenticationToken} through its accessors and its public
 * constructor, as Spring Security's {@code OAuth2AuthenticationTokenMixin} does for
 * {@code OAuth2AuthenticationToken}. Accessors rather than fields: a token read back from a
 * JDK-serialized session derives its principal and authorities on first use, so its fields
 * are not all set.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.NONE, getterVisibility = JsonAutoDetect.Visibility.NONE,
		isGetterVisibility = JsonAutoDetect.Visibility.NONE, setterVisibility = JsonAutoDetect.Visibility.NONE)
@JsonIgnoreProperties(value = { "authenticated" }, ignoreUnknown = true)
abstract class IdaasAuthenticationTokenMixin {

	@JsonCreator
	IdaasAuthenticationTokenMixin(@JsonProperty("principal") OidcUser principal,
			@JsonProperty("authorities") Collection<? extends GrantedAuthority> authorities,
			@JsonProperty("sessionState") IdaasSessionState sessionState) {
	}

	@JsonProperty("principal")
	abstract OidcUser getPrincipal();

	@JsonProperty("authorities")
	abstract Collection<GrantedAuthority> getAuthorities();

	@JsonProperty("sessionState")
	abstract IdaasSessionState getSessionState();

	@JsonProperty("details")
	abstract Object getDetails();

	@JsonProperty("details")
	abstract void setDetails(Object details);

}

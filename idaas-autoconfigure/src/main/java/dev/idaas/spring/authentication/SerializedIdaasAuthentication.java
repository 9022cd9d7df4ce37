package dev.idaas.spring.authentication;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.idaas.spring.jwt.VerifiedIdTokenParser;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;

/**
 * The serialized form of an {@link IdaasAuthenticationToken}: the id_token once (its claims are
 * read back from it), the session state as primitives and only what cannot be derived. Java
 * serialization of the full principal stores the id_token and its claims twice, with many class
 * descriptors (about 3.8 KiB with a typical id_token); this form keeps a signed-in session
 * under 2 KiB, which matters for Spring Session stores.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
final class SerializedIdaasAuthentication implements Serializable {

	@Serial
	private static final long serialVersionUID = 1L;

	private final String idToken;

	private final String nameAttributeKey;

	private final String @Nullable [] userInfo;

	private final @Nullable String oidcAuthority;

	private final GrantedAuthority @Nullable [] otherAuthorities;

	private final String sessionToken;

	private final long sessionTokenExpiresAtSeconds;

	private final int sessionTokenExpiresAtNanos;

	private final long signedInAtSeconds;

	private final int signedInAtNanos;

	private final int refreshCount;

	/**
	 * Absent (zero) in forms written before generations existed; read back as
	 * {@code refreshCount}, which it equalled.
	 */
	private final long generation;

	private final @Nullable Object details;

	SerializedIdaasAuthentication(IdaasAuthenticationToken token, DefaultOidcUser user) {
		this.idToken = user.getIdToken().getTokenValue();
		this.nameAttributeKey = nameAttributeKey(user);
		OidcUserInfo info = user.getUserInfo();
		if (info != null) {
			List<String> pairs = new ArrayList<>();
			info.getClaims().forEach((name, value) -> {
				pairs.add(name);
				pairs.add(String.valueOf(value));
			});
			this.userInfo = pairs.toArray(String[]::new);
		}
		else {
			this.userInfo = null;
		}
		String oidc = null;
		List<GrantedAuthority> others = new ArrayList<>();
		for (GrantedAuthority authority : token.getAuthorities()) {
			if (authority instanceof OidcUserAuthority && oidc == null) {
				oidc = authority.getAuthority();
			}
			else {
				others.add(authority);
			}
		}
		this.oidcAuthority = oidc;
		this.otherAuthorities = others.isEmpty() ? null : others.toArray(GrantedAuthority[]::new);
		IdaasSessionState state = token.getSessionState();
		this.sessionToken = state.sessionToken();
		this.sessionTokenExpiresAtSeconds = state.sessionTokenExpiresAt().getEpochSecond();
		this.sessionTokenExpiresAtNanos = state.sessionTokenExpiresAt().getNano();
		this.signedInAtSeconds = state.signedInAt().getEpochSecond();
		this.signedInAtNanos = state.signedInAt().getNano();
		this.refreshCount = state.refreshCount();
		this.generation = state.generation();
		this.details = token.getDetails();
	}

	private static String nameAttributeKey(DefaultOidcUser user) {
		for (GrantedAuthority authority : user.getAuthorities()) {
			if (authority instanceof OidcUserAuthority oidc && oidc.getUserNameAttributeName() != null) {
				return oidc.getUserNameAttributeName();
			}
		}
		return IdTokenClaimNames.SUB;
	}

	@Serial
	private Object readResolve() {
		OidcIdToken token = VerifiedIdTokenParser.parse(this.idToken);
		OidcUserInfo info = null;
		if (this.userInfo != null) {
			Map<String, Object> claims = new LinkedHashMap<>();
			for (int i = 0; i + 1 < this.userInfo.length; i += 2) {
				claims.put(this.userInfo[i], this.userInfo[i + 1]);
			}
			info = new OidcUserInfo(claims);
		}
		List<GrantedAuthority> authorities = new ArrayList<>();
		if (this.oidcAuthority != null) {
			authorities.add(new OidcUserAuthority(this.oidcAuthority, token, info, this.nameAttributeKey));
		}
		if (this.otherAuthorities != null) {
			authorities.addAll(List.of(this.otherAuthorities));
		}
		DefaultOidcUser user = new DefaultOidcUser(authorities, token, info, this.nameAttributeKey);
		IdaasSessionState state = new IdaasSessionState(this.sessionToken,
				Instant.ofEpochSecond(this.sessionTokenExpiresAtSeconds, this.sessionTokenExpiresAtNanos),
				Instant.ofEpochSecond(this.signedInAtSeconds, this.signedInAtNanos), this.refreshCount,
				Math.max(this.generation, this.refreshCount));
		IdaasAuthenticationToken authentication = new IdaasAuthenticationToken(user, user.getAuthorities(), state);
		authentication.setDetails(this.details);
		return authentication;
	}

	@Override
	public String toString() {
		return "SerializedIdaasAuthentication[idToken=***, sessionToken=***]";
	}

}

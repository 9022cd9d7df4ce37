package dev.idaas.spring.authentication;

import java.io.Serial;
import java.util.Collection;

import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.util.Assert;

/**
 * An authenticated IDaaS sign-in: the {@link OidcUser} built from a verified id_token as
 * principal, plus the {@link IdaasSessionState} that keeps it fresh. The session token is
 * not a credential of this authentication ({@link #getCredentials()} is empty) and never
 * appears in {@link #toString()}.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasAppleAuthenticationProvider
 */
public class IdaasAuthenticationToken extends AbstractAuthenticationToken {

	@Serial
	private static final long serialVersionUID = 1L;

	private final OidcUser principal;

	private final IdaasSessionState sessionState;

	/**
	 * Creates an authenticated token.
	 * @param principal the signed-in user
	 * @param authorities the user's authorities
	 * @param sessionState the IDaaS session behind the sign-in
	 */
	public IdaasAuthenticationToken(OidcUser principal, Collection<? extends GrantedAuthority> authorities,
			IdaasSessionState sessionState) {
		super(authorities);
		Assert.notNull(principal, "principal cannot be null");
		Assert.notNull(sessionState, "sessionState cannot be null");
		this.principal = principal;
		this.sessionState = sessionState;
		setAuthenticated(true);
	}

	@Override
	public OidcUser getPrincipal() {
		return this.principal;
	}

	/**
	 * Always empty: the session token is not a credential to be checked again.
	 * @return an empty string
	 */
	@Override
	public Object getCredentials() {
		return "";
	}

	/**
	 * The verified id_token of this sign-in.
	 * @return the id_token
	 */
	public OidcIdToken getIdToken() {
		return this.principal.getIdToken();
	}

	/**
	 * The IDaaS session behind this sign-in.
	 * @return the session state
	 */
	public IdaasSessionState getSessionState() {
		return this.sessionState;
	}

	/**
	 * A copy of this authentication after a refresh, keeping the details.
	 * @param refreshedPrincipal the user built from the new id_token
	 * @param authorities the authorities for it
	 * @param refreshedState the new session state
	 * @return the new authentication
	 */
	public IdaasAuthenticationToken withRefreshed(OidcUser refreshedPrincipal,
			Collection<? extends GrantedAuthority> authorities, IdaasSessionState refreshedState) {
		IdaasAuthenticationToken refreshed = new IdaasAuthenticationToken(refreshedPrincipal, authorities,
				refreshedState);
		refreshed.setDetails(getDetails());
		return refreshed;
	}

	/**
	 * Serializes through {@link SerializedIdaasAuthentication}, which stores the id_token once.
	 * @return the serialized form
	 */
	@Serial
	private Object writeReplace() {
		return (this.principal instanceof DefaultOidcUser user
				&& user.getClass() == DefaultOidcUser.class) ? new SerializedIdaasAuthentication(this, user) : this;
	}

	@Override
	public boolean equals(@Nullable Object obj) {
		return super.equals(obj) && obj instanceof IdaasAuthenticationToken other
				&& this.sessionState.equals(other.sessionState);
	}

	@Override
	public int hashCode() {
		return super.hashCode();
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + " [Principal=" + this.principal.getName() + ", Authenticated="
				+ isAuthenticated() + ", Granted Authorities=" + getAuthorities() + ", IdToken expiresAt="
				+ getIdToken().getExpiresAt() + ", SessionState=" + this.sessionState + "]";
	}

}

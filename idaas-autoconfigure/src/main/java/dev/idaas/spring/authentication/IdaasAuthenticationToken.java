package dev.idaas.spring.authentication;

import java.io.Serial;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;
import org.springframework.util.Assert;

/**
 * An authenticated IDaaS sign-in: the {@link OidcUser} built from a verified id_token as
 * principal, plus the {@link IdaasSessionState} that keeps it fresh. The session token is
 * not a credential of this authentication ({@link #getCredentials()} is empty) and never
 * appears in {@link #toString()}.
 * <p>
 * In the HTTP session it is stored in a compact form (about 0.9 KiB with Java serialization for
 * a typical id_token, see {@code benchmarks/RESULTS.md}): the compact id_token, the session
 * state, the id_token's {@code iat}/{@code exp}, and the authorities as the
 * {@link IdaasAuthenticationTokenFactory#setAuthoritiesMapper authorities mapper} returned
 * them at sign-in or at the last refresh (an {@link OidcUserAuthority} by its name only: it is
 * rebuilt from the id_token). The claims, the {@link OidcUser} and the authorities are derived
 * again from the id_token on first use after a read, so a request that only checks the
 * id_token's expiry (the refresh filter's) does not parse it. The mapper is not called again
 * on a read: the authorities stay those of the sign-in until the next refresh, even if the
 * mapper would now answer otherwise.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasAppleAuthenticationProvider
 */
public class IdaasAuthenticationToken extends AbstractAuthenticationToken {

	@Serial
	private static final long serialVersionUID = 1L;

	/**
	 * {@code null} only in a token read back from its compact form, until first used.
	 */
	private volatile @Nullable OidcUser principal;

	private final IdaasSessionState sessionState;

	/**
	 * The compact form this token was read from, from which the principal and authorities are
	 * derived on first use; {@code null} for a token built from a principal.
	 */
	private final transient @Nullable SerializedIdaasAuthentication compact;

	private transient volatile @Nullable List<GrantedAuthority> derivedAuthorities;

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
		this.compact = null;
		setAuthenticated(true);
	}

	/**
	 * A token read back from its compact form: principal and authorities derived on first use.
	 */
	IdaasAuthenticationToken(SerializedIdaasAuthentication compact) {
		super(List.of());
		this.principal = null;
		this.sessionState = compact.sessionState();
		this.compact = compact;
		setAuthenticated(compact.authenticated());
		setDetails(compact.details());
	}

	@Override
	public OidcUser getPrincipal() {
		OidcUser principal = this.principal;
		return (principal != null) ? principal : derive();
	}

	@Override
	public Collection<GrantedAuthority> getAuthorities() {
		if (this.compact == null) {
			return super.getAuthorities();
		}
		List<GrantedAuthority> authorities = this.derivedAuthorities;
		if (authorities == null) {
			derive();
			authorities = Objects.requireNonNull(this.derivedAuthorities);
		}
		return authorities;
	}

	private synchronized OidcUser derive() {
		OidcUser principal = this.principal;
		if (principal == null) {
			SerializedIdaasAuthentication compact = Objects.requireNonNull(this.compact);
			SerializedIdaasAuthentication.Derived derived = compact.derive();
			this.derivedAuthorities = derived.authorities();
			this.principal = derived.user();
			principal = derived.user();
		}
		return principal;
	}

	/**
	 * Whether the principal and authorities are still to be derived from the compact id_token.
	 */
	boolean isCompact() {
		return this.compact != null && this.principal == null;
	}

	@Nullable SerializedIdaasAuthentication getCompact() {
		return this.compact;
	}

	/**
	 * The compact (JWS) id_token of this sign-in, without parsing it.
	 * @return the id_token
	 * @since 0.1
	 */
	public String getIdTokenValue() {
		SerializedIdaasAuthentication compact = this.compact;
		return (compact != null) ? compact.idToken() : getIdToken().getTokenValue();
	}

	/**
	 * When the id_token expires ({@code exp}), without parsing it.
	 * @return the expiry, or {@code null} when the id_token has none
	 * @since 0.1
	 */
	public @Nullable Instant getIdTokenExpiresAt() {
		SerializedIdaasAuthentication compact = this.compact;
		return (compact != null && compact.hasIdTokenTimes()) ? compact.idTokenExpiresAt()
				: getIdToken().getExpiresAt();
	}

	/**
	 * When the id_token was issued ({@code iat}), without parsing it.
	 * @return the issue time, or {@code null} when the id_token has none
	 * @since 0.1
	 */
	public @Nullable Instant getIdTokenIssuedAt() {
		SerializedIdaasAuthentication compact = this.compact;
		return (compact != null && compact.hasIdTokenTimes()) ? compact.idTokenIssuedAt()
				: getIdToken().getIssuedAt();
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
		return getPrincipal().getIdToken();
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
	 * Serializes through {@link SerializedIdaasAuthentication}, the compact form; a principal of
	 * another class than {@link DefaultOidcUser} is serialized as it is.
	 * @return the serialized form
	 */
	@Serial
	private Object writeReplace() {
		if (isCompact()) {
			return SerializedIdaasAuthentication.of(this);
		}
		OidcUser principal = getPrincipal();
		return (principal instanceof DefaultOidcUser user && user.getClass() == DefaultOidcUser.class)
				? SerializedIdaasAuthentication.of(this, user) : this;
	}

	@Override
	public boolean equals(@Nullable Object obj) {
		if (this == obj) {
			return true;
		}
		return obj instanceof IdaasAuthenticationToken other && this.sessionState.equals(other.sessionState)
				&& isAuthenticated() == other.isAuthenticated() && Objects.equals(getDetails(), other.getDetails())
				&& getAuthorities().equals(other.getAuthorities()) && getPrincipal().equals(other.getPrincipal());
	}

	@Override
	public int hashCode() {
		// equal tokens hold equal session states; no need to derive the principal for a hash
		return this.sessionState.hashCode();
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + " [Principal=" + getPrincipal().getName() + ", Authenticated="
				+ isAuthenticated() + ", Granted Authorities=" + getAuthorities() + ", IdToken expiresAt="
				+ getIdTokenExpiresAt() + ", SessionState=" + this.sessionState + "]";
	}

}

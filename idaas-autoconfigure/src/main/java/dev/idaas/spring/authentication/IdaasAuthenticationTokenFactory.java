package dev.idaas.spring.authentication;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.idaas.spring.client.IdaasErrorCodes;
import dev.idaas.spring.client.IdaasErrorCategory;
import dev.idaas.spring.client.TokenRefreshResult;
import dev.idaas.spring.jwt.IdTokenVerifier;
import dev.idaas.spring.jwt.InvalidIdTokenException;
import dev.idaas.spring.jwt.JwkSetUnavailableException;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.mapping.GrantedAuthoritiesMapper;
import org.springframework.security.core.authority.mapping.NullAuthoritiesMapper;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.StandardClaimNames;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;
import org.springframework.util.Assert;

/**
 * Turns IDaaS answers into an {@link IdaasAuthenticationToken}: verifies the id_token, builds
 * the {@link OidcUser} and maps its authorities. Used at sign-in and at every refresh, so
 * both produce exactly the same kind of authentication.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public final class IdaasAuthenticationTokenFactory {

	/**
	 * Error code of an id_token that fails verification.
	 */
	public static final String INVALID_ID_TOKEN = IdaasErrorCodes.INVALID_ID_TOKEN;

	/**
	 * Error code of a refreshed id_token that belongs to another user.
	 */
	public static final String SUBJECT_CHANGED = IdaasErrorCodes.SUBJECT_CHANGED;

	private final IdTokenVerifier idTokenVerifier;

	private GrantedAuthoritiesMapper authoritiesMapper = new NullAuthoritiesMapper();

	private String userNameAttribute = "sub";

	private Clock clock = Clock.systemUTC();

	/**
	 * Creates a factory.
	 * @param idTokenVerifier verifies every id_token before it is trusted
	 */
	public IdaasAuthenticationTokenFactory(IdTokenVerifier idTokenVerifier) {
		Assert.notNull(idTokenVerifier, "idTokenVerifier cannot be null");
		this.idTokenVerifier = idTokenVerifier;
	}

	/**
	 * Sets the mapper of the user's authorities. By default the user has the
	 * {@link OidcUserAuthority} ({@code OIDC_USER}) only.
	 * @param authoritiesMapper the mapper
	 */
	public void setAuthoritiesMapper(GrantedAuthoritiesMapper authoritiesMapper) {
		Assert.notNull(authoritiesMapper, "authoritiesMapper cannot be null");
		this.authoritiesMapper = authoritiesMapper;
	}

	/**
	 * Sets the claim used as the principal's name (default {@code sub}).
	 * @param userNameAttribute the claim name
	 */
	public void setUserNameAttribute(String userNameAttribute) {
		Assert.hasText(userNameAttribute, "userNameAttribute cannot be empty");
		this.userNameAttribute = userNameAttribute;
	}

	/**
	 * Sets the clock (default: system UTC).
	 * @param clock the clock
	 */
	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	/**
	 * Builds the authentication of a fresh sign-in.
	 * @param idToken the id_token IDaaS returned (verified here)
	 * @param sessionToken the session token IDaaS returned
	 * @param sessionExpiresIn the session token's validity
	 * @param appleUserName the unverified name and email of Apple's {@code user} field, or
	 * {@code null}; they become {@code apple_unverified_*} claims
	 * @return the authenticated token
	 * @throws IdaasAuthenticationException when the id_token is not acceptable
	 */
	public IdaasAuthenticationToken signIn(String idToken, String sessionToken, Duration sessionExpiresIn,
			@Nullable AppleUserName appleUserName) {
		Assert.hasText(idToken, "idToken cannot be empty");
		Assert.hasText(sessionToken, "sessionToken cannot be empty");
		Assert.notNull(sessionExpiresIn, "sessionExpiresIn cannot be null");
		OidcIdToken verified = verify(idToken);
		Instant now = this.clock.instant();
		IdaasSessionState state = new IdaasSessionState(sessionToken, now.plus(sessionExpiresIn), now, 0);
		OidcUser user = createUser(verified, userInfo(appleUserName));
		return new IdaasAuthenticationToken(user, user.getAuthorities(), state);
	}

	/**
	 * Builds the authentication that replaces {@code current} after a refresh. The new
	 * id_token must belong to the same user: same {@code iss}, {@code sub} and {@code aud}.
	 * @param current the authentication being refreshed
	 * @param result what IDaaS answered
	 * @return the refreshed authentication
	 * @throws IdaasAuthenticationException when the id_token is not acceptable or names
	 * another user
	 */
	public IdaasAuthenticationToken refreshed(IdaasAuthenticationToken current, TokenRefreshResult result) {
		Assert.notNull(current, "current cannot be null");
		Assert.notNull(result, "result cannot be null");
		OidcIdToken verified = verify(result.idToken());
		OidcIdToken previous = current.getIdToken();
		// iss compared as text: URL.equals would resolve host names
		if (!Objects.equals(previous.getClaimAsString(IdTokenClaimNames.ISS), verified.getClaimAsString(IdTokenClaimNames.ISS))
				|| !Objects.equals(previous.getSubject(), verified.getSubject())
				|| !Objects.equals(Set.copyOf(previous.getAudience()), Set.copyOf(verified.getAudience()))) {
			throw new IdaasAuthenticationException(SUBJECT_CHANGED, "The refreshed id_token belongs to another user",
					IdaasErrorCategory.INVALID_SESSION, null);
		}
		IdaasSessionState state = current.getSessionState()
			.refreshed(result.sessionToken(), this.clock.instant().plus(result.sessionExpiresIn()));
		OidcUser user = createUser(verified, current.getPrincipal().getUserInfo());
		return current.withRefreshed(user, user.getAuthorities(), state);
	}

	private OidcIdToken verify(String idToken) {
		try {
			return this.idTokenVerifier.verify(idToken);
		}
		catch (JwkSetUnavailableException ex) {
			throw new IdaasAuthenticationException(IdaasErrorCodes.UPSTREAM_UNAVAILABLE,
					"The tenant's signing keys could not be loaded", IdaasErrorCategory.TRANSIENT, ex);
		}
		catch (InvalidIdTokenException ex) {
			throw new IdaasAuthenticationException(INVALID_ID_TOKEN, "The id_token is not valid: " + ex.getMessage(),
					IdaasErrorCategory.PROTOCOL, ex);
		}
	}

	private OidcUser createUser(OidcIdToken idToken, @Nullable OidcUserInfo userInfo) {
		String nameAttribute = (idToken.hasClaim(this.userNameAttribute)) ? this.userNameAttribute
				: StandardClaimNames.SUB;
		OidcUserAuthority authority = new OidcUserAuthority(idToken, userInfo, nameAttribute);
		Collection<? extends GrantedAuthority> authorities = this.authoritiesMapper
			.mapAuthorities(Set.of(authority));
		return new DefaultOidcUser(authorities, idToken, userInfo, nameAttribute);
	}

	private static @Nullable OidcUserInfo userInfo(@Nullable AppleUserName name) {
		if (name == null) {
			return null;
		}
		Map<String, Object> claims = new LinkedHashMap<>();
		// user-controlled and unsigned: never under a standard claim name an application would trust
		putIfPresent(claims, AppleUserName.UNVERIFIED_GIVEN_NAME, name.firstName());
		putIfPresent(claims, AppleUserName.UNVERIFIED_FAMILY_NAME, name.lastName());
		putIfPresent(claims, AppleUserName.UNVERIFIED_NAME, name.fullName());
		putIfPresent(claims, AppleUserName.UNVERIFIED_EMAIL, name.email());
		return claims.isEmpty() ? null : new OidcUserInfo(claims);
	}

	private static void putIfPresent(Map<String, Object> claims, String name, @Nullable String value) {
		if (value != null && !value.isBlank()) {
			claims.put(name, value);
		}
	}

}

package dev.idaas.spring.test.web;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import tools.jackson.databind.json.JsonMapper;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.authentication.IdaasSessionState;
import dev.idaas.spring.jwt.VerifiedIdTokenParser;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;
import org.springframework.util.Assert;

/**
 * Builds the {@link IdaasAuthenticationToken} the starter would keep in the session after a
 * sign-in: an {@code OidcUser} principal from id_token claims (vendor claims by default), the
 * {@code OIDC_USER} authority plus any given ones, and an {@link IdaasSessionState} with a
 * session token, so the id_token refresh filter treats it exactly as in production. The
 * id_token is a well-formed JWT whose signature is not valid: nothing in a test verifies it
 * again, and it must never be sent to a real tenant.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public final class IdaasTestAuthentications {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private final Map<String, Object> claims = new LinkedHashMap<>();

	private final List<GrantedAuthority> authorities = new ArrayList<>();

	private Clock clock = Clock.systemUTC();

	private Duration idTokenExpiresIn = Duration.ofMinutes(5);

	private Duration sessionTokenExpiresIn = Duration.ofDays(5);

	private String sessionToken = "test-session-" + UUID.randomUUID();

	private String nameAttribute = "sub";

	IdaasTestAuthentications() {
		this.claims.put("iss", "https://idaas.test/api/v1/oauth2");
		this.claims.put("aud", "test-client");
		this.claims.put("sub", "user");
		this.claims.put("id", "1");
		this.claims.put("name", "Test User");
		this.claims.put("userName", "user");
		this.claims.put("email", "user@example.com");
		this.claims.put("mobile", "+8613800000000");
	}

	/**
	 * A builder with the default test user ({@code sub=user}).
	 * @return the builder
	 */
	public static IdaasTestAuthentications user() {
		return new IdaasTestAuthentications();
	}

	/**
	 * Sets the subject ({@code sub} and {@code userName}).
	 * @param subject the subject
	 * @return this builder
	 */
	public IdaasTestAuthentications subject(String subject) {
		Assert.hasText(subject, "subject cannot be empty");
		this.claims.put("sub", subject);
		this.claims.put("userName", subject);
		return this;
	}

	/**
	 * Changes the id_token claims (time claims are set from the expiry; others may be put or
	 * removed here).
	 * @param claimsConsumer receives the mutable claims
	 * @return this builder
	 */
	public IdaasTestAuthentications claims(Consumer<Map<String, Object>> claimsConsumer) {
		Assert.notNull(claimsConsumer, "claimsConsumer cannot be null");
		claimsConsumer.accept(this.claims);
		return this;
	}

	/**
	 * Adds authorities such as {@code ROLE_ADMIN} beside {@code OIDC_USER}.
	 * @param authorities the authority names
	 * @return this builder
	 */
	public IdaasTestAuthentications authorities(String... authorities) {
		for (String authority : authorities) {
			this.authorities.add(new SimpleGrantedAuthority(authority));
		}
		return this;
	}

	/**
	 * Sets how long the id_token stays valid from now (default 5 minutes). A short or
	 * negative value makes the refresh filter refresh it on the next request.
	 * @param expiresIn the remaining validity
	 * @return this builder
	 */
	public IdaasTestAuthentications idTokenExpiresIn(Duration expiresIn) {
		Assert.notNull(expiresIn, "expiresIn cannot be null");
		this.idTokenExpiresIn = expiresIn;
		return this;
	}

	/**
	 * Sets the session token (e.g. one from {@code IdaasSimulator#issueSessionToken}, so a
	 * refresh reaches the simulator with a token it knows).
	 * @param sessionToken the session token
	 * @return this builder
	 */
	public IdaasTestAuthentications sessionToken(String sessionToken) {
		Assert.hasText(sessionToken, "sessionToken cannot be empty");
		this.sessionToken = sessionToken;
		return this;
	}

	/**
	 * Sets how long the session token stays valid from now (default 5 days).
	 * @param expiresIn the remaining validity
	 * @return this builder
	 */
	public IdaasTestAuthentications sessionTokenExpiresIn(Duration expiresIn) {
		Assert.notNull(expiresIn, "expiresIn cannot be null");
		this.sessionTokenExpiresIn = expiresIn;
		return this;
	}

	/**
	 * Sets the claim used as the principal's name (default {@code sub}).
	 * @param nameAttribute the claim name
	 * @return this builder
	 */
	public IdaasTestAuthentications nameAttribute(String nameAttribute) {
		Assert.hasText(nameAttribute, "nameAttribute cannot be empty");
		this.nameAttribute = nameAttribute;
		return this;
	}

	/**
	 * Sets the clock that "now" is read from (default: system UTC).
	 * @param clock the clock
	 * @return this builder
	 */
	public IdaasTestAuthentications clock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
		return this;
	}

	/**
	 * Builds the authentication.
	 * @return the authentication the starter would store after a sign-in
	 */
	public IdaasAuthenticationToken build() {
		Instant now = this.clock.instant();
		Instant expiresAt = now.plus(this.idTokenExpiresIn);
		Instant issuedAt = expiresAt.minus(Duration.ofMinutes(5)).isBefore(now) ? expiresAt.minus(Duration.ofMinutes(5))
				: now;
		Map<String, Object> payload = new LinkedHashMap<>(this.claims);
		payload.put("iat", issuedAt.getEpochSecond());
		payload.put("nbf", issuedAt.getEpochSecond() - 120);
		payload.put("exp", expiresAt.getEpochSecond());
		payload.putIfAbsent("jti", UUID.randomUUID().toString());
		OidcIdToken idToken = VerifiedIdTokenParser.parse(jwt(payload));
		List<GrantedAuthority> all = new ArrayList<>();
		all.add(new OidcUserAuthority(idToken, null, this.nameAttribute));
		all.addAll(this.authorities);
		DefaultOidcUser user = new DefaultOidcUser(all, idToken, null, this.nameAttribute);
		IdaasSessionState state = new IdaasSessionState(this.sessionToken, now.plus(this.sessionTokenExpiresIn), now,
				0);
		return new IdaasAuthenticationToken(user, user.getAuthorities(), state);
	}

	private static String jwt(Map<String, Object> payload) {
		Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
		String header = encoder
			.encodeToString("{\"alg\":\"RS256\",\"kid\":\"idaas-test\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
		String body = encoder.encodeToString(mapper.writeValueAsBytes(payload));
		String signature = encoder.encodeToString("not-a-signature".getBytes(StandardCharsets.UTF_8));
		return header + "." + body + "." + signature;
	}

}

package dev.idaas.spring.web.session;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.idaas.spring.authentication.AppleUserName;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.authentication.IdaasSessionState;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextImpl;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the refresh filter stores in the HTTP session stays small and round-trips.
 */
class IdaasSessionSerializationTests {

	private static final int MAX_SESSION_BYTES = 2048;

	private final RefreshTestStack stack = new RefreshTestStack();

	@AfterEach
	void tearDown() {
		this.stack.close();
	}

	@Test
	void serializeWhenSessionStateThenRoundTripsAndSmall() throws Exception {
		IdaasSessionState state = this.stack.signIn().getSessionState();
		byte[] bytes = serialize(state);
		System.out.println("IdaasSessionState serialized: " + bytes.length + " bytes");
		assertThat(bytes.length).isLessThan(MAX_SESSION_BYTES);
		assertThat(deserialize(bytes)).isEqualTo(state);
	}

	@Test

	void serializeWhenAuthenticationWithRealIdTokenThenBelow2KiB() throws Exception {
		byte[] bytes = serialize(new SecurityContextImpl(this.stack.signIn()));
		assertThat(bytes.length).isLessThan(MAX_SESSION_BYTES);
	}

	@Test
	void serializeWhenAuthenticationWithRealIdTokenThenRoundTrips() throws Exception {
		IdaasAuthenticationToken authentication = this.stack.signIn();
		assertThat(authentication.getIdToken().getTokenValue().length()).isGreaterThan(500);
		byte[] bytes = serialize(new SecurityContextImpl(authentication));
		System.out.println("SecurityContext with IdaasAuthenticationToken serialized: " + bytes.length
				+ " bytes (id_token " + authentication.getIdToken().getTokenValue().length() + " chars)");
		assertThat(bytes.length).isLessThan(MAX_SESSION_BYTES);
		SecurityContextImpl read = (SecurityContextImpl) deserialize(bytes);
		IdaasAuthenticationToken copy = (IdaasAuthenticationToken) read.getAuthentication();
		assertThat(copy).isEqualTo(authentication);
		assertThat(copy.getSessionState()).isEqualTo(authentication.getSessionState());
		assertThat(copy.getIdToken().getTokenValue()).isEqualTo(authentication.getIdToken().getTokenValue());
		assertThat(copy.getName()).isEqualTo("alice");
		assertThat(copy.toString()).doesNotContain(authentication.getSessionState().sessionToken())
			.doesNotContain(authentication.getIdToken().getTokenValue());
	}

	@Test
	void serializeWhenRefreshedTwiceThenGenerationRoundTrips() throws Exception {
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		IdaasSessionState state = signedIn.getSessionState();
		IdaasSessionState twice = state.refreshed("rotated-1", state.sessionTokenExpiresAt())
			.refreshed("rotated-2", state.sessionTokenExpiresAt());
		IdaasAuthenticationToken refreshed = signedIn.withRefreshed(signedIn.getPrincipal(),
				signedIn.getAuthorities(), twice);
		IdaasAuthenticationToken copy = (IdaasAuthenticationToken) ((SecurityContextImpl) deserialize(
				serialize(new SecurityContextImpl(refreshed))))
			.getAuthentication();
		assertThat(copy.getSessionState().generation()).isEqualTo(2);
		assertThat(copy.getSessionState()).isEqualTo(twice);
	}

	@Test
	void serializeWhenAppleNameAndMappedAuthoritiesThenRoundTripsEqual() throws Exception {
		this.stack.factory.setAuthoritiesMapper((authorities) -> {
			List<GrantedAuthority> mapped = new ArrayList<>(authorities);
			mapped.add(new SimpleGrantedAuthority("ROLE_USER"));
			return mapped;
		});
		this.stack.factory.setUserNameAttribute("email");
		IdaasAuthenticationToken authentication = this.stack.factory.signIn(
				this.stack.idaas.mintIdToken(this.stack.alice), this.stack.idaas.issueSessionToken(this.stack.alice),
				Duration.ofDays(5), new AppleUserName("Alice", "Liddell", "alice@privaterelay.appleid.com"));
		authentication.setDetails("details");
		byte[] bytes = serialize(new SecurityContextImpl(authentication));
		IdaasAuthenticationToken copy = (IdaasAuthenticationToken) ((SecurityContextImpl) deserialize(bytes))
			.getAuthentication();
		assertThat(copy).isEqualTo(authentication);
		assertThat(copy.getName()).isEqualTo("alice@example.com");
		assertThat(copy.getAuthorities()).extracting(GrantedAuthority::getAuthority)
			.containsExactlyInAnyOrder("OIDC_USER", "ROLE_USER");
		assertThat(copy.getPrincipal().getClaimAsString("apple_unverified_given_name")).isEqualTo("Alice");
		assertThat(copy.getPrincipal().getClaimAsString("apple_unverified_email"))
			.isEqualTo("alice@privaterelay.appleid.com");
		assertThat(copy.getIdToken().getExpiresAt()).isEqualTo(authentication.getIdToken().getExpiresAt());
		assertThat(copy.getIdToken().getAudience()).isEqualTo(authentication.getIdToken().getAudience());
		assertThat(copy.getDetails()).isEqualTo("details");
		assertThat(bytes.length).isLessThan(MAX_SESSION_BYTES);
	}

	private static byte[] serialize(Object object) throws Exception {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (ObjectOutputStream objects = new ObjectOutputStream(out)) {
			objects.writeObject(object);
		}
		return out.toByteArray();
	}

	private static Object deserialize(byte[] bytes) throws Exception {
		try (ObjectInputStream objects = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
			return objects.readObject();
		}
	}

}

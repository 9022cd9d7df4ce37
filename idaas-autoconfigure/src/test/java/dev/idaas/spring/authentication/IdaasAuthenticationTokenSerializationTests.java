package dev.idaas.spring.authentication;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.idaas.spring.jwt.JwkSetKeySource;
import dev.idaas.spring.jwt.JwksIdTokenVerifier;
import dev.idaas.spring.jwt.VerifiedIdTokenParser;
import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.SimulatedUser;
import dev.idaas.spring.web.session.IdTokenRefreshSchedule;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compact serialized form of {@link IdaasAuthenticationToken} ({@link SerializedIdaasAuthentication}):
 * a signed-in session under 1 KiB, claims derived on first use, the mapper's authorities kept, and
 * sessions written by the first form still read.
 */
class IdaasAuthenticationTokenSerializationTests {

	private static final int MAX_SESSION_BYTES = 1024;

	private static final String FIRST_FORM_FIXTURE = "security-context-0.1-first-form.ser";

	private final SimulatedUser alice = SimulatedUser.of("alice", "Alice", "+8613800000001", "alice@example.com");

	private IdaasSimulator idaas;

	private IdaasAuthenticationTokenFactory factory;

	@BeforeEach
	void setUp() {
		this.idaas = new IdaasSimulator().start();
		this.idaas.registerUser(this.alice);
		JwksIdTokenVerifier verifier = new JwksIdTokenVerifier(
				new JwkSetKeySource(RestClient.create(), this.idaas.jwksUri()), this.idaas.issuer(),
				this.idaas.clientId());
		this.factory = new IdaasAuthenticationTokenFactory(verifier);
	}

	@AfterEach
	void tearDown() {
		this.idaas.close();
	}

	private IdaasAuthenticationToken signIn(AppleUserName appleUserName) {
		return this.factory.signIn(this.idaas.mintIdToken(this.alice), this.idaas.issueSessionToken(this.alice),
				Duration.ofDays(5), appleUserName);
	}

	@Test
	void serializeWhenSignedInThenSecurityContextAtMost1KiB() throws Exception {
		IdaasAuthenticationToken authentication = signIn(null);
		byte[] bytes = serialize(new SecurityContextImpl(authentication));
		assertThat(authentication.getIdToken().getTokenValue().length()).isGreaterThan(800);
		assertThat(bytes.length).isLessThanOrEqualTo(MAX_SESSION_BYTES);
		assertThat(read(bytes)).isEqualTo(authentication);
	}

	@Test
	void serializeWhenSignedInThroughLoginFilterWithWebDetailsThenAtMost1KiB() throws Exception {
		IdaasAuthenticationToken authentication = signIn(null);
		authentication.setDetails(new WebAuthenticationDetails("203.0.113.45", "0123456789ABCDEF0123456789ABCDEF"));
		byte[] bytes = serialize(new SecurityContextImpl(authentication));
		assertThat(bytes.length).isLessThanOrEqualTo(MAX_SESSION_BYTES);
		IdaasAuthenticationToken copy = read(bytes);
		assertThat(copy.getDetails()).isEqualTo(authentication.getDetails());
		assertThat(copy).isEqualTo(authentication);
	}

	@Test
	void readWhenCompactThenClaimsNotParsedUntilUsed() throws Exception {
		IdaasAuthenticationToken authentication = signIn(null);
		IdaasAuthenticationToken copy = read(serialize(new SecurityContextImpl(authentication)));
		assertThat(copy.isCompact()).isTrue();
		// what the refresh filter reads on every request
		IdTokenRefreshSchedule schedule = new IdTokenRefreshSchedule(Clock.systemUTC(), Duration.ofSeconds(60),
				Duration.ofSeconds(5), null);
		assertThat(schedule.refreshAt(copy)).isEqualTo(schedule.refreshAt(authentication));
		assertThat(schedule.isExpired(copy, Instant.now().toEpochMilli())).isFalse();
		assertThat(copy.getIdTokenExpiresAt()).isEqualTo(authentication.getIdToken().getExpiresAt());
		assertThat(copy.getIdTokenIssuedAt()).isEqualTo(authentication.getIdToken().getIssuedAt());
		assertThat(copy.getIdTokenValue()).isEqualTo(authentication.getIdToken().getTokenValue());
		assertThat(copy.getSessionState()).isEqualTo(authentication.getSessionState());
		assertThat(copy.isAuthenticated()).isTrue();
		assertThat(copy.isCompact()).isTrue();
		assertThat(copy.getName()).isEqualTo("alice");
		assertThat(copy.isCompact()).isFalse();
		assertThat(copy.getIdToken().getClaims()).isEqualTo(authentication.getIdToken().getClaims());
		assertThat(copy).isEqualTo(authentication).hasSameHashCodeAs(authentication);
	}

	@Test
	void serializeWhenReadBackAndUnusedThenWrittenAgainWithoutParsingAndSameBytes() throws Exception {
		IdaasAuthenticationToken authentication = signIn(null);
		authentication.setDetails(new WebAuthenticationDetails("203.0.113.45", null));
		byte[] first = serialize(new SecurityContextImpl(authentication));
		IdaasAuthenticationToken copy = read(first);
		byte[] second = serialize(new SecurityContextImpl(copy));
		assertThat(copy.isCompact()).isTrue();
		assertThat(second).isEqualTo(first);
		assertThat(read(second)).isEqualTo(authentication);
	}

	@Test
	void readWhenMappedAuthoritiesThenMapperNotCalledAgainAndOrderKept() throws Exception {
		AtomicInteger mapperCalls = new AtomicInteger();
		this.factory.setAuthoritiesMapper((authorities) -> {
			mapperCalls.incrementAndGet();
			List<GrantedAuthority> mapped = new ArrayList<>(authorities);
			mapped.add(new SimpleGrantedAuthority("ROLE_USER"));
			mapped.add(new TenantAuthority("acme"));
			return mapped;
		});
		this.factory.setUserNameAttribute("email");
		IdaasAuthenticationToken authentication = signIn(
				new AppleUserName("Alice", "Liddell", "alice@privaterelay.appleid.com"));
		byte[] bytes = serialize(new SecurityContextImpl(authentication));
		IdaasAuthenticationToken copy = read(bytes);
		assertThat(copy.getAuthorities()).containsExactlyElementsOf(authentication.getAuthorities());
		assertThat(copy.getAuthorities()).extracting(GrantedAuthority::getAuthority)
			.containsExactly("OIDC_USER", "ROLE_USER", "TENANT_acme");
		assertThat(copy.getAuthorities()).first().isInstanceOf(OidcUserAuthority.class);
		assertThat(((OidcUserAuthority) copy.getAuthorities().iterator().next()).getIdToken().getTokenValue())
			.isEqualTo(authentication.getIdTokenValue());
		assertThat(copy.getName()).isEqualTo("alice@example.com");
		assertThat(copy.getPrincipal().getClaimAsString("apple_unverified_family_name")).isEqualTo("Liddell");
		assertThat(copy).isEqualTo(authentication);
		assertThat(mapperCalls).hasValue(1);
		assertThat(bytes.length).isLessThanOrEqualTo(MAX_SESSION_BYTES + 300);
	}

	@Test
	void readWhenMapperDroppedOidcUserAuthorityThenNameAttributeStillKept() throws Exception {
		this.factory.setAuthoritiesMapper((authorities) -> List.of(new SimpleGrantedAuthority("ROLE_USER")));
		this.factory.setUserNameAttribute("email");
		IdaasAuthenticationToken authentication = signIn(null);
		IdaasAuthenticationToken copy = read(serialize(new SecurityContextImpl(authentication)));
		assertThat(copy.getName()).isEqualTo("alice@example.com");
		assertThat(copy.getAuthorities()).extracting(GrantedAuthority::getAuthority).containsExactly("ROLE_USER");
		assertThat(copy).isEqualTo(authentication);
	}

	@Test
	void readWhenIdTokenNotCanonicalBase64ThenKeptAsText() throws Exception {
		String signed = this.idaas.mintIdToken(this.alice);
		// the signature's last character with a low bit set: decodes to the same bytes, so the
		// decoded form could not give this text back
		char last = signed.charAt(signed.length() - 1);
		String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
		String tampered = signed.substring(0, signed.length() - 1) + alphabet.charAt(alphabet.indexOf(last) | 1);
		assertThat(tampered).isNotEqualTo(signed);
		OidcIdToken idToken = VerifiedIdTokenParser.parse(tampered);
		DefaultOidcUser user = new DefaultOidcUser(List.of(new OidcUserAuthority(idToken, null, "sub")), idToken);
		Instant now = Instant.now();
		IdaasAuthenticationToken authentication = new IdaasAuthenticationToken(user, user.getAuthorities(),
				new IdaasSessionState("st-1", now.plusSeconds(3600), now, 0));
		IdaasAuthenticationToken copy = read(serialize(new SecurityContextImpl(authentication)));
		assertThat(copy.getIdTokenValue()).isEqualTo(tampered);
		assertThat(copy.getIdTokenExpiresAt()).isEqualTo(idToken.getExpiresAt());
		assertThat(copy.getName()).isEqualTo("alice");
		assertThat(copy).isEqualTo(authentication);
	}

	@Test
	void readWhenWrittenByFirstFormThenSameSignInBack() throws Exception {
		byte[] bytes;
		try (InputStream fixture = getClass().getResourceAsStream(FIRST_FORM_FIXTURE)) {
			assertThat(fixture).isNotNull();
			bytes = fixture.readAllBytes();
		}
		// written by 0.1 before the compact form: mapper + ROLE_USER, name attribute email, Apple's
		// name, two refreshes, WebAuthenticationDetails
		IdaasAuthenticationToken old = read(bytes);
		assertThat(old.getName()).isEqualTo("alice@example.com");
		assertThat(old.getAuthorities()).extracting(GrantedAuthority::getAuthority)
			.containsExactly("OIDC_USER", "ROLE_USER");
		assertThat(old.getSessionState()).isEqualTo(new IdaasSessionState("rotated-2",
				Instant.parse("2026-12-06T01:03:08.878454963Z"), Instant.parse("2026-12-01T01:03:08.878454963Z"), 2, 2));
		assertThat(old.getIdToken().getSubject()).isEqualTo("alice");
		assertThat(old.getIdTokenExpiresAt()).isEqualTo(Instant.parse("2026-12-01T01:08:06Z"));
		assertThat(old.getIdTokenIssuedAt()).isEqualTo(Instant.parse("2026-12-01T01:03:06Z"));
		assertThat(old.getPrincipal().getClaimAsString("apple_unverified_given_name")).isEqualTo("Alice");
		assertThat(old.getDetails())
			.isEqualTo(new WebAuthenticationDetails("192.0.2.10", "0123456789ABCDEF0123456789ABCDEF"));
		assertThat(old.isAuthenticated()).isTrue();
		byte[] compact = serialize(new SecurityContextImpl(old));
		assertThat(compact.length).isLessThan(bytes.length - 700);
		assertThat(read(compact)).isEqualTo(old);
	}

	@Test
	void serializeWhenPrincipalOfAnotherClassThenSerializedAsItIs() throws Exception {
		IdaasAuthenticationToken signedIn = signIn(null);
		DefaultOidcUser custom = new CustomOidcUser((DefaultOidcUser) signedIn.getPrincipal());
		IdaasAuthenticationToken authentication = new IdaasAuthenticationToken(custom, custom.getAuthorities(),
				signedIn.getSessionState());
		IdaasAuthenticationToken copy = read(serialize(new SecurityContextImpl(authentication)));
		assertThat(copy.getPrincipal()).isInstanceOf(CustomOidcUser.class);
		assertThat(copy.isCompact()).isFalse();
		assertThat(copy).isEqualTo(authentication);
	}

	private static IdaasAuthenticationToken read(byte[] bytes) throws Exception {
		try (ObjectInputStream objects = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
			return (IdaasAuthenticationToken) ((SecurityContextImpl) objects.readObject()).getAuthentication();
		}
	}

	private static byte[] serialize(Object object) throws Exception {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (ObjectOutputStream objects = new ObjectOutputStream(out)) {
			objects.writeObject(object);
		}
		return out.toByteArray();
	}

	record TenantAuthority(String tenant) implements GrantedAuthority {

		@Serial
		private static final long serialVersionUID = 1L;

		@Override
		public String getAuthority() {
			return "TENANT_" + this.tenant;
		}

	}

	static final class CustomOidcUser extends DefaultOidcUser {

		@Serial
		private static final long serialVersionUID = 1L;

		CustomOidcUser(DefaultOidcUser user) {
			super(user.getAuthorities(), user.getIdToken(), user.getUserInfo(), "sub");
		}

		@Override
		public boolean equals(Object obj) {
			return obj instanceof CustomOidcUser && super.equals(obj);
		}

		@Override
		public int hashCode() {
			return super.hashCode();
		}

	}

}

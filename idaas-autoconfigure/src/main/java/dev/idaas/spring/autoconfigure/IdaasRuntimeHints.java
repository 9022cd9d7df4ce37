package dev.idaas.spring.autoconfigure;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.idaas.spring.authentication.AppleUserName;
import dev.idaas.spring.authentication.IdaasAuthenticationException;
import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.authentication.IdaasSessionState;
import dev.idaas.spring.client.IdaasApiException;
import dev.idaas.spring.client.IdaasErrorCategory;
import dev.idaas.spring.client.IdaasErrorMessages;
import dev.idaas.spring.client.SocialFlowBranch;
import dev.idaas.spring.client.VerificationChannel;
import dev.idaas.spring.web.flow.PendingSocialFlow;
import dev.idaas.spring.web.flow.SocialFlowAuthenticationDetails;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Native-image hints for what the starter serializes and loads by name: the objects it stores
 * in the HTTP session (Java serialization, for Spring Session or a clustered container), the
 * error message bundles, and the JJWT implementation classes that {@code Jwts} instantiates
 * reflectively. JSON is only read and written as trees and maps, so it needs no binding hints.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
class IdaasRuntimeHints implements RuntimeHintsRegistrar {

	/**
	 * The compact serialized form of {@link IdaasAuthenticationToken} (package-private, so by
	 * name).
	 */
	static final String SERIALIZED_AUTHENTICATION = "dev.idaas.spring.authentication.SerializedIdaasAuthentication";

	/**
	 * The resources of the {@link IdaasErrorMessages#BUNDLE_BASENAME} bundle.
	 */
	static final String MESSAGES_PATTERN = "dev/idaas/spring/client/messages*.properties";

	/**
	 * The slider script and the styles served by the starter's resources filter.
	 */
	static final String ASSETS_PATTERN = "dev/idaas/spring/web/flow/page/*";

	/**
	 * The JJWT implementation types that the API module creates by class name.
	 */
	static final List<String> JJWT_IMPLEMENTATION_TYPES = List.of("io.jsonwebtoken.impl.DefaultJwtParserBuilder",
			"io.jsonwebtoken.impl.DefaultJwtParserBuilder$Supplier", "io.jsonwebtoken.impl.DefaultClaimsBuilder",
			"io.jsonwebtoken.impl.DefaultClaimsBuilder$Supplier", "io.jsonwebtoken.impl.io.StandardCompressionAlgorithms",
			"io.jsonwebtoken.impl.security.StandardSecureDigestAlgorithms",
			"io.jsonwebtoken.impl.security.StandardEncryptionAlgorithms",
			"io.jsonwebtoken.impl.security.StandardKeyAlgorithms", "io.jsonwebtoken.impl.security.StandardKeyOperations",
			"io.jsonwebtoken.impl.security.StandardHashAlgorithms", "io.jsonwebtoken.impl.security.StandardCurves",
			"io.jsonwebtoken.impl.security.KeysBridge", "io.jsonwebtoken.impl.security.JwksBridge");

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		registerSessionSerialization(hints);
		hints.resources().registerPattern(MESSAGES_PATTERN);
		hints.resources().registerPattern(ASSETS_PATTERN);
		hints.resources().registerResourceBundle(IdaasErrorMessages.BUNDLE_BASENAME);
		for (String type : JJWT_IMPLEMENTATION_TYPES) {
			hints.reflection()
				.registerType(TypeReference.of(type), MemberCategory.INVOKE_DECLARED_CONSTRUCTORS,
						MemberCategory.INVOKE_DECLARED_METHODS);
		}
	}

	private static void registerSessionSerialization(RuntimeHints hints) {
		// the signed-in SecurityContext: the token writes itself as SerializedIdaasAuthentication
		hints.serialization().registerType(IdaasAuthenticationToken.class);
		hints.serialization().registerType(TypeReference.of(SERIALIZED_AUTHENTICATION));
		hints.serialization().registerType(IdaasSessionState.class);
		hints.serialization().registerType(AppleUserName.class);
		hints.serialization().registerType(String[].class);
		hints.serialization().registerType(GrantedAuthority[].class);
		hints.serialization().registerType(SimpleGrantedAuthority.class);
		hints.serialization().registerType(WebAuthenticationDetails.class);
		// a token with a custom principal class is serialized as it is
		hints.serialization().registerType(DefaultOidcUser.class);
		hints.serialization().registerType(OidcUserInfo.class);
		hints.serialization().registerType(OidcIdToken.class);
		hints.serialization().registerType(OidcUserAuthority.class);
		// the pending bind/register flow
		hints.serialization().registerType(PendingSocialFlow.class);
		hints.serialization().registerType(SocialFlowBranch.class);
		hints.serialization().registerType(VerificationChannel.class);
		hints.serialization().registerType(SocialFlowAuthenticationDetails.class);
		// a failed form login leaves its exception in the session (WebAttributes.AUTHENTICATION_EXCEPTION)
		hints.serialization().registerType(IdaasAuthenticationException.class);
		hints.serialization().registerType(IdaasApiException.class);
		hints.serialization().registerType(IdaasErrorCategory.class);
	}

}

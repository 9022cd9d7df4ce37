package dev.idaas.spring.autoconfigure;

import java.io.Serializable;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.idaas.spring.authentication.AppleUserName;
import dev.idaas.spring.authentication.IdaasAuthenticationException;
import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.authentication.IdaasSessionState;
import dev.idaas.spring.client.IdaasApiException;
import dev.idaas.spring.client.IdaasErrorCategory;
import dev.idaas.spring.client.SocialFlowBranch;
import dev.idaas.spring.web.flow.PendingSocialFlow;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link IdaasRuntimeHints}: one assertion per hint a native image needs.
 */
class IdaasRuntimeHintsTests {

	static final List<Class<? extends Serializable>> SESSION_TYPES = List.of(IdaasAuthenticationToken.class,
			IdaasSessionState.class, AppleUserName.class, PendingSocialFlow.class, SocialFlowBranch.class,
			DefaultOidcUser.class, OidcUserInfo.class, OidcIdToken.class, OidcUserAuthority.class,
			SimpleGrantedAuthority.class, WebAuthenticationDetails.class, String[].class, GrantedAuthority[].class,
			IdaasAuthenticationException.class, IdaasApiException.class, IdaasErrorCategory.class);

	private final RuntimeHints hints = new RuntimeHints();

	@BeforeEach
	void register() {
		new IdaasRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
	}

	@Test
	void aotFactoriesWhenLoadedThenRegistrarListed() {
		List<RuntimeHintsRegistrar> registrars = SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class);
		assertThat(registrars).hasAtLeastOneElementOfType(IdaasRuntimeHints.class);
	}

	@Test
	void registerHintsWhenCalledThenSerializedFormOfAuthenticationRegistered() throws Exception {
		// the type the token's writeReplace hands to the stream: must exist under that name
		Class<?> serializedForm = Class.forName(IdaasRuntimeHints.SERIALIZED_AUTHENTICATION);
		assertThat(RuntimeHintsPredicates.serialization().onType(TypeReference.of(serializedForm)))
			.accepts(this.hints);
	}

	@ParameterizedTest
	@FieldSource("SESSION_TYPES")
	void registerHintsWhenCalledThenSessionTypeRegisteredForSerialization(Class<?> type) {
		assertThat(RuntimeHintsPredicates.serialization().onType(type)).accepts(this.hints);
	}

	@Test
	void registerHintsWhenCalledThenUnrelatedTypeNotRegisteredForSerialization() {
		assertThat(RuntimeHintsPredicates.serialization().onType(java.util.Date.class)).rejects(this.hints);
	}

	@Test
	void registerHintsWhenCalledThenMessageBundleRegistered() {
		assertThat(RuntimeHintsPredicates.resource().forBundle("dev.idaas.spring.client.messages")).accepts(this.hints);
	}

	@ParameterizedTest
	@ValueSource(strings = { "dev/idaas/spring/client/messages.properties",
			"dev/idaas/spring/client/messages_zh.properties", "dev/idaas/spring/web/flow/page/slider.js",
			"dev/idaas/spring/web/flow/page/slider.css", "dev/idaas/spring/web/flow/page/page.css" })
	void registerHintsWhenCalledThenMessageResourceRegisteredAndOnClasspath(String resource) {
		assertThat(getClass().getClassLoader().getResource(resource)).as(resource + " exists").isNotNull();
		assertThat(RuntimeHintsPredicates.resource().forResource(resource)).accepts(this.hints);
	}

	@Test
	void registerHintsWhenCalledThenNoOtherResourceRegistered() {
		assertThat(RuntimeHintsPredicates.resource().forResource("dev/idaas/spring/client/secrets.txt"))
			.rejects(this.hints);
	}

	@ParameterizedTest
	@FieldSource("dev.idaas.spring.autoconfigure.IdaasRuntimeHints#JJWT_IMPLEMENTATION_TYPES")
	void registerHintsWhenCalledThenJjwtImplementationConstructible(String type) throws Exception {
		// every name must be a real class, or the hint is dead and the image fails at first login
		Class.forName(type, false, getClass().getClassLoader());
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(TypeReference.of(type))
			.withMemberCategory(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS)).accepts(this.hints);
	}

}

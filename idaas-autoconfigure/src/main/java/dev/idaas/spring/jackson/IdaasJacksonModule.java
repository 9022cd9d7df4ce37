package dev.idaas.spring.jackson;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.Version;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

import dev.idaas.spring.authentication.IdaasAuthenticationException;
import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.authentication.IdaasSessionState;
import dev.idaas.spring.web.flow.PendingSocialFlow;
import dev.idaas.spring.web.flow.SocialFlowAuthenticationDetails;

import org.springframework.security.jackson.SecurityJacksonModule;
import org.springframework.security.jackson.SecurityJacksonModules;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * Jackson 3 support for the starter's authentication, for sessions stored as JSON (e.g. Spring
 * Session Data Redis with a JSON serializer) instead of JDK serialization. It plugs in beside
 * Spring Security's own modules ({@link SecurityJacksonModules}): it registers mix-ins for
 * {@link IdaasAuthenticationToken}, {@link IdaasSessionState},
 * {@link IdaasAuthenticationException} (what a failed form login leaves in the session),
 * {@link PendingSocialFlow} (a bind, register or second-factor flow waiting for its code) and
 * {@link SocialFlowAuthenticationDetails}, and allows exactly those types in the polymorphic type
 * validator that Spring Security's modules share.
 * <p>
 * {@link #withSecurityModules(ClassLoader)} returns Spring Security's modules and this one with
 * one validator, ready for {@code JsonMapper.builder().addModules(...)}. The principal, a
 * {@code DefaultOidcUser}, is read by Spring Security's OAuth2 client module, so
 * {@code spring-security-oauth2-client} must be on the class path (the starter brings it):
 * <pre>
 * JsonMapper mapper = JsonMapper.builder()
 *     .addModules(IdaasJacksonModule.withSecurityModules(getClass().getClassLoader()))
 *     .build();
 * RedisSerializer&lt;Object&gt; serializer = new GenericJacksonJsonRedisSerializer(mapper);
 * </pre>
 * The JSON holds the session token and the id_token, as the JDK-serialized session does: the
 * session store is as sensitive as before.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see SecurityJacksonModules
 */
public class IdaasJacksonModule extends SecurityJacksonModule {

	private static final long serialVersionUID = 1L;

	private static final String OAUTH2_CLIENT_JACKSON_MODULE = "org.springframework.security.oauth2.client.jackson.OAuth2ClientJacksonModule";

	/**
	 * Creates the module.
	 */
	public IdaasJacksonModule() {
		super(IdaasJacksonModule.class.getName(), new Version(0, 1, 0, null, "dev.idaas", "idaas-autoconfigure"));
	}

	/**
	 * Returns Spring Security's Jackson modules for the classes on the class path, followed by
	 * this module, all sharing one polymorphic type validator that allows their types and ours.
	 * @param classLoader the class loader that finds Spring Security's modules
	 * @return the modules, to add to a {@code JsonMapper.Builder}
	 * @since 0.1
	 */
	public static List<JacksonModule> withSecurityModules(ClassLoader classLoader) {
		Assert.notNull(classLoader, "classLoader cannot be null");
		Assert.state(ClassUtils.isPresent(OAUTH2_CLIENT_JACKSON_MODULE, classLoader),
				"Sessions as JSON need spring-security-oauth2-client (the starter brings it): its Jackson module "
						+ "reads the OidcUser principal");
		BasicPolymorphicTypeValidator.Builder types = BasicPolymorphicTypeValidator.builder();
		IdaasJacksonModule idaas = new IdaasJacksonModule();
		// Spring Security's modules build the validator when the mapper is built: ours is in by then
		idaas.configurePolymorphicTypeValidator(types);
		List<JacksonModule> modules = new ArrayList<>(SecurityJacksonModules.getModules(classLoader, types));
		modules.add(idaas);
		return List.copyOf(modules);
	}

	@Override
	public void configurePolymorphicTypeValidator(BasicPolymorphicTypeValidator.Builder builder) {
		Assert.notNull(builder, "builder cannot be null");
		builder.allowIfSubType(IdaasAuthenticationToken.class)
			.allowIfSubType(IdaasSessionState.class)
			.allowIfSubType(IdaasAuthenticationException.class)
			.allowIfSubType(PendingSocialFlow.class)
			.allowIfSubType(SocialFlowAuthenticationDetails.class);
	}

	@Override
	public void setupModule(SetupContext context) {
		context.setMixIn(IdaasAuthenticationToken.class, IdaasAuthenticationTokenMixin.class);
		context.setMixIn(IdaasSessionState.class, IdaasSessionStateMixin.class);
		context.setMixIn(IdaasAuthenticationException.class, IdaasAuthenticationExceptionMixin.class);
		context.setMixIn(PendingSocialFlow.class, PendingSocialFlowMixin.class);
		context.setMixIn(SocialFlowAuthenticationDetails.class, SocialFlowAuthenticationDetailsMixin.class);
	}

}

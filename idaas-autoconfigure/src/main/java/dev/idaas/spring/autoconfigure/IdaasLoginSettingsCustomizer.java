package dev.idaas.spring.autoconfigure;

import dev.idaas.spring.config.IdaasLoginConfigurer;
import dev.idaas.spring.config.IdaasLoginConfigurerCustomizer;
import dev.idaas.spring.config.IdaasLoginSettings;

import org.springframework.core.Ordered;
import org.springframework.util.Assert;

/**
 * Applies the {@code idaas.*} login settings to every {@link IdaasLoginConfigurer}: the default
 * chain's and the application's own. Order {@code 0}, so the application's unordered
 * customizers, and each chain's own customizer, come after it and win.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
final class IdaasLoginSettingsCustomizer implements IdaasLoginConfigurerCustomizer, Ordered {

	private final IdaasLoginSettings settings;

	IdaasLoginSettingsCustomizer(IdaasLoginSettings settings) {
		Assert.notNull(settings, "settings cannot be null");
		this.settings = settings;
	}

	@Override
	public void customize(IdaasLoginConfigurer<?> login) {
		IdaasLoginSettings settings = this.settings;
		// the property names a page the starter generates unless the application maps it
		login.loginProcessingUrl(settings.processingUrl())
			.defaultLoginPage(settings.loginPage())
			.failureUrl(settings.failureUrl())
			.defaultSuccessUrl(settings.defaultSuccessUrl())
			.socialFlows((flows) -> flows.bindUrl(settings.bindUrl())
				.registerUrl(settings.registerUrl())
				.mfaUrl(settings.mfaUrl()));
		IdaasLoginSettings.Apple apple = settings.apple();
		if (apple != null) {
			login.appleWebFlow((web) -> {
				web.clientId(apple.clientId())
					.authorizeUri(apple.authorizeUri())
					.scope(apple.scope())
					.authorizationUrl(apple.authorizationUrl())
					.callbackUrl(apple.callbackUrl())
					.stateTimeout(apple.stateTimeout());
				if (apple.redirectUri() != null) {
					web.redirectUri(apple.redirectUri());
				}
				if (apple.stateSecret() != null) {
					web.stateSecret(apple.stateSecret());
				}
			});
		}
		if (settings.upstreamLogoutUri() != null) {
			login.logout((logout) -> logout.upstreamRedirect(settings.upstreamLogoutUri()));
		}
	}

	@Override
	public int getOrder() {
		return 0;
	}

}

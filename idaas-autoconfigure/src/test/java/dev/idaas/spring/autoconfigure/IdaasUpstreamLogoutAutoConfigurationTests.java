package dev.idaas.spring.autoconfigure;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.idaas.spring.client.IdaasLogoutClient;
import dev.idaas.spring.client.RestClientIdaasLogoutClient;
import dev.idaas.spring.config.IdaasLoginSettings;
import dev.idaas.spring.observation.ObservedIdaasLogoutClient;
import dev.idaas.spring.web.session.IdaasLogoutHandler;
import dev.idaas.spring.web.session.IdaasSessionTokenUpstreamLogout;
import dev.idaas.spring.web.session.IdaasUpstreamLogout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code idaas.logout.upstream.*} properties in {@link IdaasAutoConfiguration} and
 * {@link IdaasWebSecurityAutoConfiguration}.
 */
class IdaasUpstreamLogoutAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IdaasAutoConfiguration.class, IdaasWebSecurityAutoConfiguration.class,
				SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class))
		.withPropertyValues("idaas.base-url=https://tenant.idaas.example/", "idaas.client-id=client-123");

	@Test
	void upstreamLogoutWhenDefaultsThenOffEverywhere() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(IdaasLogoutClient.class);
			assertThat(context).doesNotHaveBean(IdaasUpstreamLogout.class);
			assertThat(context.getBean(IdaasLoginSettings.class).upstreamLogoutUri()).isNull();
			IdaasLogoutHandler handler = context.getBean(IdaasLogoutHandler.class);
			assertThat(ReflectionTestUtils.getField(handler, "upstreamLogout")).isNotInstanceOf(
					IdaasSessionTokenUpstreamLogout.class);
		});
	}

	@Test
	void upstreamLogoutWhenEnabledThenObservedClientWithTtlsAndHookOnTheLogoutHandler() {
		this.runner
			.withPropertyValues("idaas.logout.upstream.enabled=true", "idaas.logout.upstream.public-key-ttl=2h",
					"idaas.logout.upstream.server-time-ttl=5m")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).getBean(IdaasLogoutClient.class).isInstanceOf(ObservedIdaasLogoutClient.class);
				Object client = ReflectionTestUtils.getField(context.getBean(IdaasLogoutClient.class), "delegate");
				assertThat(client).isInstanceOf(RestClientIdaasLogoutClient.class);
				assertThat(ReflectionTestUtils.getField(client, "publicKeyTtl")).isEqualTo(Duration.ofHours(2));
				assertThat(ReflectionTestUtils.getField(client, "serverTimeTtl")).isEqualTo(Duration.ofMinutes(5));
				assertThat(context).getBean(IdaasUpstreamLogout.class)
					.isInstanceOf(IdaasSessionTokenUpstreamLogout.class);
				assertThat(ReflectionTestUtils.getField(context.getBean(IdaasLogoutHandler.class), "upstreamLogout"))
					.isSameAs(context.getBean(IdaasUpstreamLogout.class));
				assertThat(context.getBean(IdaasLoginSettings.class).upstreamLogoutUri()).isNull();
			});
	}

	@Test
	void upstreamLogoutWhenBrowserRedirectThenSettingsCarryTheWebLogoutEndpoint() {
		this.runner.withPropertyValues("idaas.logout.upstream.browser-redirect=true").run((context) -> {
			assertThat(context.getBean(IdaasLoginSettings.class).upstreamLogoutUri())
				.isEqualTo(URI.create("https://tenant.idaas.example/api/v1/logout"));
			assertThat(context).doesNotHaveBean(IdaasLogoutClient.class);
		});
	}

	@Test
	void upstreamLogoutWhenUserBeansThenTheyWin() {
		this.runner.withPropertyValues("idaas.logout.upstream.enabled=true")
			.withUserConfiguration(UserBeans.class)
			.run((context) -> {
				assertThat(context).getBean(IdaasLogoutClient.class).isSameAs(UserBeans.CLIENT);
				assertThat(context).getBean(IdaasUpstreamLogout.class).isSameAs(UserBeans.UPSTREAM);
				assertThat(ReflectionTestUtils.getField(context.getBean(IdaasLogoutHandler.class), "upstreamLogout"))
					.isSameAs(UserBeans.UPSTREAM);
			});
	}

	@Test
	void upstreamLogoutWhenTtlNotPositiveThenFailsAtStartup() {
		this.runner.withPropertyValues("idaas.logout.upstream.enabled=true", "idaas.logout.upstream.public-key-ttl=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOfSatisfying(IdaasConfigurationException.class, (ex) -> assertThat(ex.getProperty())
					.isEqualTo("idaas.logout.upstream.public-key-ttl")));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		static final IdaasLogoutClient CLIENT = (sessionToken, device) -> {
		};

		static final IdaasUpstreamLogout UPSTREAM = (authentication, request, response) -> {
		};

		@Bean
		IdaasLogoutClient userLogoutClient() {
			return CLIENT;
		}

		@Bean
		IdaasUpstreamLogout userUpstreamLogout() {
			return UPSTREAM;
		}

	}

}

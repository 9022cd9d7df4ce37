package dev.idaas.demo.web;

import java.time.Duration;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;

/**
 * English and Chinese pages: the language comes from {@code Accept-Language} until the user
 * picks one with {@code ?lang=en|zh}, which is then remembered in a cookie.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
@Configuration(proxyBeanMethods = false)
public class DemoWebConfiguration implements WebMvcConfigurer {

	/**
	 * The languages of the pages.
	 */
	static final List<Locale> SUPPORTED_LOCALES = List.of(Locale.ENGLISH, Locale.CHINESE);

	/**
	 * Resolves the locale from the {@code DEMO_LANG} cookie, else from {@code Accept-Language}
	 * among the supported languages, else English.
	 * @return the resolver, named {@code localeResolver} as Spring MVC expects
	 */
	@Bean
	LocaleResolver localeResolver() {
		CookieLocaleResolver resolver = new CookieLocaleResolver("DEMO_LANG");
		resolver.setCookieMaxAge(Duration.ofDays(365));
		resolver.setCookieSameSite("Lax");
		resolver.setDefaultLocaleFunction((request) -> {
			for (Enumeration<Locale> locales = request.getLocales(); locales.hasMoreElements();) {
				Locale candidate = locales.nextElement();
				for (Locale supported : SUPPORTED_LOCALES) {
					if (supported.getLanguage().equals(candidate.getLanguage())) {
						return supported;
					}
				}
			}
			return Locale.ENGLISH;
		});
		return resolver;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		LocaleChangeInterceptor interceptor = new LocaleChangeInterceptor();
		interceptor.setParamName("lang");
		interceptor.setIgnoreInvalidLocale(true);
		registry.addInterceptor(interceptor);
	}

}

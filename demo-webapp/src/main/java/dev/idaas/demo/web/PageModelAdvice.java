package dev.idaas.demo.web;

import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;

import dev.idaas.demo.simulator.EmbeddedIdaasSimulatorEnvironmentPostProcessor;

import org.springframework.context.ApplicationContext;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * What every page's header needs: the current language and links that switch it while
 * keeping the page and its parameters.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
@ControllerAdvice(assignableTypes = { LoginController.class, ProfileController.class, SocialFlowController.class })
class PageModelAdvice {

	private final boolean simulatorEmbedded;

	PageModelAdvice(ApplicationContext context) {
		this.simulatorEmbedded = context.containsBean(EmbeddedIdaasSimulatorEnvironmentPostProcessor.BEAN_NAME);
	}

	@ModelAttribute("simulatorEmbedded")
	boolean simulatorEmbedded() {
		return this.simulatorEmbedded;
	}

	@ModelAttribute("lang")
	String lang() {
		Locale locale = LocaleContextHolder.getLocale();
		return Locale.CHINESE.getLanguage().equals(locale.getLanguage()) ? "zh" : "en";
	}

	@ModelAttribute("switchToZh")
	String switchToZh(HttpServletRequest request) {
		return switchLanguage(request, "zh");
	}

	@ModelAttribute("switchToEn")
	String switchToEn(HttpServletRequest request) {
		return switchLanguage(request, "en");
	}

	private static String switchLanguage(HttpServletRequest request, String lang) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		return UriComponentsBuilder.fromPath(path)
			.query(request.getQueryString())
			.replaceQueryParam("lang", lang)
			.build()
			.toUriString();
	}

}

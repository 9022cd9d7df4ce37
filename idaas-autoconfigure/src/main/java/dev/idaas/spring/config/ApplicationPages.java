package dev.idaas.spring.config;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationContext;
import org.springframework.util.ClassUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Whether the application maps a page of its own at a path (a {@code @RequestMapping} with
 * exactly that pattern), so that the starter's default page steps aside.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
final class ApplicationPages {

	private static final boolean WEB_MVC_PRESENT = ClassUtils.isPresent(
			"org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping",
			ApplicationPages.class.getClassLoader());

	private ApplicationPages() {
	}

	static boolean serves(@Nullable ApplicationContext context, String path) {
		if (context == null || !WEB_MVC_PRESENT) {
			return false;
		}
		for (RequestMappingHandlerMapping mapping : context.getBeanProvider(RequestMappingHandlerMapping.class)) {
			for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
				if (entry.getKey().getPatternValues().contains(path)) {
					return true;
				}
			}
		}
		return false;
	}

}

package dev.idaas.spring.web.flow.page;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.DigestUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Serves the slider captcha script and style of the bind, register and second-factor pages from
 * the starter's jar, in the security filter chain like Spring Security's
 * {@code DefaultResourcesFilter}, so they need no static-resource mapping and no
 * {@code permitAll}:
 * <ul>
 * <li>{@value #SLIDER_SCRIPT}: fetches a puzzle from {@code {url}/captcha}, lets the user drag
 * the piece (mouse, touch, pen or arrow keys) and puts {@code captcha_x} into the form;</li>
 * <li>{@value #SLIDER_STYLE}: its look;</li>
 * <li>{@value #PAGE_STYLE}: the look of the starter's default pages.</li>
 * </ul>
 * The script has no inline parts and no {@code eval}: it works under
 * {@code script-src 'self'; style-src 'self'; img-src 'self' data:}. Answers carry an
 * {@code ETag} and are revalidated ({@code Cache-Control: no-cache}), so an upgrade of the
 * starter is seen at once.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSocialFlowPageGeneratingFilter
 */
public final class IdaasSocialFlowResourcesFilter extends OncePerRequestFilter {

	/**
	 * The path under which the resources are served.
	 */
	public static final String ASSETS_PATH = "/idaas/assets";

	/**
	 * The slider captcha script.
	 */
	public static final String SLIDER_SCRIPT = ASSETS_PATH + "/slider.js";

	/**
	 * The slider captcha style.
	 */
	public static final String SLIDER_STYLE = ASSETS_PATH + "/slider.css";

	/**
	 * The style of the default pages.
	 */
	public static final String PAGE_STYLE = ASSETS_PATH + "/page.css";

	/**
	 * Where the files are in the jar.
	 */
	static final String RESOURCE_LOCATION = "dev/idaas/spring/web/flow/page/";

	private static final Map<String, Asset> ASSETS = Map.of(SLIDER_SCRIPT,
			Asset.load("slider.js", "text/javascript;charset=UTF-8"), SLIDER_STYLE,
			Asset.load("slider.css", "text/css;charset=UTF-8"), PAGE_STYLE,
			Asset.load("page.css", "text/css;charset=UTF-8"));

	private final RequestMatcher assets = PathPatternRequestMatcher.withDefaults()
		.matcher(HttpMethod.GET, ASSETS_PATH + "/*");

	/**
	 * Creates the filter.
	 */
	public IdaasSocialFlowResourcesFilter() {
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Asset asset = this.assets.matches(request)
				? ASSETS.get(request.getRequestURI().substring(request.getContextPath().length())) : null;
		if (asset == null) {
			chain.doFilter(request, response);
			return;
		}
		response.setHeader("ETag", asset.etag());
		response.setHeader("Cache-Control", "no-cache");
		if (asset.etag().equals(request.getHeader("If-None-Match"))) {
			response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
			return;
		}
		response.setContentType(asset.contentType());
		response.setContentLength(asset.content().length);
		response.getOutputStream().write(asset.content());
	}

	private record Asset(byte[] content, String contentType, String etag) {

		static Asset load(String name, String contentType) {
			try (InputStream in = new ClassPathResource(RESOURCE_LOCATION + name,
					IdaasSocialFlowResourcesFilter.class.getClassLoader())
				.getInputStream()) {
				byte[] content = in.readAllBytes();
				return new Asset(content, contentType, "\"" + DigestUtils.md5DigestAsHex(content) + "\"");
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Missing " + RESOURCE_LOCATION + name, ex);
			}
		}

	}

}

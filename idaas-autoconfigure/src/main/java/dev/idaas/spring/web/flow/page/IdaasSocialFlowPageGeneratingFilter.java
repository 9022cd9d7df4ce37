package dev.idaas.spring.web.flow.page;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import dev.idaas.spring.client.IdaasErrorCodes;
import dev.idaas.spring.client.IdaasErrorMessages;
import dev.idaas.spring.client.SocialFlowBranch;
import dev.idaas.spring.web.LastAuthenticationFailure;
import dev.idaas.spring.web.flow.IdaasSocialFlowFilter;
import dev.idaas.spring.web.flow.PendingSocialFlowView;

import org.springframework.context.MessageSource;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.Assert;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.HtmlUtils;

/**
 * Serves default bind, register and second-factor pages for applications that have none of their
 * own, as Spring Security's {@code DefaultLoginPageGeneratingFilter} does for the login page.
 * {@code GET {url}} is answered with a page, in English or Chinese after the request's locale,
 * that holds:
 * <ul>
 * <li>a form posting to {@code {url}/code}: the allowed methods and the phone number or email
 * address (bind, register) or the masked number on file (second factor), the slider captcha of
 * {@link IdaasSocialFlowResourcesFilter#SLIDER_SCRIPT}, which fills {@code captcha_x}, and a
 * "Send code" button enabled once the piece is dropped;</li>
 * <li>a form posting to {@code {url}} with the verification code;</li>
 * <li>the localized message of {@code ?error&code=..} (for a code the starter does not know,
 * once, the vendor's own words kept by {@link LastAuthenticationFailure}), a notice after
 * {@code ?sent}, the wrong codes left and, when the last code was sent too recently, when the
 * next one can be sent.</li>
 * </ul>
 * Both forms carry the CSRF token. The pending flow is read from the request attribute
 * {@value IdaasSocialFlowFilter#PENDING_FLOW_ATTRIBUTE}, set by the flow endpoints earlier in the
 * chain; without a pending flow of the page's branch the page says so and links to the login
 * page. Every text is HTML-escaped; the page has no inline script or style.
 * <p>
 * Texts come from the starter's bundle {@link IdaasErrorMessages#BUNDLE_BASENAME} (keys
 * {@code idaas.page.*}); error texts from {@link IdaasErrorMessages}.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSocialFlowResourcesFilter
 */
public final class IdaasSocialFlowPageGeneratingFilter extends OncePerRequestFilter {

	private static final List<String> METHODS = List.of("VERIFY_PHONE", "VERIFY_EMAIL");

	private final Map<SocialFlowBranch, String> pageUrls;

	private final Map<SocialFlowBranch, RequestMatcher> pages;

	private final String loginPage;

	private final IdaasErrorMessages errorMessages;

	private MessageSource messageSource = defaultMessageSource();

	private Clock clock = Clock.systemUTC();

	/**
	 * Creates a filter.
	 * @param pageUrls the pages to serve, by branch, e.g. {@code SOCIAL_BIND -> /idaas/bind}; leave
	 * out those the application serves itself
	 * @param loginPage the login page, linked when nothing is pending
	 * @param errorMessages the localized error texts
	 */
	public IdaasSocialFlowPageGeneratingFilter(Map<SocialFlowBranch, String> pageUrls, String loginPage,
			IdaasErrorMessages errorMessages) {
		Assert.notNull(pageUrls, "pageUrls cannot be null");
		Assert.hasText(loginPage, "loginPage cannot be empty");
		Assert.notNull(errorMessages, "errorMessages cannot be null");
		this.pageUrls = new EnumMap<>(SocialFlowBranch.class);
		this.pages = new EnumMap<>(SocialFlowBranch.class);
		pageUrls.forEach((branch, url) -> {
			Assert.notNull(branch, "branch cannot be null");
			Assert.hasText(url, "pageUrl cannot be empty");
			this.pageUrls.put(branch, url);
			this.pages.put(branch, PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, url));
		});
		this.loginPage = loginPage;
		this.errorMessages = errorMessages;
	}

	/**
	 * Sets the source of the page texts (keys {@code idaas.page.*}); defaults to the starter's
	 * bundle.
	 * @param messageSource the source
	 */
	public void setMessageSource(MessageSource messageSource) {
		Assert.notNull(messageSource, "messageSource cannot be null");
		this.messageSource = messageSource;
	}

	/**
	 * Sets the clock that tells how long until the next code can be sent.
	 * @param clock the clock
	 */
	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		SocialFlowBranch branch = matchingBranch(request);
		if (branch == null) {
			chain.doFilter(request, response);
			return;
		}
		byte[] html = new Page(request, branch).render().getBytes(StandardCharsets.UTF_8);
		response.setContentType(MediaType.TEXT_HTML_VALUE + ";charset=UTF-8");
		response.setHeader("Cache-Control", "no-store");
		response.setContentLength(html.length);
		response.getOutputStream().write(html);
	}

	private @Nullable SocialFlowBranch matchingBranch(HttpServletRequest request) {
		for (Map.Entry<SocialFlowBranch, RequestMatcher> page : this.pages.entrySet()) {
			if (page.getValue().matches(request)) {
				return page.getKey();
			}
		}
		return null;
	}

	private static MessageSource defaultMessageSource() {
		ResourceBundleMessageSource messageSource = new ResourceBundleMessageSource();
		messageSource.setBasename(IdaasErrorMessages.BUNDLE_BASENAME);
		messageSource.setDefaultEncoding("UTF-8");
		messageSource.setFallbackToSystemLocale(false);
		messageSource.setBundleClassLoader(IdaasSocialFlowPageGeneratingFilter.class.getClassLoader());
		return messageSource;
	}

	/**
	 * One page being written.
	 */
	private final class Page {

		private final HttpServletRequest request;

		private final SocialFlowBranch branch;

		private final String key;

		private final Locale locale;

		private final StringBuilder html = new StringBuilder(4096);

		Page(HttpServletRequest request, SocialFlowBranch branch) {
			this.request = request;
			this.branch = branch;
			this.key = switch (branch) {
				case SOCIAL_BIND -> "bind";
				case USER_REGISTER -> "register";
				case MFA_AUTH -> "mfa";
			};
			this.locale = request.getLocale();
		}

		String render() {
			String context = this.request.getContextPath();
			String url = context + IdaasSocialFlowPageGeneratingFilter.this.pageUrls.get(this.branch);
			this.html.append("<!DOCTYPE html>\n<html lang=\"")
				.append(escape(this.locale.getLanguage().isEmpty() ? "en" : this.locale.getLanguage()))
				.append("\">\n<head>\n<meta charset=\"utf-8\">\n")
				.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
				.append(text("idaas.page." + this.key + ".title"))
				.append("</title>\n");
			stylesheet(context + IdaasSocialFlowResourcesFilter.PAGE_STYLE);
			stylesheet(context + IdaasSocialFlowResourcesFilter.SLIDER_STYLE);
			this.html.append("<script src=\"")
				.append(escape(context + IdaasSocialFlowResourcesFilter.SLIDER_SCRIPT))
				.append("\" defer></script>\n</head>\n<body class=\"idaas-page\">\n<main id=\"idaas-")
				.append(this.key)
				.append("-page\">\n<h1>")
				.append(text("idaas.page." + this.key + ".title"))
				.append("</h1>\n");
			error();
			PendingSocialFlowView flow = (this.request
				.getAttribute(IdaasSocialFlowFilter.PENDING_FLOW_ATTRIBUTE) instanceof PendingSocialFlowView view
					&& view.branch() == this.branch) ? view : null;
			if (flow == null) {
				this.html.append("<p id=\"idaas-no-pending-flow\">")
					.append(text("idaas.page.none"))
					.append("</p>\n<p><a id=\"idaas-sign-in\" href=\"")
					.append(escape(context + IdaasSocialFlowPageGeneratingFilter.this.loginPage))
					.append("\">")
					.append(text("idaas.page.signIn"))
					.append("</a></p>\n");
			}
			else {
				forms(flow, url);
			}
			this.html.append("</main>\n</body>\n</html>\n");
			return this.html.toString();
		}

		private void stylesheet(String href) {
			this.html.append("<link rel=\"stylesheet\" href=\"").append(escape(href)).append("\">\n");
		}

		private void error() {
			if (this.request.getParameter("error") == null) {
				return;
			}
			String code = this.request.getParameter("code");
			String errorCode = (code != null && IdaasErrorCodes.isWellFormed(code)) ? code
					: IdaasErrorCodes.UNKNOWN_ERROR;
			// the vendor's words come from the session, once, never from the URL
			this.html.append("<div id=\"idaas-error\" class=\"alert error\" role=\"alert\">")
				.append(escape(LastAuthenticationFailure.takeMessage(this.request, errorCode,
						IdaasSocialFlowPageGeneratingFilter.this.errorMessages, this.locale)))
				.append(" <code id=\"idaas-error-code\">")
				.append(escape(errorCode))
				.append("</code></div>\n");
		}

		private void forms(PendingSocialFlowView flow, String url) {
			boolean mfa = this.branch == SocialFlowBranch.MFA_AUTH;
			this.html.append("<p class=\"muted\">").append(text("idaas.page." + this.key + ".intro")).append("</p>\n");
			if (this.request.getParameter("sent") != null) {
				this.html.append("<div id=\"idaas-sent\" class=\"alert info\" role=\"status\">")
					.append(text("idaas.page.sent"))
					.append("</div>\n");
			}
			List<String> methods = METHODS.stream().filter(flow::allows).toList();
			if (methods.isEmpty()) {
				methods = List.of(METHODS.get(0));
			}
			// 1. the code: method, target (or the number on file), slider, send
			this.html.append("<form id=\"idaas-send-code-form\" method=\"post\" action=\"")
				.append(escape(url + IdaasSocialFlowFilter.CODE_PATH))
				.append("\">\n<h2>")
				.append(text("idaas.page.step1"))
				.append("</h2>\n");
			csrf();
			methods(methods);
			if (mfa) {
				String masked = flow.mobile();
				if (masked != null) {
					this.html.append("<p id=\"idaas-mfa-target\">")
						.append(text("idaas.page.mfa.target", masked))
						.append("</p>\n");
				}
			}
			else {
				this.html.append("<label for=\"idaas-target\">")
					.append(text("idaas.page.target"))
					.append("</label>\n<input id=\"idaas-target\" name=\"target\" type=\"text\" required maxlength=\"254\" autocomplete=\"tel email\">\n");
			}
			this.html.append("<div class=\"idaas-slider\" id=\"idaas-slider\" data-captcha-url=\"")
				.append(escape(url + IdaasSocialFlowFilter.CAPTCHA_PATH))
				.append('"');
			for (String name : List.of("hint", "loading", "error", "refresh", "done")) {
				this.html.append(" data-text-").append(name).append("=\"").append(text("idaas.page.slider." + name))
					.append('"');
			}
			this.html.append("></div>\n<noscript><p class=\"alert error\">")
				.append(text("idaas.page.noscript"))
				.append("</p></noscript>\n<input type=\"hidden\" name=\"captcha_x\" id=\"idaas-captcha-x\">\n");
			long wait = Duration.between(IdaasSocialFlowPageGeneratingFilter.this.clock.instant(), flow.canResendAt())
				.toSeconds();
			if (wait > 0) {
				this.html.append("<p id=\"idaas-resend-at\" class=\"muted\">")
					.append(text("idaas.page.resendAt", wait))
					.append("</p>\n");
			}
			this.html.append("<button id=\"idaas-send-code\" type=\"submit\" data-idaas-needs-slide disabled>")
				.append(text("idaas.page.sendCode"))
				.append("</button>\n</form>\n");
			// 2. the code the user received
			this.html.append("<form id=\"idaas-verify-form\" method=\"post\" action=\"").append(escape(url)).append('"');
			if (!mfa) {
				this.html.append(" data-idaas-copy-from=\"idaas-send-code-form\"");
			}
			this.html.append(">\n<h2>").append(text("idaas.page.step2")).append("</h2>\n");
			csrf();
			if (!mfa) {
				this.html.append("<input type=\"hidden\" name=\"method\" value=\"")
					.append(escape(methods.get(0)))
					.append("\">\n<input type=\"hidden\" name=\"target\" value=\"\">\n");
			}
			this.html.append("<label for=\"idaas-verify-code\">")
				.append(text("idaas.page.code"))
				.append("</label>\n<input id=\"idaas-verify-code\" name=\"verify_code\" type=\"text\" inputmode=\"numeric\" autocomplete=\"one-time-code\" required maxlength=\"32\">\n<p id=\"idaas-attempts\" class=\"muted\">")
				.append(text("idaas.page.attempts", flow.attemptsRemaining()))
				.append("</p>\n<button id=\"idaas-verify\" type=\"submit\">")
				.append(text("idaas.page." + this.key + ".submit"))
				.append("</button>\n</form>\n");
		}

		private void methods(List<String> methods) {
			if (methods.size() == 1) {
				this.html.append("<input type=\"hidden\" name=\"method\" value=\"")
					.append(escape(methods.get(0)))
					.append("\">\n");
				return;
			}
			this.html.append("<fieldset id=\"idaas-methods\"><legend>").append(text("idaas.page.method")).append("</legend>\n");
			for (int i = 0; i < methods.size(); i++) {
				String method = methods.get(i);
				this.html.append("<label><input type=\"radio\" name=\"method\" id=\"idaas-method-")
					.append(escape(method))
					.append("\" value=\"")
					.append(escape(method))
					.append('"')
					.append((i == 0) ? " checked" : "")
					.append("> ")
					.append(text("idaas.page.method." + method))
					.append("</label>\n");
			}
			this.html.append("</fieldset>\n");
		}

		private void csrf() {
			if (this.request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token) {
				this.html.append("<input type=\"hidden\" name=\"")
					.append(escape(token.getParameterName()))
					.append("\" value=\"")
					.append(escape(token.getToken()))
					.append("\">\n");
			}
		}

		private String text(String code, Object... args) {
			String text = IdaasSocialFlowPageGeneratingFilter.this.messageSource.getMessage(code,
					(args.length > 0) ? args : null, code, this.locale);
			return escape((text != null) ? text : code);
		}

	}

	private static String escape(String value) {
		return HtmlUtils.htmlEscape(value, StandardCharsets.UTF_8.name());
	}

}

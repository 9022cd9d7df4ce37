package dev.idaas.demo.web;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.idaas.spring.client.IdaasErrorCodes;
import dev.idaas.spring.client.IdaasErrorMessages;
import dev.idaas.spring.client.SocialFlowBranch;
import dev.idaas.spring.web.LastAuthenticationFailure;
import dev.idaas.spring.web.flow.PendingSocialFlow;
import dev.idaas.spring.web.flow.IdaasSocialFlowFilter;
import dev.idaas.spring.web.flow.PendingSocialFlowRepository;
import dev.idaas.spring.web.flow.PendingSocialFlowView;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The pages that finish a {@code SOCIAL_BIND}, {@code USER_REGISTER} or {@code MFA_AUTH}
 * answer: the user solves the slider puzzle (the starter's {@code /idaas/assets/slider.js}),
 * proves a phone number or email with a code (for a second factor: the number on file), and the
 * starter's endpoints ({@code GET .../captcha}, {@code POST .../code}, {@code POST ...}) bind,
 * register or confirm the Apple identity and sign the user in.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
@Controller
class SocialFlowController {

	private final PendingSocialFlowRepository pendingFlows;

	private final IdaasErrorMessages errorMessages;

	private final Clock clock = Clock.systemUTC();

	SocialFlowController(PendingSocialFlowRepository pendingFlows, IdaasErrorMessages errorMessages) {
		Assert.notNull(pendingFlows, "pendingFlows cannot be null");
		Assert.notNull(errorMessages, "errorMessages cannot be null");
		this.pendingFlows = pendingFlows;
		this.errorMessages = errorMessages;
	}

	@GetMapping("/idaas/bind")
	String bind(HttpServletRequest request, @RequestParam(name = "error", required = false) @Nullable String error,
			@RequestParam(name = "code", required = false) @Nullable String code, Locale locale, Model model) {
		return page(SocialFlowBranch.SOCIAL_BIND, "/idaas/bind", request, error, code, locale, model);
	}

	@GetMapping("/idaas/register")
	String register(HttpServletRequest request,
			@RequestParam(name = "error", required = false) @Nullable String error,
			@RequestParam(name = "code", required = false) @Nullable String code, Locale locale, Model model) {
		return page(SocialFlowBranch.USER_REGISTER, "/idaas/register", request, error, code, locale, model);
	}

	@GetMapping("/idaas/mfa")
	String mfa(HttpServletRequest request, @RequestParam(name = "error", required = false) @Nullable String error,
			@RequestParam(name = "code", required = false) @Nullable String code, Locale locale, Model model) {
		return page(SocialFlowBranch.MFA_AUTH, "/idaas/mfa", request, error, code, locale, model);
	}

	private String page(SocialFlowBranch branch, String action, HttpServletRequest request, @Nullable String error,
			@Nullable String code, Locale locale, Model model) {
		model.addAttribute("kind", switch (branch) {
			case SOCIAL_BIND -> "bind";
			case USER_REGISTER -> "register";
			case MFA_AUTH -> "mfa";
		});
		if (error != null) {
			// also on the "nothing pending" page: a flow ended by too many wrong codes says why
			model.addAttribute("error", true);
			// for a code the starter does not know, the vendor's own words, once, from the session
			if (code != null && IdaasErrorCodes.isWellFormed(code)) {
				model.addAttribute("errorCode", code);
				model.addAttribute("errorText",
						LastAuthenticationFailure.takeMessage(request, code, this.errorMessages, locale));
			}
		}
		// the starter's filter exposes the pending flow to the page; the repository keeps Apple's name
		if (!(request.getAttribute(IdaasSocialFlowFilter.PENDING_FLOW_ATTRIBUTE) instanceof PendingSocialFlowView flow)
				|| flow.branch() != branch) {
			return "no-pending-flow";
		}
		List<VerificationMethod> methods = new ArrayList<>();
		for (VerificationMethod candidate : VerificationMethod.values()) {
			if (flow.allows(candidate.flow())) {
				methods.add(candidate);
			}
		}
		VerificationMethod chosen = methods.isEmpty() ? VerificationMethod.PHONE : methods.get(0);
		model.addAttribute("methods", methods);
		model.addAttribute("method", chosen);
		model.addAttribute("phoneAllowed", methods.contains(VerificationMethod.PHONE));
		model.addAttribute("emailAllowed", methods.contains(VerificationMethod.EMAIL));
		model.addAttribute("action", action);
		model.addAttribute("sendCodeAction", action + IdaasSocialFlowFilter.CODE_PATH);
		model.addAttribute("captchaUrl", action + IdaasSocialFlowFilter.CAPTCHA_PATH);
		model.addAttribute("mfa", branch == SocialFlowBranch.MFA_AUTH);
		model.addAttribute("mobile", flow.mobile());
		long resendIn = Duration.between(this.clock.instant(), flow.canResendAt()).toSeconds();
		model.addAttribute("resendIn", (resendIn > 0) ? resendIn : null);
		model.addAttribute("target", "");
		model.addAttribute("sent", request.getParameter("sent") != null);
		model.addAttribute("attemptsRemaining", flow.attemptsRemaining());
		PendingSocialFlow stored = this.pendingFlows.load(request);
		if (stored != null && stored.appleUserName() != null && stored.appleUserName().fullName() != null) {
			// from the unsigned user field of Apple's callback: shown as a hint, labelled unverified
			model.addAttribute("appleName", stored.appleUserName().fullName());
		}
		return "social-flow";
	}

	/**
	 * A way to prove who one is: the {@code method} value the starter's endpoints take (the
	 * tenant's flow name) and the name used for ids and message keys.
	 */
	enum VerificationMethod {

		PHONE("VERIFY_PHONE", "phone"), EMAIL("VERIFY_EMAIL", "email");

		private final String flow;

		private final String key;

		VerificationMethod(String flow, String key) {
			this.flow = flow;
			this.key = key;
		}

		public String flow() {
			return this.flow;
		}

		public String key() {
			return this.key;
		}

	}

}

package dev.idaas.spring.web.apple;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.idaas.spring.client.IdaasErrorCodes;
import dev.idaas.spring.authentication.AppleAuthorizationCodeAuthenticationToken;
import dev.idaas.spring.authentication.AppleUserName;
import dev.idaas.spring.authentication.UnverifiedAppleUserInfoReceivedEvent;
import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.authentication.IdaasAuthenticationException;
import dev.idaas.spring.client.DeviceContext;
import dev.idaas.spring.client.IdaasErrorCategory;
import dev.idaas.spring.web.DeviceContextResolver;
import dev.idaas.spring.web.IdaasLoginDefaults;
import dev.idaas.spring.web.IdaasLoginAuthenticationFilter;
import dev.idaas.spring.web.LocalRedirects;

import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.authentication.AbstractAuthenticationProcessingFilter;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.util.Assert;

/**
 * Receives Apple's {@code form_post} ({@code POST /login/idaas/apple/callback}): the one form
 * endpoint exempt from CSRF tokens, protected by the {@code state} that must match the state
 * cookie exactly once and be bound to this browser. A {@code code} signs the user in through
 * IDaaS; Apple's {@code error=user_cancelled_authorize} sends the browser back to the login
 * page. The {@code user} field Apple sends on the very first sign-in is unsigned and chosen by
 * whoever posts the form: it is kept, labelled unverified, as {@code apple_unverified_*}
 * claims for this session and an {@link UnverifiedAppleUserInfoReceivedEvent}.
 * <p>
 * Being cross-site, the callback carries no {@code SameSite=Lax} device cookie either: the
 * device fingerprint IDaaS sees is the one recorded in the state when the authorization started
 * ({@link DeviceContextResolver#resolve(HttpServletRequest, HttpServletResponse, String)}), so
 * one browser presents the same fingerprint on every Apple sign-in and keeps its device cookie.
 * A state without one (issued before fingerprints were recorded) resolves the device from the
 * callback request.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see AppleAuthorizationRequestRedirectFilter
 */
public class AppleCallbackAuthenticationFilter extends AbstractAuthenticationProcessingFilter {

	/**
	 * Error code of a missing, mismatched, expired or replayed state.
	 */
	public static final String INVALID_STATE = IdaasErrorCodes.INVALID_STATE;

	private static final String TARGET_ATTRIBUTE = AppleCallbackAuthenticationFilter.class.getName() + ".TARGET";

	private static final int MAX_USER_JSON = 2048;

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private final DeviceContextResolver deviceContextResolver;

	private final AppleAuthorizationStateCookieRepository stateRepository;

	private String cancelUrl = IdaasLoginDefaults.LOGIN_PAGE;

	private RedirectStrategy redirectStrategy = new DefaultRedirectStrategy();

	/**
	 * Creates a filter on {@code POST callbackUrl}.
	 * @param callbackUrl the callback path
	 * @param authenticationManager the authentication manager
	 * @param deviceContextResolver resolves the user's device facts
	 * @param stateRepository checks and consumes the state
	 */
	public AppleCallbackAuthenticationFilter(String callbackUrl, AuthenticationManager authenticationManager,
			DeviceContextResolver deviceContextResolver, AppleAuthorizationStateCookieRepository stateRepository) {
		super(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, callbackUrl), authenticationManager);
		Assert.notNull(deviceContextResolver, "deviceContextResolver cannot be null");
		Assert.notNull(stateRepository, "stateRepository cannot be null");
		this.deviceContextResolver = deviceContextResolver;
		this.stateRepository = stateRepository;
	}

	/**
	 * Sets where a browser goes when the user cancels at Apple (default {@code /login}).
	 * @param cancelUrl a local path
	 */
	public void setCancelUrl(String cancelUrl) {
		Assert.isTrue(LocalRedirects.isLocal(cancelUrl), "cancelUrl must be a local path");
		this.cancelUrl = cancelUrl;
	}

	/**
	 * Sets the redirect strategy.
	 * @param redirectStrategy the strategy
	 */
	public void setRedirectStrategy(RedirectStrategy redirectStrategy) {
		Assert.notNull(redirectStrategy, "redirectStrategy cannot be null");
		this.redirectStrategy = redirectStrategy;
	}

	@Override
	public void setAuthenticationSuccessHandler(AuthenticationSuccessHandler successHandler) {
		Assert.notNull(successHandler, "successHandler cannot be null");
		super.setAuthenticationSuccessHandler((request, response, authentication) -> {
			Object target = request.getAttribute(TARGET_ATTRIBUTE);
			if (target instanceof String path) {
				this.redirectStrategy.sendRedirect(request, response, path);
				return;
			}
			successHandler.onAuthenticationSuccess(request, response, authentication);
		});
	}

	@Override
	public @Nullable Authentication attemptAuthentication(HttpServletRequest request, HttpServletResponse response)
			throws AuthenticationException, IOException, ServletException {
		AppleAuthorizationState state = this.stateRepository.consume(request.getParameter("state"), request,
				response);
		if (state == null) {
			throw new IdaasAuthenticationException(INVALID_STATE, "The sign-in request is missing, expired or reused",
					IdaasErrorCategory.INVALID_REQUEST, null);
		}
		if (request.getParameter("error") != null) {
			this.redirectStrategy.sendRedirect(request, response, this.cancelUrl);
			return null;
		}
		String code = IdaasLoginAuthenticationFilter.validCode(request.getParameter("code"));
		if (state.targetPath() != null) {
			request.setAttribute(TARGET_ATTRIBUTE, state.targetPath());
		}
		String fingerprint = state.deviceFingerprint();
		DeviceContext device = (fingerprint != null)
				? this.deviceContextResolver.resolve(request, response, fingerprint)
				: this.deviceContextResolver.resolve(request, response);
		AppleAuthorizationCodeAuthenticationToken token = new AppleAuthorizationCodeAuthenticationToken(code, device,
				appleUserName(request.getParameter("user")));
		token.setDetails(this.authenticationDetailsSource.buildDetails(request));
		Authentication result = getAuthenticationManager().authenticate(token);
		AppleUserName name = token.getAppleUserName();
		if (name != null && this.eventPublisher != null && result instanceof IdaasAuthenticationToken signedIn) {
			this.eventPublisher.publishEvent(new UnverifiedAppleUserInfoReceivedEvent(signedIn, name));
		}
		return result;
	}

	/**
	 * Reads Apple's {@code user} field,
	 * {@code {"name":{"firstName":..,"lastName":..},"email":..}}; anything else is ignored.
	 * @param json the field
	 * @return the name, or {@code null}
	 */
	static @Nullable AppleUserName appleUserName(@Nullable String json) {
		if (json == null || json.isBlank() || json.length() > MAX_USER_JSON) {
			return null;
		}
		try {
			JsonNode user = mapper.readTree(json);
			JsonNode name = user.path("name");
			AppleUserName result = new AppleUserName(text(name.path("firstName")), text(name.path("lastName")),
					text(user.path("email")));
			return (result.fullName() != null || result.email() != null) ? result : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private static @Nullable String text(JsonNode node) {
		if (!node.isString()) {
			return null;
		}
		String value = node.stringValue().strip();
		return (value.isEmpty() || value.length() > 256) ? null : value;
	}

}

package dev.idaas.spring.web;

import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.idaas.spring.client.IdaasErrorCodes;
import dev.idaas.spring.authentication.AppleAuthorizationCodeAuthenticationToken;
import dev.idaas.spring.authentication.IdaasAuthenticationException;
import dev.idaas.spring.client.IdaasErrorCategory;

import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AbstractAuthenticationProcessingFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.util.Assert;

/**
 * Accepts an Apple authorization code and signs the user in through IDaaS:
 * {@code POST /login/idaas/apple} with a JSON body {@code {"code":".."}} (native apps and
 * popup pages; exempt from CSRF tokens because a cross-site page cannot send JSON without
 * CORS) or a form field {@code code} (CSRF token required).
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see dev.idaas.spring.authentication.IdaasAppleAuthenticationProvider
 */
public class IdaasLoginAuthenticationFilter extends AbstractAuthenticationProcessingFilter {

	/**
	 * Error code of a missing, oversized or malformed code.
	 */
	public static final String INVALID_CODE = IdaasErrorCodes.INVALID_CODE;

	static final int MAX_CODE_LENGTH = 4096;

	static final int MAX_BODY_BYTES = 8192;

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private final DeviceContextResolver deviceContextResolver;

	/**
	 * Creates a filter on {@code POST /login/idaas/apple}.
	 * @param authenticationManager the authentication manager
	 * @param deviceContextResolver resolves the user's device facts
	 */
	public IdaasLoginAuthenticationFilter(AuthenticationManager authenticationManager,
			DeviceContextResolver deviceContextResolver) {
		this(IdaasLoginDefaults.PROCESSING_URL, authenticationManager, deviceContextResolver);
	}

	/**
	 * Creates a filter on {@code POST processingUrl}.
	 * @param processingUrl the path that accepts codes
	 * @param authenticationManager the authentication manager
	 * @param deviceContextResolver resolves the user's device facts
	 */
	public IdaasLoginAuthenticationFilter(String processingUrl, AuthenticationManager authenticationManager,
			DeviceContextResolver deviceContextResolver) {
		super(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, processingUrl), authenticationManager);
		Assert.notNull(deviceContextResolver, "deviceContextResolver cannot be null");
		this.deviceContextResolver = deviceContextResolver;
	}

	@Override
	public Authentication attemptAuthentication(HttpServletRequest request, HttpServletResponse response)
			throws AuthenticationException, IOException {
		String code = JsonRequestMatcher.sendsJson(request) ? codeFromJson(request) : request.getParameter("code");
		AppleAuthorizationCodeAuthenticationToken token = new AppleAuthorizationCodeAuthenticationToken(
				validCode(code), this.deviceContextResolver.resolve(request, response), null);
		token.setDetails(this.authenticationDetailsSource.buildDetails(request));
		return getAuthenticationManager().authenticate(token);
	}

	/**
	 * Checks a code before anything is sent upstream.
	 * @param code the code as received
	 * @return the code
	 * @throws IdaasAuthenticationException when it is missing, over 4 KiB or has control
	 * characters
	 */
	public static String validCode(@Nullable String code) {
		if (code == null || code.isBlank()) {
			throw invalidCode("The Apple authorization code is missing");
		}
		if (code.length() > MAX_CODE_LENGTH) {
			throw invalidCode("The Apple authorization code is too long");
		}
		for (int i = 0; i < code.length(); i++) {
			char c = code.charAt(i);
			if (c < 0x21 || c > 0x7e) {
				throw invalidCode("The Apple authorization code has invalid characters");
			}
		}
		return code;
	}

	private static @Nullable String codeFromJson(HttpServletRequest request) throws IOException {
		InputStream body = request.getInputStream();
		byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
		if (bytes.length > MAX_BODY_BYTES) {
			throw invalidCode("The request body is too large");
		}
		try {
			JsonNode node = mapper.readTree(bytes);
			JsonNode code = (node != null) ? node.get("code") : null;
			return (code != null && code.isString()) ? code.stringValue() : null;
		}
		catch (JacksonException ex) {
			throw invalidCode("The request body is not valid JSON");
		}
	}

	private static IdaasAuthenticationException invalidCode(String description) {
		return new IdaasAuthenticationException(INVALID_CODE, description, IdaasErrorCategory.INVALID_REQUEST, null);
	}

}

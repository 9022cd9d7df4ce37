package dev.idaas.spring.authentication;

import java.util.List;
import java.util.Locale;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.idaas.spring.client.IdaasErrorCodes;
import dev.idaas.spring.client.AppleLoginResult;
import dev.idaas.spring.client.IdaasApiException;
import dev.idaas.spring.client.IdaasClient;
import dev.idaas.spring.client.IdaasErrorCategory;
import dev.idaas.spring.client.SocialFlowBranch;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.util.Assert;

/**
 * Signs a user in with an Apple authorization code through IDaaS. On {@code SUCCESS} the
 * id_token is verified and an {@link IdaasAuthenticationToken} is returned; on
 * {@code SOCIAL_BIND}, {@code USER_REGISTER} or {@code MFA_AUTH} an
 * {@link IdaasSocialFlowRequiredException} reports the pending flow; everything else is an {@link IdaasAuthenticationException}
 * carrying the IDaaS error code.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see AppleAuthorizationCodeAuthenticationToken
 */
public final class IdaasAppleAuthenticationProvider implements AuthenticationProvider {

	/**
	 * Error code of an {@code ACCESS_DENIED} answer.
	 */
	public static final String ACCESS_DENIED = IdaasErrorCodes.ACCESS_DENIED;

	private static final Log logger = LogFactory.getLog(IdaasAppleAuthenticationProvider.class);

	private final IdaasClient client;

	private final IdaasAuthenticationTokenFactory tokenFactory;

	/**
	 * Creates a provider.
	 * @param client the IDaaS client
	 * @param tokenFactory verifies id_tokens and builds the authentication
	 */
	public IdaasAppleAuthenticationProvider(IdaasClient client, IdaasAuthenticationTokenFactory tokenFactory) {
		Assert.notNull(client, "client cannot be null");
		Assert.notNull(tokenFactory, "tokenFactory cannot be null");
		this.client = client;
		this.tokenFactory = tokenFactory;
	}

	@Override
	public Authentication authenticate(Authentication authentication) throws AuthenticationException {
		AppleAuthorizationCodeAuthenticationToken request = (AppleAuthorizationCodeAuthenticationToken) authentication;
		AppleLoginResult result;
		try {
			result = this.client.loginWithApple(request.getCode(), request.getDevice());
		}
		catch (IdaasApiException ex) {
			logger.debug("Apple login failed at IDaaS with " + ex.getErrorCode());
			throw new IdaasAuthenticationException(ex.getErrorCode(), describe(ex), ex.getCategory(), ex);
		}
		if (result instanceof AppleLoginResult.Authenticated success) {
			IdaasAuthenticationToken token = this.tokenFactory.signIn(success.idToken(), success.sessionToken(),
					success.sessionExpiresIn(), request.getAppleUserName());
			token.setDetails(request.getDetails());
			return token;
		}
		if (result instanceof AppleLoginResult.PendingSocialFlow pending) {
			logger.debug("Apple login needs a " + pending.branch() + " flow");
			throw new IdaasSocialFlowRequiredException(pending, request);
		}
		if (result instanceof AppleLoginResult.SecondFactorRequired secondFactor) {
			logger.debug("Apple login needs a second factor");
			throw new IdaasSocialFlowRequiredException(new AppleLoginResult.PendingSocialFlow(SocialFlowBranch.MFA_AUTH,
					secondFactor.stateToken(), List.of()), request);
		}
		throw new IdaasAuthenticationException(ACCESS_DENIED, "IDaaS denied access", IdaasErrorCategory.ACCESS_DENIED, null);
	}

	private static String describe(IdaasApiException ex) {
		// getMessage() already starts with the code, which IdaasAuthenticationException adds itself
		return ex.getLocalizedMessage(Locale.ENGLISH);
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return AppleAuthorizationCodeAuthenticationToken.class.isAssignableFrom(authentication);
	}

}

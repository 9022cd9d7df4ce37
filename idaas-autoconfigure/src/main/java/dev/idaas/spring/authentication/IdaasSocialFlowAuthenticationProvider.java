package dev.idaas.spring.authentication;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.idaas.spring.client.AppleLoginResult;
import dev.idaas.spring.client.DeviceContext;
import dev.idaas.spring.client.IdaasApiException;
import dev.idaas.spring.client.IdaasClient;
import dev.idaas.spring.client.IdaasErrorCategory;
import dev.idaas.spring.client.IdaasErrorCodes;
import dev.idaas.spring.client.IdaasSocialFlowClient;
import dev.idaas.spring.client.SocialFlowBranch;
import dev.idaas.spring.client.SocialFlowResult;
import dev.idaas.spring.client.TokenRefreshResult;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.util.Assert;

/**
 * Finishes a pending {@code SOCIAL_BIND}, {@code USER_REGISTER} or {@code MFA_AUTH} flow with
 * the code the user entered ({@code social/bind}, {@code social/register-bind},
 * {@code mfa/sms} or {@code mfa/email}) and signs the user in exactly as a {@code SUCCESS} Apple
 * login does: the id_token is verified by the {@link IdaasAuthenticationTokenFactory} and an
 * {@link IdaasAuthenticationToken} is returned. When the finish answered no {@code id_token} or
 * no usable {@code expire} (both seen in the vendor's examples), one refresh call obtains them:
 * its answer carries both, so the session token's lifetime is IDaaS's, never a guess.
 * <p>
 * A bind or register answered {@code MFA_AUTH} throws an {@link IdaasSocialFlowRequiredException}
 * for the second-factor flow that follows. A state token IDaaS no longer knows
 * ({@code COMMON.1007}), {@code ACCESS_DENIED}, or a failure after IDaaS accepted the code (the
 * state token is spent) throw an {@link IdaasSocialFlowEndedException}; when the reason is an
 * answer that could not be understood (a 2xx finish answer that is truncated or lacks a
 * {@code session_token}, or such a refresh answer) its code is
 * {@link IdaasErrorCodes#FLOW_ENDED}, so the user is told to sign in again rather than to retry
 * a flow IDaaS has closed. Any other error (a wrong code, {@code CAPTCHA.0007}, among them) is an
 * {@link IdaasAuthenticationException} with the IDaaS code. The finish call is never repeated.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSocialFlowAuthenticationToken
 * @see IdaasAppleAuthenticationProvider
 */
public final class IdaasSocialFlowAuthenticationProvider implements AuthenticationProvider {

	private static final Log logger = LogFactory.getLog(IdaasSocialFlowAuthenticationProvider.class);

	private final IdaasSocialFlowClient socialFlowClient;

	private final IdaasClient client;

	private final IdaasAuthenticationTokenFactory tokenFactory;

	/**
	 * Creates a provider.
	 * @param socialFlowClient finishes flows at IDaaS
	 * @param client fetches the id_token when the finish answered none
	 * @param tokenFactory verifies id_tokens and builds the authentication
	 */
	public IdaasSocialFlowAuthenticationProvider(IdaasSocialFlowClient socialFlowClient, IdaasClient client,
			IdaasAuthenticationTokenFactory tokenFactory) {
		Assert.notNull(socialFlowClient, "socialFlowClient cannot be null");
		Assert.notNull(client, "client cannot be null");
		Assert.notNull(tokenFactory, "tokenFactory cannot be null");
		this.socialFlowClient = socialFlowClient;
		this.client = client;
		this.tokenFactory = tokenFactory;
	}

	@Override
	public Authentication authenticate(Authentication authentication) throws AuthenticationException {
		IdaasSocialFlowAuthenticationToken request = (IdaasSocialFlowAuthenticationToken) authentication;
		SocialFlowResult result;
		try {
			result = finish(request);
		}
		catch (IdaasApiException ex) {
			logger.debug(request.getBranch() + " finish failed at IDaaS with " + ex.getErrorCode());
			if (IdaasErrorCodes.STATE_TOKEN_INVALID.equals(ex.getErrorCode())) {
				throw new IdaasSocialFlowEndedException(ex.getErrorCode(), describe(ex), ex.getCategory(), ex);
			}
			if (ex.getCategory() == IdaasErrorCategory.PROTOCOL && ex.getHttpStatus() >= 200
					&& ex.getHttpStatus() <= 299) {
				// IDaaS answered success but unreadably: the state token is spent, a retry cannot work
				throw flowEnded(ex);
			}
			throw new IdaasAuthenticationException(ex.getErrorCode(), describe(ex), ex.getCategory(), ex);
		}
		if (result instanceof SocialFlowResult.SecondFactorRequired secondFactor) {
			logger.debug(request.getBranch() + " finish needs a second factor");
			throw new IdaasSocialFlowRequiredException(new AppleLoginResult.PendingSocialFlow(
					SocialFlowBranch.MFA_AUTH, secondFactor.stateToken(), List.of()), request);
		}
		if (!(result instanceof SocialFlowResult.Authenticated success)) {
			throw new IdaasSocialFlowEndedException(IdaasErrorCodes.ACCESS_DENIED, "IDaaS denied access",
					IdaasErrorCategory.ACCESS_DENIED, null);
		}
		// From here on the state token is spent: whatever fails, the flow is over.
		try {
			IdaasAuthenticationToken token = signIn(success, request);
			token.setDetails(request.getDetails());
			logger.debug("Finished a " + request.getBranch() + " flow by " + request.getChannel());
			return token;
		}
		catch (IdaasApiException ex) {
			if (ex.getCategory() == IdaasErrorCategory.PROTOCOL) {
				throw flowEnded(ex);
			}
			throw new IdaasSocialFlowEndedException(ex.getErrorCode(), describe(ex), ex.getCategory(), ex);
		}
		catch (IdaasAuthenticationException ex) {
			throw new IdaasSocialFlowEndedException(ex.getErrorCode(), ex.getError().getDescription(),
					ex.getCategory(), ex);
		}
	}

	private SocialFlowResult finish(IdaasSocialFlowAuthenticationToken request) {
		return switch (request.getBranch()) {
			case SOCIAL_BIND -> this.socialFlowClient.bind(request.getStateToken(), request.getChannel(),
					request.getTarget(), request.getVerifyCode(), request.getDevice());
			case USER_REGISTER -> this.socialFlowClient.registerAndBind(request.getStateToken(), request.getChannel(),
					request.getTarget(), request.getVerifyCode(), request.getDevice());
			case MFA_AUTH -> this.socialFlowClient.verifySecondFactor(request.getStateToken(), request.getChannel(),
					request.getTarget(), request.getVerifyCode(), request.getDevice());
		};
	}

	private IdaasAuthenticationToken signIn(SocialFlowResult.Authenticated success,
			IdaasSocialFlowAuthenticationToken request) {
		String idToken = success.idToken();
		String sessionToken = success.sessionToken();
		Duration expiresIn = success.sessionExpiresIn();
		if (idToken == null || expiresIn == null) {
			DeviceContext device = request.getDevice();
			TokenRefreshResult refreshed = this.client.refreshIdToken(sessionToken, device);
			idToken = refreshed.idToken();
			sessionToken = refreshed.sessionToken();
			expiresIn = refreshed.sessionExpiresIn();
		}
		return this.tokenFactory.signIn(idToken, sessionToken, expiresIn, request.getAppleUserName());
	}

	private static IdaasSocialFlowEndedException flowEnded(IdaasApiException ex) {
		return new IdaasSocialFlowEndedException(IdaasErrorCodes.FLOW_ENDED,
				"IDaaS took the code but its answer could not be understood (" + ex.getErrorCode() + ")",
				IdaasErrorCategory.PROTOCOL, ex);
	}

	private static String describe(IdaasApiException ex) {
		// getMessage() already starts with the code, which IdaasAuthenticationException adds itself
		return ex.getLocalizedMessage(Locale.ENGLISH);
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return IdaasSocialFlowAuthenticationToken.class.isAssignableFrom(authentication);
	}

}

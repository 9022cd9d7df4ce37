package dev.idaas.spring.client;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * What IDaaS answered to the last step of a bind, register-and-bind or second-factor flow
 * ({@code social/bind}, {@code social/register-bind}, {@code mfa/sms}, {@code mfa/email}):
 * signed in, a second factor still required, or access denied. Errors are not results; they
 * are thrown as {@link IdaasApiException}.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSocialFlowClient
 */
public sealed interface SocialFlowResult {

	/**
	 * {@code status: SUCCESS}, or no {@code status} at all with a session token (the vendor's
	 * examples omit it): the user is signed in. One published bind example has no
	 * {@code id_token}, and an answer may lack a usable {@code expire}: then obtain both with
	 * {@link IdaasClient#refreshIdToken(String, DeviceContext)}, whose answer carries them (the
	 * state token is spent by now, so the answer is taken as it is rather than refused).
	 *
	 * @param sessionToken the session token
	 * @param sessionExpiresIn how long the session token stays valid, or {@code null} when IDaaS
	 * answered no usable {@code expire}
	 * @param idToken the id_token JWT (not yet verified), or {@code null} when none was answered
	 */
	record Authenticated(String sessionToken, @Nullable Duration sessionExpiresIn,
			@Nullable String idToken) implements SocialFlowResult {

		/**
		 * Creates the result.
		 */
		public Authenticated {
			Assert.hasText(sessionToken, "sessionToken cannot be empty");
			if (idToken != null && idToken.isBlank()) {
				idToken = null;
			}
		}

		@Override
		public String toString() {
			return "Authenticated[sessionToken=***, sessionExpiresIn=" + this.sessionExpiresIn + ", idToken="
					+ ((this.idToken != null) ? "***" : "null") + "]";
		}

	}

	/**
	 * {@code status: MFA_AUTH}: a second factor is still required; the flow goes on with the
	 * new state token.
	 *
	 * @param stateToken the state token of the second-factor step; never sent to a browser
	 */
	record SecondFactorRequired(String stateToken) implements SocialFlowResult {

		/**
		 * Creates the result.
		 */
		public SecondFactorRequired {
			Assert.hasText(stateToken, "stateToken cannot be empty");
		}

		@Override
		public String toString() {
			return "SecondFactorRequired[stateToken=***]";
		}

	}

	/**
	 * {@code status: ACCESS_DENIED}.
	 */
	record AccessDenied() implements SocialFlowResult {
	}

}

package dev.idaas.spring.client;

import java.time.Duration;
import java.util.List;

import org.springframework.util.Assert;

/**
 * What IDaaS answered to an Apple login: signed in, a pending bind/register flow, or access
 * denied. Errors are not results; they are thrown as {@link IdaasApiException}.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasClient#loginWithApple(String, DeviceContext)
 */
public sealed interface AppleLoginResult {

	/**
	 * {@code status: SUCCESS}: the user is signed in.
	 *
	 * @param sessionToken the session token, used to obtain new id_tokens
	 * @param sessionExpiresIn how long the session token stays valid
	 * @param idToken the id_token JWT (not yet verified)
	 */
	record Authenticated(String sessionToken, Duration sessionExpiresIn, String idToken) implements AppleLoginResult {

		/**
		 * Creates the result.
		 */
		public Authenticated {
			Assert.hasText(sessionToken, "sessionToken cannot be empty");
			Assert.notNull(sessionExpiresIn, "sessionExpiresIn cannot be null");
			Assert.hasText(idToken, "idToken cannot be empty");
		}

		@Override
		public String toString() {
			return "Authenticated[sessionToken=***, sessionExpiresIn=" + this.sessionExpiresIn + ", idToken=***]";
		}

	}

	/**
	 * {@code status: SOCIAL_BIND} or {@code USER_REGISTER}: the Apple account is unknown and a
	 * flow must finish with the state token.
	 *
	 * @param branch which flow follows
	 * @param stateToken the state token carrying the pending flow; never sent to a browser
	 * @param flows the verification methods the tenant allows, as sent (e.g.
	 * {@code VERIFY_PHONE}, {@code VERIFY_EMAIL}); empty when {@code data} was absent, empty or
	 * not JSON, which means "no restriction known", not "nothing allowed"
	 */
	record PendingSocialFlow(SocialFlowBranch branch, String stateToken, List<String> flows)
			implements AppleLoginResult {

		/**
		 * Creates the result.
		 */
		public PendingSocialFlow {
			Assert.notNull(branch, "branch cannot be null");
			Assert.hasText(stateToken, "stateToken cannot be empty");
			flows = List.copyOf(flows);
		}

		@Override
		public String toString() {
			return "PendingSocialFlow[branch=" + this.branch + ", stateToken=***, flows=" + this.flows + "]";
		}

	}

	/**
	 * {@code status: MFA_AUTH}: the user is known but must prove a second factor; the flow
	 * finishes with the state token.
	 *
	 * @param stateToken the state token carrying the second-factor step; never sent to a browser
	 */
	record SecondFactorRequired(String stateToken) implements AppleLoginResult {

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
	record AccessDenied() implements AppleLoginResult {
	}

}

package dev.idaas.spring.web;

import dev.idaas.spring.authentication.IdaasAuthenticationException;
import dev.idaas.spring.client.IdaasErrorCategory;
import dev.idaas.spring.client.IdaasErrorCodes;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;

/**
 * The one mapping from an IDaaS failure to the HTTP status of its JSON answer: 401 denied or
 * invalid token, 403 disabled or not allowed, 400 bad request or a vendor refusal with a code the
 * starter does not know ({@link IdaasErrorCategory#VENDOR_REFUSED}: never 502, IDaaS answered
 * well), 409/410 for bind/register flows that are missing or over (a state token IDaaS no
 * longer knows, {@code COMMON.1007}, is 410), 429 too many verification codes, 502
 * unintelligible upstream answer, 503 upstream busy or unreachable.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
public final class ErrorStatuses {

	private ErrorStatuses() {
	}

	/**
	 * Returns the HTTP status of the JSON answer to a failed sign-in step.
	 * @param exception the failure
	 * @return its status; {@code 401} for anything that is not an IDaaS failure
	 */
	public static HttpStatus of(AuthenticationException exception) {
		if (!(exception instanceof IdaasAuthenticationException idaas)) {
			return HttpStatus.UNAUTHORIZED;
		}
		return switch (idaas.getErrorCode()) {
			case IdaasErrorCodes.FLOW_EXPIRED, IdaasErrorCodes.FLOW_ENDED, IdaasErrorCodes.TOO_MANY_ATTEMPTS,
					IdaasErrorCodes.STATE_TOKEN_INVALID ->
				HttpStatus.GONE;
			case IdaasErrorCodes.NO_PENDING_FLOW, IdaasErrorCodes.USER_ALREADY_EXISTS -> HttpStatus.CONFLICT;
			case IdaasErrorCodes.METHOD_NOT_ALLOWED -> HttpStatus.FORBIDDEN;
			case IdaasErrorCodes.TOO_MANY_CODES -> HttpStatus.TOO_MANY_REQUESTS;
			case IdaasErrorCodes.INVALID_ID_TOKEN -> HttpStatus.UNAUTHORIZED;
			default -> of(idaas.getCategory());
		};
	}

	private static HttpStatus of(IdaasErrorCategory category) {
		return switch (category) {
			case ACCESS_DENIED, INVALID_SESSION -> HttpStatus.UNAUTHORIZED;
			case USER_DISABLED -> HttpStatus.FORBIDDEN;
			case INVALID_REQUEST, VENDOR_REFUSED -> HttpStatus.BAD_REQUEST;
			case TRANSIENT, UNKNOWN_OUTCOME -> HttpStatus.SERVICE_UNAVAILABLE;
			case CLIENT_CONFIGURATION -> HttpStatus.INTERNAL_SERVER_ERROR;
			case PROTOCOL, UNKNOWN -> HttpStatus.BAD_GATEWAY;
		};
	}

}

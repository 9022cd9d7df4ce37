package dev.idaas.spring.web.flow;

import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import dev.idaas.spring.authentication.IdaasAuthenticationException;
import dev.idaas.spring.client.IdaasApiException;
import dev.idaas.spring.client.IdaasErrorCategory;
import dev.idaas.spring.client.IdaasErrorCodes;
import dev.idaas.spring.client.SocialFlowBranch;
import dev.idaas.spring.client.VerificationChannel;

/**
 * The rules every step of a pending flow shares: which flow a request may act on, and the keys
 * its verification codes are limited under.
 */
final class SocialFlows {

	private static final List<String> UNRESTRICTED = List.of(VerificationChannel.SMS.flow(),
			VerificationChannel.EMAIL.flow());

	private SocialFlows() {
	}

	/**
	 * The browser's pending flow of the endpoint's branch.
	 * @throws IdaasAuthenticationException {@link IdaasErrorCodes#FLOW_EXPIRED} when it expired,
	 * {@link IdaasErrorCodes#NO_PENDING_FLOW} when there is none of this branch
	 */
	static PendingSocialFlow require(PendingSocialFlowRepository repository, SocialFlowBranch branch,
			HttpServletRequest request) {
		PendingSocialFlow flow = repository.load(request);
		if (flow == null) {
			if (repository.isExpired(request)) {
				repository.remove(request);
				throw error(IdaasErrorCodes.FLOW_EXPIRED, "The flow has expired");
			}
			throw error(IdaasErrorCodes.NO_PENDING_FLOW, "No " + branch + " flow is pending");
		}
		if (flow.branch() != branch) {
			throw error(IdaasErrorCodes.NO_PENDING_FLOW, "The pending flow is not a " + branch + " flow");
		}
		return flow;
	}

	/**
	 * The channel a second factor may use: SMS to the number on file; the client names no
	 * target.
	 */
	static VerificationChannel secondFactorChannel(VerificationRequest input) {
		if (input.target() != null) {
			throw VerificationRequest.invalid("A second factor goes to the number on file: no target is accepted");
		}
		if (input.method() != null && input.channel() != VerificationChannel.SMS) {
			throw error(IdaasErrorCodes.METHOD_NOT_ALLOWED, "A second factor is sent by SMS");
		}
		return VerificationChannel.SMS;
	}

	/**
	 * The verification methods a flow offers: those of the tenant's list that the starter knows
	 * ({@code VERIFY_PHONE}, {@code VERIFY_EMAIL}) restrict it; a list naming none of them (the
	 * login answer's {@code data} was absent, empty, not JSON, or listed only methods the starter
	 * does not know) means no restriction is known, and both are offered: IDaaS refuses a method
	 * it does not allow, and its refusal reaches the user. Refusing both would leave the user with
	 * no way to finish. Known methods are spelled as the starter's endpoints take them
	 * ({@code " verify_phone"} is {@code VERIFY_PHONE}); methods it cannot send are left out.
	 * @param flows the tenant's list, as IDaaS answered it
	 * @return the known methods of the list, in its order, else {@code [VERIFY_PHONE, VERIFY_EMAIL]}
	 */
	static List<String> offered(List<String> flows) {
		List<String> offered = new ArrayList<>(2);
		for (String flow : flows) {
			VerificationChannel channel = VerificationChannel.fromFlow(flow);
			if (channel != null && !offered.contains(channel.flow())) {
				offered.add(channel.flow());
			}
		}
		return offered.isEmpty() ? UNRESTRICTED : offered;
	}

	/**
	 * Throws unless the flow offers the channel (see {@link #offered(List)}).
	 */
	static void requireAllowed(PendingSocialFlow flow, VerificationChannel channel) {
		for (String allowed : flow.flows()) {
			if (channel == VerificationChannel.fromFlow(allowed)) {
				return;
			}
		}
		throw error(IdaasErrorCodes.METHOD_NOT_ALLOWED, "The tenant does not allow " + channel.flow());
	}

	/**
	 * The limiter keys of a send or check: the target, the flow's Apple sign-in, the client.
	 */
	static List<String> limitKeys(PendingSocialFlow flow, String target, HttpServletRequest request) {
		String clientIp = request.getRemoteAddr();
		return VerificationLimitKeys.of(target, flow.subject(),
				(clientIp != null && !clientIp.isBlank()) ? clientIp : "unknown");
	}

	static IdaasAuthenticationException failure(IdaasApiException ex) {
		return new IdaasAuthenticationException(ex.getErrorCode(), ex.getLocalizedMessage(java.util.Locale.ENGLISH),
				ex.getCategory(), ex);
	}

	static IdaasAuthenticationException error(String errorCode, String description) {
		return new IdaasAuthenticationException(errorCode, description, IdaasErrorCategory.INVALID_REQUEST, null);
	}

}

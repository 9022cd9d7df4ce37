package dev.idaas.spring.test.simulator;

import java.time.Instant;

/**
 * A verification code the simulator "sent" by SMS or email for a bind or register flow.
 *
 * @param channel {@code sms} or {@code email}
 * @param recipient the phone number or email address
 * @param type the {@code type} of the request, e.g. {@code BIND_MOBILE_SMS}
 * @param code the code
 * @param sentAt when it was sent, by the simulator's clock
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSimulator#sentVerificationCodes()
 */
public record SentVerificationCode(String channel, String recipient, String type, String code, Instant sentAt) {

	@Override
	public String toString() {
		return "SentVerificationCode[channel=" + this.channel + ", recipient=" + this.recipient + ", type=" + this.type
				+ ", code=***, sentAt=" + this.sentAt + "]";
	}

}

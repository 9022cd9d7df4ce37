package dev.idaas.spring.client;

import org.springframework.util.Assert;

/**
 * What a verification code is sent for: the {@code type} of
 * {@code POST /api/v2/sdk/sms/send} and {@code /api/v2/sdk/email/send}.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSocialFlowClient#sendVerificationCode(VerificationChannel, String, VerificationPurpose, String,
 * DeviceContext)
 */
public enum VerificationPurpose {

	/**
	 * Bind to an existing account found by phone number.
	 */
	BIND_MOBILE_SMS(VerificationChannel.SMS, SocialFlowBranch.SOCIAL_BIND),

	/**
	 * Bind to an existing account found by email address.
	 */
	BIND_EMAIL_EMS(VerificationChannel.EMAIL, SocialFlowBranch.SOCIAL_BIND),

	/**
	 * Register a new account with a phone number.
	 */
	REGISTER_SMS(VerificationChannel.SMS, SocialFlowBranch.USER_REGISTER),

	/**
	 * Register a new account with an email address.
	 */
	REGISTER_EMS(VerificationChannel.EMAIL, SocialFlowBranch.USER_REGISTER),

	/**
	 * Prove a second factor by SMS to the number on file.
	 */
	MFA_AUTH_SMS(VerificationChannel.SMS, SocialFlowBranch.MFA_AUTH),

	/**
	 * Prove a second factor by email to the address on file.
	 */
	MFA_AUTH_EMS(VerificationChannel.EMAIL, SocialFlowBranch.MFA_AUTH);

	private final VerificationChannel channel;

	private final SocialFlowBranch branch;

	VerificationPurpose(VerificationChannel channel, SocialFlowBranch branch) {
		this.channel = channel;
		this.branch = branch;
	}

	/**
	 * Returns the channel codes of this purpose travel by.
	 * @return the channel
	 */
	public VerificationChannel channel() {
		return this.channel;
	}

	/**
	 * Returns the flow codes of this purpose belong to.
	 * @return the branch
	 */
	public SocialFlowBranch branch() {
		return this.branch;
	}

	/**
	 * Returns the purpose of a code for a flow and a channel.
	 * @param branch the pending flow's branch
	 * @param channel the channel
	 * @return the purpose
	 */
	public static VerificationPurpose of(SocialFlowBranch branch, VerificationChannel channel) {
		Assert.notNull(branch, "branch cannot be null");
		Assert.notNull(channel, "channel cannot be null");
		for (VerificationPurpose purpose : values()) {
			if (purpose.branch == branch && purpose.channel == channel) {
				return purpose;
			}
		}
		throw new IllegalStateException("No purpose for " + branch + " by " + channel);
	}

}

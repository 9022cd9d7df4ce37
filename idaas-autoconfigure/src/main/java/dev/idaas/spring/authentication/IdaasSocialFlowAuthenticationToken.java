package dev.idaas.spring.authentication;

import java.io.Serial;
import java.util.Collections;

import org.jspecify.annotations.Nullable;

import dev.idaas.spring.client.DeviceContext;
import dev.idaas.spring.client.SocialFlowBranch;
import dev.idaas.spring.client.VerificationChannel;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.util.Assert;

/**
 * A request to finish a pending {@code SOCIAL_BIND}, {@code USER_REGISTER} or {@code MFA_AUTH}
 * flow with the verification code the user entered. Unauthenticated; the state token, the code
 * and the target never appear in {@link #toString()}.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasSocialFlowAuthenticationProvider
 */
public class IdaasSocialFlowAuthenticationToken extends AbstractAuthenticationToken {

	@Serial
	private static final long serialVersionUID = 1L;

	private final SocialFlowBranch branch;

	private final transient String stateToken;

	private final VerificationChannel channel;

	private final transient String target;

	private final transient String verifyCode;

	private final transient DeviceContext device;

	private final String flowSubject;

	private final @Nullable AppleUserName appleUserName;

	/**
	 * Creates an unauthenticated token.
	 * @param branch which flow
	 * @param stateToken the flow's state token
	 * @param channel how the code was sent
	 * @param target the phone number or email address the code was sent to
	 * @param verifyCode the code the user entered
	 * @param device the end user's device facts
	 * @param flowSubject the stable id of the Apple sign-in the flow belongs to (never a token)
	 * @param appleUserName the name Apple sent on the first sign-in, or {@code null}
	 */
	public IdaasSocialFlowAuthenticationToken(SocialFlowBranch branch, String stateToken, VerificationChannel channel,
			String target, String verifyCode, DeviceContext device, String flowSubject,
			@Nullable AppleUserName appleUserName) {
		super(Collections.emptyList());
		Assert.notNull(branch, "branch cannot be null");
		Assert.hasText(stateToken, "stateToken cannot be empty");
		Assert.notNull(channel, "channel cannot be null");
		Assert.hasText(target, "target cannot be empty");
		Assert.hasText(verifyCode, "verifyCode cannot be empty");
		Assert.notNull(device, "device cannot be null");
		Assert.hasText(flowSubject, "flowSubject cannot be empty");
		this.branch = branch;
		this.stateToken = stateToken;
		this.channel = channel;
		this.target = target;
		this.verifyCode = verifyCode;
		this.device = device;
		this.flowSubject = flowSubject;
		this.appleUserName = appleUserName;
		setAuthenticated(false);
	}

	/**
	 * Which flow this finishes.
	 * @return the branch
	 */
	public SocialFlowBranch getBranch() {
		return this.branch;
	}

	/**
	 * The flow's state token.
	 * @return the state token
	 */
	public String getStateToken() {
		return this.stateToken;
	}

	/**
	 * How the code was sent.
	 * @return the channel
	 */
	public VerificationChannel getChannel() {
		return this.channel;
	}

	/**
	 * The phone number or email address the code was sent to.
	 * @return the target
	 */
	public String getTarget() {
		return this.target;
	}

	/**
	 * The code the user entered.
	 * @return the code
	 */
	public String getVerifyCode() {
		return this.verifyCode;
	}

	/**
	 * The end user's device facts.
	 * @return the device context
	 */
	public DeviceContext getDevice() {
		return this.device;
	}

	/**
	 * The stable id of the Apple sign-in the flow belongs to; a second factor that follows
	 * keeps it.
	 * @return the id
	 */
	public String getFlowSubject() {
		return this.flowSubject;
	}

	/**
	 * The name Apple sent on the very first sign-in.
	 * @return the name, or {@code null}
	 */
	public @Nullable AppleUserName getAppleUserName() {
		return this.appleUserName;
	}

	/**
	 * The verification code.
	 * @return the code
	 */
	@Override
	public Object getCredentials() {
		return this.verifyCode;
	}

	/**
	 * The branch's name: the user is not known yet.
	 * @return e.g. {@code SOCIAL_BIND}
	 */
	@Override
	public Object getPrincipal() {
		return this.branch.name();
	}

	@Override
	public void setAuthenticated(boolean authenticated) {
		Assert.isTrue(!authenticated, "Cannot set this token to trusted");
		super.setAuthenticated(false);
	}

	@Override
	public boolean equals(@Nullable Object obj) {
		return this == obj;
	}

	@Override
	public int hashCode() {
		return System.identityHashCode(this);
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + " [branch=" + this.branch + ", stateToken=***, channel=" + this.channel
				+ ", target=***, verifyCode=***, device=" + this.device + "]";
	}

}

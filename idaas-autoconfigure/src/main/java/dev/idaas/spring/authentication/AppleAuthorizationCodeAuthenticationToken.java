package dev.idaas.spring.authentication;

import java.io.Serial;
import java.util.Collections;

import org.jspecify.annotations.Nullable;

import dev.idaas.spring.client.DeviceContext;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.util.Assert;

/**
 * An Apple authorization code waiting to be exchanged at IDaaS, with the end user's device
 * facts. Unauthenticated; the code never appears in {@link #toString()}.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see IdaasAppleAuthenticationProvider
 */
public class AppleAuthorizationCodeAuthenticationToken extends AbstractAuthenticationToken {

	@Serial
	private static final long serialVersionUID = 1L;

	private final transient String code;

	private final transient DeviceContext device;

	private final @Nullable AppleUserName appleUserName;

	/**
	 * Creates an unauthenticated token.
	 * @param code the Apple authorization code
	 * @param device the end user's device facts
	 * @param appleUserName the unverified name and email of Apple's {@code user} field (sent on
	 * the very first sign-in), or {@code null}
	 */
	public AppleAuthorizationCodeAuthenticationToken(String code, DeviceContext device,
			@Nullable AppleUserName appleUserName) {
		super(Collections.emptyList());
		Assert.hasText(code, "code cannot be empty");
		Assert.notNull(device, "device cannot be null");
		this.code = code;
		this.device = device;
		this.appleUserName = appleUserName;
		setAuthenticated(false);
	}

	/**
	 * The Apple authorization code.
	 * @return the code
	 */
	public String getCode() {
		return this.code;
	}

	/**
	 * The end user's device facts.
	 * @return the device context
	 */
	public DeviceContext getDevice() {
		return this.device;
	}

	/**
	 * The name and email of Apple's {@code user} field, sent on the very first sign-in only:
	 * unverified, chosen by whoever posted the callback.
	 * @return the unverified name, or {@code null}
	 */
	public @Nullable AppleUserName getAppleUserName() {
		return this.appleUserName;
	}

	@Override
	public Object getCredentials() {
		return this.code;
	}

	@Override
	public Object getPrincipal() {
		return "apple";
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
		return getClass().getSimpleName() + " [code=***, device=" + this.device + "]";
	}

}

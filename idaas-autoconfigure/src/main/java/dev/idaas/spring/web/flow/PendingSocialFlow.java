package dev.idaas.spring.web.flow;

import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.idaas.spring.authentication.AppleUserName;
import dev.idaas.spring.client.SocialFlowBranch;
import dev.idaas.spring.client.VerificationChannel;

import org.springframework.util.Assert;

/**
 * A bind, register or second-factor flow waiting to be finished, kept in the HTTP session. The
 * state token, the vendor's puzzle token and the number on file never leave the server and
 * never appear in {@link #toString()}.
 *
 * @param branch which flow
 * @param stateToken the IDaaS state token
 * @param flows the verification methods the tenant allows ({@code VERIFY_PHONE} only for a
 * second factor), as the starter spells them, without methods it cannot send; a list naming
 * neither {@code VERIFY_PHONE} nor {@code VERIFY_EMAIL} (IDaaS said nothing usable) becomes
 * both: no restriction is known, IDaaS refuses what it does not allow
 * @param createdAt when the flow started
 * @param appleUserName the name Apple sent on the first sign-in, or {@code null}
 * @param subject a stable id of the Apple sign-in the flow belongs to (a hash of the first
 * state token; kept when a bind goes on to a second factor), the flow's key in the
 * {@link VerificationRateLimiter}; derived from the state token when missing (a flow stored by
 * an older version)
 * @param failedAttempts how many wrong verification codes IDaaS refused in this flow
 * @param puzzleToken the vendor's token of the slider puzzle shown last, or {@code null} when
 * none is open (puzzles are answered once)
 * @param puzzleWidth the width of that puzzle's background image, in pixels; 0 when none
 * @param codeChannel how the last verification code was sent, or {@code null} when none was
 * @param codeTarget where the last verification code was sent (the only target this flow
 * can finish with), or {@code null} when none was
 * @param lastCodeSentAt when the last verification code was sent, or {@code null}
 * @param mobileOnFile the phone number on file, for a second factor; {@code null} otherwise
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see PendingSocialFlowRepository
 */
public record PendingSocialFlow(SocialFlowBranch branch, String stateToken, List<String> flows, Instant createdAt,
		@Nullable AppleUserName appleUserName, String subject, int failedAttempts, @Nullable String puzzleToken,
		int puzzleWidth, @Nullable VerificationChannel codeChannel, @Nullable String codeTarget,
		@Nullable Instant lastCodeSentAt, @Nullable String mobileOnFile) implements Serializable {

	// Still 1: records are deserialized by component name through the canonical constructor, so
	// a flow stored by an older version (rolling deploy, Spring Session) reads back with defaults
	// (no puzzle, no code sent, a subject derived from its state token) instead of failing the
	// whole session.
	@Serial
	private static final long serialVersionUID = 1L;

	/**
	 * Creates a pending flow.
	 */
	public PendingSocialFlow {
		Assert.notNull(branch, "branch cannot be null");
		Assert.hasText(stateToken, "stateToken cannot be empty");
		Assert.notNull(createdAt, "createdAt cannot be null");
		Assert.notNull(flows, "flows cannot be null");
		if (subject == null || subject.isBlank()) {
			subject = subjectOf(stateToken);
		}
		Assert.isTrue(failedAttempts >= 0, "failedAttempts cannot be negative");
		Assert.isTrue(puzzleWidth >= 0, "puzzleWidth cannot be negative");
		Assert.isTrue(branch != SocialFlowBranch.MFA_AUTH || mobileOnFile != null,
				"a second-factor flow needs the number on file");
		// a JDK list type that a session stored as JSON can read back (List.copyOf's cannot)
		flows = Collections.unmodifiableList(new ArrayList<>(SocialFlows.offered(flows)));
	}

	/**
	 * A bind or register flow that has just started: no puzzle, no code, no wrong code.
	 * @param branch which flow
	 * @param stateToken the IDaaS state token
	 * @param flows the verification methods the tenant allows
	 * @param createdAt when the flow started
	 * @param appleUserName the name Apple sent on the first sign-in, or {@code null}
	 * @param subject the id of the Apple sign-in, or {@code null} to derive it from the state
	 * token
	 * @return the new flow
	 */
	public static PendingSocialFlow started(SocialFlowBranch branch, String stateToken, List<String> flows,
			Instant createdAt, @Nullable AppleUserName appleUserName, @Nullable String subject) {
		return new PendingSocialFlow(branch, stateToken, flows, createdAt, appleUserName,
				(subject != null) ? subject : subjectOf(stateToken), 0, null, 0, null, null, null, null);
	}

	/**
	 * A second-factor flow that has just started: the code can only go by SMS to the number on
	 * file.
	 * @param stateToken the IDaaS state token
	 * @param mobileOnFile the number on file
	 * @param createdAt when the flow started
	 * @param appleUserName the name Apple sent on the first sign-in, or {@code null}
	 * @param subject the id of the Apple sign-in, or {@code null} to derive it from the state
	 * token
	 * @return the new flow
	 */
	public static PendingSocialFlow secondFactor(String stateToken, String mobileOnFile, Instant createdAt,
			@Nullable AppleUserName appleUserName, @Nullable String subject) {
		Assert.hasText(mobileOnFile, "mobileOnFile cannot be empty");
		return new PendingSocialFlow(SocialFlowBranch.MFA_AUTH, stateToken,
				List.of(VerificationChannel.SMS.flow()), createdAt, appleUserName,
				(subject != null) ? subject : subjectOf(stateToken), 0, null, 0, null, null, null, mobileOnFile);
	}

	/**
	 * This flow with a new slider puzzle open, replacing any earlier one.
	 * @param token the vendor's puzzle token
	 * @param width the background image's width in pixels
	 * @return the new flow
	 */
	public PendingSocialFlow withPuzzle(String token, int width) {
		Assert.hasText(token, "token cannot be empty");
		Assert.isTrue(width > 0, "width must be positive");
		return new PendingSocialFlow(this.branch, this.stateToken, this.flows, this.createdAt, this.appleUserName,
				this.subject, this.failedAttempts, token, width, this.codeChannel, this.codeTarget,
				this.lastCodeSentAt, this.mobileOnFile);
	}

	/**
	 * This flow after its puzzle was answered (rightly or not): a new one is needed.
	 * @return the new flow
	 */
	public PendingSocialFlow withoutPuzzle() {
		return new PendingSocialFlow(this.branch, this.stateToken, this.flows, this.createdAt, this.appleUserName,
				this.subject, this.failedAttempts, null, 0, this.codeChannel, this.codeTarget, this.lastCodeSentAt,
				this.mobileOnFile);
	}

	/**
	 * This flow after a verification code was sent.
	 * @param channel how it was sent
	 * @param target where it was sent
	 * @param sentAt when
	 * @return the new flow
	 */
	public PendingSocialFlow withCodeSent(VerificationChannel channel, String target, Instant sentAt) {
		Assert.notNull(channel, "channel cannot be null");
		Assert.hasText(target, "target cannot be empty");
		Assert.notNull(sentAt, "sentAt cannot be null");
		return new PendingSocialFlow(this.branch, this.stateToken, this.flows, this.createdAt, this.appleUserName,
				this.subject, this.failedAttempts, null, 0, channel, target, sentAt, this.mobileOnFile);
	}

	/**
	 * This flow after IDaaS refused one more verification code.
	 * @return the new flow
	 */
	public PendingSocialFlow withFailedAttempt() {
		return new PendingSocialFlow(this.branch, this.stateToken, this.flows, this.createdAt, this.appleUserName,
				this.subject, this.failedAttempts + 1, this.puzzleToken, this.puzzleWidth, this.codeChannel,
				this.codeTarget, this.lastCodeSentAt, this.mobileOnFile);
	}

	/**
	 * The limiter's id of the Apple sign-in a state token belongs to: a SHA-256 of it, so the
	 * token itself never reaches the limiter's store.
	 * @param stateToken the state token the Apple login answered
	 * @return the id
	 */
	public static String subjectOf(String stateToken) {
		Assert.hasText(stateToken, "stateToken cannot be empty");
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(stateToken.getBytes(StandardCharsets.UTF_8));
			return "flow-" + HexFormat.of().formatHex(digest, 0, 16);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	@Override
	public String toString() {
		return "PendingSocialFlow[branch=" + this.branch + ", stateToken=***, flows=" + this.flows + ", createdAt="
				+ this.createdAt + ", failedAttempts=" + this.failedAttempts + ", puzzle="
				+ ((this.puzzleToken != null) ? "open" : "none") + ", codeChannel=" + this.codeChannel
				+ ", lastCodeSentAt=" + this.lastCodeSentAt + "]";
	}

}

package dev.idaas.spring.authentication;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamField;
import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.idaas.spring.jwt.VerifiedIdTokenParser;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * The serialized form of an {@link IdaasAuthenticationToken}, and the data a token read back
 * from it derives its principal from. Written as one block of bytes after a class descriptor
 * without fields: the id_token's three parts base64url-decoded (re-encoded exactly on read),
 * its {@code iat}/{@code exp}, the session state as variable-length numbers, the
 * authorities (an {@link OidcUserAuthority} of the id_token by its name only, a
 * {@link SimpleGrantedAuthority} by its text, any other by Java serialization) and the
 * details ({@link WebAuthenticationDetails} by its two texts). A signed-in session with a
 * typical id_token stays under 1 KiB this way (see {@code benchmarks/RESULTS.md}).
 * <p>
 * The first form (fields {@code idToken}, {@code sessionToken}... with default serialization,
 * as written before the compact form) is still read: sessions stored by that version survive an
 * upgrade.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 */
final class SerializedIdaasAuthentication implements Serializable {

	@Serial
	private static final long serialVersionUID = 1L;

	/**
	 * No field in the class descriptor: everything is written by {@link #writeObject}.
	 */
	@Serial
	private static final ObjectStreamField[] serialPersistentFields = {};

	private static final int COMPACT_FORM = 2;

	private static final int ID_TOKEN_TEXT = 0;

	private static final int ID_TOKEN_DECODED = 1;

	private static final int AUTHORITY_OIDC = 0;

	private static final int AUTHORITY_SIMPLE = 1;

	private static final int AUTHORITY_OBJECT = 2;

	private static final int DETAILS_NONE = 0;

	private static final int DETAILS_WEB = 1;

	private static final int DETAILS_OBJECT = 2;

	private static final int FLAG_AUTHENTICATED = 1;

	private static final int FLAG_ISSUED_AT = 2;

	private static final int FLAG_EXPIRES_AT = 4;

	private static final int FLAG_USER_INFO = 8;

	private static final int FLAG_NAME_ATTRIBUTE = 16;

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

	private String idToken;

	private boolean idTokenTimes;

	private @Nullable Instant idTokenIssuedAt;

	private @Nullable Instant idTokenExpiresAt;

	private String nameAttributeKey;

	private String @Nullable [] userInfo;

	/**
	 * Each a {@link GrantedAuthority}, or the name of the id_token's {@link OidcUserAuthority}.
	 */
	private Object[] authorities;

	/**
	 * Read from the first form: the token's authorities are then the user's (in its order).
	 */
	private boolean authoritiesOfUser;

	private IdaasSessionState sessionState;

	private boolean authenticated;

	private @Nullable Object details;

	private SerializedIdaasAuthentication(String idToken, boolean idTokenTimes, @Nullable Instant idTokenIssuedAt,
			@Nullable Instant idTokenExpiresAt, String nameAttributeKey, String @Nullable [] userInfo,
			Object[] authorities, IdaasSessionState sessionState, boolean authenticated, @Nullable Object details) {
		this.idToken = idToken;
		this.idTokenTimes = idTokenTimes;
		this.idTokenIssuedAt = idTokenIssuedAt;
		this.idTokenExpiresAt = idTokenExpiresAt;
		this.nameAttributeKey = nameAttributeKey;
		this.userInfo = userInfo;
		this.authorities = authorities;
		this.sessionState = sessionState;
		this.authenticated = authenticated;
		this.details = details;
	}

	/**
	 * The form of a token built from a {@link DefaultOidcUser}.
	 */
	static SerializedIdaasAuthentication of(IdaasAuthenticationToken token, DefaultOidcUser user) {
		OidcIdToken idToken = user.getIdToken();
		String nameAttributeKey = nameAttributeKey(user);
		OidcUserInfo info = user.getUserInfo();
		String[] userInfo = null;
		if (info != null) {
			List<String> pairs = new ArrayList<>();
			info.getClaims().forEach((name, value) -> {
				pairs.add(name);
				pairs.add(String.valueOf(value));
			});
			userInfo = pairs.toArray(String[]::new);
		}
		Collection<GrantedAuthority> granted = token.getAuthorities();
		Object[] authorities = new Object[granted.size()];
		int i = 0;
		for (GrantedAuthority authority : granted) {
			authorities[i++] = (authority.getClass() == OidcUserAuthority.class
					&& derivable((OidcUserAuthority) authority, idToken, info, nameAttributeKey))
							? new OidcAuthorityName(authority.getAuthority()) : authority;
		}
		return new SerializedIdaasAuthentication(idToken.getTokenValue(), true, idToken.getIssuedAt(),
				idToken.getExpiresAt(), nameAttributeKey, userInfo, authorities, token.getSessionState(),
				token.isAuthenticated(), token.getDetails());
	}

	/**
	 * The form of a token read back from this form and not used since: nothing is derived.
	 */
	static SerializedIdaasAuthentication of(IdaasAuthenticationToken token) {
		SerializedIdaasAuthentication read = Objects.requireNonNull(token.getCompact());
		return new SerializedIdaasAuthentication(read.idToken, read.idTokenTimes, read.idTokenIssuedAt,
				read.idTokenExpiresAt, read.nameAttributeKey, read.userInfo, read.authorities, token.getSessionState(),
				token.isAuthenticated(), token.getDetails());
	}

	/**
	 * Whether the authority is exactly what {@link #derive()} rebuilds from its name.
	 */
	private static boolean derivable(OidcUserAuthority authority, OidcIdToken idToken, @Nullable OidcUserInfo info,
			String nameAttributeKey) {
		return authority.getIdToken().getTokenValue().equals(idToken.getTokenValue())
				&& Objects.equals(authority.getUserInfo(), info)
				&& nameAttributeKey.equals(authority.getUserNameAttributeName());
	}

	private static String nameAttributeKey(DefaultOidcUser user) {
		for (GrantedAuthority authority : user.getAuthorities()) {
			if (authority instanceof OidcUserAuthority oidc && oidc.getUserNameAttributeName() != null) {
				return oidc.getUserNameAttributeName();
			}
		}
		// a mapper removed the OidcUserAuthority: the claim whose value is the user's name
		String name = user.getName();
		if (name.equals(user.getSubject())) {
			return IdTokenClaimNames.SUB;
		}
		for (Map.Entry<String, Object> claim : user.getClaims().entrySet()) {
			if (name.equals(claim.getValue())) {
				return claim.getKey();
			}
		}
		return IdTokenClaimNames.SUB;
	}

	String idToken() {
		return this.idToken;
	}

	boolean hasIdTokenTimes() {
		return this.idTokenTimes;
	}

	@Nullable Instant idTokenIssuedAt() {
		return this.idTokenIssuedAt;
	}

	@Nullable Instant idTokenExpiresAt() {
		return this.idTokenExpiresAt;
	}

	IdaasSessionState sessionState() {
		return this.sessionState;
	}

	boolean authenticated() {
		return this.authenticated;
	}

	@Nullable Object details() {
		return this.details;
	}

	/**
	 * Parses the id_token and rebuilds the user and the token's authorities.
	 */
	Derived derive() {
		OidcIdToken token = VerifiedIdTokenParser.parse(this.idToken);
		OidcUserInfo info = null;
		if (this.userInfo != null) {
			Map<String, Object> claims = new LinkedHashMap<>();
			for (int i = 0; i + 1 < this.userInfo.length; i += 2) {
				claims.put(this.userInfo[i], this.userInfo[i + 1]);
			}
			info = new OidcUserInfo(claims);
		}
		List<GrantedAuthority> authorities = new ArrayList<>(this.authorities.length);
		for (Object authority : this.authorities) {
			authorities.add((authority instanceof OidcAuthorityName name)
					? new OidcUserAuthority(name.authority(), token, info, this.nameAttributeKey)
					: (GrantedAuthority) authority);
		}
		DefaultOidcUser user = new DefaultOidcUser(authorities, token, info, this.nameAttributeKey);
		// the list type AbstractAuthenticationToken keeps, which Spring Security's Jackson modules allow
		return new Derived(user, Collections.unmodifiableList(
				new ArrayList<>(this.authoritiesOfUser ? user.getAuthorities() : authorities)));
	}

	@Serial
	private void writeObject(ObjectOutputStream out) throws IOException {
		out.defaultWriteObject();
		out.writeByte(COMPACT_FORM);
		writeIdToken(out, this.idToken);
		int flags = (this.authenticated ? FLAG_AUTHENTICATED : 0)
				| ((this.idTokenIssuedAt != null) ? FLAG_ISSUED_AT : 0)
				| ((this.idTokenExpiresAt != null) ? FLAG_EXPIRES_AT : 0)
				| ((this.userInfo != null) ? FLAG_USER_INFO : 0)
				| (IdTokenClaimNames.SUB.equals(this.nameAttributeKey) ? 0 : FLAG_NAME_ATTRIBUTE);
		out.writeByte(flags);
		if (this.idTokenIssuedAt != null) {
			writeInstant(out, this.idTokenIssuedAt);
		}
		if (this.idTokenExpiresAt != null) {
			writeInstant(out, this.idTokenExpiresAt);
		}
		if ((flags & FLAG_NAME_ATTRIBUTE) != 0) {
			writeString(out, this.nameAttributeKey);
		}
		if (this.userInfo != null) {
			writeVarLong(out, this.userInfo.length);
			for (String text : this.userInfo) {
				writeString(out, text);
			}
		}
		writeVarLong(out, this.authorities.length);
		for (Object authority : this.authorities) {
			if (authority instanceof OidcAuthorityName name) {
				out.writeByte(AUTHORITY_OIDC);
				writeString(out, name.authority());
			}
			else if (authority.getClass() == SimpleGrantedAuthority.class) {
				out.writeByte(AUTHORITY_SIMPLE);
				writeString(out, ((SimpleGrantedAuthority) authority).getAuthority());
			}
			else {
				out.writeByte(AUTHORITY_OBJECT);
				out.writeObject(authority);
			}
		}
		IdaasSessionState state = this.sessionState;
		writeString(out, state.sessionToken());
		writeInstant(out, state.sessionTokenExpiresAt());
		writeInstant(out, state.signedInAt());
		writeVarLong(out, state.refreshCount());
		writeVarLong(out, state.generation());
		if (this.details == null) {
			out.writeByte(DETAILS_NONE);
		}
		else if (this.details.getClass() == WebAuthenticationDetails.class) {
			WebAuthenticationDetails web = (WebAuthenticationDetails) this.details;
			out.writeByte(DETAILS_WEB);
			writeNullableString(out, web.getRemoteAddress());
			writeNullableString(out, web.getSessionId());
		}
		else {
			out.writeByte(DETAILS_OBJECT);
			out.writeObject(this.details);
		}
	}

	@Serial
	private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
		ObjectInputStream.GetField fields = in.readFields();
		if (fields.getObjectStreamClass().getFields().length > 0) {
			readFirstForm(fields);
			return;
		}
		int form = in.readUnsignedByte();
		if (form != COMPACT_FORM) {
			throw new InvalidObjectException("Unknown form " + form + " of a serialized IdaasAuthenticationToken");
		}
		this.idToken = readIdToken(in);
		int flags = in.readUnsignedByte();
		this.authenticated = (flags & FLAG_AUTHENTICATED) != 0;
		this.idTokenTimes = true;
		this.idTokenIssuedAt = ((flags & FLAG_ISSUED_AT) != 0) ? readInstant(in) : null;
		this.idTokenExpiresAt = ((flags & FLAG_EXPIRES_AT) != 0) ? readInstant(in) : null;
		this.nameAttributeKey = ((flags & FLAG_NAME_ATTRIBUTE) != 0) ? readString(in) : IdTokenClaimNames.SUB;
		if ((flags & FLAG_USER_INFO) != 0) {
			String[] userInfo = new String[readCount(in)];
			for (int i = 0; i < userInfo.length; i++) {
				userInfo[i] = readString(in);
			}
			this.userInfo = userInfo;
		}
		Object[] authorities = new Object[readCount(in)];
		for (int i = 0; i < authorities.length; i++) {
			int kind = in.readUnsignedByte();
			authorities[i] = switch (kind) {
				case AUTHORITY_OIDC -> new OidcAuthorityName(readString(in));
				case AUTHORITY_SIMPLE -> new SimpleGrantedAuthority(readString(in));
				case AUTHORITY_OBJECT -> grantedAuthority(in.readObject());
				default -> throw new InvalidObjectException("Unknown authority kind " + kind);
			};
		}
		this.authorities = authorities;
		String sessionToken = readString(in);
		Instant expiresAt = readInstant(in);
		Instant signedInAt = readInstant(in);
		int refreshCount = Math.toIntExact(readVarLong(in));
		long generation = readVarLong(in);
		this.sessionState = newSessionState(sessionToken, expiresAt, signedInAt, refreshCount, generation);
		int detailsKind = in.readUnsignedByte();
		this.details = switch (detailsKind) {
			case DETAILS_NONE -> null;
			case DETAILS_WEB -> new WebAuthenticationDetails(readNullableString(in), readNullableString(in));
			case DETAILS_OBJECT -> in.readObject();
			default -> throw new InvalidObjectException("Unknown details kind " + detailsKind);
		};
	}

	/**
	 * The fields of the form written before the compact one.
	 */
	private void readFirstForm(ObjectInputStream.GetField fields) throws IOException {
		this.idToken = (String) Objects.requireNonNull(fields.get("idToken", null), "idToken");
		this.nameAttributeKey = (String) Objects.requireNonNull(fields.get("nameAttributeKey", null), "nameAttributeKey");
		this.userInfo = (String[]) fields.get("userInfo", null);
		List<Object> authorities = new ArrayList<>();
		String oidcAuthority = (String) fields.get("oidcAuthority", null);
		if (oidcAuthority != null) {
			authorities.add(new OidcAuthorityName(oidcAuthority));
		}
		GrantedAuthority[] others = (GrantedAuthority[]) fields.get("otherAuthorities", null);
		if (others != null) {
			authorities.addAll(List.of(others));
		}
		this.authorities = authorities.toArray();
		this.authoritiesOfUser = true;
		int refreshCount = fields.get("refreshCount", 0);
		// absent (zero) in forms written before generations existed, when it equalled refreshCount
		long generation = Math.max(generation(fields), refreshCount);
		this.sessionState = newSessionState((String) fields.get("sessionToken", null),
				Instant.ofEpochSecond(fields.get("sessionTokenExpiresAtSeconds", 0L),
						fields.get("sessionTokenExpiresAtNanos", 0)),
				Instant.ofEpochSecond(fields.get("signedInAtSeconds", 0L), fields.get("signedInAtNanos", 0)),
				refreshCount, generation);
		this.authenticated = true;
		this.details = fields.get("details", null);
	}

	private static long generation(ObjectInputStream.GetField fields) throws IOException {
		try {
			return fields.get("generation", 0L);
		}
		catch (IllegalArgumentException ex) {
			// a first form written before generations existed
			return 0L;
		}
	}

	private static IdaasSessionState newSessionState(@Nullable String sessionToken, Instant expiresAt,
			Instant signedInAt, int refreshCount, long generation) throws InvalidObjectException {
		try {
			return new IdaasSessionState(Objects.requireNonNull(sessionToken, "sessionToken"), expiresAt, signedInAt,
					refreshCount, generation);
		}
		catch (IllegalArgumentException | NullPointerException ex) {
			InvalidObjectException invalid = new InvalidObjectException("Invalid IDaaS session state");
			invalid.initCause(ex);
			throw invalid;
		}
	}

	private static GrantedAuthority grantedAuthority(Object object) throws InvalidObjectException {
		if (object instanceof GrantedAuthority authority) {
			return authority;
		}
		throw new InvalidObjectException("Not a GrantedAuthority: " + object.getClass().getName());
	}

	@Serial
	private Object readResolve() {
		return new IdaasAuthenticationToken(this);
	}

	private static void writeIdToken(ObjectOutputStream out, String idToken) throws IOException {
		byte[][] parts = decodedParts(idToken);
		if (parts == null) {
			out.writeByte(ID_TOKEN_TEXT);
			writeString(out, idToken);
			return;
		}
		out.writeByte(ID_TOKEN_DECODED);
		for (byte[] part : parts) {
			writeVarLong(out, part.length);
			out.write(part);
		}
	}

	/**
	 * The three base64url parts decoded, or {@code null} when decoding would not give back
	 * exactly the same text (padding, non-canonical last character, not three parts).
	 */
	private static byte @Nullable [][] decodedParts(String idToken) {
		int first = idToken.indexOf('.');
		int second = (first < 0) ? -1 : idToken.indexOf('.', first + 1);
		if (second < 0 || idToken.indexOf('.', second + 1) >= 0) {
			return null;
		}
		String[] texts = { idToken.substring(0, first), idToken.substring(first + 1, second),
				idToken.substring(second + 1) };
		byte[][] parts = new byte[3][];
		try {
			for (int i = 0; i < 3; i++) {
				parts[i] = DECODER.decode(texts[i]);
				if (!ENCODER.encodeToString(parts[i]).equals(texts[i])) {
					return null;
				}
			}
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
		return parts;
	}

	private static String readIdToken(ObjectInputStream in) throws IOException {
		int kind = in.readUnsignedByte();
		if (kind == ID_TOKEN_TEXT) {
			return readString(in);
		}
		if (kind != ID_TOKEN_DECODED) {
			throw new InvalidObjectException("Unknown id_token kind " + kind);
		}
		StringBuilder idToken = new StringBuilder(1024);
		for (int i = 0; i < 3; i++) {
			byte[] part = new byte[readCount(in)];
			in.readFully(part);
			if (i > 0) {
				idToken.append('.');
			}
			idToken.append(ENCODER.encodeToString(part));
		}
		return idToken.toString();
	}

	private static void writeInstant(ObjectOutputStream out, Instant instant) throws IOException {
		long seconds = instant.getEpochSecond();
		writeVarLong(out, (seconds << 1) ^ (seconds >> 63));
		writeVarLong(out, instant.getNano());
	}

	private static Instant readInstant(ObjectInputStream in) throws IOException {
		long zigZag = readVarLong(in);
		long seconds = (zigZag >>> 1) ^ -(zigZag & 1);
		return Instant.ofEpochSecond(seconds, readVarLong(in));
	}

	private static void writeString(ObjectOutputStream out, String text) throws IOException {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		writeVarLong(out, bytes.length);
		out.write(bytes);
	}

	private static String readString(ObjectInputStream in) throws IOException {
		byte[] bytes = new byte[readCount(in)];
		in.readFully(bytes);
		return new String(bytes, StandardCharsets.UTF_8);
	}

	private static void writeNullableString(ObjectOutputStream out, @Nullable String text) throws IOException {
		out.writeBoolean(text != null);
		if (text != null) {
			writeString(out, text);
		}
	}

	private static @Nullable String readNullableString(ObjectInputStream in) throws IOException {
		return in.readBoolean() ? readString(in) : null;
	}

	private static void writeVarLong(ObjectOutputStream out, long value) throws IOException {
		long rest = value;
		while ((rest & ~0x7FL) != 0) {
			out.writeByte((int) ((rest & 0x7F) | 0x80));
			rest >>>= 7;
		}
		out.writeByte((int) rest);
	}

	private static long readVarLong(ObjectInputStream in) throws IOException {
		long value = 0;
		for (int shift = 0; shift < 64; shift += 7) {
			int b = in.readUnsignedByte();
			value |= (long) (b & 0x7F) << shift;
			if ((b & 0x80) == 0) {
				return value;
			}
		}
		throw new InvalidObjectException("Malformed number");
	}

	private static int readCount(ObjectInputStream in) throws IOException {
		long count = readVarLong(in);
		if (count < 0 || count > 65_536) {
			throw new InvalidObjectException("Implausible length " + count);
		}
		return (int) count;
	}

	@Override
	public String toString() {
		return "SerializedIdaasAuthentication[idToken=***, sessionToken=***]";
	}

	/**
	 * The name of an {@link OidcUserAuthority} rebuilt from the id_token.
	 */
	private record OidcAuthorityName(String authority) {
	}

	/**
	 * The user and the token's authorities, derived from the id_token.
	 * @param user the principal
	 * @param authorities the token's authorities
	 */
	record Derived(DefaultOidcUser user, List<GrantedAuthority> authorities) {
	}

}

package dev.idaas.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

import tools.jackson.databind.json.JsonMapper;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.jackson.IdaasJacksonModule;

import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * The serialized size of what a signed-in IDaaS user keeps in the HTTP session: with Java
 * serialization (Spring Session's default) {@code IdaasSessionState}, {@code IdaasAuthenticationToken}
 * and the whole {@code SecurityContextImpl}; and the {@code SecurityContextImpl} as JSON
 * ({@link IdaasJacksonModule} with Spring Security's modules). With a real simulator id_token, once
 * without details and once with the {@link WebAuthenticationDetails} a login filter sets. Each
 * object is read back to check it round-trips; exits 1 when the JDK-serialized context is over
 * the target.
 */
public final class SessionSize {

	private static final int TARGET_BYTES = 1024;

	private SessionSize() {
	}

	public static void main(String[] args) throws Exception {
		JsonMapper json = JsonMapper.builder()
			.addModules(IdaasJacksonModule.withSecurityModules(SessionSize.class.getClassLoader()))
			.build();
		boolean met = true;
		try (RefreshStack stack = new RefreshStack(Clock.systemUTC(), Duration.ofMinutes(5))) {
			IdaasAuthenticationToken authentication = stack.signIn();
			System.out.printf(Locale.ROOT, "id_token: %d chars, session token: %d chars%n",
					authentication.getIdToken().getTokenValue().length(),
					authentication.getSessionState().sessionToken().length());
			System.out.println("Java serialization (target: at most " + TARGET_BYTES + " bytes for the context)");
			report("IdaasSessionState", authentication.getSessionState());
			report("IdaasAuthenticationToken", authentication);
			met &= report("SecurityContextImpl (the session attribute)", new SecurityContextImpl(authentication)) <= TARGET_BYTES;
			IdaasAuthenticationToken withDetails = stack.signIn();
			withDetails.setDetails(new WebAuthenticationDetails("203.0.113.45", "0123456789ABCDEF0123456789ABCDEF"));
			met &= report("SecurityContextImpl + WebAuthenticationDetails", new SecurityContextImpl(withDetails)) <= TARGET_BYTES;
			System.out.println("JSON (IdaasJacksonModule + Spring Security's modules), UTF-8 bytes");
			reportJson(json, "SecurityContextImpl", new SecurityContextImpl(authentication));
			reportJson(json, "SecurityContextImpl + WebAuthenticationDetails", new SecurityContextImpl(withDetails));
		}
		if (!met) {
			System.out.println("TARGET MISSED");
			System.exit(1);
		}
	}

	private static int report(String what, Object object) throws Exception {
		byte[] bytes = serialize(object);
		Object copy = deserialize(bytes);
		if (!copy.equals(object)) {
			throw new IllegalStateException(what + " does not round-trip");
		}
		System.out.printf(Locale.ROOT, "  %-50s %5d bytes  (%.2f of 1 KiB)%n", what, bytes.length,
				bytes.length / (double) TARGET_BYTES);
		return bytes.length;
	}

	private static void reportJson(JsonMapper json, String what, SecurityContextImpl context) {
		byte[] bytes = json.writeValueAsBytes(context);
		Object copy = json.readValue(bytes, Object.class);
		if (!(copy instanceof SecurityContextImpl read) || !read.getAuthentication().equals(context.getAuthentication())) {
			throw new IllegalStateException(what + " does not round-trip as JSON");
		}
		System.out.printf(Locale.ROOT, "  %-50s %5d bytes  (%.2f of 1 KiB)%n", what, bytes.length,
				bytes.length / (double) TARGET_BYTES);
	}

	private static byte[] serialize(Object object) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (ObjectOutputStream objects = new ObjectOutputStream(out)) {
			objects.writeObject(object);
		}
		return out.toByteArray();
	}

	private static Object deserialize(byte[] bytes) throws IOException, ClassNotFoundException {
		try (ObjectInputStream objects = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
			return objects.readObject();
		}
	}

}

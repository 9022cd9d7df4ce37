package dev.idaas.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;

import org.springframework.security.core.context.SecurityContextImpl;

/**
 * The serialized size, with Java serialization (Spring Session's default), of what a signed-in
 * IDaaS user keeps in the HTTP session: {@code IdaasSessionState}, {@code IdaasAuthenticationToken}
 * and the whole {@code SecurityContextImpl}, with a real simulator id_token. Each object is read
 * back to check it round-trips.
 */
public final class SessionSize {

	private static final int TARGET_BYTES = 2048;

	private SessionSize() {
	}

	public static void main(String[] args) throws Exception {
		try (RefreshStack stack = new RefreshStack(Clock.systemUTC(), Duration.ofMinutes(5))) {
			IdaasAuthenticationToken authentication = stack.signIn();
			System.out.printf(Locale.ROOT, "id_token: %d chars, session token: %d chars%n",
					authentication.getIdToken().getTokenValue().length(),
					authentication.getSessionState().sessionToken().length());
			report("IdaasSessionState", authentication.getSessionState());
			report("IdaasAuthenticationToken", authentication);
			report("SecurityContextImpl (the session attribute)", new SecurityContextImpl(authentication));
		}
	}

	private static void report(String what, Object object) throws Exception {
		byte[] bytes = serialize(object);
		Object copy = deserialize(bytes);
		if (!copy.equals(object)) {
			throw new IllegalStateException(what + " does not round-trip");
		}
		System.out.printf(Locale.ROOT, "%-45s %5d bytes  (%.2f of the 2 KiB target)%n", what, bytes.length,
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

package dev.idaas.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.io.AbstractDeserializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.idaas.spring.authentication.AppleAuthorizationCodeAuthenticationToken;
import dev.idaas.spring.authentication.IdaasAppleAuthenticationProvider;
import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.authentication.IdaasAuthenticationTokenFactory;
import dev.idaas.spring.client.AppleLoginResult;
import dev.idaas.spring.client.DeviceContext;
import dev.idaas.spring.client.RestClientIdaasClient;
import dev.idaas.spring.jwt.JwkSetKeySource;
import dev.idaas.spring.jwt.JwksIdTokenVerifier;
import dev.idaas.spring.test.simulator.IdaasSimulator;
import dev.idaas.spring.test.simulator.SimulatedUser;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.client.MockClientHttpResponse;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.web.client.RestClient;

/**
 * The starter's own CPU per Apple sign-in, with the upstream answering instantly: the
 * {@link IdaasAppleAuthenticationProvider} calls {@link RestClientIdaasClient}, whose request
 * never leaves the JVM (a {@code RestClient} interceptor answers the IDaaS login answer captured
 * once from the simulator); the provider then parses and verifies the RS256 id_token against the
 * simulator's JWKS (fetched once, cached), builds the principal and the session state; the
 * context is saved in a new HTTP session. Measured in the same run: the same work without the
 * HTTP client ({@link IdaasAuthenticationTokenFactory#signIn}), one bare jjwt RS256 verification
 * of the same id_token, and one bare JCA {@code SHA256withRSA} verification of its signature.
 * The trial fails if the login endpoint or the JWKS is called during the measurement.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LoginBenchmark {

	private static final DeviceContext DEVICE = new DeviceContext("ios17.5", "fp-0001", "127.0.0.1", "JMH", null);

	private IdaasSimulator idaas;

	private String code;

	private String idToken;

	private String sessionToken;

	private IdaasAuthenticationTokenFactory factory;

	private IdaasAppleAuthenticationProvider provider;

	private final HttpSessionSecurityContextRepository repository = new HttpSessionSecurityContextRepository();

	private JwtParser jjwt;

	private RSAPublicKey publicKey;

	private byte[] signingInput;

	private byte[] signature;

	private int loginRequests;

	private int jwksRequests;

	@Setup(Level.Trial)
	public void setUp() throws Exception {
		// a 2-hour id_token: valid for the whole trial
		this.idaas = new IdaasSimulator().idTokenTtl(Duration.ofHours(2)).start();
		SimulatedUser alice = SimulatedUser.of("alice", "Alice", "+8613800000001", "alice@example.com");
		this.idaas.registerUser(alice);
		this.code = this.idaas.issueAppleCode(alice);
		byte[] answer = captureLoginAnswer();
		RestClient canned = RestClientIdaasClient.createRestClient(RestClient.builder()
			.requestInterceptor((request, body, execution) -> cannedResponse(answer)), this.idaas.baseUrl());
		RestClientIdaasClient client = new RestClientIdaasClient(canned, this.idaas.clientId());
		JwkSetKeySource keySource = new JwkSetKeySource(RestClient.create(), this.idaas.jwksUri());
		JwksIdTokenVerifier verifier = new JwksIdTokenVerifier(keySource, this.idaas.issuer(), this.idaas.clientId());
		this.factory = new IdaasAuthenticationTokenFactory(verifier);
		this.provider = new IdaasAppleAuthenticationProvider(client, this.factory);
		AppleLoginResult.Authenticated result = (AppleLoginResult.Authenticated) client.loginWithApple(this.code,
				DEVICE);
		this.idToken = result.idToken();
		this.sessionToken = result.sessionToken();
		this.publicKey = publicKey(this.idaas, this.idToken);
		this.jjwt = Jwts.parser().json(new JacksonDeserializer()).verifyWith(this.publicKey).build();
		int lastDot = this.idToken.lastIndexOf('.');
		this.signingInput = this.idToken.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII);
		this.signature = Base64.getUrlDecoder().decode(this.idToken.substring(lastDot + 1));
		// warm the JWKS cache, then check nothing goes upstream from here on
		appleLoginAndStore();
		this.loginRequests = this.idaas.loginRequestCount();
		this.jwksRequests = this.idaas.jwksRequestCount();
	}

	private byte[] captureLoginAnswer() {
		AtomicReference<byte[]> captured = new AtomicReference<>();
		RestClient capturing = RestClientIdaasClient.createRestClient(RestClient.builder()
			.requestInterceptor((request, body, execution) -> {
				try (var response = execution.execute(request, body)) {
					captured.set(response.getBody().readAllBytes());
				}
				return cannedResponse(captured.get());
			}), this.idaas.baseUrl());
		new RestClientIdaasClient(capturing, this.idaas.clientId()).loginWithApple(this.code, DEVICE);
		return captured.get();
	}

	private static MockClientHttpResponse cannedResponse(byte[] answer) {
		MockClientHttpResponse response = new MockClientHttpResponse(answer, HttpStatus.OK);
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		response.getHeaders().set(HttpHeaders.CONTENT_LENGTH, Integer.toString(answer.length));
		return response;
	}

	private static RSAPublicKey publicKey(IdaasSimulator idaas, String idToken) throws Exception {
		JsonMapper mapper = JsonMapper.builder().build();
		String kid = mapper.readTree(Base64.getUrlDecoder().decode(idToken.substring(0, idToken.indexOf('.'))))
			.get("kid")
			.asString();
		JsonNode jwks = mapper.readTree(RestClient.create().get().uri(idaas.jwksUri()).retrieve().body(String.class));
		for (JsonNode key : jwks.get("keys")) {
			if (kid.equals(key.get("kid").asString())) {
				BigInteger n = new BigInteger(1, Base64.getUrlDecoder().decode(key.get("n").asString()));
				BigInteger e = new BigInteger(1, Base64.getUrlDecoder().decode(key.get("e").asString()));
				return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
			}
		}
		throw new IllegalStateException("No key " + kid + " in the JWKS");
	}

	@TearDown(Level.Trial)
	public void checkNoUpstreamCall() {
		int logins = this.idaas.loginRequestCount() - this.loginRequests;
		int jwks = this.idaas.jwksRequestCount() - this.jwksRequests;
		this.idaas.close();
		if (logins != 0 || jwks != 0) {
			throw new IllegalStateException("The measured logins called the upstream: " + logins + " logins, " + jwks
					+ " JWKS fetches");
		}
	}

	/** The whole Apple sign-in of the starter: provider, client, verification, principal, session. */
	@Benchmark
	public Object appleLoginAndStore() {
		Authentication authentication = this.provider
			.authenticate(new AppleAuthorizationCodeAuthenticationToken(this.code, DEVICE, null));
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/login/idaas/apple");
		this.repository.saveContext(new SecurityContextImpl(authentication), request, new MockHttpServletResponse());
		return request.getSession(false);
	}

	/** The same, plus the session attribute written with Java serialization, as a session store would. */
	@Benchmark
	public byte[] appleLoginStoreAndSerialize() throws IOException {
		Authentication authentication = this.provider
			.authenticate(new AppleAuthorizationCodeAuthenticationToken(this.code, DEVICE, null));
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(new SecurityContextImpl(authentication));
		}
		return bytes.toByteArray();
	}

	/** Without the HTTP client: parse, verify, principal, session state. */
	@Benchmark
	public IdaasAuthenticationToken factorySignIn() {
		return this.factory.signIn(this.idToken, this.sessionToken, Duration.ofDays(5), null);
	}

	/** One bare jjwt RS256 verification (header and claims parsed, signature checked). */
	@Benchmark
	public Claims jjwtVerifyRs256() {
		return this.jjwt.parseSignedClaims(this.idToken).getPayload();
	}

	/** The RSA signature check alone (JCA {@code SHA256withRSA}). */
	@Benchmark
	public boolean jcaVerifyRs256() throws Exception {
		Signature verifier = Signature.getInstance("SHA256withRSA");
		verifier.initVerify(this.publicKey);
		verifier.update(this.signingInput);
		return verifier.verify(this.signature);
	}

	/** jjwt's JSON reader on Jackson 3, as the starter's own (jjwt-jackson needs Jackson 2). */
	static final class JacksonDeserializer extends AbstractDeserializer<Map<String, ?>> {

		private final JsonMapper mapper = JsonMapper.builder().build();

		@Override
		@SuppressWarnings("unchecked")
		protected Map<String, ?> doDeserialize(Reader reader) {
			return this.mapper.readValue(reader, Map.class);
		}

	}

}

package dev.idaas.benchmarks;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.web.session.IdTokenRefreshFilter;
import dev.idaas.spring.web.session.IdTokenRefresher;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;

/**
 * The fast path of {@code IdTokenRefreshFilter}: a request whose session holds a real, fresh
 * {@link IdaasAuthenticationToken}, through {@code SecurityContextHolderFilter} and a trivial
 * servlet, with and without the refresh filter; and {@code IdTokenRefresher.requiresRefresh}
 * alone. The upstream is never called here (checked in {@link #checkNoRefresh}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RefreshFilterBenchmark {

	private static final Clock SYSTEM_CLOCK = Clock.systemUTC();

	private RefreshStack stack;

	private IdaasAuthenticationToken authentication;

	private MockHttpSession session;

	private MockFilterChain withRefreshFilter;

	private MockFilterChain withoutRefreshFilter;

	private static final FilterChain NO_OP_CHAIN = (request, response) -> {
	};

	private IdTokenRefreshFilter refreshFilter;

	private final MockHttpServletRequest reusedRequest = new MockHttpServletRequest("GET", "/api/me");

	private final MockHttpServletResponse reusedResponse = new MockHttpServletResponse();

	@Setup(Level.Trial)
	public void setUp() {
		// An hour-long id_token on the system clock: fresh for the whole trial
		this.stack = new RefreshStack(Clock.systemUTC(), Duration.ofHours(1));
		this.authentication = this.stack.signIn();
		this.session = new MockHttpSession();
		this.session.setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY,
				new SecurityContextImpl(this.authentication));
		this.withRefreshFilter = chain(true);
		this.withoutRefreshFilter = chain(false);
		this.refreshFilter = new IdTokenRefreshFilter(this.stack.refresher);
	}

	/** The security context of {@link #refreshFilterAlone}, on the benchmark's own thread. */
	@Setup(Level.Iteration)
	public void signedIn() {
		SecurityContextHolder.setContext(new SecurityContextImpl(this.authentication));
	}

	@TearDown(Level.Iteration)
	public void signedOut() {
		SecurityContextHolder.clearContext();
	}

	private MockFilterChain chain(boolean refreshFilter) {
		Filter[] filters = this.stack.filters(refreshFilter);
		return new MockFilterChain(new RefreshStack.MeServlet(), filters);
	}

	@TearDown(Level.Trial)
	public void checkNoRefresh() {
		int refreshes = this.stack.idaas.refreshRequestCount();
		this.stack.close();
		if (refreshes != 0) {
			throw new IllegalStateException("The fast path called the upstream " + refreshes + " times");
		}
	}

	@Benchmark
	public Object chainWithRefreshFilter() throws Exception {
		return run(this.withRefreshFilter);
	}

	@Benchmark
	public Object chainWithoutRefreshFilter() throws Exception {
		return run(this.withoutRefreshFilter);
	}

	/**
	 * The filter alone on its fast path, with a request and response made once and a chain
	 * that does nothing: its own cost, without the noise of the rest of the chain.
	 */
	@Benchmark
	public Object refreshFilterAlone() throws Exception {
		this.refreshFilter.doFilter(this.reusedRequest, this.reusedResponse, NO_OP_CHAIN);
		return this.reusedRequest;
	}

	/** The baseline of {@link #refreshFilterAlone}: the same call straight to the no-op chain. */
	@Benchmark
	public Object noOpChainAlone() throws Exception {
		NO_OP_CHAIN.doFilter(this.reusedRequest, this.reusedResponse);
		return this.reusedRequest;
	}

	@Benchmark
	public boolean requiresRefresh() {
		return this.stack.refresher.requiresRefresh(this.authentication);
	}

	/**
	 * What {@link #requiresRefresh} cannot avoid: reading the wall clock once, on the same
	 * {@link Clock} the refresher uses.
	 */
	@Benchmark
	public long clockMillis() {
		return SYSTEM_CLOCK.millis();
	}

	private Object run(MockFilterChain chain) throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/me");
		request.setSession(this.session);
		MockHttpServletResponse response = new MockHttpServletResponse();
		chain.reset();
		chain.doFilter(request, response);
		return request.getAttribute(RefreshStack.MeServlet.NAME_ATTRIBUTE);
	}

}

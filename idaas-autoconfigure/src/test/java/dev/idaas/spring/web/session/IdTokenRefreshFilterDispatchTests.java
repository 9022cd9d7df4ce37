package dev.idaas.spring.web.session;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.web.util.WebUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The once-per-request rules of {@link IdTokenRefreshFilter} (those of
 * {@code OncePerRequestFilter}'s defaults) and the cost of its fast path: no request attribute,
 * no session and no allocation when no refresh is due.
 */
class IdTokenRefreshFilterDispatchTests {

	private RefreshTestStack stack;

	private IdTokenRefreshFilter filter;

	@BeforeEach
	void setUp() {
		this.stack = new RefreshTestStack();
		this.filter = new IdTokenRefreshFilter(this.stack.refresher);
	}

	@AfterEach
	void tearDown() {
		this.stack.close();
		SecurityContextHolder.clearContext();
	}

	private void signedIn(IdaasAuthenticationToken authentication) {
		SecurityContextHolder.setContext(new SecurityContextImpl(authentication));
	}

	@Test
	void doFilterWhenIdTokenFreshThenNoRequestAttributeAndNoSession() throws Exception {
		signedIn(this.stack.signIn());
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/me");
		List<String> attributesInChain = new ArrayList<>();
		this.filter.doFilter(request, new MockHttpServletResponse(),
				(req, res) -> attributesInChain.addAll(Collections.list(req.getAttributeNames())));
		assertThat(attributesInChain).isEmpty();
		assertThat(request.getSession(false)).isNull();
		assertThat(this.stack.idaas.refreshRequestCount()).isZero();
	}

	@Test
	void doFilterWhenIdTokenFreshThenAllocatesNothing() throws Exception {
		signedIn(this.stack.signIn());
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/me");
		MockHttpServletResponse response = new MockHttpServletResponse();
		AtomicInteger chainCalls = new AtomicInteger();
		FilterChain chain = (req, res) -> chainCalls.incrementAndGet();
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
			.getThreadMXBean();
		for (int i = 0; i < 20_000; i++) {
			this.filter.doFilter(request, response, chain);
		}
		int calls = 100_000;
		long before = threads.getCurrentThreadAllocatedBytes();
		for (int i = 0; i < calls; i++) {
			this.filter.doFilter(request, response, chain);
		}
		long allocated = threads.getCurrentThreadAllocatedBytes() - before;
		assertThat(chainCalls).hasValue(120_000);
		// below one byte per request: OncePerRequestFilter's attribute name and map entry were 136 B
		assertThat(allocated).isLessThan(calls);
		assertThat(this.stack.idaas.refreshRequestCount()).isZero();
	}

	@Test
	void doFilterWhenDueThenAttributeSetDuringChainAndRemovedAfter() throws Exception {
		signedIn(this.stack.signIn());
		this.stack.clock.advance(Duration.ofMinutes(4).plusSeconds(10));
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/me");
		List<Object> attributeInChain = new ArrayList<>();
		this.filter.doFilter(request, new MockHttpServletResponse(),
				(req, res) -> attributeInChain.add(req.getAttribute(IdTokenRefreshFilter.ALREADY_FILTERED_ATTRIBUTE)));
		assertThat(attributeInChain).containsExactly(Boolean.TRUE);
		assertThat(request.getAttribute(IdTokenRefreshFilter.ALREADY_FILTERED_ATTRIBUTE)).isNull();
		assertThat(this.stack.idaas.refreshRequestCount()).isEqualTo(1);
	}

	@Test
	void doFilterWhenDueAndNestedPassOfSameRequestThenRefreshedOnce() throws Exception {
		IdaasAuthenticationToken due = this.stack.signIn();
		signedIn(due);
		this.stack.clock.advance(Duration.ofMinutes(4).plusSeconds(10));
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/me");
		AtomicInteger innerCalls = new AtomicInteger();
		this.filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> {
			// a forward (or the filter registered twice) with the request's first authentication
			signedIn(due);
			this.filter.doFilter(req, res, (innerReq, innerRes) -> innerCalls.incrementAndGet());
		});
		assertThat(innerCalls).hasValue(1);
		assertThat(this.stack.idaas.refreshRequestCount()).isEqualTo(1);
	}

	@Test
	void doFilterWhenDueAndAsyncDispatchThenNotRefreshed() throws Exception {
		signedIn(this.stack.signIn());
		this.stack.clock.advance(Duration.ofMinutes(4).plusSeconds(10));
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/me");
		request.setDispatcherType(DispatcherType.ASYNC);
		AtomicInteger chainCalls = new AtomicInteger();
		this.filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> chainCalls.incrementAndGet());
		assertThat(chainCalls).hasValue(1);
		assertThat(this.stack.idaas.refreshRequestCount()).isZero();
	}

	@Test
	void doFilterWhenDueAndErrorDispatchThenNotRefreshed() throws Exception {
		signedIn(this.stack.signIn());
		this.stack.clock.advance(Duration.ofMinutes(4).plusSeconds(10));
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/error");
		request.setDispatcherType(DispatcherType.ERROR);
		request.setAttribute(WebUtils.ERROR_REQUEST_URI_ATTRIBUTE, "/api/me");
		MockHttpServletResponse response = new MockHttpServletResponse();
		AtomicInteger chainCalls = new AtomicInteger();
		this.filter.doFilter(request, response, (req, res) -> chainCalls.incrementAndGet());
		assertThat(chainCalls).hasValue(1);
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(this.stack.idaas.refreshRequestCount()).isZero();
	}

	@Test
	void doFilterWhenDueAndRequestDispatchThenRefreshedAndChainContinues() throws Exception {
		signedIn(this.stack.signIn());
		this.stack.clock.advance(Duration.ofMinutes(4).plusSeconds(10));
		AtomicInteger chainCalls = new AtomicInteger();
		this.filter.doFilter(new MockHttpServletRequest("GET", "/api/me"), new MockHttpServletResponse(),
				(req, res) -> chainCalls.incrementAndGet());
		assertThat(chainCalls).hasValue(1);
		assertThat(this.stack.idaas.refreshRequestCount()).isEqualTo(1);
		IdaasAuthenticationToken current = (IdaasAuthenticationToken) SecurityContextHolder.getContext()
			.getAuthentication();
		assertThat(current.getSessionState().refreshCount()).isEqualTo(1);
	}

}

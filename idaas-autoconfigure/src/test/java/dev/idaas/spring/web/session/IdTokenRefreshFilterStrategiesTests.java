package dev.idaas.spring.web.session;

import java.time.Duration;
import java.util.Locale;

import jakarta.servlet.FilterChain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.idaas.spring.authentication.IdaasAuthenticationToken;
import dev.idaas.spring.client.IdaasErrorMessages;

import org.springframework.context.support.StaticMessageSource;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.context.SecurityContextImpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link IdTokenRefreshFilter}'s replaceable strategies and its 503 answer, on the real refresh
 * stack: a 503 answer when IDaaS is busy and the id_token has expired, shaped by the strategies.
 */
class IdTokenRefreshFilterStrategiesTests {

	private final RefreshTestStack stack = new RefreshTestStack();

	private final IdTokenRefreshFilter filter = new IdTokenRefreshFilter(this.stack.refresher);

	@AfterEach
	void tearDown() {
		SecurityContextHolder.clearContext();
		this.stack.close();
	}

	@Test
	void constructorAndSettersWhenNullThenIllegalArgument() {
		assertThatIllegalArgumentException().isThrownBy(() -> new IdTokenRefreshFilter(null))
			.withMessage("refresher cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.filter.setSecurityContextHolderStrategy(null))
			.withMessage("securityContextHolderStrategy cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.filter.setSessionExpiredHandler(null))
			.withMessage("sessionExpiredHandler cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.filter.setJsonRequestMatcher(null))
			.withMessage("jsonRequestMatcher cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.filter.setErrorMessages(null))
			.withMessage("errorMessages cannot be null");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.stack.refresher.setSecurityContextHolderStrategy(null))
			.withMessage("securityContextHolderStrategy cannot be null");
	}

	@Test
	void doFilterWhenJsonRequestMatcherReplacedThenBrowserRequestGetsJson503() throws Exception {
		this.filter.setJsonRequestMatcher((request) -> request.getRequestURI().startsWith("/api/"));
		MockHttpServletRequest request = expiredWhileIdaasBusy();
		request.setRequestURI("/api/orders");
		request.addHeader("Accept", "text/html");
		MockHttpServletResponse response = new MockHttpServletResponse();
		MockFilterChain chain = new MockFilterChain();

		this.filter.doFilter(request, response, chain);

		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getHeader("Retry-After")).isEqualTo("5");
		assertThat(response.getContentAsString()).startsWith("{\"error_code\":\"IDAAS.SDK.COM.0002\"");
		assertThat(chain.getRequest()).isNull();
	}

	@Test
	void doFilterWhenErrorMessagesReplacedThenTheirTextAnswered() throws Exception {
		StaticMessageSource messages = new StaticMessageSource();
		messages.addMessage("IDAAS.SDK.COM.0002", Locale.ENGLISH, "Back in a moment");
		this.filter.setErrorMessages(new IdaasErrorMessages(messages));
		MockHttpServletRequest request = expiredWhileIdaasBusy();
		request.addHeader("Accept", "application/json");
		request.addPreferredLocale(Locale.ENGLISH);
		MockHttpServletResponse response = new MockHttpServletResponse();

		this.filter.doFilter(request, response, new MockFilterChain());

		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getContentAsString())
			.isEqualTo("{\"error_code\":\"IDAAS.SDK.COM.0002\",\"error_msg\":\"Back in a moment\"}");
	}

	@Test
	void doFilterWhenResponseAlreadyCommittedThenNothingMoreWrittenAndChainNotCalled() throws Exception {
		MockHttpServletRequest request = expiredWhileIdaasBusy();
		MockHttpServletResponse response = new MockHttpServletResponse();
		response.setCommitted(true);
		MockFilterChain chain = new MockFilterChain();

		this.filter.doFilter(request, response, chain);

		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getHeader("Retry-After")).isNull();
		assertThat(chain.getRequest()).isNull();
		assertThat(this.stack.refreshRequests()).hasSize(1);
	}

	@Test
	void doFilterWhenHolderStrategyReplacedThenItsAuthenticationRefreshed() throws Exception {
		SecurityContextHolderStrategy strategy = new IsolatedSecurityContextHolderStrategy();
		this.filter.setSecurityContextHolderStrategy(strategy);
		this.stack.refresher.setSecurityContextHolderStrategy(strategy);
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		MockHttpSession session = this.stack.sessionWith(signedIn);
		strategy.setContext(new SecurityContextImpl(signedIn));
		this.stack.clock.advance(Duration.ofMinutes(6));
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setSession(session);
		FilterChain chain = new MockFilterChain();

		this.filter.doFilter(request, new MockHttpServletResponse(), chain);

		assertThat(this.stack.refreshRequests()).hasSize(1);
		IdaasAuthenticationToken refreshed = (IdaasAuthenticationToken) strategy.getContext().getAuthentication();
		assertThat(refreshed.getSessionState().refreshCount()).isEqualTo(1);
		assertThat(SecurityContextHolder.getContext().getAuthentication()).isNull();
	}

	@Test
	void doFilterWhenHolderStrategyReplacedAndSessionEndedThenItsContextCleared() throws Exception {
		SecurityContextHolderStrategy strategy = new IsolatedSecurityContextHolderStrategy();
		this.filter.setSecurityContextHolderStrategy(strategy);
		this.stack.refresher.setSecurityContextHolderStrategy(strategy);
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		MockHttpSession session = this.stack.sessionWith(signedIn);
		strategy.setContext(new SecurityContextImpl(signedIn));
		SecurityContextHolder.getContext().setAuthentication(signedIn);
		this.stack.idaas.disableUser(this.stack.alice);
		this.stack.clock.advance(Duration.ofMinutes(6));
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setSession(session);
		MockHttpServletResponse response = new MockHttpServletResponse();

		this.filter.doFilter(request, response, new MockFilterChain());

		assertThat(response.getStatus()).isEqualTo(302);
		assertThat(session.isInvalid()).isTrue();
		assertThat(strategy.getContext().getAuthentication()).isNull();
		// the global holder is not the one in use: left alone
		assertThat(SecurityContextHolder.getContext().getAuthentication()).isSameAs(signedIn);
	}

	/** A request whose id_token has expired, with IDaaS answering "system busy" once. */
	private MockHttpServletRequest expiredWhileIdaasBusy() {
		IdaasAuthenticationToken signedIn = this.stack.signIn();
		MockHttpSession session = this.stack.sessionWith(signedIn);
		SecurityContextHolder.getContext().setAuthentication(signedIn);
		this.stack.clock.advance(Duration.ofMinutes(6));
		this.stack.idaas.failNext(1, 500);
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/orders");
		request.setSession(session);
		return request;
	}

}

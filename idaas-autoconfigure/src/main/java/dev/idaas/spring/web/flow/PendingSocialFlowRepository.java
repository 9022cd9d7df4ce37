package dev.idaas.spring.web.flow;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the pending bind or register flow of a browser between the Apple login and the page
 * that finishes it.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see HttpSessionPendingSocialFlowRepository
 */
public interface PendingSocialFlowRepository {

	/**
	 * Stores the flow, replacing any earlier one.
	 * @param flow the flow
	 * @param request the request
	 */
	void save(PendingSocialFlow flow, HttpServletRequest request);

	/**
	 * The flow of this browser, if one exists and has not expired.
	 * @param request the request
	 * @return the flow, or {@code null}
	 */
	@Nullable PendingSocialFlow load(HttpServletRequest request);

	/**
	 * Whether this browser's flow was dropped because it expired (since it was last saved or
	 * removed), so the page can say "expired, sign in again" instead of "no flow". Repositories
	 * that cannot tell answer {@code false}.
	 * @param request the request
	 * @return {@code true} when the last flow of this browser expired
	 * @since 0.1
	 */
	default boolean isExpired(HttpServletRequest request) {
		return false;
	}

	/**
	 * Removes the flow of this browser.
	 * @param request the request
	 */
	void remove(HttpServletRequest request);

}

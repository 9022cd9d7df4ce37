package dev.idaas.spring.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.idaas.spring.client.DeviceContext;

/**
 * Resolves the end user's device facts (forwarded to IDaaS on every call) from a request.
 * Replace the bean to take them from elsewhere.
 *
 * @author idaas-spring-boot-starter
 * @since 0.1
 * @see DefaultDeviceContextResolver
 */
@FunctionalInterface
public interface DeviceContextResolver {

	/**
	 * Resolves the device facts of the request's user. May set a cookie (e.g. a device id).
	 * @param request the request
	 * @param response the response
	 * @return the device facts
	 */
	DeviceContext resolve(HttpServletRequest request, HttpServletResponse response);

}

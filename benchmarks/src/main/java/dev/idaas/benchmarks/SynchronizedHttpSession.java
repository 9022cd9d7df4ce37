package dev.idaas.benchmarks;

import org.springframework.mock.web.MockHttpSession;

/**
 * A {@link MockHttpSession} that many request threads may share, as a container's session
 * (Tomcat's {@code StandardSession} keeps its attributes in a {@code ConcurrentHashMap}).
 */
final class SynchronizedHttpSession extends MockHttpSession {

	@Override
	public synchronized Object getAttribute(String name) {
		return super.getAttribute(name);
	}

	@Override
	public synchronized void setAttribute(String name, Object value) {
		super.setAttribute(name, value);
	}

	@Override
	public synchronized void removeAttribute(String name) {
		super.removeAttribute(name);
	}

	@Override
	public synchronized void invalidate() {
		super.invalidate();
	}

	@Override
	public synchronized boolean isInvalid() {
		return super.isInvalid();
	}

}

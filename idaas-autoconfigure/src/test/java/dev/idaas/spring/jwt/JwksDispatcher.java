package dev.idaas.spring.jwt;

import java.util.ArrayDeque;
import java.util.Deque;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * Serves the same response to every request until told otherwise; queued responses, if any,
 * are served first.
 */
final class JwksDispatcher extends Dispatcher {

	private final Deque<MockResponse> queued = new ArrayDeque<>();

	private volatile MockResponse response;

	JwksDispatcher(MockResponse response) {
		this.response = response;
	}

	void serve(MockResponse response) {
		this.response = response;
	}

	synchronized void serveOnce(MockResponse response) {
		this.queued.add(response);
	}

	@Override
	public MockResponse dispatch(RecordedRequest request) {
		synchronized (this) {
			MockResponse next = this.queued.poll();
			if (next != null) {
				return next;
			}
		}
		return this.response;
	}

}

/*
 * Profile page: counts the id_token's remaining life down and polls /api/me, which keeps the
 * session in use so the starter silently refreshes the id_token shortly before it expires.
 * No token ever reaches this script: /api/me answers claims and times only.
 */
(function () {
	'use strict';
	var session = document.getElementById('session');
	if (!session) {
		return;
	}
	var expiresIn = document.getElementById('expires-in');
	var expiresAtText = document.getElementById('expires-at');
	var refreshCount = document.getElementById('refresh-count');
	var expiresAt = Date.parse(session.dataset.expiresAt);
	var pollMillis = parseInt(session.dataset.pollMillis, 10) || 5000;

	function render() {
		if (isNaN(expiresAt)) {
			expiresIn.textContent = '?';
			return;
		}
		expiresIn.textContent = String(Math.max(0, Math.round((expiresAt - Date.now()) / 1000)));
	}

	function poll() {
		fetch(session.dataset.meUrl, {
			headers: { 'Accept': 'application/json' },
			credentials: 'same-origin',
			cache: 'no-store'
		}).then(function (response) {
			if (response.status === 401) {
				window.location.assign(session.dataset.expiredUrl);
				return null;
			}
			return response.ok ? response.json() : null;
		}).then(function (me) {
			if (!me) {
				return;
			}
			expiresAt = Date.parse(me.id_token_expires_at);
			expiresAtText.textContent = me.id_token_expires_at;
			refreshCount.textContent = String(me.refresh_count);
			render();
		}).catch(function () {
			// offline for a moment: the next poll tries again
		});
	}

	render();
	window.setInterval(render, 1000);
	window.setInterval(poll, pollMillis);
}());

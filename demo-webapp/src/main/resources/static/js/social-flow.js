/*
 * Bind/register page: carries the chosen method and the phone number or email from the
 * "send code" form to the "verify" form, so the user types them once.
 */
(function () {
	'use strict';
	var sendForm = document.getElementById('send-code-form');
	var verifyMethod = document.getElementById('verify-method');
	var sendTarget = document.getElementById('send-target');
	var verifyTarget = document.getElementById('verify-target');
	if (!sendForm || !verifyMethod || !sendTarget || !verifyTarget) {
		return;
	}
	var key = 'idaas-demo-social-target';
	try {
		var saved = JSON.parse(window.sessionStorage.getItem(key) || 'null');
		if (saved && !verifyTarget.value) {
			verifyTarget.value = saved.target || '';
			sendTarget.value = sendTarget.value || saved.target || '';
			sendForm.querySelectorAll('input[name=method]').forEach(function (radio) {
				if (radio.value === saved.method) {
					radio.checked = true;
					verifyMethod.value = saved.method;
				}
			});
		}
	} catch (e) {
		// storage unavailable: the user types the target again
	}
	sendForm.addEventListener('change', function (event) {
		if (event.target.name === 'method') {
			verifyMethod.value = event.target.value;
		}
	});
	sendTarget.addEventListener('input', function () {
		verifyTarget.value = sendTarget.value;
	});
	sendForm.addEventListener('submit', function () {
		try {
			window.sessionStorage.setItem(key, JSON.stringify({ method: verifyMethod.value, target: sendTarget.value }));
		} catch (e) {
			// storage unavailable
		}
	});
}());

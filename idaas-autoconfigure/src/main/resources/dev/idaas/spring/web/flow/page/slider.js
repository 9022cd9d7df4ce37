/*
 * idaas-spring-boot-starter: the slider captcha of the bind, register and MFA pages.
 * Served as /idaas/assets/slider.js. No inline script, no eval: works under
 * "script-src 'self'; img-src 'self' data:".
 *
 * Markup (inside the form that posts to {url}/code):
 *   <div class="idaas-slider" data-captcha-url="/idaas/bind/captcha"
 *        data-text-hint=".." data-text-loading=".." data-text-error=".." data-text-refresh=".." data-text-done=".."></div>
 *   <input type="hidden" name="captcha_x">
 *   <button type="submit" data-idaas-needs-slide disabled>Send code</button>
 *
 * The script fetches a puzzle (GET {url}/captcha), draws the background and the piece, and
 * lets the user drag the piece, or the handle under it, with a mouse, a finger or a pen
 * (pointer events), or move it with the arrow keys. On release it writes where the piece was
 * dropped, in background-image pixels, into captcha_x and enables the buttons marked
 * data-idaas-needs-slide. "New puzzle" fetches another one; every page load starts with a new
 * puzzle, so a failed slide (?error&code=IDAAS.SDK.CAPTCHA.0002) shows a fresh one.
 *
 * Forms marked data-idaas-copy-from="<id of the send form>" get that form's method and target
 * when submitted, and keep them across the ?sent reload (sessionStorage), so the user types them
 * once.
 */
(function () {
	'use strict';

	var DATA_URI = /^data:image\/png;base64,[A-Za-z0-9+\/=]+$/;

	function text(root, name, fallback) {
		var value = root.getAttribute('data-text-' + name);
		return value || fallback;
	}

	function element(tag, className) {
		var el = document.createElement(tag);
		if (className) {
			el.className = className;
		}
		return el;
	}

	function Slider(root) {
		this.root = root;
		this.form = root.closest('form');
		this.input = this.form ? this.form.querySelector('input[name="captcha_x"]') : null;
		this.buttons = this.form ? this.form.querySelectorAll('[data-idaas-needs-slide]') : [];
		this.url = root.getAttribute('data-captcha-url');
		this.puzzle = null;
		this.left = 0;
		this.drag = null;
		this.build();
		this.load();
	}

	Slider.prototype.build = function () {
		var self = this;
		this.root.textContent = '';
		this.stage = element('div', 'idaas-slider-stage');
		this.background = element('img', 'idaas-slider-background');
		this.background.alt = '';
		this.background.draggable = false;
		this.piece = element('img', 'idaas-slider-piece');
		this.piece.alt = '';
		this.piece.draggable = false;
		this.stage.appendChild(this.background);
		this.stage.appendChild(this.piece);
		this.track = element('div', 'idaas-slider-track');
		this.handle = element('div', 'idaas-slider-handle');
		this.handle.tabIndex = 0;
		this.handle.setAttribute('role', 'slider');
		this.handle.setAttribute('aria-valuemin', '0');
		this.handle.setAttribute('aria-valuenow', '0');
		this.handle.setAttribute('aria-label', text(this.root, 'hint', 'Drag the piece into the gap'));
		this.track.appendChild(this.handle);
		this.status = element('p', 'idaas-slider-status');
		this.status.setAttribute('role', 'status');
		this.refresh = element('button', 'idaas-slider-refresh');
		this.refresh.type = 'button';
		this.refresh.textContent = text(this.root, 'refresh', 'New puzzle');
		this.root.appendChild(this.stage);
		this.root.appendChild(this.track);
		this.root.appendChild(this.status);
		this.root.appendChild(this.refresh);
		[this.piece, this.handle].forEach(function (target) {
			target.addEventListener('pointerdown', function (event) { self.start(event, target); });
			target.addEventListener('pointermove', function (event) { self.move(event); });
			target.addEventListener('pointerup', function (event) { self.end(event); });
			target.addEventListener('pointercancel', function (event) { self.end(event); });
		});
		this.handle.addEventListener('keydown', function (event) { self.key(event); });
		this.refresh.addEventListener('click', function () { self.load(); });
		window.addEventListener('resize', function () { self.place(self.left); });
	};

	Slider.prototype.setReady = function (ready) {
		Array.prototype.forEach.call(this.buttons, function (button) {
			button.disabled = !ready;
		});
	};

	Slider.prototype.say = function (message, failed) {
		this.status.textContent = message;
		this.root.classList.toggle('idaas-slider-failed', !!failed);
	};

	Slider.prototype.load = function () {
		var self = this;
		this.puzzle = null;
		this.root.classList.remove('idaas-slider-solved', 'idaas-slider-ready');
		if (this.input) {
			this.input.value = '';
		}
		this.setReady(false);
		this.say(text(this.root, 'loading', 'Loading the puzzle...'), false);
		if (!this.url) {
			this.say(text(this.root, 'error', 'The puzzle could not be loaded.'), true);
			return;
		}
		fetch(this.url, { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } })
			.then(function (response) {
				if (!response.ok) {
					throw new Error('HTTP ' + response.status);
				}
				return response.json();
			})
			.then(function (puzzle) {
				if (!DATA_URI.test(puzzle.background) || !DATA_URI.test(puzzle.piece) || !(puzzle.width > 0)
						|| !(puzzle.pieceWidth > 0)) {
					throw new Error('not a puzzle');
				}
				self.show(puzzle);
			})
			.catch(function () {
				self.say(text(self.root, 'error', 'The puzzle could not be loaded.'), true);
			});
	};

	Slider.prototype.show = function (puzzle) {
		var self = this;
		var loaded = 0;
		function ready() {
			loaded += 1;
			if (loaded === 2) {
				self.puzzle = puzzle;
				self.place(0);
				self.root.classList.add('idaas-slider-ready');
				self.say(text(self.root, 'hint', 'Drag the piece into the gap'), false);
			}
		}
		this.background.onload = ready;
		this.piece.onload = ready;
		this.root.style.maxWidth = puzzle.width + 'px';
		this.stage.style.aspectRatio = puzzle.width + ' / ' + puzzle.height;
		this.background.src = puzzle.background;
		this.piece.src = puzzle.piece;
	};

	/** CSS pixels per background-image pixel, as rendered now. */
	Slider.prototype.scale = function () {
		return this.puzzle ? this.stage.clientWidth / this.puzzle.width : 1;
	};

	Slider.prototype.maxLeft = function () {
		return this.puzzle ? Math.max(0, this.stage.clientWidth - this.puzzle.pieceWidth * this.scale()) : 0;
	};

	Slider.prototype.place = function (left) {
		if (!this.puzzle) {
			return;
		}
		var scale = this.scale();
		this.left = Math.min(Math.max(left, 0), this.maxLeft());
		this.piece.style.width = (this.puzzle.pieceWidth * scale) + 'px';
		this.piece.style.top = ((this.puzzle.pieceY || 0) * scale) + 'px';
		this.piece.style.left = this.left + 'px';
		this.handle.style.left = this.left + 'px';
		this.handle.setAttribute('aria-valuemax', String(Math.round(this.maxLeft() / scale)));
		this.handle.setAttribute('aria-valuenow', String(Math.round(this.left / scale)));
	};

	Slider.prototype.start = function (event, target) {
		if (!this.puzzle || (event.pointerType === 'mouse' && event.button !== 0)) {
			return;
		}
		event.preventDefault();
		target.setPointerCapture(event.pointerId);
		this.drag = { pointerId: event.pointerId, startX: event.clientX, startLeft: this.left };
		this.root.classList.add('idaas-slider-dragging');
	};

	Slider.prototype.move = function (event) {
		if (!this.drag || event.pointerId !== this.drag.pointerId) {
			return;
		}
		event.preventDefault();
		this.place(this.drag.startLeft + event.clientX - this.drag.startX);
	};

	Slider.prototype.end = function (event) {
		if (!this.drag || event.pointerId !== this.drag.pointerId) {
			return;
		}
		if (event.type === 'pointerup') {
			this.place(this.drag.startLeft + event.clientX - this.drag.startX);
		}
		this.drag = null;
		this.root.classList.remove('idaas-slider-dragging');
		this.drop();
	};

	Slider.prototype.key = function (event) {
		if (!this.puzzle) {
			return;
		}
		var step = (event.shiftKey ? 10 : 1) * this.scale();
		if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
			event.preventDefault();
			this.place(this.left + ((event.key === 'ArrowRight') ? step : -step));
			this.drop();
		}
	};

	/** Where the piece is, in background-image pixels, goes into the form. */
	Slider.prototype.drop = function () {
		if (!this.puzzle || !this.input) {
			return;
		}
		var x = Math.round((this.left / this.scale()) * 10) / 10;
		this.input.value = String(x);
		this.root.classList.add('idaas-slider-solved');
		this.say(text(this.root, 'done', 'Done. You can send the code now.'), false);
		this.setReady(true);
	};

	function storageKey() {
		return 'idaas-flow-target:' + window.location.pathname;
	}

	function remember(form) {
		var method = form.querySelector('[name="method"]:checked') || form.querySelector('input[type="hidden"][name="method"]');
		var target = form.querySelector('[name="target"]');
		try {
			window.sessionStorage.setItem(storageKey(), JSON.stringify({
				method: method ? method.value : '', target: target ? target.value : '' }));
		} catch (e) {
			// storage unavailable: the user types the target again
		}
	}

	function restore(form) {
		var saved = null;
		try {
			saved = JSON.parse(window.sessionStorage.getItem(storageKey()) || 'null');
		} catch (e) {
			saved = null;
		}
		if (!saved) {
			return;
		}
		var target = form.querySelector('[name="target"]');
		if (target && !target.value && typeof saved.target === 'string') {
			target.value = saved.target;
		}
		form.querySelectorAll('input[type="radio"][name="method"]').forEach(function (radio) {
			radio.checked = (radio.value === saved.method) || (radio.checked && !saved.method);
		});
	}

	function copy(from, to, name) {
		var source = from.querySelector('[name="' + name + '"]:checked')
			|| from.querySelector('[name="' + name + '"]:not([type="radio"])');
		var sink = to.querySelector('input[type="hidden"][name="' + name + '"]');
		if (source && sink) {
			sink.value = source.value;
		}
	}

	function init() {
		document.querySelectorAll('.idaas-slider[data-captcha-url]').forEach(function (root) {
			new Slider(root);
		});
		document.querySelectorAll('form[data-idaas-copy-from]').forEach(function (form) {
			var from = document.getElementById(form.getAttribute('data-idaas-copy-from'));
			if (!from) {
				return;
			}
			restore(from);
			from.addEventListener('submit', function () { remember(from); });
			form.addEventListener('submit', function () {
				copy(from, form, 'method');
				copy(from, form, 'target');
			});
		});
	}

	if (document.readyState === 'loading') {
		document.addEventListener('DOMContentLoaded', init);
	}
	else {
		init();
	}
}());

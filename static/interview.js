// The phone form, progressively enhanced: hides questions a skip rule
// skips as answers change, and keeps the screen's answers in localStorage
// until the server confirms it saved them (a poor connection loses
// nothing). The form works without it: the server applies the skip rules.
(function () {
	'use strict';
	var form = document.querySelector('form.iv-form');
	if (!form) return;
	var id = form.getAttribute('data-interview');
	var screen = form.getAttribute('data-screen');
	var saved = form.getAttribute('data-saved');
	var store = null;
	try { store = window.localStorage; } catch (e) { store = null; }
	var key = function (s) { return 'quantri.interview.' + id + '.' + s; };

	function value(code) {
		var els = form.querySelectorAll('[name="q_' + code + '"], [name="m_' + code + '"]');
		if (!els.length) return null; // not on this screen: the server decided
		var v = '';
		for (var i = 0; i < els.length; i++) {
			var el = els[i];
			if (el.type === 'radio') { if (el.checked) v = el.value; }
			else if (el.value && !v) v = el.value.trim();
		}
		return v;
	}
	function skipped(fs, depth) {
		var rule = fs.getAttribute('data-skip-if');
		if (!rule || depth > 64) return false;
		return rule.split(';').some(function (cond) {
			var ne = cond.indexOf('!=') >= 0;
			var parts = cond.split(ne ? '!=' : '=');
			if (parts.length !== 2) return false;
			var other = document.getElementById('q-' + parts[0]);
			if (other && skipped(other, depth + 1)) return true;
			var v = value(parts[0]);
			if (v === null || v === '') return false;
			return ne ? v !== parts[1] : v === parts[1];
		});
	}
	function apply() {
		var qs = form.querySelectorAll('fieldset[data-skip-if]');
		for (var i = 0; i < qs.length; i++)
			qs[i].classList.toggle('iv-hidden', skipped(qs[i], 0));
	}
	function snapshot() {
		var data = {};
		var els = form.querySelectorAll('input[name^="q_"], input[name^="m_"]');
		for (var i = 0; i < els.length; i++) {
			var el = els[i];
			if (el.type === 'radio') { if (el.checked) data[el.name] = el.value; }
			else data[el.name] = el.value;
		}
		return data;
	}
	function keep() {
		if (store) try { store.setItem(key(screen), JSON.stringify(snapshot())); } catch (e) {}
	}
	function restore() {
		if (!store) return;
		var raw = store.getItem(key(screen));
		if (!raw) return;
		var data;
		try { data = JSON.parse(raw); } catch (e) { return; }
		Object.keys(data).forEach(function (name) {
			var els = form.querySelectorAll('[name="' + name + '"]');
			for (var i = 0; i < els.length; i++) {
				var el = els[i];
				if (el.type === 'radio') el.checked = el.value === data[name];
				else if (!el.value) el.value = data[name];
			}
		});
	}
	// The server has this screen: forget the copy of the screen it saved.
	if (store && saved !== '') store.removeItem(key(saved));
	restore();
	apply();
	form.addEventListener('change', function () { apply(); keep(); });
	form.addEventListener('input', keep);
	form.addEventListener('submit', keep);
})();

/* Optional help; every page works without it. Buttons and links with
 * data-confirm="..." ask before doing something that cannot be undone. */
document.addEventListener('click', function (ev) {
	var el = ev.target.closest ? ev.target.closest('[data-confirm]') : null;
	if (el && !window.confirm(el.getAttribute('data-confirm')))
		ev.preventDefault();
});

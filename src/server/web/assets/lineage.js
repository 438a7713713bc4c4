// The lineage controls of a model page (form#lineage-controls) kept in step with the
// URL. The form is a plain GET form, so the URL is the view; but after Back or
// Forward a browser may restore the page from its back-forward cache, or refill the
// fields it remembers, and the form then shows other values than the URL and the
// picture (depth=1 in the URL, "all" in the form). On every `pageshow` and
// `popstate` the fields are set from the URL, with the server's defaults for what
// the URL leaves out.
(function () {
  'use strict';

  // The server's defaults: what a field shows when the URL does not name it.
  const DEFAULTS = { direction: 'both', depth: '', min_confidence: '', as_of: '', known_at: '' };

  function sync() {
    const form = document.getElementById('lineage-controls');
    if (!form) return;
    const params = new URLSearchParams(window.location.search);
    for (const [name, fallback] of Object.entries(DEFAULTS)) {
      const field = form.elements.namedItem(name);
      if (!field) continue;
      const value = params.get(name);
      field.value = value === null ? fallback : value;
      // A select given a value it has no option for shows nothing; show the default.
      if (field.tagName === 'SELECT' && field.selectedIndex < 0) field.value = fallback;
    }
    // Relations repeat (`relation=a&relation=b`) or come comma-separated, as the
    // server reads them.
    const relations = new Set(params.getAll('relation')
      .flatMap((value) => value.split(','))
      .map((value) => value.trim())
      .filter(Boolean));
    for (const box of form.querySelectorAll('input[type=checkbox][name=relation]')) {
      box.checked = relations.has(box.value);
    }
  }

  window.addEventListener('pageshow', sync);
  window.addEventListener('popstate', sync);
  if (document.readyState !== 'loading') sync();
  else document.addEventListener('DOMContentLoaded', sync);
})();

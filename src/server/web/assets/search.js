// Search as you type on every search box (form.search).
(function () {
  'use strict';
  const { debounce, el } = Pedigree;

  async function suggest(input, list) {
    const q = input.value.trim();
    list.replaceChildren();
    if (q.length < 2) return;
    const kinds = PEDIGREE_KINDS.filter((kind) => kind.suggest);
    const results = await Promise.all(kinds.map(async (kind) => {
      const prefix = `/${kind.folder}/`;
      try {
        const response = await fetch(`/api/${kind.folder}?per_page=6&q=${encodeURIComponent(q)}`, { headers: { Accept: 'application/json' } });
        if (!response.ok) return [];
        const page = await response.json();
        return page.items.map((item) => ({ kind, prefix, item }));
      } catch (_) {
        return [];
      }
    }));
    if (input.value.trim() !== q) return; // a newer keystroke won
    for (const { kind, prefix, item } of results.flat().slice(0, 10)) {
      const lower = q.toLowerCase();
      const alias = (item.aliases || []).find((a) => a.toLowerCase().includes(lower) && !item.name.toLowerCase().includes(lower));
      const hint = alias ? `also known as ${alias}` : (item.developer ? item.developer.name : (item.detail || kind.noun));
      // A model says which kind of model it is; any other record says its kind's noun.
      const label = kind.noun === 'model' ? item.kind : kind.noun;
      const link = el('a', { href: prefix + encodeURIComponent(item.id), role: 'option', 'data-id': item.id },
        item.name, ' ', el('span', { class: 'hint' }, `${hint} · ${label}`));
      list.append(el('li', {}, link));
    }
  }

  document.querySelectorAll('form.search').forEach((form) => {
    const input = form.querySelector('input[type=search]');
    const list = form.querySelector('.suggestions');
    if (!input || !list) return;
    input.setAttribute('autocomplete', 'off');
    input.addEventListener('input', debounce(() => suggest(input, list), 120));
    input.addEventListener('keydown', (event) => {
      const links = [...list.querySelectorAll('a')];
      const current = links.findIndex((a) => a.getAttribute('aria-selected') === 'true');
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        if (!links.length) return;
        const next = event.key === 'ArrowDown' ? (current + 1) % links.length : (current - 1 + links.length) % links.length;
        links.forEach((a, i) => a.setAttribute('aria-selected', String(i === next)));
      } else if (event.key === 'Enter' && current >= 0) {
        event.preventDefault();
        window.location.href = links[current].href;
      } else if (event.key === 'Escape') {
        list.replaceChildren();
      }
    });
  });
})();

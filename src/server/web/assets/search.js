// Search as you type on every search box (form.search): the WAI-ARIA 1.2 combobox
// pattern with a listbox popup (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/).
// Focus stays in the input; the arrow keys move aria-activedescendant over the
// options, Enter opens the active one, Escape or a click outside closes the list.
// The options are links (role=option, out of the tab order), so a mouse click, a
// middle click and the status bar work as on any link. The last option is always
// "See all results for …", the search page, which is also where the form goes
// without the script.
(function () {
  'use strict';
  const { debounce, el } = Pedigree;

  // At most this many suggestions above "See all results"; the kinds share them.
  const MAX_SUGGESTIONS = 10;

  // As the server compares (src/kb/search.rs): letters and digits only, lowercased.
  const key = (text) => text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

  // Every kind gets its turn: with matches in five kinds, two of each; with matches
  // only among models, ten models. Each kind keeps the server's ranking.
  function share(lists, total) {
    const taken = lists.map(() => 0);
    let left = total;
    while (left > 0 && lists.some((list, i) => taken[i] < list.length)) {
      lists.forEach((list, i) => {
        if (left > 0 && taken[i] < list.length) {
          taken[i] += 1;
          left -= 1;
        }
      });
    }
    return lists.flatMap((list, i) => list.slice(0, taken[i]));
  }

  function combobox(form) {
    const input = form.querySelector('input[role=combobox]');
    const list = form.querySelector('[role=listbox]');
    if (!input || !list) return;
    let asked = 0; // the newest request: an older answer arriving later is dropped

    const options = () => [...list.querySelectorAll('[role=option]')];
    const active = () => options().findIndex((o) => o.getAttribute('aria-selected') === 'true');

    function open() {
      if (!list.children.length) return;
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
    }

    function close() {
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
      options().forEach((o) => o.removeAttribute('aria-selected'));
    }

    function activate(index) {
      const all = options();
      all.forEach((o, i) => {
        if (i === index) o.setAttribute('aria-selected', 'true');
        else o.removeAttribute('aria-selected');
      });
      if (index < 0) {
        input.removeAttribute('aria-activedescendant');
        return;
      }
      input.setAttribute('aria-activedescendant', all[index].id);
      all[index].scrollIntoView({ block: 'nearest' });
    }

    function option(n, href, ...children) {
      return el('a', { id: `${list.id}-${n}`, role: 'option', tabindex: '-1', href }, ...children);
    }

    async function suggest() {
      const q = input.value.trim();
      const ticket = ++asked;
      if (key(q).length < 2) {
        list.replaceChildren();
        close();
        return;
      }
      const kinds = PEDIGREE_KINDS.filter((kind) => kind.suggest);
      const lists = await Promise.all(kinds.map(async (kind) => {
        try {
          const response = await fetch(`/api/${kind.folder}?per_page=${MAX_SUGGESTIONS}&q=${encodeURIComponent(q)}`,
            { headers: { Accept: 'application/json' } });
          if (!response.ok) return [];
          const page = await response.json();
          return page.items.map((item) => ({ kind, item }));
        } catch (_) {
          return [];
        }
      }));
      if (ticket !== asked) return; // a newer keystroke won
      const wanted = key(q);
      const found = share(lists, MAX_SUGGESTIONS).map(({ kind, item }, n) => {
        // The alias that matched, when the name does not show why the record is here.
        const alias = (item.aliases || []).find((a) => key(a).includes(wanted) && !key(item.name).includes(wanted));
        const about = alias ? `also known as ${alias}` : (item.developer ? item.developer.name : (item.detail || kind.noun));
        // A model says which kind of model it is; any other record says its kind's noun.
        const label = kind.noun === 'model' ? item.kind : kind.noun;
        const link = option(n, `/${kind.folder}/${encodeURIComponent(item.id)}`,
          item.name, ' ', el('span', { class: 'hint' }, `${about} · ${label}`));
        link.dataset.id = item.id;
        return link;
      });
      const all = option(found.length, `/search?q=${encodeURIComponent(q)}`, `See all results for “${q}”`);
      all.classList.add('see-all');
      list.replaceChildren(...found, all);
      input.removeAttribute('aria-activedescendant');
      open();
    }

    input.addEventListener('input', debounce(suggest, 120));
    input.addEventListener('keydown', (event) => {
      const count = options().length;
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        if (!count) return;
        event.preventDefault();
        // Closed (Escape, a click outside), the arrows open the list again.
        if (list.hidden) open();
        const current = active();
        const next = event.key === 'ArrowDown'
          ? (current + 1) % count
          : (current <= 0 ? count - 1 : current - 1);
        activate(next);
      } else if (event.key === 'Enter' && !list.hidden && active() >= 0) {
        event.preventDefault();
        window.location.href = options()[active()].href;
      } else if (event.key === 'Escape' && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    // A click anywhere outside the box closes the list, as does focus leaving it
    // (Tab); a click on an option is a link's click.
    document.addEventListener('pointerdown', (event) => {
      if (!form.contains(event.target)) close();
    });
    form.addEventListener('focusout', (event) => {
      if (!event.relatedTarget || !form.contains(event.relatedTarget)) close();
    });
  }

  document.querySelectorAll('form.search').forEach(combobox);
})();

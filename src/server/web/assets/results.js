// The SPARQL page's results table: a SPARQL JSON answer drawn a page at a time
// (an answer over the whole graph has thousands of rows, too many to draw or read
// at once), sortable by any column (stable, numbers by value), with record IRIs
// linked to their pages (and ids in a column named after their kind) and named by
// the row's name column when it has one.
const PedigreeResults = Object.freeze((function () {
  'use strict';
  const { el } = Pedigree;

  // A record's IRI ends in `/{noun}/{id}`; its page is at `/{folder}/{id}`.
  const RECORD_IRI = new RegExp(`/(${PEDIGREE_KINDS.map((kind) => kind.noun).join('|')})/([^/#]+)$`);
  const FOLDER_OF = Object.fromEntries(PEDIGREE_KINDS.map((kind) => [kind.noun, kind.folder]));
  // The shape of a record id (src/model/id.rs): a literal of this shape in a column
  // named after a kind (`?model`, `?organization`, …) is taken as that kind's id, as
  // the canned queries select them (`dcterms:identifier`).
  const ID = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

  // The literal that names the record in column `v` of a row: `?vName` or
  // `?v_name`, or `?name` when the row has a single record column.
  function nameFor(binding, v, vars) {
    for (const candidate of [`${v}Name`, `${v}_name`]) {
      const value = binding[candidate];
      if (value && value.type === 'literal') return value.value;
    }
    const records = vars.filter((other) => binding[other] && binding[other].type === 'uri' && RECORD_IRI.test(binding[other].value));
    if (records.length === 1 && records[0] === v && binding.name && binding.name.type === 'literal') return binding.name.value;
    return null;
  }

  function cell(binding, v, vars) {
    const value = binding[v];
    if (!value) return '';
    if (value.type === 'uri') {
      const match = value.value.match(RECORD_IRI);
      if (match) {
        const name = nameFor(binding, v, vars);
        return el('a', { href: `/${FOLDER_OF[match[1]]}/${match[2]}`, title: value.value }, name || match[2]);
      }
      return el('a', { href: value.value, rel: 'nofollow' }, value.value);
    }
    if (value.type === 'literal' && !value.datatype && !value['xml:lang'] && Object.hasOwn(FOLDER_OF, v) && ID.test(value.value)) {
      return el('a', { href: `/${FOLDER_OF[v]}/${value.value}` }, nameFor(binding, v, vars) || value.value);
    }
    return value.value;
  }

  // Numbers compare by value, everything else as text with digits by value
  // ("model-9" before "model-10"); unbound values go last.
  function compare(a, b) {
    if (!a || !b) return (a ? 0 : 1) - (b ? 0 : 1);
    const x = Number(a.value);
    const y = Number(b.value);
    if (a.type === 'literal' && b.type === 'literal' && a.value.trim() !== '' && b.value.trim() !== '' && !Number.isNaN(x) && !Number.isNaN(y)) return x - y;
    return collator.compare(a.value, b.value);
  }

  // The table of a SELECT answer; `pageRows` rows at a time.
  function table(json, pageRows) {
    const vars = json.head.vars;
    const original = json.results.bindings;
    let rows = original;
    let sorted = { column: null, ascending: true };
    let page = 1;
    const headers = vars.map((v) => {
      const button = el('button', { type: 'button', class: 'sort' }, v);
      const th = el('th', { scope: 'col', 'aria-sort': 'none' }, button);
      button.addEventListener('click', () => sortBy(v));
      return th;
    });
    const body = el('tbody');
    const pager = el('nav', { class: 'pager', 'aria-label': 'Pages of the answer' });
    const wrap = el('div', { class: 'results-table' },
      el('div', { class: 'table-wrap' }, el('table', { class: 'results' }, el('thead', {}, el('tr', {}, ...headers)), body)),
      pager);

    function sortBy(v) {
      const ascending = sorted.column === v ? !sorted.ascending : true;
      sorted = { column: v, ascending };
      // Array.prototype.sort is stable: rows that tie keep their order.
      rows = [...original].sort((a, b) => (ascending ? 1 : -1) * compare(a[v], b[v]));
      headers.forEach((th, i) => th.setAttribute('aria-sort', vars[i] === v ? (ascending ? 'ascending' : 'descending') : 'none'));
      page = 1;
      draw();
    }

    function draw() {
      const last = Math.max(1, Math.ceil(rows.length / pageRows));
      page = Math.min(Math.max(page, 1), last);
      const start = (page - 1) * pageRows;
      body.replaceChildren(...rows.slice(start, start + pageRows).map((b) => el('tr', {}, ...vars.map((v) => el('td', { 'data-label': v }, cell(b, v, vars))))));
      pager.replaceChildren();
      if (last === 1) return;
      const button = (label, target, rel) => {
        const b = el('button', { type: 'button', 'data-page': rel }, label);
        b.addEventListener('click', () => { page = target; draw(); });
        return b;
      };
      if (page > 1) pager.append(button('← Previous', page - 1, 'prev'));
      pager.append(el('span', { class: 'muted' }, `Rows ${start + 1}–${Math.min(start + pageRows, rows.length)} of ${rows.length}`));
      if (page < last) pager.append(button('Next →', page + 1, 'next'));
    }

    draw();
    return wrap;
  }

  return { table };
})());

// The SPARQL page's runner, which talks to /sparql like any other client.
(function () {
  'use strict';
  const { el } = Pedigree;

  const form = document.getElementById('sparql-form');
  if (!form) return;
  const editor = form.querySelector('textarea');
  const output = document.getElementById('results');
  const status = document.getElementById('status');
  const downloads = document.getElementById('downloads');

  // The CSV download comes from /query/results.csv, not /sparql: it is opened in
  // spreadsheets, so values that start like a formula (=, +, -, @) are defused there.
  const RESULT_TYPES = [
    ['JSON', 'application/sparql-results+json', 'srj'],
    ['XML', 'application/sparql-results+xml', 'srx'],
    ['CSV', 'text/csv', 'csv', '/query/results.csv'],
    ['TSV', 'text/tab-separated-values', 'tsv'],
  ];
  const GRAPH_TYPES = [
    ['Turtle', 'text/turtle', 'ttl'],
    ['N-Triples', 'application/n-triples', 'nt'],
    ['RDF/XML', 'application/rdf+xml', 'rdf'],
    ['JSON-LD', 'application/ld+json', 'jsonld'],
  ];

  function post(accept, path = '/sparql') {
    return fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/sparql-query', Accept: accept },
      body: editor.value,
    });
  }

  // A record's IRI ends in `/{noun}/{id}`; its page is at `/{folder}/{id}`.
  const RECORD_IRI = new RegExp(`/(${PEDIGREE_KINDS.map((kind) => kind.noun).join('|')})/([^/#]+)$`);
  const FOLDER_OF = Object.fromEntries(PEDIGREE_KINDS.map((kind) => [kind.noun, kind.folder]));

  function term(value) {
    if (!value) return '';
    if (value.type === 'uri') {
      const match = value.value.match(RECORD_IRI);
      if (match) {
        return el('a', { href: `/${FOLDER_OF[match[1]]}/${match[2]}` }, match[2]);
      }
      return el('a', { href: value.value, rel: 'nofollow' }, value.value);
    }
    return value.value;
  }

  function table(json) {
    if (typeof json.boolean === 'boolean') return el('p', { class: 'answer' }, `ASK: ${json.boolean}`);
    const vars = json.head.vars;
    const head = el('tr', {}, ...vars.map((v) => el('th', { scope: 'col' }, v)));
    const rows = json.results.bindings.map((b) => el('tr', {}, ...vars.map((v) => el('td', {}, term(b[v])))));
    return el('div', { class: 'table-wrap' }, el('table', { class: 'results' }, el('thead', {}, head), el('tbody', {}, ...rows)));
  }

  function showDownloads(types) {
    downloads.replaceChildren(el('span', { class: 'muted' }, 'Download: '));
    for (const [label, type, extension, path] of types) {
      const button = el('button', { type: 'button', 'data-type': type }, label);
      button.addEventListener('click', async () => {
        const response = await post(type, path);
        const blob = await response.blob();
        const link = el('a', { href: URL.createObjectURL(blob), download: `pedigree-results.${extension}` });
        document.body.append(link);
        link.click();
        link.remove();
      });
      downloads.append(button);
    }
  }

  async function run(event) {
    if (event) event.preventDefault();
    status.textContent = 'Running…';
    output.replaceChildren();
    downloads.replaceChildren();
    const started = performance.now();
    try {
      const response = await post('application/sparql-results+json, text/turtle;q=0.9');
      const type = response.headers.get('Content-Type') || '';
      const ms = Math.round(performance.now() - started);
      if (!response.ok) {
        let detail = await response.text();
        try { detail = JSON.parse(detail).detail; } catch (_) { /* not JSON */ }
        status.textContent = `Error ${response.status}`;
        output.append(el('p', { class: 'error', role: 'alert' }, detail));
        return;
      }
      if (type.startsWith('application/sparql-results+json')) {
        const json = await response.json();
        const count = json.results ? json.results.bindings.length : 1;
        status.textContent = json.results ? `${count} row${count === 1 ? '' : 's'}` : 'Answered';
        status.title = `in ${ms} ms`;
        output.append(table(json));
        showDownloads(RESULT_TYPES);
      } else {
        const text = await response.text();
        status.textContent = 'Graph answer';
        status.title = `in ${ms} ms`;
        output.append(el('pre', { class: 'answer' }, text));
        showDownloads(GRAPH_TYPES);
      }
    } catch (error) {
      status.textContent = 'The request failed';
      output.append(el('p', { class: 'error', role: 'alert' }, String(error)));
    }
  }

  form.addEventListener('submit', run);
  editor.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      run(event);
    } else if (event.key === 'Tab' && !event.shiftKey) {
      event.preventDefault();
      const { selectionStart: start, selectionEnd: end } = editor;
      editor.setRangeText('  ', start, end, 'end');
    }
  });
  document.querySelectorAll('[data-canned]').forEach((link) => {
    link.addEventListener('click', (event) => {
      event.preventDefault();
      editor.value = link.dataset.sparql;
      history.replaceState(null, '', `/query?name=${encodeURIComponent(link.dataset.canned)}`);
      run();
    });
  });
})();

// The SPARQL page's runner, which talks to /sparql like any other client. The
// page's URL holds the editor's text (or the canned query and its parameters), so
// a link shares it and a reload keeps it; a syntax error is marked at its line and
// column from /sparql's `line` and `column`; Tab leaves the editor (WCAG 2.1.2),
// Ctrl+] and Ctrl+[ indent.
(function () {
  'use strict';
  const { el } = Pedigree;

  const form = document.getElementById('sparql-form');
  if (!form) return;
  const editor = form.querySelector('textarea');
  const output = document.getElementById('results');
  const status = document.getElementById('status');
  const downloads = document.getElementById('downloads');
  const copyLink = document.getElementById('copy-link');
  const pageRows = Number(output.dataset.pageRows) || 100;
  const INDENT = '  ';
  // Lines shown above and below the line of a syntax error, as the server shows them.
  const CONTEXT_LINES = 2;

  // The canned query the editor came from (its parameter inputs are shown), if any.
  const nameInput = form.querySelector('input[name="name"]');
  let selected = nameInput ? nameInput.value : null;

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

  function paramsFieldset() {
    return selected ? form.querySelector(`fieldset[data-params-for="${CSS.escape(selected)}"]`) : null;
  }

  // The selected canned query's parameters that have a value.
  function paramValues() {
    const fieldset = paramsFieldset();
    if (!fieldset) return [];
    return [...fieldset.querySelectorAll('input[data-param]')]
      .filter((input) => input.value !== '')
      .map((input) => [input.dataset.param, input.value]);
  }

  // Whether the editor still declares parameter `name` the way queries/ do
  // (`VALUES ?name { UNDEF }`, see src/queries.rs): once the text is another query,
  // the canned query's inputs no longer apply and are put away.
  function declares(name) {
    return editor.value.includes(`VALUES ?${name} { UNDEF }`);
  }

  function syncParams() {
    const fieldset = paramsFieldset();
    if (!selected) return;
    const names = fieldset ? [...fieldset.querySelectorAll('input[data-param]')].map((input) => input.dataset.param) : [];
    const link = document.querySelector(`[data-canned="${CSS.escape(selected)}"]`);
    const stillCanned = names.some(declares) || (link && link.dataset.sparql === editor.value);
    if (!stillCanned) showParams(null);
  }

  function showParams(name) {
    selected = name;
    if (nameInput) {
      nameInput.value = name || '';
      nameInput.disabled = !name;
    }
    form.querySelectorAll('fieldset[data-params-for]').forEach((fieldset) => {
      const on = fieldset.dataset.paramsFor === name;
      fieldset.hidden = !on;
      fieldset.disabled = !on;
    });
  }

  // The query to send: the editor's text with the parameters bound by the server
  // (/query/bind, the code /api/queries/{name} binds with), never spliced here.
  async function boundQuery() {
    const values = paramValues();
    if (values.length === 0) return editor.value;
    const response = await fetch(`/query/bind?${new URLSearchParams(values)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      body: editor.value,
    });
    if (!response.ok) throw await problem(response);
    return response.text();
  }

  // The page's address for the editor's state: the canned query's name and
  // parameters while the text is the canned one, the text itself otherwise.
  function stateUrl() {
    const params = new URLSearchParams();
    const link = selected && document.querySelector(`[data-canned="${CSS.escape(selected)}"]`);
    if (link && link.dataset.sparql === editor.value) {
      params.set('name', selected);
    } else {
      params.set('query', editor.value);
      if (selected) params.set('name', selected);
    }
    for (const [name, value] of paramValues()) params.append(name, value);
    return `/query?${params}`;
  }

  function post(query, accept, path = '/sparql') {
    return fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/sparql-query', Accept: accept },
      body: query,
    });
  }

  // An error answer as { status, detail, line, column }.
  async function problem(response) {
    const text = await response.text();
    try {
      const json = JSON.parse(text);
      return { status: response.status, detail: json.detail, line: json.line, column: json.column };
    } catch (_) {
      return { status: response.status, detail: text };
    }
  }

  // The lines around line `line`, numbered, with a caret under `column`.
  function context(text, line, column) {
    const lines = text.split('\n');
    const first = Math.max(1, line - CONTEXT_LINES);
    const last = Math.min(Math.max(lines.length, line), line + CONTEXT_LINES);
    const width = String(last).length;
    const pre = el('pre', { class: 'error-context', 'aria-label': `The query around line ${line}, column ${column}` });
    for (let n = first; n <= last; n += 1) {
      const content = lines[n - 1] || '';
      pre.append(el('span', { class: 'line-number' }, `${String(n).padStart(width)} │ `));
      pre.append(n === line ? el('mark', { class: 'error-line' }, content) : content, '\n');
      if (n === line) {
        pre.append(el('span', { class: 'line-number' }, `${' '.repeat(width)} │ `),
          el('span', { class: 'caret' }, `${' '.repeat(column - 1)}^ here`), '\n');
      }
    }
    return pre;
  }

  // Puts the editor's cursor at line `line`, column `column`.
  function goTo(line, column) {
    const lines = editor.value.split('\n');
    let offset = 0;
    for (let n = 1; n < line && n <= lines.length; n += 1) offset += lines[n - 1].length + 1;
    offset += Math.max(0, column - 1);
    editor.focus();
    editor.setSelectionRange(offset, offset);
  }

  function showProblem(p, query) {
    status.textContent = `Error ${p.status}`;
    output.append(el('p', { class: 'error', role: 'alert' }, p.detail));
    if (p.line && p.column) {
      output.append(context(query, p.line, p.column));
      const button = el('button', { type: 'button', id: 'go-to-error' }, `Go to line ${p.line}, column ${p.column}`);
      button.addEventListener('click', () => goTo(p.line, p.column));
      output.append(button);
    }
  }

  function showDownloads(types, query) {
    downloads.replaceChildren(el('span', { class: 'muted' }, 'Download: '));
    for (const [label, type, extension, path] of types) {
      const button = el('button', { type: 'button', 'data-type': type }, label);
      button.addEventListener('click', async () => {
        const response = await post(query, type, path);
        const blob = await response.blob();
        const link = el('a', { href: URL.createObjectURL(blob), download: `pedigree-results.${extension}` });
        document.body.append(link);
        link.click();
        link.remove();
      });
      downloads.append(button);
    }
  }

  function plural(n, word) {
    return `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;
  }

  async function run(event, scroll = false) {
    if (event) event.preventDefault();
    history.replaceState(null, '', stateUrl());
    status.textContent = 'Running…';
    output.replaceChildren();
    downloads.replaceChildren();
    const started = performance.now();
    let query = editor.value;
    try {
      query = await boundQuery();
      const response = await post(query, 'application/sparql-results+json, text/turtle;q=0.9');
      const type = response.headers.get('Content-Type') || '';
      if (!response.ok) {
        showProblem(await problem(response), editor.value);
        return;
      }
      if (type.startsWith('application/sparql-results+json')) {
        const json = await response.json();
        const took = ` in ${Math.round(performance.now() - started)} ms`;
        if (typeof json.boolean === 'boolean') {
          status.textContent = `Answered${took}`;
          output.append(el('p', { class: 'answer' }, `ASK: ${json.boolean}`));
        } else {
          status.textContent = `${plural(json.results.bindings.length, 'row')}${took}`;
          output.append(PedigreeResults.table(json, pageRows));
        }
        showDownloads(RESULT_TYPES, query);
      } else {
        const text = await response.text();
        status.textContent = `Graph answer in ${Math.round(performance.now() - started)} ms`;
        output.append(el('pre', { class: 'answer' }, text));
        showDownloads(GRAPH_TYPES, query);
      }
    } catch (error) {
      if (error && error.detail) {
        showProblem(error, editor.value);
      } else {
        status.textContent = 'The request failed';
        output.append(el('p', { class: 'error', role: 'alert' }, String(error)));
      }
    } finally {
      if (scroll) output.scrollIntoView({ block: 'start' });
    }
  }

  // Indents (or outdents) every line the selection touches by INDENT.
  function indent(outdent) {
    const { selectionStart: start, selectionEnd: end, value } = editor;
    const from = value.lastIndexOf('\n', start - 1) + 1;
    const lines = value.slice(from, end).split('\n');
    const changed = lines.map((line) => {
      if (!outdent) return INDENT + line;
      const spaces = line.match(/^ {0,2}/)[0].length;
      return line.slice(spaces);
    });
    const text = changed.join('\n');
    editor.setRangeText(text, from, end, 'preserve');
    if (start === end) {
      const caret = Math.max(from, start + changed[0].length - lines[0].length);
      editor.setSelectionRange(caret, caret);
    } else {
      editor.setSelectionRange(from, from + text.length);
    }
  }

  form.addEventListener('submit', (event) => run(event));
  editor.addEventListener('input', syncParams);
  // Tab is left to the browser, so keyboard users can leave the editor.
  editor.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      run(event);
    } else if ((event.key === ']' || event.key === '[') && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      indent(event.key === '[');
    }
  });
  document.querySelectorAll('[data-canned]').forEach((link) => {
    link.addEventListener('click', (event) => {
      event.preventDefault();
      editor.value = link.dataset.sparql;
      showParams(link.dataset.canned);
      run(null, true);
    });
  });
  copyLink.hidden = false;
  copyLink.addEventListener('click', async () => {
    const url = new URL(stateUrl(), location.href).href;
    history.replaceState(null, '', url);
    try {
      await navigator.clipboard.writeText(url);
      status.textContent = 'Link copied';
    } catch (_) {
      status.textContent = `Copy this link: ${url}`;
    }
  });
  // A shared link or a reload runs the query it holds, unless the server has
  // already answered it (`run=1`, the form sent without JavaScript).
  const here = new URLSearchParams(location.search);
  if ((here.has('query') || here.has('name')) && !here.has('run')) run(null, true);
})();

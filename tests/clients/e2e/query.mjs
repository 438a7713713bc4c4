// The SPARQL page: a canned query with a parameter, its answer and its downloads;
// the query kept in the URL across a reload; a syntax error marked at its spot;
// sorting and paging a large answer; Tab leaving the editor.
import { base, done, journey, open, screenshots } from './lib.mjs';

const page = await open();
const rows = () => page.locator('#results table tbody tr');
const ALL_TRIPLES = 'SELECT ?s ?p ?o WHERE { ?s ?p ?o }';

await journey(page, [
  ['run a canned query on the SPARQL page', async () => {
    await page.goto(`${base}query`);
    await page.locator('[data-canned="closed-models-with-open-ancestors"]').click();
    await rows().first().waitFor({ timeout: 15000 });
    const text = await page.locator('#results table').textContent();
    if (!text.includes('avocado') || !text.includes('qwen')) throw new Error(`unexpected rows: ${text}`);
    // The ids of the `?model` column are literals, linked by the column's kind.
    if ((await page.locator('#results table a[href="/models/avocado"]').count()) < 1) throw new Error('the model id should link to its page');
    const status = await page.locator('#status').textContent();
    if (!/\d+ rows? in \d+ ms/.test(status)) throw new Error(`status should count rows and give the time: ${status}`);
    const top = await page.locator('#results').evaluate((node) => node.getBoundingClientRect().top);
    if (top < 0 || top > 200) throw new Error(`the results should be scrolled into view (top at ${top})`);
  }],
  ['offer downloads in every results format', async () => {
    const formats = await page.locator('#downloads button').allTextContents();
    for (const format of ['JSON', 'XML', 'CSV', 'TSV']) {
      if (!formats.includes(format)) throw new Error(`missing ${format} in ${formats}`);
    }
    const download = page.waitForEvent('download');
    await page.locator('#downloads button', { hasText: 'CSV' }).click();
    const file = await download;
    if (!file.suggestedFilename().endsWith('.csv')) throw new Error(file.suggestedFilename());
  }],
  ['screenshot the SPARQL page', async () => {
    await page.screenshot({ path: `${screenshots}/sparql-page.png`, fullPage: false });
  }],
  ['give a canned query its parameters', async () => {
    await page.locator('[data-canned="derives-from"]').click();
    await page.locator('#results .answer').waitFor({ timeout: 15000 });
    if ((await page.locator('#results .answer').textContent()) !== 'ASK: true') throw new Error('the defaults should answer true');
    const model = page.locator('fieldset[data-params-for="derives-from"] input[name="model"]');
    if (!(await model.isVisible())) throw new Error('the parameter inputs should show');
    await model.fill('qwen');
    await page.locator('fieldset[data-params-for="derives-from"] input[name="base"]').fill('avocado');
    await page.locator('#run').click();
    await page.locator('#results .answer', { hasText: 'ASK: false' }).waitFor({ timeout: 15000 });
    const url = new URL(page.url());
    if (url.searchParams.get('name') !== 'derives-from' || url.searchParams.get('model') !== 'qwen') throw new Error(`the URL should hold the parameters: ${url}`);
    await page.reload();
    await page.locator('#results .answer', { hasText: 'ASK: false' }).waitFor({ timeout: 15000 });
    if ((await model.inputValue()) !== 'qwen') throw new Error('a reload keeps the parameter');
  }],
  ['keep the query in the URL across a reload', async () => {
    const query = 'SELECT ?m WHERE { ?m a ped:Model }\nLIMIT 7';
    await page.locator('#sparql-editor').fill(query);
    await page.locator('#run').click();
    await page.locator('#status', { hasText: '7 rows' }).waitFor({ timeout: 15000 });
    if (new URL(page.url()).searchParams.get('query') !== query) throw new Error(`the URL should hold the query: ${page.url()}`);
    await page.reload();
    if ((await page.locator('#sparql-editor').inputValue()) !== query) throw new Error('a reload keeps the query');
    await page.locator('#status', { hasText: '7 rows' }).waitFor({ timeout: 15000 });
    const link = await page.locator('#results table tbody a').first().getAttribute('href');
    if (!link.startsWith('/models/')) throw new Error(`record IRIs link to their pages: ${link}`);
  }],
  ['mark a syntax error at its line and column', async () => {
    await page.locator('#sparql-editor').fill('SELECT ?m WHERE {\n  ?m a ped:Model\n  FILTER(?m = 1 }');
    await page.locator('#run').click();
    const alert = page.locator('#results .error');
    await alert.waitFor({ timeout: 15000 });
    const message = await alert.textContent();
    if (!message.includes('line 3, column 17') || !message.includes('missing `)`')) throw new Error(`plain words with the spot: ${message}`);
    const context = await page.locator('#results .error-context').textContent();
    if (!context.includes(`${' '.repeat(16)}^ here`) || !context.includes('3 │   FILTER(?m = 1 }')) throw new Error(`the marker under column 17: ${context}`);
    await page.locator('#go-to-error').click();
    const caret = await page.locator('#sparql-editor').evaluate((node) => node.selectionStart);
    const expected = 'SELECT ?m WHERE {\n  ?m a ped:Model\n'.length + 16;
    if (caret !== expected) throw new Error(`the editor's cursor at the error: ${caret}, expected ${expected}`);
    await page.screenshot({ path: `${screenshots}/sparql-error.png`, fullPage: false });
  }],
  ['page through an answer of thousands of rows', async () => {
    await page.locator('#sparql-editor').fill(ALL_TRIPLES);
    await page.locator('#run').click();
    await page.locator('#status', { hasText: 'rows in' }).waitFor({ timeout: 30000 });
    const total = Number((await page.locator('#status').textContent()).split(' ')[0].replace(/,/g, ''));
    if (!(total > 1000)) throw new Error(`the bundled graph has thousands of triples: ${total}`);
    if ((await rows().count()) !== 100) throw new Error(`100 rows at a time, not ${await rows().count()}`);
    const pager = page.locator('#results nav.pager');
    if (!(await pager.textContent()).includes(`Rows 1–100 of ${total}`)) throw new Error(await pager.textContent());
    const firstBefore = await rows().first().textContent();
    await pager.locator('[data-page="next"]').click();
    if (!(await pager.textContent()).includes(`Rows 101–200 of ${total}`)) throw new Error(await pager.textContent());
    if ((await rows().first().textContent()) === firstBefore) throw new Error('the next page shows other rows');
    await pager.locator('[data-page="prev"]').click();
    if ((await rows().first().textContent()) !== firstBefore) throw new Error('back to the first page');
  }],
  ['sort a column both ways', async () => {
    await page.locator('#sparql-editor').fill('SELECT ?name ?id WHERE { ?m a ped:Model ; schema:name ?name ; dcterms:identifier ?id } LIMIT 150');
    await page.locator('#run').click();
    await page.locator('#status', { hasText: 'rows in' }).waitFor({ timeout: 15000 });
    const header = page.locator('#results th', { hasText: 'name' }).first();
    await header.locator('button').click();
    if ((await header.getAttribute('aria-sort')) !== 'ascending') throw new Error('aria-sort says the order');
    const names = async () => page.locator('#results tbody tr td:first-child').allTextContents();
    const up = await names();
    const sorted = [...up].sort((a, b) => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' }));
    if (up.join('|') !== sorted.join('|')) throw new Error(`ascending: ${up.slice(0, 5)}`);
    await header.locator('button').click();
    if ((await header.getAttribute('aria-sort')) !== 'descending') throw new Error('a second click reverses');
    const down = await names();
    if (down[0].localeCompare(down[down.length - 1], undefined, { numeric: true, sensitivity: 'base' }) < 0) throw new Error(`descending: ${down.slice(0, 5)}`);
  }],
  ['leave the editor with Tab and indent with Ctrl+]', async () => {
    const editor = page.locator('#sparql-editor');
    await editor.fill('ASK {\n?s ?p ?o }');
    await editor.focus();
    await editor.evaluate((node) => node.setSelectionRange(8, 8));
    await page.keyboard.press('Control+BracketRight');
    if ((await editor.inputValue()) !== 'ASK {\n  ?s ?p ?o }') throw new Error(`Ctrl+] indents the line: ${await editor.inputValue()}`);
    await page.keyboard.press('Control+BracketLeft');
    if ((await editor.inputValue()) !== 'ASK {\n?s ?p ?o }') throw new Error(`Ctrl+[ outdents it: ${await editor.inputValue()}`);
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
    if (focused === 'sparql-editor') throw new Error('Tab should move focus out of the editor');
    if ((await editor.inputValue()).includes('\t')) throw new Error('Tab typed into the editor');
  }],
]);

// The server answers a canned query itself when the page runs without JavaScript.
const plain = await open({ javaScriptEnabled: false });
await journey(plain, [
  ['answer a canned query without JavaScript', async () => {
    await plain.goto(`${base}query?name=derives-from&run=1`);
    const answer = await plain.locator('#results').textContent();
    if (!answer.includes('true')) throw new Error(`server-side answer expected: ${answer}`);
  }],
]);
await done();

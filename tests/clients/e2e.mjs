// The web pages in a real browser: Debian's Chromium driven by playwright-core.
// Run by tests/live.rs with the server's URL and the folder for screenshots; prints
// `ok <step>` per step and exits non-zero on the first failure, with the reason.
import { chromium } from 'playwright-core';

const [base, screenshots] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
});

function ok(step) {
  console.log(`ok ${step}`);
}

async function fail(page, step, error) {
  console.log(`FAIL ${step}: ${error}`);
  console.log(`at ${page.url()}`);
  await browser.close();
  process.exit(1);
}

const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
// Nothing may leave for another host: the page is self-contained.
const outside = [];
page.on('request', (request) => {
  if (!request.url().startsWith(base)) outside.push(request.url());
});
let step = 'open the home page';
try {
  await page.goto(base);
  ok(step);

  // The kinds come from the server (issue 11): a person is labelled "person", not
  // "people" cut from its folder.
  step = 'a person suggested as you type is labelled "person"';
  await page.locator('#home-search').pressSequentially('wang', { delay: 60 });
  const person = page.locator('#home-search-list a[data-id="alexandr-wang"]');
  await person.waitFor({ timeout: 10000 });
  const personHint = await person.locator('.hint').textContent();
  if (!personHint.endsWith('· person')) throw new Error(`person labelled: ${personHint}`);
  if ((await person.getAttribute('href')) !== '/people/alexandr-wang') throw new Error(await person.getAttribute('href'));
  await page.locator('#home-search').fill('');
  ok(step);

  step = 'search "avo" as you type';
  await page.locator('#home-search').pressSequentially('avo', { delay: 60 });
  const suggestion = page.locator('#home-search-list a[data-id="avocado"]');
  await suggestion.waitFor({ timeout: 10000 });
  ok(step);

  step = 'open Avocado';
  await suggestion.click();
  await page.waitForURL('**/models/avocado');
  await page.locator('h1', { hasText: 'Muse Spark' }).waitFor();
  ok(step);

  step = 'see Qwen in the lineage picture with a reported edge';
  const edge = page.locator('svg.lineage a.edge[data-base="qwen"][data-confidence="reported"]');
  await edge.waitFor();
  const qwenNode = page.locator('svg.lineage a.node[data-id="qwen"]');
  await qwenNode.waitFor();
  const dash = await edge.locator('path:not(.hit)').getAttribute('stroke-dasharray');
  if (!dash || dash === 'none') throw new Error(`a reported edge should be dashed, got ${dash}`);
  const tooltip = await edge.locator('title').textContent();
  if (!tooltip.includes('Bloomberg')) throw new Error(`the edge's sources should name Bloomberg: ${tooltip}`);
  ok(step);

  step = 'screenshot the model page';
  await page.screenshot({ path: `${screenshots}/model-page.png`, fullPage: false });
  ok(step);

  step = 'click an edge to reach its sources';
  await edge.locator('text.label').click();
  await page.waitForURL(/#edge-\d+$/);
  const row = page.locator('tr:target');
  if (!(await row.textContent()).includes('Bloomberg')) throw new Error('the targeted row lists the sources');
  ok(step);

  step = 'click through to Qwen';
  await qwenNode.click();
  await page.waitForURL('**/models/qwen');
  await page.locator('h1', { hasText: 'Qwen' }).waitFor();
  ok(step);

  step = 'run a canned query on the SPARQL page';
  await page.goto(`${base}query`);
  await page.locator('[data-canned="closed-models-with-open-ancestors"]').click();
  const firstRow = page.locator('#results table tbody tr').first();
  await firstRow.waitFor({ timeout: 15000 });
  const rows = await page.locator('#results table tbody tr').count();
  const text = await page.locator('#results table').textContent();
  if (rows < 1 || !text.includes('avocado') || !text.includes('qwen')) throw new Error(`unexpected rows: ${text}`);
  const status = await page.locator('#status').textContent();
  if (!status.includes('row')) throw new Error(`status should count rows: ${status}`);
  ok(step);

  step = 'offer downloads in every results format';
  const formats = await page.locator('#downloads button').allTextContents();
  for (const format of ['JSON', 'XML', 'CSV', 'TSV']) {
    if (!formats.includes(format)) throw new Error(`missing ${format} in ${formats}`);
  }
  const download = page.waitForEvent('download');
  await page.locator('#downloads button', { hasText: 'CSV' }).click();
  const file = await download;
  if (!file.suggestedFilename().endsWith('.csv')) throw new Error(file.suggestedFilename());
  ok(step);

  step = 'screenshot the SPARQL page';
  await page.screenshot({ path: `${screenshots}/sparql-page.png`, fullPage: false });
  ok(step);

  step = 'stay on this host';
  if (outside.length) throw new Error(`requests left the host: ${outside.join(', ')}`);
  ok(step);
} catch (error) {
  await fail(page, step, error);
}

// Reading works without JavaScript.
step = 'read a model page without JavaScript';
const plain = await browser.newContext({ javaScriptEnabled: false });
const noScript = await plain.newPage();
try {
  await noScript.goto(`${base}models/avocado`);
  await noScript.locator('svg.lineage a.edge[data-base="qwen"]').waitFor();
  await noScript.goto(`${base}query?name=derives-from&run=1`);
  const answer = await noScript.locator('#results').textContent();
  if (!answer.includes('true')) throw new Error(`server-side answer expected: ${answer}`);
  ok(step);
} catch (error) {
  await fail(noScript, step, error);
}
await browser.close();

// The SPARQL page: a canned query, its answer, and its downloads.
import { base, done, journey, open, screenshots } from './lib.mjs';

const page = await open();
await journey(page, [
  ['run a canned query on the SPARQL page', async () => {
    await page.goto(`${base}query`);
    await page.locator('[data-canned="closed-models-with-open-ancestors"]').click();
    const firstRow = page.locator('#results table tbody tr').first();
    await firstRow.waitFor({ timeout: 15000 });
    const rows = await page.locator('#results table tbody tr').count();
    const text = await page.locator('#results table').textContent();
    if (rows < 1 || !text.includes('avocado') || !text.includes('qwen')) throw new Error(`unexpected rows: ${text}`);
    const status = await page.locator('#status').textContent();
    if (!status.includes('row')) throw new Error(`status should count rows: ${status}`);
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

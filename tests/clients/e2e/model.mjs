// A model page: the lineage picture, its edges' sources, and walking on to a base.
import { base, done, journey, open, screenshots } from './lib.mjs';

const page = await open();
const edge = page.locator('svg.lineage a.edge[data-base="qwen"][data-confidence="reported"]');
const qwenNode = page.locator('svg.lineage a.node[data-id="qwen"]');
await journey(page, [
  ['see Qwen in the lineage picture with a reported edge', async () => {
    await page.goto(`${base}models/avocado`);
    await edge.waitFor();
    await qwenNode.waitFor();
    const dash = await edge.locator('path:not(.hit)').getAttribute('stroke-dasharray');
    if (!dash || dash === 'none') throw new Error(`a reported edge should be dashed, got ${dash}`);
    const tooltip = await edge.locator('title').textContent();
    if (!tooltip.includes('Bloomberg')) throw new Error(`the edge's sources should name Bloomberg: ${tooltip}`);
  }],
  ['screenshot the model page', async () => {
    await page.screenshot({ path: `${screenshots}/model-page.png`, fullPage: false });
  }],
  ['click an edge to reach its sources', async () => {
    await edge.locator('text.label').click();
    await page.waitForURL(/#edge-\d+$/);
    const row = page.locator('tr:target');
    if (!(await row.textContent()).includes('Bloomberg')) throw new Error('the targeted row lists the sources');
  }],
  ['click through to Qwen', async () => {
    await qwenNode.click();
    await page.waitForURL('**/models/qwen');
    await page.locator('h1', { hasText: 'Qwen' }).waitFor();
  }],
]);

// Reading works without JavaScript.
const plain = await open({ javaScriptEnabled: false });
await journey(plain, [
  ['read a model page without JavaScript', async () => {
    await plain.goto(`${base}models/avocado`);
    await plain.locator('svg.lineage a.edge[data-base="qwen"]').waitFor();
  }],
]);
await done();

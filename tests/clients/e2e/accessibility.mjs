// Every kind of page, on a desktop and on a phone, checked with axe-core: a serious
// or critical violation fails the journey (each violation is printed, minor ones
// too). The pages are the ones the other journeys visit, in the state a reader sees:
// the SPARQL page with its answer drawn, the model page with its picture made
// zoomable by the script.
import { PHONE_CONTEXT, accessible, base, done, journey, open } from './lib.mjs';

// The first record a list page links to: its sources and licences change with the
// data, so the journey takes whichever comes first.
async function first(page, list) {
  await page.goto(`${base}${list}`);
  return (await page.locator('main table a').first().getAttribute('href')).replace(/^\//, '');
}

const PAGES = [
  ['home', ''],
  ['search', 'search?q=qwen'],
  ['models list', 'models'],
  ['model page', 'models/avocado'],
  ['model page with many edges', 'models/llama-3.1-8b'],
  ['model page with folded counts', 'models/qwen'],
  ['derivatives list', 'models/llama-3.1-8b/derivatives'],
  ['organisation', 'organizations/meta'],
  ['person', 'people/alexandr-wang'],
  ['source', async (page) => first(page, 'sources')],
  ['licence', async (page) => first(page, 'licenses')],
  ['SPARQL page with results', 'query?name=closed-models-with-open-ancestors'],
  ['error page', 'models/no-such-model'],
];

const VIEWPORTS = [
  ['desktop', { viewport: { width: 1280, height: 800 } }],
  ['phone', PHONE_CONTEXT],
];

for (const [device, options] of VIEWPORTS) {
  const page = await open(options);
  await journey(page, PAGES.map(([name, path]) => [`${device}: ${name} has no serious accessibility violation`, async () => {
    const at = typeof path === 'function' ? await path(page) : path;
    const response = await page.goto(`${base}${at}`);
    if (name === 'error page' ? response.status() !== 404 : !response.ok()) throw new Error(`${at}: ${response.status()}`);
    if (name.startsWith('SPARQL')) await page.locator('#results table tbody tr').first().waitFor({ timeout: 15000 });
    if (name.startsWith('model page')) await page.locator('figure.picture.zoomable').waitFor();
    await accessible(page, `${device} ${at || '/'}`);
  }]));
}
await done();

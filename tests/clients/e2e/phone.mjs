// On a phone (390 × 844, touch): no page scrolls sideways, table rows stack as cards
// labelled by their columns, and the lineage picture fits the screen, centred on the
// page's model, and zooms and moves by buttons, finger and keyboard; an edge's
// sources are reached by Tab and by a tap. Without JavaScript the picture scrolls in
// its own box.
import { PHONE_CONTEXT, base, done, journey, open, screenshots, scrollsSideways } from './lib.mjs';

const page = await open(PHONE_CONTEXT);
const figure = page.locator('figure.picture');
const svg = page.locator('figure.picture svg.lineage');

const PAGES = [
  '', 'search?q=qwen', 'models', 'models/avocado', 'models/llama-3.1-8b', 'models/qwen',
  'models/llama-3.1-8b/derivatives', 'organizations', 'organizations/meta', 'people/alexandr-wang',
  'sources', 'licenses', 'query', 'query?name=closed-models-with-open-ancestors',
  'query?query=SELEC&run=1', 'models/no-such-model',
];

/// The picture's viewBox as numbers, and the scale the script reports.
async function view() {
  const [x, y, w, h] = (await svg.getAttribute('viewBox')).split(/\s+/).map(Number);
  return { x, y, w, h, scale: Number(await figure.getAttribute('data-scale')) };
}

/// Box of an element in CSS pixels of the window.
async function rect(locator) {
  return locator.evaluate((node) => {
    const r = node.getBoundingClientRect();
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
  });
}

/// Touches through the DevTools protocol, as a finger does: Chromium turns them into
/// touch and pointer events, with the page's touch-action honoured.
const cdp = await page.context().newCDPSession(page);
async function touch(type, points) {
  await cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points.map(([x, y], id) => ({ x, y, id })) });
}

function near(actual, wanted, tolerance, what) {
  if (Math.abs(actual - wanted) > tolerance) throw new Error(`${what}: ${actual}, expected about ${wanted}`);
}

await journey(page, [
  ['no page scrolls sideways at 390 px', async () => {
    const wide = [];
    for (const path of PAGES) {
      await page.goto(`${base}${path}`);
      if (path.includes('name=')) await page.locator('#results table tbody tr').first().waitFor({ timeout: 15000 });
      if (await scrollsSideways(page)) {
        wide.push(`${path || '/'} (${await page.evaluate(() => document.documentElement.scrollWidth)} px)`);
      }
    }
    if (wide.length) throw new Error(`wider than the screen: ${wide.join(', ')}`);
  }],
  ['table rows stack as cards, each cell labelled by its column', async () => {
    for (const path of ['models', 'models/avocado', 'organizations/meta', 'people/alexandr-wang', 'query?name=closed-models-with-open-ancestors']) {
      await page.goto(`${base}${path}`);
      if (path.includes('name=')) await page.locator('#results table tbody tr').first().waitFor({ timeout: 15000 });
      const problems = await page.evaluate(() => {
        const found = [];
        const tables = [...document.querySelectorAll('main table')];
        if (!tables.length) found.push('no table');
        for (const table of tables) {
          const headers = [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim());
          for (const row of table.querySelectorAll('tbody tr')) {
            if (getComputedStyle(row).display !== 'block') found.push(`a row is ${getComputedStyle(row).display}, not a card`);
            if (row.getBoundingClientRect().right > window.innerWidth) found.push('a card is wider than the screen');
            for (const cell of row.cells) {
              const label = cell.dataset.label;
              if (label !== headers[cell.cellIndex]) found.push(`cell ${cell.cellIndex} labelled ${label}, column ${headers[cell.cellIndex]}`);
              const shown = getComputedStyle(cell, '::before').content;
              if (getComputedStyle(cell).display !== 'none' && shown !== JSON.stringify(label)) found.push(`cell shows ${shown} for ${label}`);
            }
          }
          // The head row stays for screen readers, out of sight, except a results
          // table's row of sort buttons.
          const head = table.querySelector('thead').getBoundingClientRect();
          if (!table.classList.contains('results') && head.height > 1) found.push('the head row is in sight');
        }
        return found;
      });
      if (problems.length) throw new Error(`${path}: ${[...new Set(problems)].slice(0, 5).join('; ')}`);
    }
  }],
  ['screenshot the models list on a phone', async () => {
    await page.goto(`${base}models`);
    await page.screenshot({ path: `${screenshots}/phone-models.png` });
  }],
  ['the picture fits the screen, centred on the page\'s model', async () => {
    await page.goto(`${base}models/llama-3.1-8b`);
    await figure.and(page.locator('.zoomable')).waitFor();
    const box = await rect(svg);
    const screen = await page.evaluate(() => window.innerWidth);
    if (box.left < 0 || box.right > screen) throw new Error(`the picture runs from ${box.left} to ${box.right} on a ${screen} px screen`);
    const root = await rect(page.locator('svg.lineage a.node.root rect'));
    if (root.left < box.left || root.right > box.right || root.top < box.top || root.bottom > box.bottom) throw new Error('the page\'s model is not in view');
    near((root.left + root.right) / 2, (box.left + box.right) / 2, box.width / 6, 'the page\'s model\'s centre');
    // The picture is wider than the screen: some of it is out of view until Fit.
    const nodes = await page.locator('svg.lineage a.node rect').evaluateAll((all) => all.map((n) => n.getBoundingClientRect().right));
    if (!nodes.some((right) => right > box.right)) throw new Error('the whole wide picture is squeezed into the screen');
  }],
  ['zoom in, out and fit with the buttons', async () => {
    const start = await view();
    await page.getByRole('button', { name: 'Zoom in' }).click();
    const zoomed = await view();
    near(zoomed.w, start.w / 1.25, 1, 'viewBox width after +');
    if (!(zoomed.scale > start.scale)) throw new Error(`scale ${zoomed.scale} after + from ${start.scale}`);
    await page.getByRole('button', { name: 'Zoom out' }).click();
    near((await view()).w, start.w, 1, 'viewBox width after + and −');
    await page.getByRole('button', { name: 'Fit the whole picture' }).click();
    const box = await rect(svg);
    const outside = await page.locator('svg.lineage a.node rect').evaluateAll((all, b) => all.filter((n) => {
      const r = n.getBoundingClientRect();
      return r.left < b.left - 1 || r.right > b.right + 1 || r.top < b.top - 1 || r.bottom > b.bottom + 1;
    }).length, box);
    if (outside) throw new Error(`${outside} models outside the picture's box after Fit`);
  }],
  ['screenshot the picture on a phone', async () => {
    await page.reload();
    await figure.and(page.locator('.zoomable')).waitFor();
    await page.locator('#lineage').evaluate((heading) => heading.scrollIntoView());
    await page.screenshot({ path: `${screenshots}/phone-lineage.png` });
  }],
  ['a finger drags the picture and two pinch it', async () => {
    const before = await view();
    const box = await rect(svg);
    const [x, y] = [box.left + box.width / 2, box.top + box.height / 2];
    await touch('touchStart', [[x, y]]);
    for (let i = 1; i <= 8; i++) await touch('touchMove', [[x - 10 * i, y]]);
    await touch('touchEnd', []);
    const dragged = await view();
    near(dragged.x - before.x, 80 / before.scale, 2, 'viewBox x after an 80 px drag to the left');
    if (Math.abs(await page.evaluate(() => window.scrollX)) > 0) throw new Error('the drag scrolled the page');
    await touch('touchStart', [[x - 30, y], [x + 30, y]]);
    for (let i = 1; i <= 6; i++) await touch('touchMove', [[x - 30 - 5 * i, y], [x + 30 + 5 * i, y]]);
    await touch('touchEnd', []);
    const pinched = await view();
    near(pinched.scale / dragged.scale, 2, 0.1, 'scale after spreading two fingers from 60 to 120 px');
  }],
  ['by keyboard, an edge shows its sources and Enter opens its row', async () => {
    await page.goto(`${base}models/avocado`);
    await figure.and(page.locator('.zoomable')).waitFor();
    await page.getByRole('button', { name: 'Fit the whole picture' }).focus();
    let edge = null;
    for (let i = 0; i < 10 && !edge; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement.matches('svg.lineage a.edge'))) edge = page.locator('svg.lineage a.edge:focus');
    }
    if (!edge) throw new Error('Tab never reached an edge of the picture');
    const [name, title, href] = await edge.evaluate((a) => [a.getAttribute('aria-label'), a.querySelector('title').textContent, a.getAttribute('href')]);
    const publisher = title.split('\n')[1].match(/\(([^,]+),/)[1];
    const note = page.locator('p.edge-note');
    if (!(await note.isVisible())) throw new Error('no sources under the picture for the focused edge');
    const shown = await note.textContent();
    if (!shown.includes(name) || !shown.includes(publisher)) throw new Error(`the note should name ${name} and ${publisher}: ${shown}`);
    // The ring is drawn around the edge's own path.
    const ring = await edge.locator('path.hit').evaluate((p) => getComputedStyle(p).filter);
    if (!ring.includes('focus-ring')) throw new Error(`no focus ring on the edge: ${ring}`);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.hash === href.slice(href.indexOf('#')));
    if (!(await page.locator('tr:target').textContent()).includes(publisher)) throw new Error(`the row should list ${publisher}`);
  }],
  ['a tap on an edge opens its row with the sources', async () => {
    await page.goto(`${base}models/avocado`);
    await figure.and(page.locator('.zoomable')).waitFor();
    const edge = page.locator('svg.lineage a.edge[data-base="qwen"]');
    await edge.locator('text.label').tap();
    await page.waitForURL(/#edge-\d+$/);
    if (!(await page.locator('tr:target').textContent()).includes('Bloomberg')) throw new Error('the tapped edge\'s row should list Bloomberg');
  }],
]);

// Without JavaScript the picture keeps its size and scrolls in its own box.
const plain = await open({ ...PHONE_CONTEXT, javaScriptEnabled: false });
await journey(plain, [
  ['without JavaScript the picture scrolls in its own box', async () => {
    await plain.goto(`${base}models/llama-3.1-8b`);
    const picture = plain.locator('figure.picture');
    const [scrollWidth, clientWidth, overflow] = await picture.evaluate((f) => [f.scrollWidth, f.clientWidth, getComputedStyle(f).overflowX]);
    if (!(scrollWidth > clientWidth) || overflow !== 'auto') throw new Error(`the box should scroll: ${scrollWidth} in ${clientWidth}, overflow ${overflow}`);
    if (await scrollsSideways(plain)) throw new Error('the page scrolls sideways');
  }],
]);
await done();

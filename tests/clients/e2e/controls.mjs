// The lineage controls tell the truth after Back and Forward: the form shows what the
// URL (and so the picture) says, not values the browser remembered.
import { base, done, journey, open } from './lib.mjs';

const page = await open();

/// The form's depth, direction and ticked relations, as the page shows them.
async function form() {
  return page.evaluate(() => {
    const f = document.getElementById('lineage-controls');
    return {
      depth: f.elements.namedItem('depth').value,
      direction: f.elements.namedItem('direction').value,
      confidence: f.elements.namedItem('min_confidence').value,
      relations: [...f.querySelectorAll('input[name=relation]:checked')].map((b) => b.value),
    };
  });
}

function expect(actual, wanted, when) {
  const a = JSON.stringify(actual);
  const w = JSON.stringify(wanted);
  if (a !== w) throw new Error(`${when}: the form shows ${a}, the URL says ${w}`);
}

await journey(page, [
  ['open a model page with every default', async () => {
    await page.goto(`${base}models/llama-3.1-8b`);
    expect(await form(), { depth: '', direction: 'both', confidence: '', relations: [] }, 'on arrival');
  }],
  ['set depth 1, a relation and a confidence, and show', async () => {
    await page.fill('#depth', '1');
    await page.check('input[name=relation][value=distillation]');
    await page.selectOption('#min_confidence', 'confirmed');
    await Promise.all([page.waitForURL(/depth=1/), page.click('#lineage-controls button[type=submit]')]);
    expect(await form(), { depth: '1', direction: 'both', confidence: 'confirmed', relations: ['distillation'] }, 'after Show');
  }],
  ['go Back: the form is back to the defaults the URL says', async () => {
    await page.goBack();
    await page.waitForURL((url) => !url.search.includes('depth'));
    expect(await form(), { depth: '', direction: 'both', confidence: '', relations: [] }, 'after Back');
  }],
  ['go Forward: the form shows depth 1 again', async () => {
    await page.goForward();
    await page.waitForURL(/depth=1/);
    expect(await form(), { depth: '1', direction: 'both', confidence: 'confirmed', relations: ['distillation'] }, 'after Forward');
  }],
  ['change the form without submitting, go Back and Forward: the URL wins', async () => {
    await page.fill('#depth', '7');
    await page.selectOption('#direction', 'up');
    await page.goBack();
    await page.waitForURL((url) => !url.search.includes('depth'));
    await page.goForward();
    await page.waitForURL(/depth=1/);
    expect(await form(), { depth: '1', direction: 'both', confidence: 'confirmed', relations: ['distillation'] }, 'after edits, Back and Forward');
  }],
  ['a page restored from the back-forward cache with old field values shows the URL', async () => {
    // What a browser does on restoring a page from its back-forward cache: the old
    // document comes back with whatever its fields held, then `pageshow` fires.
    await page.evaluate(() => {
      document.getElementById('depth').value = '9';
      document.getElementById('direction').value = 'down';
      document.getElementById('min_confidence').value = 'reported';
      document.querySelector('input[name=relation][value=merge]').checked = true;
      window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    });
    expect(await form(), { depth: '1', direction: 'both', confidence: 'confirmed', relations: ['distillation'] }, 'after a restore');
  }],
  ['history within the page (popstate) sets the form from the URL', async () => {
    await page.evaluate(() => {
      history.pushState({}, '', '?direction=up&depth=2&relation=finetune,merge');
      history.pushState({}, '', '?depth=5');
    });
    await page.evaluate(() => new Promise((resolve) => {
      window.addEventListener('popstate', () => setTimeout(resolve, 0), { once: true });
      history.back();
    }));
    expect(await form(), { depth: '2', direction: 'up', confidence: '', relations: ['finetune', 'merge'] }, 'after popstate');
  }],
  ['the fields do not autocomplete', async () => {
    const off = await page.evaluate(() => [...document.querySelectorAll('#lineage-controls input, #lineage-controls select')]
      .every((field) => field.getAttribute('autocomplete') === 'off'));
    if (!off) throw new Error('every lineage control has autocomplete="off"');
  }],
]);
await done();

// Search as you type from the home page, as a newcomer finds a model; the search box
// as a WAI-ARIA combobox (keyboard, Escape, a click outside, "See all results"); what
// people type ("Llama3.1", "r1 distill"); a model's public name in its address.
import { accessible, base, done, journey, open } from './lib.mjs';

const page = await open();
const input = () => page.locator('#home-search');
const list = () => page.locator('#home-search-list');

/// Types `text` into the home page's box and waits for its suggestions.
async function typeAndWait(text) {
  await input().fill('');
  await input().pressSequentially(text, { delay: 40 });
  await page.waitForFunction(
    (q) => {
      const box = document.getElementById('home-search');
      const last = [...document.querySelectorAll('#home-search-list [role=option]')].pop();
      return box.getAttribute('aria-expanded') === 'true' && last && last.textContent.includes(q);
    },
    text,
    { timeout: 10000 },
  );
}

async function expanded() {
  return input().getAttribute('aria-expanded');
}

await journey(page, [
  ['open the home page', async () => {
    await page.goto(base);
  }],
  // The kinds come from the server (issue 11): a person is labelled "person", not
  // "people" cut from its folder.
  ['a person suggested as you type is labelled "person"', async () => {
    await input().pressSequentially('wang', { delay: 60 });
    const person = page.locator('#home-search-list a[data-id="alexandr-wang"]');
    await person.waitFor({ timeout: 10000 });
    const hint = await person.locator('.hint').textContent();
    if (!hint.endsWith('· person')) throw new Error(`person labelled: ${hint}`);
    if ((await person.getAttribute('href')) !== '/people/alexandr-wang') throw new Error(await person.getAttribute('href'));
    await input().fill('');
  }],
  ['search "avo" as you type and open Avocado', async () => {
    await input().pressSequentially('avo', { delay: 60 });
    const suggestion = page.locator('#home-search-list a[data-id="avocado"]');
    await suggestion.waitFor({ timeout: 10000 });
    await suggestion.click();
    await page.waitForURL('**/models/avocado');
    await page.locator('h1', { hasText: 'Muse Spark' }).waitFor();
  }],
  ['the arrow keys move aria-activedescendant over the options', async () => {
    await page.goto(base);
    if ((await input().getAttribute('role')) !== 'combobox') throw new Error('the input is no combobox');
    if ((await expanded()) !== 'false') throw new Error('expanded before typing');
    await typeAndWait('llama');
    // The options are the listbox's direct children, each with an id.
    const options = await list().evaluate((box) => [...box.children].map((o) => ({ role: o.getAttribute('role'), id: o.id })));
    const all = await list().locator('[role=option]').count();
    if (options.length < 3 || options.length !== all || options.some((o) => o.role !== 'option' || !o.id)) {
      throw new Error(`options: ${JSON.stringify(options)}`);
    }
    const active = () => input().getAttribute('aria-activedescendant');
    const selected = () => list().evaluate((box) => [...box.querySelectorAll('[aria-selected=true]')].map((o) => o.id));
    await input().press('ArrowDown');
    if ((await active()) !== options[0].id) throw new Error(`after ↓: ${await active()}`);
    await input().press('ArrowDown');
    if ((await active()) !== options[1].id) throw new Error(`after ↓↓: ${await active()}`);
    if (JSON.stringify(await selected()) !== JSON.stringify([options[1].id])) throw new Error(`selected: ${await selected()}`);
    await input().press('ArrowUp');
    if ((await active()) !== options[0].id) throw new Error(`after ↓↓↑: ${await active()}`);
    await input().press('ArrowUp');
    if ((await active()) !== options[options.length - 1].id) throw new Error(`↑ from the first does not wrap: ${await active()}`);
    // Focus never left the input.
    if (!(await input().evaluate((box) => document.activeElement === box))) throw new Error('focus left the input');
  }],
  ['the open suggestions pass axe-core', async () => {
    // A listbox with an active option, as a screen reader meets it.
    if ((await expanded()) !== 'true') throw new Error('the list is closed');
    await accessible(page, 'the open suggestions');
  }],
  ['Escape closes the suggestions', async () => {
    await input().press('Escape');
    if ((await expanded()) !== 'false') throw new Error('still expanded');
    if (await list().isVisible()) throw new Error('the list is still shown');
    if ((await input().getAttribute('aria-activedescendant')) !== null) throw new Error('an active option is left');
    if ((await input().inputValue()) !== 'llama') throw new Error('Escape changed the text');
  }],
  ['a click outside closes the suggestions', async () => {
    await typeAndWait('qwen');
    if (!(await list().isVisible())) throw new Error('the list is not shown');
    await page.locator('h1').click();
    if ((await expanded()) !== 'false') throw new Error('still expanded');
    if (await list().isVisible()) throw new Error('the list is still shown');
  }],
  ['"See all results" opens the search page', async () => {
    await typeAndWait('meta');
    const last = list().locator('[role=option]').last();
    const text = await last.textContent();
    if (!text.startsWith('See all results for') || !text.includes('meta')) throw new Error(`last option: ${text}`);
    // Reached with the keyboard: ↑ from nothing goes to the last option.
    await input().press('ArrowUp');
    if ((await input().getAttribute('aria-activedescendant')) !== (await last.getAttribute('id'))) throw new Error('↑ did not reach it');
    await input().press('Enter');
    await page.waitForURL('**/search?q=meta');
    await page.locator('h1', { hasText: 'Search' }).waitFor();
    await page.locator('main a[href="/organizations/meta"]').first().waitFor();
  }],
  ['"Llama3.1" and "r1 distill" find their models as you type', async () => {
    await page.goto(base);
    for (const [typed, prefix] of [['Llama3.1', 'llama-3.1'], ['r1 distill', 'deepseek-r1-distill-']]) {
      await typeAndWait(typed);
      const ids = await list().evaluate((box) => [...box.querySelectorAll('[data-id]')].map((o) => o.dataset.id));
      if (!ids.some((id) => id.startsWith(prefix))) throw new Error(`"${typed}" suggests ${ids.join(', ')}`);
    }
  }],
  ['/models/muse-spark lands on Avocado\'s page', async () => {
    await page.goto(new URL('/models/muse-spark', base).href);
    await page.waitForURL('**/models/avocado');
    await page.locator('h1', { hasText: 'Muse Spark' }).waitFor();
  }],
]);
await done();

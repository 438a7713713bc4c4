// Search as you type from the home page, as a newcomer finds a model.
import { base, done, journey, open } from './lib.mjs';

const page = await open();
await journey(page, [
  ['open the home page', async () => {
    await page.goto(base);
  }],
  // The kinds come from the server (issue 11): a person is labelled "person", not
  // "people" cut from its folder.
  ['a person suggested as you type is labelled "person"', async () => {
    await page.locator('#home-search').pressSequentially('wang', { delay: 60 });
    const person = page.locator('#home-search-list a[data-id="alexandr-wang"]');
    await person.waitFor({ timeout: 10000 });
    const hint = await person.locator('.hint').textContent();
    if (!hint.endsWith('· person')) throw new Error(`person labelled: ${hint}`);
    if ((await person.getAttribute('href')) !== '/people/alexandr-wang') throw new Error(await person.getAttribute('href'));
    await page.locator('#home-search').fill('');
  }],
  ['search "avo" as you type and open Avocado', async () => {
    await page.locator('#home-search').pressSequentially('avo', { delay: 60 });
    const suggestion = page.locator('#home-search-list a[data-id="avocado"]');
    await suggestion.waitFor({ timeout: 10000 });
    await suggestion.click();
    await page.waitForURL('**/models/avocado');
    await page.locator('h1', { hasText: 'Muse Spark' }).waitFor();
  }],
]);
await done();

// What every browser journey shares: Debian's Chromium driven by playwright-core, a
// step log (`ok <step>` per step; `FAIL <step>: <reason>` and a non-zero exit on the
// first failure), the guard that no request leaves the server's host, and the
// accessibility check (axe-core, injected by the test: the pages load nothing from
// elsewhere and do not serve it).
// A journey is `node tests/clients/e2e/<journey>.mjs <base URL> <screenshot folder>`,
// run by tests/live.rs.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

export const [base, screenshots] = process.argv.slice(2);

export const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
});

export const DESKTOP = { width: 1280, height: 1000 };
export const PHONE = { width: 390, height: 844 };
/// What a phone context is: the PHONE viewport, touch, and a mobile browser's
/// handling of the viewport meta tag.
export const PHONE_CONTEXT = { viewport: PHONE, hasTouch: true, isMobile: true, deviceScaleFactor: 2 };

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/// The axe-core impacts that fail a journey.
const FAILING_IMPACTS = ['serious', 'critical'];

/// Runs axe-core (every rule of its default set: WCAG 2.x A and AA, and best
/// practices) over the page as it stands; prints every violation and throws when one
/// is serious or critical. The script is added inline, so it is no request.
export async function accessible(page, what) {
  await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) })));
  for (const v of violations) {
    console.log(`axe ${v.impact} ${v.id} on ${what}: ${v.help} (${v.targets.slice(0, 5).join(' | ')}${v.targets.length > 5 ? ', …' : ''})`);
  }
  const failing = violations.filter((v) => FAILING_IMPACTS.includes(v.impact));
  if (failing.length) throw new Error(`${what}: ${failing.length} serious or critical accessibility violations: ${failing.map((v) => v.id).join(', ')}`);
}

/// Whether the page scrolls sideways: wider than the window.
export async function scrollsSideways(page) {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
}

export function ok(step) {
  console.log(`ok ${step}`);
}

/// A fresh page at this viewport whose requests must all stay on the server's host.
export async function open(options = {}) {
  const context = await browser.newContext({ viewport: DESKTOP, ...options });
  const page = await context.newPage();
  page.outside = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(base)) page.outside.push(request.url());
  });
  return page;
}

/// Runs the steps, each `[name, async () => {...}]`, in order on `page`; stops at the
/// first that throws. Ends by checking that no request left the host.
export async function journey(page, steps) {
  let current = '';
  try {
    for (const [name, run] of steps) {
      current = name;
      await run();
      ok(name);
    }
    current = 'stay on this host';
    if (page.outside.length) throw new Error(`requests left the host: ${page.outside.join(', ')}`);
    ok(current);
  } catch (error) {
    console.log(`FAIL ${current}: ${error && error.stack ? error.stack : error}`);
    console.log(`at ${page.url()}`);
    await browser.close();
    process.exit(1);
  }
}

export async function done() {
  await browser.close();
}

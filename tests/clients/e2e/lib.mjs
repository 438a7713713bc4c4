// What every browser journey shares: Debian's Chromium driven by playwright-core, a
// step log (`ok <step>` per step; `FAIL <step>: <reason>` and a non-zero exit on the
// first failure) and the guard that no request leaves the server's host.
// A journey is `node tests/clients/e2e/<journey>.mjs <base URL> <screenshot folder>`,
// run by tests/live.rs.
import { chromium } from 'playwright-core';

export const [base, screenshots] = process.argv.slice(2);

export const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
});

export const DESKTOP = { width: 1280, height: 1000 };
export const PHONE = { width: 390, height: 844 };

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

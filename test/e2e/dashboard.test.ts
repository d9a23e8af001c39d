import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { fixture, haveFixtures } from '../helpers/fixtures.js';
import { runCli } from '../helpers/cli.js';
import { CHROMIUM, CHROMIUM_ARGS, haveBuild, readBytes, startServer, type RunningServer } from './server.js';

/*
 * End to end: the real server (`discern serve`) on a fresh DuckDB file, the built dashboard, and
 * Debian's Chromium. The store is seeded before the server starts (it owns the file while it
 * runs): two fixtures ingested with the CLI and a catalogue (two suppliers, one cell model and
 * one sample each) linking them. Expected values come from fixtures/MANIFEST.md.
 */

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`[discern tests] ${CHROMIUM} not found; end-to-end tests are skipped`);

const ADMIN_PASSWORD = 'e2e-admin-password-1';
const VIEWER_PASSWORD = 'e2e-viewer-password-1';
const UPLOAD = 'beep/PredictionDiagnostics_000151_test.052'; // Maccor ASCII, 333 rows (MANIFEST)
const ACME_FILE = 'cellpy/20160805_test001_45_cc_01.res'; // Arbin .res, 18 cycles (MANIFEST)
const BOLT_FILE = 'beep/xTESLADIAG_000019_CH70.070'; // Maccor ASCII, 11669 rows, cycles 0-2
const SCREENS = process.env['DISCERN_SCREENS'] ?? join(tmpdir(), 'discern-e2e-screens');
/** Waits are generous: the machine is shared and may be busy (no timing is asserted). */
const POLL = { timeout: 30_000, interval: 100 };
const VOLTAGE_RGB = [0x1f, 0x77, 0xb4]; // voltage stroke of the dashboard (web/src/charts/time-series.tsx)

/** The few browser globals the page scripts below use (the test's tsconfig has no DOM lib). */
interface BrowserGlobals {
  document: {
    querySelector(s: string): {
      width: number;
      height: number;
      getContext(
        k: '2d',
      ): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
    } | null;
  };
  DataTransfer: new () => { items: { add(f: File): void } };
}

/** Pixels of a canvas within ±40 per channel of an RGB colour (a drawn curve, not axes or grid). */
async function colouredPixels(page: Page, selector: string, rgb: readonly number[]): Promise<number> {
  return page.evaluate(
    ({ selector, rgb }) => {
      const canvas = (globalThis as unknown as BrowserGlobals).document.querySelector(selector);
      const ctx = canvas?.getContext('2d');
      if (!canvas || !ctx) return -1;
      const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (
          d[i + 3]! > 128 &&
          Math.abs(d[i]! - rgb[0]!) < 40 &&
          Math.abs(d[i + 1]! - rgb[1]!) < 40 &&
          Math.abs(d[i + 2]! - rgb[2]!) < 40
        )
          n++;
      }
      return n;
    },
    { selector, rgb },
  );
}

async function login(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(url);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=user]');
}

function catalogueYaml(): string {
  return `suppliers:
  - id: acme-cells
    name: Acme Cells
  - id: bolt-energy
    name: Bolt Energy
cell_models:
  - id: ACME-SI-1
    supplier: acme-cells
    chemistry: NMC811
    format: pouch
    nominal_capacity_Ah: 0.0018
    nominal_voltage_V: 0.4
    voltage_min_V: 0.05
    voltage_max_V: 1.0
  - id: BOLT-21700
    supplier: bolt-energy
    chemistry: NMC811
    format: cylindrical-21700
    nominal_capacity_Ah: 4.8
    nominal_voltage_V: 3.6
    voltage_min_V: 2.5
    voltage_max_V: 4.2
samples:
  - serial: ACME-0001
    cell_model: ACME-SI-1
    state: in-test
  - serial: BOLT-0001
    cell_model: BOLT-21700
    state: in-test
tests:
  - file: ${JSON.stringify(fixture(ACME_FILE))}
    sample: ACME-0001
    protocol: cycle_life
  - file: ${JSON.stringify(fixture(BOLT_FILE))}
    sample: BOLT-0001
    protocol: capacity_check
`;
}

describe.skipIf(!haveFixtures || !haveChromium || !haveBuild)('dashboard end to end (Chromium)', () => {
  let dir: string;
  let server: RunningServer;
  let browser: Browser;
  let admin: BrowserContext;
  let page: Page;
  const ids: { acme: number; bolt: number; upload?: number } = { acme: 0, bolt: 0 };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'discern-e2e-'));
    mkdirSync(SCREENS, { recursive: true });
    const db = join(dir, 'lab.duckdb');
    const ing = runCli(['ingest', fixture(ACME_FILE), fixture(BOLT_FILE), '--db', db, '--json']);
    expect(ing.status, ing.stderr).toBe(0);
    const results = ing.json() as { test: { id: number } }[];
    ids.acme = results[0]!.test.id;
    ids.bolt = results[1]!.test.id;
    const cat = join(dir, 'catalogue.yaml');
    writeFileSync(cat, catalogueYaml());
    const { Store } = await import('../../src/store/index.js');
    const { importCatalogue } = await import('../../src/app/catalogue.js');
    const store = await Store.open(db);
    try {
      const r = await importCatalogue(store, cat);
      expect(r.pendingFiles).toEqual([]);
    } finally {
      await store.close();
    }
    server = await startServer(db, { DISCERN_ADMIN_PASSWORD: ADMIN_PASSWORD });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    admin = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    page = await admin.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('logs in and lists the seeded tests with their cell models', async () => {
    await login(page, server.url, 'admin', ADMIN_PASSWORD);
    const table = page.locator('[data-testid=tests-table]');
    await expect.poll(() => table.locator('tbody tr').count(), POLL).toBe(2);
    const text = await table.innerText();
    expect(text).toContain('ACME-SI-1');
    expect(text).toContain('BOLT-21700');
    await page.screenshot({ path: join(SCREENS, 'overview.png'), fullPage: true });
  });

  it('uploads a Maccor file by drag and drop and lists it', async () => {
    await page.goto(`${server.url}/#/upload`);
    const bytes = readBytes(fixture(UPLOAD)).toString('base64');
    const dt = await page.evaluateHandle(
      ({ name, b64 }) => {
        const bin = atob(b64);
        const a = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) a[i] = bin.charCodeAt(i);
        const t = new (globalThis as unknown as BrowserGlobals).DataTransfer();
        t.items.add(new File([a], name));
        return t;
      },
      { name: 'PredictionDiagnostics_000151_test.052', b64: bytes },
    );
    await page.locator('[data-testid=dropzone]').dispatchEvent('drop', { dataTransfer: dt });
    const result = page.locator('[data-testid=upload-result]');
    await result.waitFor();
    const text = await result.innerText();
    expect(text).toContain('ingested');
    expect(text).toContain('maccor');
    expect(text).toMatch(/\b333 rows/); // MANIFEST: 333 rows
    const href = await result.locator('a').getAttribute('href');
    ids.upload = Number(/#\/tests\/(\d+)/.exec(href ?? '')?.[1]);
    expect(ids.upload).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENS, 'upload.png'), fullPage: true });
    await page.goto(`${server.url}/#/`);
    await expect.poll(() => page.locator('[data-testid=tests-table] tbody tr').count(), POLL).toBe(3);
    expect(await page.locator('[data-testid=tests-table]').innerText()).toContain(
      'PredictionDiagnostics_000151_test',
    );
  });

  it('shows the same error code and line as the CLI for a bad file', async () => {
    const bad = join(dir, 'bad.052');
    // The Maccor header of the fixture, then a record with a letter where a number belongs.
    const lines = readBytes(fixture(UPLOAD)).toString('latin1').split(/\r?\n/);
    writeFileSync(
      bad,
      [...lines.slice(0, 4), lines[4]!.replace(/\d+\.\d+/, 'x.yz'), ...lines.slice(5, 8)].join('\r\n'),
    );
    const cli = runCli(['inspect', bad, '--json']);
    expect(cli.stdout, cli.stderr).not.toBe('');
    const expected = (cli.json() as { error: { code: string; line?: number } }).error;
    expect(expected.code).toMatch(/^DISCERN_/);
    await page.goto(`${server.url}/#/upload`);
    await page.locator('[data-testid=file-input]').setInputFiles(bad);
    const err = page.locator('[data-testid=upload-error]');
    await err.waitFor();
    const text = await err.innerText();
    expect(text).toContain(expected.code);
    if (expected.line !== undefined) expect(text).toContain(`line ${expected.line}`);
  });

  it('plots the uploaded test at full resolution (the screenshot shows a drawn curve)', async () => {
    await page.goto(`${server.url}/#/tests/${ids.upload}`);
    const lane = page.locator('.chart[aria-label=voltage_V]');
    await lane.locator('canvas').waitFor();
    // 333 rows, fewer than the plot's pixel buckets: every row is drawn (min == max).
    await expect.poll(() => lane.getAttribute('data-points'), POLL).toBe('333');
    await expect
      .poll(() => colouredPixels(page, '.chart[aria-label=voltage_V] canvas', VOLTAGE_RGB), POLL)
      .toBeGreaterThan(300);
    await page.screenshot({ path: join(SCREENS, 'test-plot.png'), fullPage: true });
  });

  it('zooms a downsampled test into full resolution', async () => {
    await page.goto(`${server.url}/#/tests/${ids.bolt}`);
    const info = page.locator('[data-testid=timeseries] .toolbar .muted').first();
    await expect.poll(() => info.innerText(), POLL).toContain('buckets'); // 11669 rows > plot width
    const canvas = page.locator('.chart[aria-label=voltage_V] .u-over');
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.43, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => info.innerText(), POLL).toContain('full resolution');
    const rows = Number((await info.innerText()).replace(/,/g, '').match(/(\d+) rows in range/)?.[1]);
    expect(rows).toBeGreaterThan(10);
    expect(rows).toBeLessThan(11669);
    await expect
      .poll(() => colouredPixels(page, '.chart[aria-label=voltage_V] canvas', VOLTAGE_RGB), POLL)
      .toBeGreaterThan(100);
    await page.screenshot({ path: join(SCREENS, 'test-zoomed.png'), fullPage: true });
  });

  it('compares two cells: capacity fade and voltage curves overlaid', async () => {
    await page.goto(`${server.url}/#/compare?tests=${ids.acme},${ids.bolt}`);
    const fade = page.locator('.chart[aria-label=compare-fade]');
    await fade.locator('canvas').waitFor();
    const legend = await fade.locator('.u-legend').innerText();
    expect(legend).toContain(`#${ids.acme}`);
    expect(legend).toContain(`#${ids.bolt}`);
    // 18 cycles (MANIFEST) of the Arbin test plus the Maccor test's cycles, joined on cycle number.
    expect(Number(await fade.getAttribute('data-points'))).toBeGreaterThanOrEqual(18);
    const volt = page.locator('.chart[aria-label=compare-voltage]');
    await volt.locator('canvas').waitFor();
    for (const rgb of [VOLTAGE_RGB, [0xd6, 0x27, 0x28]])
      await expect
        .poll(() => colouredPixels(page, '.chart[aria-label=compare-voltage] canvas', rgb), POLL)
        .toBeGreaterThan(100);
    await page.screenshot({ path: join(SCREENS, 'compare.png'), fullPage: true });
  });

  it("hides a supplier's cells from a user without the grant, by every URL", async () => {
    const api = admin.request;
    const add = await api.post(`${server.url}/api/users`, {
      data: { username: 'vera', role: 'viewer', password: VIEWER_PASSWORD },
    });
    expect(add.status(), await add.text()).toBe(200);
    const grant = await api.post(`${server.url}/api/users/vera/grants`, {
      data: { supplier: 'bolt-energy' },
    });
    expect(grant.ok(), await grant.text()).toBe(true);

    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const vera = await ctx.newPage();
    await login(vera, server.url, 'vera', VIEWER_PASSWORD);
    const table = vera.locator('[data-testid=tests-table]');
    await expect.poll(() => table.locator('tbody tr').count(), POLL).toBe(2); // Bolt's test and the unlinked upload
    const seen = await vera.locator('main').innerText();
    expect(seen).toContain('BOLT-21700');
    expect(seen).not.toMatch(/acme/i);

    const base = `${server.url}/api`;
    const q = encodeURIComponent;
    const hidden = [
      `${base}/tests/${ids.acme}`,
      `${base}/tests/${ids.acme}/series?channels=voltage_V&x=test_time_s&points=100`,
      `${base}/tests/${ids.acme}/cycles`,
      `${base}/tests/${ids.acme}/ica?cycles=2`,
      `${base}/tests/${ids.acme}/hppc`,
      `${base}/tests/${ids.acme}/eis`,
      `${base}/claims?cell_model=${q('ACME-SI-1')}`,
      `${base}/reports/${q('ACME-SI-1')}.html`,
    ];
    for (const url of hidden) {
      const r = await ctx.request.get(url);
      expect(r.status(), url).toBe(404);
      // The body may echo the URL asked for, but nothing else of Acme's (its supplier, its test).
      expect(await r.text(), url).not.toMatch(/acme-cells|acme cells|20160805|ACME-0001/i);
    }
    const overview = await (await ctx.request.get(`${base}/overview`)).text();
    expect(overview).not.toMatch(/acme|20160805/i);
    expect(overview).toContain('BOLT-0001');
    // The same test is visible to the admin: the 404 is about the grant, not the URL.
    expect((await api.get(`${base}/tests/${ids.acme}`)).status()).toBe(200);
    expect((await ctx.request.get(`${base}/tests/${ids.bolt}`)).status()).toBe(200);

    await vera.goto(`${server.url}/#/tests/${ids.acme}`);
    await vera.locator('[data-state=not-found]').waitFor();
    expect(await vera.locator('main').innerText()).not.toMatch(/20160805/);
    await vera.screenshot({ path: join(SCREENS, 'no-grant.png'), fullPage: true });
    await ctx.close();
  });
});

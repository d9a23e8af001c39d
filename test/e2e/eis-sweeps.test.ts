import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { fixture, haveFixtures } from '../helpers/fixtures.js';
import { runCli } from '../helpers/cli.js';
import { CHROMIUM, CHROMIUM_ARGS, haveBuild, startServer, type RunningServer } from './server.js';

/*
 * End to end: the Nyquist panel of a test with several impedance sweeps (cellpy/biol.mpr, a
 * BioLogic Modulo Bat run with 5 PEIS sweeps: 64, 64, 64, 64 and 54 points) in Debian's Chromium.
 * The panel shows one sweep at a time, chosen in a selector, and the fit of that sweep only.
 */

const haveChromium = existsSync(CHROMIUM);
const ADMIN_PASSWORD = 'e2e-admin-password-2';
const SCREENS = process.env['DISCERN_SCREENS'] ?? join(tmpdir(), 'discern-e2e-screens');
const POLL = { timeout: 30_000, interval: 100 };

describe.skipIf(!haveFixtures || !haveChromium || !haveBuild)(
  'Nyquist panel: one sweep at a time (Chromium)',
  () => {
    let dir: string;
    let server: RunningServer;
    let browser: Browser;
    let page: Page;
    let id = 0;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'discern-e2e-eis-'));
      mkdirSync(SCREENS, { recursive: true });
      const db = join(dir, 'lab.duckdb');
      const ing = runCli(['ingest', fixture('cellpy/biol.mpr'), '--db', db, '--json']);
      expect(ing.status, ing.stderr).toBe(0);
      id = (ing.json() as { test: { id: number } }[])[0]!.test.id;
      server = await startServer(db, { DISCERN_ADMIN_PASSWORD: ADMIN_PASSWORD });
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
      await page.goto(server.url);
      await page.fill('input[name=username]', 'admin');
      await page.fill('input[name=password]', ADMIN_PASSWORD);
      await page.click('button[type=submit]');
      await page.waitForSelector('[data-testid=user]');
    });

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const panel = (): ReturnType<Page['locator']> => page.locator('[data-testid=eis-panel]');
    const measured = (): Promise<number> => page.locator('figure[aria-label=nyquist] circle').count();
    const rmse = async (): Promise<number> => {
      const row = page.locator('[data-testid=eis-fit] tr', { hasText: 'RMSE' });
      return Number(await row.locator('td.num').innerText());
    };

    it('shows sweep 1 of 5 with its 64 points, a selector of the 5 sweeps, and the voltage plot', async () => {
      await page.goto(`${server.url}/#/tests/${id}`);
      await panel().waitFor();
      await expect.poll(() => panel().getAttribute('data-sweep'), POLL).toBe('1');
      expect(await panel().getAttribute('data-points')).toBe('64');
      expect(await measured()).toBe(64);
      const options = page.locator('[data-testid=eis-sweep] option');
      expect(await options.count()).toBe(5);
      expect(await options.nth(4).innerText()).toContain('54 points');
      // The fit line is drawn, over this sweep's points only.
      expect(await page.locator('figure[aria-label=nyquist] polyline').count()).toBe(1);
      // A cycling test with sweeps inside keeps its time series.
      await page.locator('.chart[aria-label=voltage_V]').waitFor();
      await page.screenshot({ path: join(SCREENS, 'eis-sweep-1.png'), fullPage: true });
    });

    it('switches to sweep 5 and fits a circuit to it alone', async () => {
      await page.locator('[data-testid=eis-sweep]').selectOption('5');
      await expect.poll(() => panel().getAttribute('data-sweep'), POLL).toBe('5');
      await expect.poll(measured, POLL).toBe(54);
      await page.fill('[data-testid=eis-form] input[aria-label=circuit]', 'R0-p(R1,CPE1)-CPE2');
      await page.click('[data-testid=eis-form] button[type=submit]');
      await expect.poll(() => page.locator('[data-testid=eis-fit]').innerText(), POLL).toContain('CPE2_1');
      await expect.poll(() => panel().getAttribute('aria-busy'), POLL).toBe('false');
      // Measured 0.94 Ohm for sweep 5; the 310 points of all sweeps as one spectrum gave ~15 Ohm.
      expect(await rmse()).toBeLessThan(1.5);
      expect(await panel().getAttribute('data-sweep')).toBe('5');
      await page.screenshot({ path: join(SCREENS, 'eis-sweep-5.png'), fullPage: true });
    });
  },
);

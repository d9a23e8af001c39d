import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiscernError } from '../core/index.js';

/** Debian's Chromium, the default PDF printer. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/**
 * Prints a self-contained HTML page to PDF with headless Chromium (`--print-to-pdf`), through a
 * temporary file and a temporary profile directory (both removed afterwards).
 * @param html the page
 * @param outPath the PDF to write
 * @param chromium the browser executable (default /usr/bin/chromium, or $DISCERN_CHROMIUM)
 * @throws DISCERN_NOT_FOUND when the browser is missing, DISCERN_IO when printing fails or the
 * output is not a PDF
 * @example htmlToPdf('<!DOCTYPE html><p>hi</p>', 'out.pdf')
 */
export function htmlToPdf(html: string, outPath: string, chromium?: string): number {
  const exe = chromium ?? process.env['DISCERN_CHROMIUM'] ?? DEFAULT_CHROMIUM;
  if (!existsSync(exe))
    throw new DiscernError(
      'DISCERN_NOT_FOUND',
      `Chromium not found at ${exe} (use --chromium or DISCERN_CHROMIUM)`,
    );
  const dir = mkdtempSync(join(tmpdir(), 'discern-pdf-'));
  try {
    const page = join(dir, 'report.html');
    writeFileSync(page, html, 'utf8');
    const out = resolve(outPath);
    rmSync(out, { force: true });
    const r = spawnSync(
      exe,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--no-first-run',
        '--no-pdf-header-footer',
        `--user-data-dir=${join(dir, 'profile')}`,
        `--print-to-pdf=${out}`,
        pathToFileURL(page).href,
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    if (r.error || !existsSync(out))
      throw new DiscernError(
        'DISCERN_IO',
        `Chromium could not print ${outPath}: ${r.error?.message ?? r.stderr.split('\n').slice(-3).join(' ')}`,
        { file: outPath },
      );
    const bytes = readFileSync(out);
    if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-')
      throw new DiscernError('DISCERN_IO', `Chromium wrote something that is not a PDF to ${outPath}`, {
        file: outPath,
      });
    return bytes.length;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

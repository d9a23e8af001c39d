import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceFile } from '../../src/ingest/types.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Where the shared fixtures are: DISCERN_FIXTURES, or ../shared/fixtures beside the repo. */
export const FIXTURES = process.env['DISCERN_FIXTURES'] ?? resolve(here, '../../../shared/fixtures');

/** True when the fixtures are present. In CI (CI=true) their absence is an error, not a skip. */
export const haveFixtures: boolean = (() => {
  const ok = existsSync(join(FIXTURES, 'MANIFEST.md'));
  if (!ok && process.env['CI'] === 'true') {
    throw new Error(`fixtures are required in CI but were not found at ${FIXTURES}`);
  }
  if (!ok) console.warn(`[discern tests] fixtures not found at ${FIXTURES}; fixture tests are skipped`);
  return ok;
})();

/** Absolute path of a fixture, e.g. fixture('beep/FastCharge_000025_CH8.csv'). */
export function fixture(rel: string): string {
  return join(FIXTURES, rel);
}

/** A fixture as a SourceFile (name = its path relative to the fixtures folder). */
export function fixtureFile(rel: string): SourceFile {
  return { name: rel, bytes: new Uint8Array(readFileSync(join(FIXTURES, rel))) };
}

/** A SourceFile from a string (for synthetic and negative cases). */
export function textFile(name: string, text: string): SourceFile {
  return { name, bytes: new TextEncoder().encode(text) };
}

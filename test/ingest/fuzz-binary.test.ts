import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { floatColumn, isDiscernError, type Frame } from '../../src/core/index.js';
import { completeFrame, detectFormat, type SourceFile } from '../../src/ingest/index.js';
import { FIXTURES, fixtureFile, haveFixtures } from '../helpers/fixtures.js';

/**
 * Seeded fuzzing of every binary fixture: truncations and bit flips. Each mutated file must give
 * either a DiscernError with a stable code (never a plain TypeError/RangeError, never
 * DISCERN_INTERNAL) or plausible output: no NaN or negative test time without a warning.
 */
const BINARY = /\.(mpr|nda|ndax|res|res\.gz|nda\.zip|h5)$/i;

function binaryFixtures(): string[] {
  if (!haveFixtures) return [];
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (BINARY.test(e.name)) out.push(relative(FIXTURES, p));
    }
  };
  walk(FIXTURES);
  return out.sort();
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

function mutations(bytes: Uint8Array, seed: number, count: number): { label: string; bytes: Uint8Array }[] {
  const r = rng(seed);
  const out: { label: string; bytes: Uint8Array }[] = [];
  const n = bytes.length;
  for (const frac of [0.02, 0.5, 0.97]) {
    const cut = Math.max(1, Math.floor(n * frac));
    out.push({ label: `truncated at ${cut}`, bytes: bytes.slice(0, cut) });
  }
  for (let k = 0; k < count; k++) {
    const m = bytes.slice();
    // Bias flips towards the first 4 KiB (headers, module tables, length fields).
    const flips = 1 + Math.floor(r() * 8);
    const where: number[] = [];
    for (let f = 0; f < flips; f++) {
      const pos = r() < 0.6 ? Math.floor(r() * Math.min(n, 4096)) : Math.floor(r() * n);
      m[pos]! ^= 1 << Math.floor(r() * 8);
      where.push(pos);
    }
    out.push({ label: `bits flipped at ${where.join(',')}`, bytes: m });
  }
  return out;
}

function checkPlausible(frame: Frame, label: string): void {
  const t = floatColumn(frame, 'test_time_s');
  if (t === undefined) return;
  let bad = 0;
  for (let i = 0; i < t.length; i++) if (!(t[i]! >= 0)) bad++;
  if (bad > 0) {
    const warned = frame.meta.warnings.some((w) =>
      [
        'DISCERN_TIME_NOT_MONOTONIC',
        'DISCERN_NAN_VALUES',
        'DISCERN_CORRUPT_PART',
        'DISCERN_TIME_UNIT_SUSPECT',
      ].includes(w.code),
    );
    expect(warned, `${label}: ${bad} NaN/negative test times without a warning`).toBe(true);
  }
}

const files = binaryFixtures();

describe.skipIf(!haveFixtures)('fuzzing the binary readers (seeded)', () => {
  it('finds the binary fixtures', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  for (const rel of files) {
    it(`${rel}: every mutation gives a stable error code or plausible output`, { timeout: 120_000 }, () => {
      const original = fixtureFile(rel);
      const size = statSync(join(FIXTURES, rel)).size;
      const count = size > 1_000_000 ? 3 : 10;
      let seed = 0;
      for (let i = 0; i < rel.length; i++) seed = (seed * 31 + rel.charCodeAt(i)) >>> 0;
      for (const m of mutations(original.bytes, seed, count)) {
        const file: SourceFile = { name: original.name, bytes: m.bytes };
        try {
          const reader = detectFormat(file);
          const frame = completeFrame(reader.read(file, { timeZone: 'UTC' }));
          checkPlausible(frame, `${rel} ${m.label}`);
        } catch (e) {
          if (!isDiscernError(e) || e.code === 'DISCERN_INTERNAL') {
            throw new Error(
              `${rel} ${m.label}: not a stable error: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`,
              { cause: e },
            );
          }
        }
      }
    });
  }
});

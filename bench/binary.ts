/**
 * Binary reader throughput (issue 3, item 5): rows/s of our .nda, .ndax and .mpr readers on the
 * largest fixtures and on a synthetic large .nda (v26 fixed records), each beside a baseline in
 * the same run: a bare DataView pass that only sums the same fields over the same bytes (after
 * the same unzip, where the format is zipped). Median of several runs after warm-up; peak RSS.
 *
 * Run: `node --import tsx bench/binary.ts` (writes nothing; prints a Markdown section).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { completeFrame } from '../src/ingest/index.js';
import { biologicMprReader } from '../src/ingest/biologic/index.js';
import { readMprModules } from '../src/ingest/biologic/mpr-modules.js';
import { MPR_COLUMNS, MPR_FLAG_COLUMNS, MPR_VALUE_SIZE } from '../src/ingest/biologic/mpr-columns.js';
import { newareNdaReader, newareNdaxReader } from '../src/ingest/neware/index.js';
import type { FormatReader, SourceFile } from '../src/ingest/types.js';

const FIXTURES = process.env['DISCERN_FIXTURES'] ?? join(import.meta.dirname, '../../shared/fixtures');
const RUNS = Number(process.env['BENCH_RUNS'] ?? 7);
const WARM = 2;

function largest(ext: RegExp): string {
  let best = '';
  let size = -1;
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (ext.test(e.name) && statSync(p).size > size) {
        size = statSync(p).size;
        best = p;
      }
    }
  };
  walk(FIXTURES);
  return best;
}

const u64 = (v: DataView, p: number): number => v.getUint32(p, true) + v.getUint32(p + 4, true) * 4294967296;
const i64 = (v: DataView, p: number): number => v.getUint32(p, true) + v.getInt32(p + 4, true) * 4294967296;

/** v22/v26/v29 .nda: 86-byte records; sums the fields decodeNda86 reads from each data record. */
function baselineNda86(bytes: Uint8Array): { rows: number; sum: number } {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const begin = v.getUint32(64, true);
  const len = v.getUint32(68, true);
  const end = len === 0 ? bytes.length : begin + len;
  let sum = 0;
  let rows = 0;
  for (let p = begin; p + 86 <= end; p += 86) {
    if (bytes[p] !== 0x55) continue;
    rows++;
    sum +=
      v.getUint32(p + 2, true) +
      v.getUint32(p + 6, true) +
      v.getUint16(p + 10, true) +
      bytes[p + 12]! +
      bytes[p + 13]! +
      u64(v, p + 14) +
      v.getInt32(p + 22, true) +
      v.getInt32(p + 26, true) +
      i64(v, p + 38) +
      i64(v, p + 46) +
      i64(v, p + 54) +
      i64(v, p + 62) +
      v.getUint16(p + 70, true) +
      bytes[p + 72]! +
      bytes[p + 73]! +
      bytes[p + 74]! +
      bytes[p + 75]! +
      bytes[p + 76]! +
      v.getInt32(p + 78, true);
  }
  return { rows, sum };
}

/** v130 (BTS 9.0, 88-byte records): the fields decode90 reads. */
function baselineBts90(bytes: Uint8Array): { rows: number; sum: number } {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const begin = u64(v, 82);
  const end = Math.min(bytes.length, begin + u64(v, 90));
  const p0 = v.getUint32(begin, true);
  const p1 = v.getUint32(begin + 4, true);
  let sum = 0;
  let rows = 0;
  for (let p = begin; p + 88 <= end; p += 88) {
    if (v.getUint32(p, true) !== p0 || v.getUint32(p + 4, true) !== p1) continue;
    rows++;
    sum +=
      bytes[p + 9]! +
      bytes[p + 10]! +
      v.getUint32(p + 16, true) +
      u64(v, p + 28) +
      v.getFloat32(p + 36, true) +
      v.getFloat32(p + 40, true) +
      v.getFloat32(p + 60, true) +
      v.getFloat32(p + 64, true) +
      u64(v, p + 68);
  }
  return { rows, sum };
}

/** .ndax: the same unzip, then every 4-byte word of the data, runInfo and step .ndc tables as f32. */
function baselineNdax(bytes: Uint8Array): { rows: number; sum: number } {
  const entries = unzipSync(bytes, { filter: (f) => /\.ndc$/i.test(f.name) });
  let sum = 0;
  let rows = 0;
  for (const [name, b] of Object.entries(entries)) {
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const words = Math.floor(b.length / 4);
    for (let k = 1024; k < words; k++) sum += v.getFloat32(4 * k, true);
    if (/^data\.ndc$/i.test(name)) rows = Math.floor(b.length / 8);
  }
  return { rows, sum };
}

/** .mpr: the module table, then every column of every record of "VMP data" by its type. */
function baselineMpr(bytes: Uint8Array, name: string): { rows: number; sum: number } {
  const m = readMprModules(bytes, name).find((x) => x.name === 'VMP data')!;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rows = v.getUint32(m.offset, true);
  const classic = m.header === 'classic';
  const count = classic ? bytes[m.offset + 4]! : v.getUint16(m.offset + 4, true);
  const at: number[] = [];
  const kind: number[] = []; // 0 u1, 1 u2, 2 u4, 3 f4, 4 f8
  let size = 0;
  let flag = false;
  for (let k = 0; k < count; k++) {
    const id = v.getUint16(m.offset + (classic ? 5 : 6) + 2 * k, true);
    if (MPR_FLAG_COLUMNS.has(id)) {
      if (!flag) {
        at.push(size);
        kind.push(0);
        size += 1;
        flag = true;
      }
      continue;
    }
    const t = MPR_COLUMNS.get(id)!.type;
    at.push(size);
    kind.push(['u1', 'u2', 'u4', 'f4', 'f8'].indexOf(t));
    size += MPR_VALUE_SIZE[t];
  }
  const start = m.offset + m.length - rows * size;
  const nc = at.length;
  const At = Int32Array.from(at);
  const K = Int32Array.from(kind);
  let sum = 0;
  for (let r = 0, p = start; r < rows; r++, p += size) {
    for (let c = 0; c < nc; c++) {
      const q = p + At[c]!;
      switch (K[c]) {
        case 0:
          sum += bytes[q]!;
          break;
        case 1:
          sum += v.getUint16(q, true);
          break;
        case 2:
          sum += v.getUint32(q, true);
          break;
        case 3:
          sum += v.getFloat32(q, true);
          break;
        default:
          sum += v.getFloat64(q, true);
      }
    }
  }
  return { rows, sum };
}

/**
 * A large v26 .nda made from a real one: its data block repeated `times` times, with the record
 * index, the cycle and the year advanced in each copy so that counters and clock keep increasing.
 */
function synthesizeNda26(real: Uint8Array, times: number): Uint8Array {
  const v = new DataView(real.buffer, real.byteOffset, real.byteLength);
  const begin = v.getUint32(64, true);
  const len = v.getUint32(68, true);
  const end = len === 0 ? real.length : begin + len;
  const block = real.subarray(begin, end - ((end - begin) % 86));
  let maxIndex = 0;
  let maxCycle = 0;
  for (let p = 0; p + 86 <= block.length; p += 86) {
    if (block[p] === 0x55 || block[p] === 0x65)
      maxIndex = Math.max(maxIndex, v.getUint32(begin + p + 2, true));
    if (block[p] === 0x55) maxCycle = Math.max(maxCycle, v.getUint32(begin + p + 6, true) + 1);
  }
  const out = new Uint8Array(begin + block.length * times);
  out.set(real.subarray(0, begin));
  const w = new DataView(out.buffer);
  for (let k = 0; k < times; k++) {
    const base = begin + k * block.length;
    out.set(block, base);
    for (let p = base; p + 86 <= base + block.length; p += 86) {
      const kind = out[p];
      if (kind === 0x55 || kind === 0x65) w.setUint32(p + 2, w.getUint32(p + 2, true) + k * maxIndex, true);
      if (kind === 0x55) {
        w.setUint32(p + 6, w.getUint32(p + 6, true) + k * maxCycle, true);
        w.setUint16(p + 70, w.getUint16(p + 70, true) + k, true);
      }
    }
  }
  w.setUint32(68, block.length * times, true);
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(f: () => unknown): number {
  for (let i = 0; i < WARM; i++) f();
  const t: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    f();
    t.push(performance.now() - t0);
  }
  return median(t) / 1000;
}

interface Case {
  label: string;
  reader: FormatReader;
  file: SourceFile;
  baseline: () => { rows: number; sum: number };
}

const cases: Case[] = [];
const nda = largest(/\.nda$/i);
const ndaBytes = new Uint8Array(readFileSync(nda));
cases.push({
  label: `largest .nda: ${nda.slice(FIXTURES.length + 1)} (v${ndaBytes[14]}, BTS 9.0)`,
  reader: newareNdaReader,
  file: { name: nda, bytes: ndaBytes },
  baseline: () => baselineBts90(ndaBytes),
});
const v26zip = join(FIXTURES, 'fastnda/nda_v26.nda.zip');
const v26 = Object.values(
  unzipSync(new Uint8Array(readFileSync(v26zip)), { filter: (f) => /\.nda$/i.test(f.name) }),
)[0]!;
cases.push({
  label: 'fastnda/nda_v26.nda.zip, unzipped (v26, 86-byte records)',
  reader: newareNdaReader,
  file: { name: 'nda_v26.nda', bytes: v26 },
  baseline: () => baselineNda86(v26),
});
const TIMES = Number(process.env['BENCH_SYNTH_TIMES'] ?? 8);
const synth = synthesizeNda26(v26, TIMES);
cases.push({
  label: `synthetic v26 .nda (nda_v26 data block x ${TIMES})`,
  reader: newareNdaReader,
  file: { name: 'synthetic.nda', bytes: synth },
  baseline: () => baselineNda86(synth),
});
const ndax = largest(/\.ndax$/i);
const ndaxBytes = new Uint8Array(readFileSync(ndax));
cases.push({
  label: `largest .ndax: ${ndax.slice(FIXTURES.length + 1)}`,
  reader: newareNdaxReader,
  file: { name: ndax, bytes: ndaxBytes },
  baseline: () => baselineNdax(ndaxBytes),
});
const mpr = largest(/\.mpr$/i);
const mprBytes = new Uint8Array(readFileSync(mpr));
cases.push({
  label: `largest .mpr: ${mpr.slice(FIXTURES.length + 1)}`,
  reader: biologicMprReader,
  file: { name: mpr, bytes: mprBytes },
  baseline: () => baselineMpr(mprBytes, mpr),
});

const la = loadavg();
const lines: string[] = [];
lines.push(`## Binary readers (bench/binary.ts), ${new Date().toISOString().slice(0, 10)}`, '');
lines.push(
  `Machine: ${cpus().length} cores (${cpus()[0]?.model.trim() ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; load average ${la.map((x) => x.toFixed(1)).join(' / ')} at the start.`,
  `Median wall time of ${RUNS} runs after ${WARM} warm-ups, in one process. "reader" = \`reader.read(file)\` (bytes to Frame); "+ complete" adds \`completeFrame\` (per-step and cumulative series, checks). Baseline = a bare DataView pass summing the same fields over the same bytes (after the same unzip for .ndax; for .ndax it sums every 4-byte word of the .ndc tables, a little more than the reader reads).`,
  '',
  '| file | bytes | rows | baseline M rows/s | reader M rows/s | reader / baseline | + complete M rows/s | peak RSS so far (MiB) |',
  '|---|---|---|---|---|---|---|---|',
);
for (const c of cases) {
  const frame = c.reader.read(c.file, { timeZone: 'UTC' });
  const b = c.baseline();
  const rows = frame.length;
  const tb = time(c.baseline);
  const tr = time(() => c.reader.read(c.file, { timeZone: 'UTC' }));
  const tc = time(() => completeFrame(c.reader.read(c.file, { timeZone: 'UTC' })));
  const rss = process.resourceUsage().maxRSS / 1024;
  const m = (t: number): string => (rows / t / 1e6).toFixed(2);
  lines.push(
    `| ${c.label} | ${c.file.bytes.length} | ${rows}${b.rows !== rows ? ` (baseline ${b.rows})` : ''} | ${(b.rows / tb / 1e6).toFixed(2)} | ${m(tr)} | ${(rows / tr / (b.rows / tb)).toFixed(2)} | ${m(tc)} | ${rss.toFixed(0)} |`,
  );
  process.stderr.write(`${lines[lines.length - 1]}\n`);
}
lines.push('');
console.log(lines.join('\n'));

import { describe, expect, it } from 'vitest';
import { createFrame, floatColumn, intColumn, isDiscernError } from '../../src/core/index.js';
import {
  DelimitedStreamParser,
  StreamCompleter,
  completeFrame,
  parseNumberBytes,
  type StreamBatch,
} from '../../src/ingest/index.js';

/** Park-Miller style seeded generator in [0, 1). */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 48271) % 2147483647;
    return s / 2147483647;
  };
}

describe('byte-level number parsing', () => {
  it('gives exactly the same double as Number() on 100k seeded numbers in many notations', () => {
    const r = rng(7);
    const enc = new TextEncoder();
    const mismatches: string[] = [];
    let parsed = 0;
    for (let k = 0; k < 100_000; k++) {
      const x = (r() - 0.5) * 10 ** Math.floor(r() * 16 - 8);
      const forms = [
        String(x),
        x.toFixed(Math.floor(r() * 10)),
        x.toExponential(Math.floor(r() * 12)),
        x.toPrecision(1 + Math.floor(r() * 17)),
      ];
      for (const text of forms) {
        const b = enc.encode(text);
        const v = parseNumberBytes(b, 0, b.length);
        if (v === undefined) continue;
        parsed++;
        if (v !== Number(text)) mismatches.push(text);
      }
    }
    expect(mismatches).toEqual([]);
    // every one of the 400k texts is a number
    expect(parsed).toBe(400_000);
  });

  it('returns NaN for an empty field, undefined for text that is not a number', () => {
    const enc = new TextEncoder();
    const p = (t: string): number | undefined => parseNumberBytes(enc.encode(t), 0, t.length);
    expect(p('')).toBeNaN();
    expect(p('  ')).toBeNaN();
    expect(p('abc')).toBeUndefined();
    expect(p('1e')).toBeUndefined();
    expect(p('12345678901234567890')).toBe(Number('12345678901234567890'));
    expect(p(' -3.25 ')).toBe(-3.25);
    expect(p('+7')).toBe(7);
  });
});

function csvText(rows: number): string {
  const r = rng(11);
  const out = ['t,v,i,cyc,step'];
  let cyc = 1;
  for (let k = 0; k < rows; k++) {
    if (k > 0 && k % 500 === 0) cyc++;
    const charging = k % 500 < 250;
    out.push(
      `${k * 2.5},${(3.5 + r() * 0.5).toFixed(6)},${charging ? 1.2 : -1.1},${cyc},${charging ? 1 : 2}`,
    );
  }
  return `${out.join('\r\n')}\r\n`;
}

const columns = [
  { index: 0, channel: 'test_time_s', kind: 'float' as const },
  { index: 1, channel: 'voltage_V', kind: 'float' as const },
  { index: 2, channel: 'current_A', kind: 'float' as const },
  { index: 3, channel: 'cycle_index', kind: 'int' as const },
  { index: 4, channel: 'step_index', kind: 'int' as const },
];

function parseInChunks(bytes: Uint8Array, chunk: () => number, batchRows: number): StreamBatch[] {
  const batches: StreamBatch[] = [];
  const p = new DelimitedStreamParser({
    delimiter: ',',
    columns,
    skipLines: 1,
    batchRows,
    file: 'x.csv',
    onBatch: (b) => batches.push(b),
  });
  for (let at = 0; at < bytes.length;) {
    const n = Math.max(1, chunk());
    p.push(bytes.subarray(at, at + n));
    at += n;
  }
  p.end();
  return batches;
}

describe('streaming parser and completer', () => {
  const bytes = new TextEncoder().encode(csvText(5000));

  it('gives the same rows whatever the chunk boundaries (CRLF, random chunk sizes)', () => {
    const r = rng(3);
    const a = parseInChunks(bytes, () => Math.floor(r() * 97), 777);
    const b = parseInChunks(bytes, () => bytes.length, 100_000);
    const cat = (bs: StreamBatch[], ch: string): number[] => bs.flatMap((x) => Array.from(x.columns[ch]!));
    expect(a.reduce((s, x) => s + x.rows, 0)).toBe(5000);
    for (const c of columns) expect(cat(a, c.channel)).toEqual(cat(b, c.channel));
    expect(cat(b, 'test_time_s')[4999]).toBe(4999 * 2.5);
  });

  it('the completer, batch by batch, derives what completeFrame derives on the whole', () => {
    const whole = parseInChunks(bytes, () => bytes.length, 100_000)[0]!;
    const frame = completeFrame(
      createFrame({ columns: { ...whole.columns }, meta: { vendor: 'synthetic', format: 'synthetic' } }),
    );
    const completer = new StreamCompleter(columns.map((c) => c.channel));
    const done = parseInChunks(bytes, () => 4096, 333).map((b) => completer.process(b));
    for (const ch of [
      'cumulative_charge_capacity_Ah',
      'step_discharge_capacity_Ah',
      'cumulative_discharge_energy_Wh',
    ]) {
      const streamed = done.flatMap((x) => Array.from(x.columns[ch] as Float64Array));
      const ref = Array.from(floatColumn(frame, ch)!);
      expect(streamed.length).toBe(ref.length);
      for (let i = 0; i < ref.length; i += 97) expect(streamed[i]).toBeCloseTo(ref[i]!, 12);
    }
    const sc = done.flatMap((x) => Array.from(x.columns['step_count'] as Int32Array));
    expect(sc).toEqual(Array.from(intColumn(frame, 'step_count')!));
    // 10 cycles of 250 rows charging at 1.2 A for 2.5 s steps: about 1.2 * 250 * 2.5 / 3600 Ah each.
    expect(floatColumn(frame, 'cumulative_charge_capacity_Ah')![4999]).toBeCloseTo(
      (10 * 1.2 * 250 * 2.5) / 3600,
      2,
    );
    expect(completer.warnings().map((w) => w.code)).toEqual(frame.meta.warnings.map((w) => w.code));
  });

  it('parses every field as Number() of its trimmed text does (all notations, blanks, factor, ints)', () => {
    // Fields in the notations instruments print, padded with blanks, some empty or "NaN", some
    // beyond the fast path (17 digits, exponents past 22): the parser must give Number()'s value,
    // scaled for a column with a factor and offset and rounded for an integer column.
    const r = rng(11);
    const texts: string[] = [];
    for (let k = 0; k < 30_000; k++) {
      const x = (r() - 0.5) * 10 ** Math.floor(r() * 40 - 20);
      const forms = [
        String(x),
        x.toFixed(Math.floor(r() * 12)),
        x.toExponential(Math.floor(r() * 16)),
        x.toPrecision(1 + Math.floor(r() * 20)),
        '',
        'NaN',
        String(Math.round(x * 1e6)),
      ];
      const t = forms[Math.floor(r() * forms.length)]!;
      const pad = r() < 0.2 ? ' ' : r() < 0.1 ? '\t' : '';
      texts.push(pad + t + (r() < 0.2 ? ' ' : ''));
    }
    const lines = ['a,b,c,skip'];
    for (let i = 0; i + 2 < texts.length; i += 3)
      lines.push(`${texts[i]},${texts[i + 1]},${texts[i + 2]},x y`);
    const bytes = new TextEncoder().encode(lines.join('\r\n'));
    const out: StreamBatch[] = [];
    const p = new DelimitedStreamParser({
      delimiter: ',',
      skipLines: 1,
      file: 'numbers.csv',
      batchRows: 4096,
      columns: [
        { index: 0, channel: 'plain', kind: 'float' },
        { index: 1, channel: 'scaled', kind: 'float', factor: 1e-3, offset: 273.15 },
        { index: 2, channel: 'int', kind: 'int' },
      ],
      onBatch: (b) => out.push(b),
    });
    for (let at = 0; at < bytes.length; at += 1000) p.push(bytes.subarray(at, at + 1000));
    p.end();
    const cat = (ch: string): number[] => out.flatMap((b) => Array.from(b.columns[ch]!));
    const ref = (t: string): number => (t.trim() === '' ? NaN : Number(t.trim()));
    const rows = lines.length - 1;
    const [plain, scaled, int] = [cat('plain'), cat('scaled'), cat('int')];
    expect(plain.length).toBe(rows);
    const bad: string[] = [];
    for (let i = 0; i < rows; i++) {
      const [a, b, c] = [ref(texts[3 * i]!), ref(texts[3 * i + 1]!), ref(texts[3 * i + 2]!)];
      if (!Object.is(plain[i], a)) bad.push(`plain ${JSON.stringify(texts[3 * i])} -> ${plain[i]}`);
      if (!Object.is(scaled[i], b * 1e-3 + 273.15)) bad.push(`scaled ${texts[3 * i + 1]} -> ${scaled[i]}`);
      const ci = Number.isFinite(c) ? Math.round(c) : -1;
      if (int[i] !== (ci | 0)) bad.push(`int ${texts[3 * i + 2]} -> ${int[i]}`);
    }
    expect(bad.slice(0, 10)).toEqual([]);
  });

  it('rejects a number followed by other text in the same field', () => {
    const bad = new TextEncoder().encode('t,v,i,cyc,step\n0,3.5,1,1,1\n1,3.6V,1,1,1\n');
    try {
      parseInChunks(bad, () => 1000, 10);
      expect.unreachable();
    } catch (e) {
      expect(isDiscernError(e, 'DISCERN_PARSE_BAD_VALUE')).toBe(true);
      expect((e as { line: number }).line).toBe(3);
    }
  });

  it('reports a non-numeric field with its line number', () => {
    const bad = new TextEncoder().encode('t,v,i,cyc,step\n0,3.5,1,1,1\n1,oops,1,1,1\n');
    try {
      parseInChunks(bad, () => 5, 10);
      expect.unreachable();
    } catch (e) {
      expect(isDiscernError(e, 'DISCERN_PARSE_BAD_VALUE')).toBe(true);
      expect((e as { line: number }).line).toBe(3);
    }
  });

  it('reports a row with missing fields as truncated', () => {
    const bad = new TextEncoder().encode('t,v,i,cyc,step\n0,3.5,1,1,1\n1,3.6');
    expect(() => parseInChunks(bad, () => 1000, 10)).toThrow(/field/);
  });
});

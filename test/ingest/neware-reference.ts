import { readFileSync } from 'node:fs';
import { compressionRegistry, CompressionType, tableFromIPC, type Table } from 'apache-arrow';

/**
 * Readers for the independent Neware references in the fixtures:
 * - NewareNDA's regression frames (`NewareNDA/reference/*.ftr`, Arrow IPC files written by pyarrow
 *   with LZ4-frame compressed buffers; apache-arrow has no LZ4 codec, so a small decoder of the
 *   LZ4 frame format is registered here);
 * - BTSDA exports (`fastnda/*.parquet`), read with DuckDB: parquet-wasm 0.8 cannot read them
 *   (polars wrote the step type as a dictionary of Utf8View, which it rejects).
 */

/** Decodes an LZ4 frame (lz4_Frame_format.md): blocks, optional checksums, linked blocks. */
export function lz4FrameDecode(src: Uint8Array): Uint8Array {
  const dv = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const out: number[] = [];
  let p = 0;
  while (p < src.length) {
    const magic = dv.getUint32(p, true);
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      p += 8 + dv.getUint32(p + 4, true); // skippable frame
      continue;
    }
    if (magic !== 0x184d2204) throw new Error(`not an LZ4 frame (magic ${magic.toString(16)})`);
    const flg = src[p + 4]!;
    p += 6 + ((flg >> 3) & 1 ? 8 : 0) + (flg & 1 ? 4 : 0) + 1;
    for (;;) {
      const word = dv.getUint32(p, true);
      p += 4;
      if (word === 0) break;
      const n = word & 0x7fffffff;
      if (word & 0x80000000) for (let k = 0; k < n; k++) out.push(src[p + k]!);
      else decodeBlock(src, p, p + n, out);
      p += n + ((flg >> 4) & 1 ? 4 : 0);
    }
    if ((flg >> 2) & 1) p += 4;
  }
  return Uint8Array.from(out);
}

/** One LZ4 block appended to `out` (matches may reach back into earlier blocks). */
function decodeBlock(b: Uint8Array, start: number, end: number, out: number[]): void {
  let ip = start;
  while (ip < end) {
    const token = b[ip++]!;
    let literals = token >> 4;
    if (literals === 15) {
      let s: number;
      do literals += s = b[ip++]!;
      while (s === 255);
    }
    for (let k = 0; k < literals; k++) out.push(b[ip++]!);
    if (ip >= end) break;
    const offset = b[ip]! | (b[ip + 1]! << 8);
    ip += 2;
    let match = token & 15;
    if (match === 15) {
      let s: number;
      do match += s = b[ip++]!;
      while (s === 255);
    }
    match += 4;
    let from = out.length - offset;
    for (let k = 0; k < match; k++) out.push(out[from++]!);
  }
}

let registered = false;

/** A NewareNDA reference frame (Arrow IPC file). */
export function readFeather(path: string): Table {
  if (!registered) {
    compressionRegistry.set(CompressionType.LZ4_FRAME, { decode: lz4FrameDecode });
    registered = true;
  }
  return tableFromIPC(new Uint8Array(readFileSync(path)));
}

/** A numeric column of a reference table as plain numbers (NaN for nulls). */
export function featherNumbers(t: Table, name: string): number[] {
  const c = t.getChild(name);
  if (c === null) throw new Error(`reference has no column ${name}`);
  const out: number[] = new Array<number>(t.numRows);
  for (let i = 0; i < t.numRows; i++) {
    const v = c.get(i) as number | bigint | null;
    out[i] = v === null ? NaN : Number(v);
  }
  return out;
}

/** Timestamps of a reference table in Unix ms: the instant for zoned columns, the wall clock read as UTC for naive ones. */
export function featherTimestampsMs(t: Table, name: string): { ms: number[]; zoned: boolean } {
  const field = t.schema.fields.find((f) => f.name === name);
  if (field === undefined) throw new Error(`reference has no column ${name}`);
  const type = field.type as { unit: number; timezone?: string | null };
  const perMs = [1 / 1000, 1, 1000, 1e6][type.unit]!;
  const raw = t.getChild(name)!.data.flatMap((d) => Array.from(d.values as BigInt64Array, Number));
  return { ms: raw.map((x) => x / perMs), zoned: typeof type.timezone === 'string' && type.timezone !== '' };
}

/** A BTSDA export: one array per column (Date as naive wall-clock Unix ms). */
export interface BtsdaTable {
  readonly rows: number;
  readonly cycle: number[];
  readonly stepIndex: number[];
  readonly stepType: string[];
  readonly stepTime: number[];
  readonly totalTime: number[];
  readonly currentUA: number[];
  readonly voltageMV: number[];
  readonly capacityMAs: number[];
  readonly energyMWs: number[];
  readonly dateMs: number[];
  readonly stepCount: number[];
}

/** Reads a BTSDA parquet export with DuckDB (in memory). */
export async function readBtsdaParquet(path: string): Promise<BtsdaTable> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  try {
    const r = await con.runAndReadAll(
      `select "Cycle Index" c, "Step Index" si, "Step Type" ty, "Time" st, "Total Time" tt,
              "Current(uA)" i, "Voltage(mV)" v, "Capacity(mAs)" q, "Energy(mWs)" e,
              epoch_ms("Date") d, "Step Count" sc
       from read_parquet('${path.replace(/'/g, "''")}')`,
    );
    const c = r.getColumnsObjectJson() as Record<string, (number | string | null)[]>;
    const num = (k: string): number[] => (c[k] ?? []).map((x) => (x === null ? NaN : Number(x)));
    return {
      rows: (c['c'] ?? []).length,
      cycle: num('c'),
      stepIndex: num('si'),
      stepType: (c['ty'] ?? []).map(String),
      stepTime: num('st'),
      totalTime: num('tt'),
      currentUA: num('i'),
      voltageMV: num('v'),
      capacityMAs: num('q'),
      energyMWs: num('e'),
      dateMs: num('d'),
      stepCount: num('sc'),
    };
  } finally {
    con.closeSync();
    instance.closeSync();
  }
}

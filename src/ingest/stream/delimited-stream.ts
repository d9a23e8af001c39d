import { DiscernError } from '../../core/index.js';

/** One numeric column to extract: its 0-based field index and the conversion to canonical units. */
export interface StreamColumn {
  readonly index: number;
  readonly channel: string;
  readonly kind: 'float' | 'int';
  /** canonical = raw * factor + offset */
  readonly factor?: number;
  readonly offset?: number;
}

/** A batch of parsed rows: one typed array per extracted channel (NaN / -1 for empty fields). */
export interface StreamBatch {
  readonly firstRow: number;
  readonly rows: number;
  readonly columns: Readonly<Record<string, Float64Array | Int32Array>>;
}

export interface DelimitedStreamOptions {
  /** Field delimiter, a single ASCII character. */
  readonly delimiter: string;
  readonly columns: readonly StreamColumn[];
  /** Lines before the first data line (header and preamble). */
  readonly skipLines: number;
  /** Rows per batch; default 65536. */
  readonly batchRows?: number;
  /** File name for error messages. */
  readonly file: string;
  readonly onBatch: (batch: StreamBatch) => void;
}

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const latin1 = new TextDecoder('latin1');

/**
 * A push parser for large delimited numeric files: bytes go in chunk by chunk, batches of typed
 * arrays come out, so memory stays bounded by the batch size whatever the file size. Numbers are
 * parsed straight from the bytes (Clinger's fast path: up to 15 significant digits and a power of
 * ten up to 22 give the correctly rounded double); anything else falls back to `Number()`.
 * Quoted fields are not supported (use the per-format readers for those files).
 * @throws DISCERN_PARSE_BAD_VALUE with the 1-based line for a field that is not a number.
 */
export class DelimitedStreamParser {
  private readonly delim: number;
  private readonly batchRows: number;
  private readonly fieldToSlot: Int32Array;
  private readonly maxField: number;
  private readonly slots: StreamColumn[];
  /** Per slot: 0 float as is, 1 float scaled (factor, offset), 2 integer. */
  private readonly mode: Uint8Array;
  private readonly factor: Float64Array;
  private readonly offset: Float64Array;
  /** Per slot, the batch buffer of a float slot (an empty array for an integer slot) ... */
  private f64: Float64Array[] = [];
  /** ... and of an integer slot (an empty array for a float slot). */
  private i32: Int32Array[] = [];
  private inBatch = 0;
  private rowsDone = 0;
  private line = 0;
  private carry: Uint8Array | null = null;

  constructor(private readonly options: DelimitedStreamOptions) {
    if (options.delimiter.length !== 1)
      throw new DiscernError('DISCERN_BAD_ARGUMENT', 'the delimiter must be one character');
    this.delim = options.delimiter.charCodeAt(0);
    this.batchRows = options.batchRows ?? 65536;
    this.slots = [...options.columns];
    this.maxField = Math.max(...this.slots.map((c) => c.index));
    this.fieldToSlot = new Int32Array(this.maxField + 1).fill(-1);
    this.slots.forEach((c, k) => (this.fieldToSlot[c.index] = k));
    this.mode = Uint8Array.from(this.slots, (c) =>
      c.kind === 'int' ? 2 : c.factor !== undefined || (c.offset ?? 0) !== 0 ? 1 : 0,
    );
    this.factor = Float64Array.from(this.slots, (c) => c.factor ?? 1);
    this.offset = Float64Array.from(this.slots, (c) => c.offset ?? 0);
    this.newBuffers();
  }

  /** Rows parsed so far. */
  get rows(): number {
    return this.rowsDone + this.inBatch;
  }

  private newBuffers(): void {
    const n = this.batchRows;
    this.f64 = this.slots.map((c) => new Float64Array(c.kind === 'int' ? 0 : n));
    this.i32 = this.slots.map((c) => new Int32Array(c.kind === 'int' ? n : 0));
    this.inBatch = 0;
  }

  private flush(): void {
    if (this.inBatch === 0) return;
    const columns: Record<string, Float64Array | Int32Array> = {};
    this.slots.forEach((c, k) => {
      const b = c.kind === 'int' ? this.i32[k]! : this.f64[k]!;
      columns[c.channel] = this.inBatch === this.batchRows ? b : b.slice(0, this.inBatch);
    });
    this.options.onBatch({ firstRow: this.rowsDone, rows: this.inBatch, columns });
    this.rowsDone += this.inBatch;
    this.newBuffers();
  }

  /** Feeds the next chunk of the file. */
  push(chunk: Uint8Array): void {
    // a plain Uint8Array view: a Buffer (a subclass) would make the byte loads polymorphic
    let data = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.carry !== null) {
      data = new Uint8Array(this.carry.length + chunk.length);
      data.set(this.carry);
      data.set(chunk, this.carry.length);
      this.carry = null;
    }
    let start = 0;
    const n = data.length;
    for (;;) {
      const nl = data.indexOf(10, start);
      if (nl < 0) break;
      this.parseLine(data, start, nl);
      start = nl + 1;
    }
    if (start < n) this.carry = data.slice(start);
  }

  /** Ends the input (parses a last line without a newline) and emits the last batch. */
  end(): void {
    if (this.carry !== null && this.carry.length > 0) this.parseLine(this.carry, 0, this.carry.length);
    this.carry = null;
    this.flush();
  }

  /**
   * Parses one line d[s, e) into row `inBatch`. The wanted fields are parsed as numbers in the same
   * pass that finds their ends (one loop over the bytes, no call per field on the fast path); a
   * field the fast path does not take goes to `slowValue`.
   */
  private parseLine(d: Uint8Array, s: number, e: number): void {
    this.line++;
    if (e > s && d[e - 1] === 13) e--;
    if (this.line <= this.options.skipLines || e <= s) return;
    const row = this.inBatch;
    const delim = this.delim;
    const fieldToSlot = this.fieldToSlot;
    const maxField = this.maxField;
    const mode = this.mode;
    const f64 = this.f64;
    let field = 0;
    let p = s;
    for (;;) {
      const slot = fieldToSlot[field]!;
      let q = p;
      if (slot < 0) {
        while (q < e && d[q] !== delim) q++;
      } else {
        let c = 0;
        while (q < e && ((c = d[q]!) === 32 || c === 9)) q++;
        let v = NaN;
        let fast = true;
        if (q < e && c !== delim) {
          let neg = false;
          if (c === 45 || c === 43) {
            neg = c === 45;
            q++;
          }
          let mant = 0;
          let digits = 0;
          let scale = 0;
          let any = false;
          while (q < e) {
            c = d[q]! - 48;
            if (c < 0 || c > 9) break;
            any = true;
            if (digits < 15) {
              mant = mant * 10 + c;
              if (mant !== 0) digits++;
            } else fast = false;
            q++;
          }
          if (q < e && d[q] === 46) {
            q++;
            while (q < e) {
              c = d[q]! - 48;
              if (c < 0 || c > 9) break;
              any = true;
              if (digits < 15) {
                mant = mant * 10 + c;
                if (mant !== 0) digits++;
                scale--;
              } else if (c !== 0) fast = false;
              q++;
            }
          }
          if (q < e && (d[q] === 101 || d[q] === 69)) {
            q++;
            let eneg = false;
            if (q < e && (d[q] === 45 || d[q] === 43)) {
              eneg = d[q] === 45;
              q++;
            }
            let ex = 0;
            let exDigits = 0;
            while (q < e) {
              c = d[q]! - 48;
              if (c < 0 || c > 9) break;
              if (ex < 1e6) ex = ex * 10 + c;
              exDigits++;
              q++;
            }
            if (exDigits === 0) fast = false;
            scale += eneg ? -ex : ex;
          }
          while (q < e && ((c = d[q]!) === 32 || c === 9)) q++;
          if (q < e && c !== delim) fast = false;
          if (!any) fast = false;
          if (fast) {
            if (scale === 0) v = mant;
            else if (scale < 0 && scale >= -22) v = mant / POW10[-scale]!;
            else if (scale > 0 && scale <= 22) v = mant * POW10[scale]!;
            else fast = false;
            if (neg) v = -v;
          }
          if (!fast) {
            while (q < e && d[q] !== delim) q++;
            v = this.slowValue(slot, d, p, q);
          }
        }
        const m = mode[slot]!;
        if (m === 0) f64[slot]![row] = v;
        else if (m === 1) f64[slot]![row] = v * this.factor[slot]! + this.offset[slot]!;
        else this.i32[slot]![row] = v === v && v !== Infinity && v !== -Infinity ? Math.round(v) : -1;
      }
      field++;
      if (q >= e || field > maxField) break;
      p = q + 1;
    }
    if (field <= maxField) {
      for (let f = field; f <= maxField; f++) {
        if (fieldToSlot[f]! >= 0) {
          throw new DiscernError(
            'DISCERN_PARSE_TRUNCATED',
            `line has ${field} fields; field ${f + 1} is missing`,
            {
              file: this.options.file,
              line: this.line,
            },
          );
        }
      }
    }
    this.inBatch++;
    if (this.inBatch === this.batchRows) this.flush();
  }

  /**
   * The value of a field the fast path does not take (more than 15 significant digits, an exponent
   * beyond 22, "NaN", "n/a" ...): JavaScript's `Number()` of the trimmed text; empty and NaN-like
   * text is NaN.
   * @throws DISCERN_PARSE_BAD_VALUE for text that is not a number.
   */
  private slowValue(slot: number, d: Uint8Array, s: number, e: number): number {
    const text = latin1.decode(d.subarray(s, e)).trim();
    if (text === '' || /^(nan|-nan|n\/a)$/i.test(text)) return NaN;
    const v = Number(text);
    if (Number.isNaN(v)) {
      const channel = this.slots[slot]!.channel;
      throw new DiscernError(
        'DISCERN_PARSE_BAD_VALUE',
        `"${text.slice(0, 40)}" in ${channel} is not a number`,
        {
          file: this.options.file,
          line: this.line,
          column: channel,
        },
      );
    }
    return v;
  }
}

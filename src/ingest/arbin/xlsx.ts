import { Inflate, inflateSync, unzipSync } from 'fflate';
import { DiscernError } from '../../core/index.js';
import { parseNumberBytes } from './bytes.js';

/**
 * A small synchronous XLSX reader: the workbook is unzipped with fflate and the sheet XML is
 * scanned over its bytes (no DOM, no string of the whole sheet). It reads cell values only: numbers
 * (dates stay Excel serial numbers), shared strings, inline strings, formula string results,
 * booleans (1/0) and error values (as text). Styles, formulas and formatting are ignored.
 */

/** One worksheet, column by column. Rows and columns are 0-based (A1 is row 0, column 0). */
export interface XlsxSheet {
  readonly name: string;
  /** One more than the last row that holds a cell. */
  readonly rowCount: number;
  /** One more than the last column that holds a cell. */
  readonly columnCount: number;
  /**
   * The numeric values of a column (NaN where the cell is empty or text), `rowCount` long. The array
   * may be the sheet's own storage: callers may modify it, and the sheet is not read again.
   */
  numbers(col: number): Float64Array;
  /** The text of a cell, or undefined when it is empty or numeric. */
  text(row: number, col: number): string | undefined;
}

export interface XlsxBook {
  /** Sheet names in workbook order. */
  readonly sheetNames: readonly string[];
  /** @throws DISCERN_NOT_FOUND for an unknown sheet, DISCERN_CORRUPT for a damaged one. */
  readSheet(name: string): XlsxSheet;
}

const LT = 60;
const GT = 62;
const SLASH = 47;
const QUOTE = 34;
const APOS = 39;
const utf8 = new TextDecoder('utf-8');

/** Decodes XML character references and OOXML `_xHHHH_` escapes. */
export function decodeXmlText(s: string): string {
  let out = s;
  if (out.includes('&')) {
    out = out.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
      if (e[0] === '#') {
        return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
      }
      return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[e]!;
    });
  }
  if (out.includes('_x'))
    out = out.replace(/_x([0-9a-fA-F]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return out;
}

function attrOf(tag: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(tag);
  return m === null ? undefined : decodeXmlText(m[1] ?? m[2] ?? '');
}

/** Parses the `<si>` items of xl/sharedStrings.xml (rich-text runs joined, phonetic runs dropped). */
function parseSharedStrings(xml: string): string[] {
  const out: string[] = [];
  const si = /<(?:\w+:)?si>([\s\S]*?)<\/(?:\w+:)?si>|<(?:\w+:)?si\s*\/>/g;
  const t = /<(?:\w+:)?t(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?t>/g;
  for (let m = si.exec(xml); m !== null; m = si.exec(xml)) {
    const body = (m[1] ?? '').replace(/<(?:\w+:)?rPh\b[\s\S]*?<\/(?:\w+:)?rPh>/g, '');
    let s = '';
    for (let r = t.exec(body); r !== null; r = t.exec(body)) s += r[1];
    t.lastIndex = 0;
    out.push(decodeXmlText(s));
  }
  return out;
}

/** Sheet names and their part paths, in workbook order. */
function parseWorkbook(workbook: string, rels: string): { name: string; path: string }[] {
  const targets = new Map<string, string>();
  for (const m of rels.matchAll(/<(?:\w+:)?Relationship\b([^>]*)>/g)) {
    const id = attrOf(m[1]!, 'Id');
    const target = attrOf(m[1]!, 'Target');
    if (id !== undefined && target !== undefined) targets.set(id, target);
  }
  const out: { name: string; path: string }[] = [];
  for (const m of workbook.matchAll(/<(?:\w+:)?sheet\b([^>]*)>/g)) {
    const tag = m[1]!;
    const name = attrOf(tag, 'name');
    const rid = /\s\w+:id\s*=\s*"([^"]*)"/.exec(tag)?.[1];
    const target = rid !== undefined ? targets.get(rid) : undefined;
    if (name === undefined || target === undefined) continue;
    const parts = (target.startsWith('/') ? target.slice(1) : `xl/${target}`).split('/');
    const norm: string[] = [];
    for (const p of parts) {
      if (p === '..') norm.pop();
      else if (p !== '.' && p !== '') norm.push(p);
    }
    out.push({ name, path: norm.join('/') });
  }
  return out;
}

function unzip(bytes: Uint8Array, file: string, want: (name: string) => boolean): Record<string, Uint8Array> {
  try {
    return unzipSync(bytes, { filter: (f) => want(f.name) });
  } catch (e) {
    throw new DiscernError(
      'DISCERN_CORRUPT',
      `not a readable XLSX (zip) file: ${e instanceof Error ? e.message : String(e)}`,
      { file },
    );
  }
}

/**
 * Opens an XLSX workbook held in memory.
 * @throws DISCERN_CORRUPT when the zip or the workbook part cannot be read.
 * @example const book = openXlsx(bytes, 'run.xlsx'); const sheet = book.readSheet(book.sheetNames[0]!);
 */
export function openXlsx(bytes: Uint8Array, file: string): XlsxBook {
  const meta = unzip(
    bytes,
    file,
    (n) => n === 'xl/workbook.xml' || n === 'xl/_rels/workbook.xml.rels' || n === 'xl/sharedStrings.xml',
  );
  const wb = meta['xl/workbook.xml'];
  const rels = meta['xl/_rels/workbook.xml.rels'];
  if (wb === undefined || rels === undefined) {
    throw new DiscernError('DISCERN_CORRUPT', 'the zip has no xl/workbook.xml: not an XLSX workbook', {
      file,
    });
  }
  const sheets = parseWorkbook(utf8.decode(wb), utf8.decode(rels));
  const ss = meta['xl/sharedStrings.xml'];
  const shared = ss !== undefined ? parseSharedStrings(utf8.decode(ss)) : [];
  return {
    sheetNames: sheets.map((s) => s.name),
    readSheet(name: string): XlsxSheet {
      const sheet = sheets.find((s) => s.name === name);
      if (sheet === undefined) throw new DiscernError('DISCERN_NOT_FOUND', `no sheet "${name}"`, { file });
      const part = unzip(bytes, file, (n) => n === sheet.path)[sheet.path];
      if (part === undefined) {
        throw new DiscernError('DISCERN_CORRUPT', `sheet "${name}" (${sheet.path}) is missing from the zip`, {
          file,
        });
      }
      return parseSheet(name, part, shared, file);
    },
  };
}

/** A Float64 column that grows as rows arrive; unset cells are NaN. */
class NumberColumn {
  data = new Float64Array(256).fill(NaN);
  set(row: number, v: number): void {
    if (row >= this.data.length) {
      let size = this.data.length * 2;
      while (size <= row) size *= 2;
      const next = new Float64Array(size).fill(NaN);
      next.set(this.data);
      this.data = next;
    }
    this.data[row] = v;
  }
}

function isNameChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 58) || c === 95 || c === 45 || c === 46
  );
}

function nameIs(b: Uint8Array, s: number, e: number, name: string): boolean {
  if (e - s !== name.length) return false;
  for (let i = 0; i < name.length; i++) if (b[s + i] !== name.charCodeAt(i)) return false;
  return true;
}

/** End of the tag that opens at `lt` (the index of its `>`), skipping quoted attribute values. */
function tagEnd(b: Uint8Array, lt: number): number {
  let q = 0;
  for (let i = lt + 1; i < b.length; i++) {
    const c = b[i]!;
    if (q !== 0) {
      if (c === q) q = 0;
    } else if (c === QUOTE || c === APOS) q = c;
    else if (c === GT) return i;
  }
  return -1;
}

/** The value of attribute `name` inside bytes `[s, e)` of a start tag, as [start, end) or null. */
function attrRange(b: Uint8Array, s: number, e: number, name: string): [number, number] | null {
  for (let i = s; i < e - name.length; i++) {
    if (b[i - 1] !== 32 && b[i - 1] !== 9 && b[i - 1] !== 10 && b[i - 1] !== 13) continue;
    if (!nameIs(b, i, i + name.length, name)) continue;
    let j = i + name.length;
    while (b[j] === 32) j++;
    if (b[j] !== 61) continue;
    j++;
    while (b[j] === 32) j++;
    const q = b[j];
    if (q !== QUOTE && q !== APOS) continue;
    const end = b.indexOf(q, j + 1);
    if (end < 0 || end > e) return null;
    return [j + 1, end];
  }
  return null;
}

function parseSheet(name: string, b: Uint8Array, shared: readonly string[], file: string): XlsxSheet {
  const nums: NumberColumn[] = [];
  const texts: (string[] | undefined)[] = [];
  let row = -1;
  let col = -1;
  let rowCount = 0;
  let columnCount = 0;
  const corrupt = (at: number, what: string): DiscernError =>
    new DiscernError('DISCERN_CORRUPT', `sheet "${name}": ${what}`, { file, offset: at });
  const setText = (r: number, c: number, s: string): void => {
    (texts[c] ??= [])[r] = s;
  };
  let i = 0;
  for (;;) {
    i = b.indexOf(LT, i);
    if (i < 0) break;
    let j = i + 1;
    if (b[j] === SLASH || b[j] === 33 || b[j] === 63) {
      i = j;
      continue;
    }
    let ns = j;
    while (j < b.length && isNameChar(b[j]!)) {
      if (b[j] === 58) ns = j + 1;
      j++;
    }
    if (nameIs(b, ns, j, 'row')) {
      const gt = tagEnd(b, i);
      if (gt < 0) throw corrupt(i, 'a <row> tag is not closed');
      const r = attrRange(b, j, gt, 'r');
      row = r !== null ? (parseNumberBytes(b, r[0], r[1]) ?? row + 2) - 1 : row + 1;
      col = -1;
      i = gt + 1;
      continue;
    }
    if (!nameIs(b, ns, j, 'c')) {
      i = j;
      continue;
    }
    const gt = tagEnd(b, i);
    if (gt < 0) throw corrupt(i, 'a <c> tag is not closed');
    const ref = attrRange(b, j, gt, 'r');
    if (ref !== null) {
      let c = 0;
      let k = ref[0];
      while (k < ref[1] && b[k]! >= 65 && b[k]! <= 90) c = c * 26 + (b[k++]! - 64);
      col = c - 1;
      if (k < ref[1]) {
        const r = parseNumberBytes(b, k, ref[1]);
        if (r !== undefined && Number.isInteger(r) && r >= 1) row = r - 1;
      }
    } else col++;
    if (row < 0) row = 0;
    const t = attrRange(b, j, gt, 't');
    const type = t === null ? 'n' : utf8.decode(b.subarray(t[0], t[1]));
    i = gt + 1;
    if (b[gt - 1] === SLASH) continue;
    // Cell content: <v>, <is>, <f>, up to </c>.
    let valueStart = -1;
    let valueEnd = -1;
    let inline: string | undefined;
    for (;;) {
      const lt = b.indexOf(LT, i);
      if (lt < 0) throw corrupt(i, 'a cell is not closed');
      let k = lt + 1;
      const closing = b[k] === SLASH;
      if (closing) k++;
      let n0 = k;
      while (k < b.length && isNameChar(b[k]!)) {
        if (b[k] === 58) n0 = k + 1;
        k++;
      }
      const end = tagEnd(b, lt);
      if (end < 0) throw corrupt(lt, 'a tag is not closed');
      i = end + 1;
      if (closing) {
        if (nameIs(b, n0, k, 'c')) break;
        continue;
      }
      if (b[end - 1] === SLASH) continue;
      if (nameIs(b, n0, k, 'v')) {
        valueStart = end + 1;
        valueEnd = b.indexOf(LT, valueStart);
        if (valueEnd < 0) throw corrupt(valueStart, 'a value is not closed');
        i = valueEnd;
      } else if (nameIs(b, n0, k, 't')) {
        const te = b.indexOf(LT, end + 1);
        if (te < 0) throw corrupt(end, 'a text is not closed');
        inline = (inline ?? '') + decodeXmlText(utf8.decode(b.subarray(end + 1, te)));
        i = te;
      } else if (nameIs(b, n0, k, 'f')) {
        const fe = b.indexOf(LT, end + 1);
        i = fe < 0 ? b.length : fe;
      }
    }
    if (col + 1 > columnCount) columnCount = col + 1;
    if (row + 1 > rowCount) rowCount = row + 1;
    if (type === 'inlineStr') {
      if (inline !== undefined) setText(row, col, inline);
      continue;
    }
    if (valueStart < 0) continue;
    if (type === 'n' || type === 'b') {
      const v = parseNumberBytes(b, valueStart, valueEnd);
      if (v === undefined) throw corrupt(valueStart, `cell value is not a number`);
      (nums[col] ??= new NumberColumn()).set(row, v);
    } else if (type === 's') {
      const idx = parseNumberBytes(b, valueStart, valueEnd);
      const s = idx !== undefined ? shared[idx] : undefined;
      if (s === undefined) throw corrupt(valueStart, 'shared-string index out of range');
      setText(row, col, s);
    } else setText(row, col, decodeXmlText(utf8.decode(b.subarray(valueStart, valueEnd))));
  }
  return {
    name,
    rowCount,
    columnCount,
    numbers(c: number): Float64Array {
      const data = nums[c]?.data;
      if (data !== undefined && data.length >= rowCount) return data.subarray(0, rowCount);
      const out = new Float64Array(rowCount).fill(NaN);
      if (data !== undefined) out.set(data);
      return out;
    },
    text(r: number, c: number): string | undefined {
      return texts[c]?.[r];
    },
  };
}

/**
 * Sheet names of an XLSX file from its first bytes only (for sniffing): finds the
 * xl/workbook.xml entry among the zip's local headers and inflates what is there. Undefined when
 * the workbook part is not within `head`.
 */
export function peekXlsxSheetNames(head: Uint8Array): string[] | undefined {
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let p = 0;
  while (p + 30 <= head.length && dv.getUint32(p, true) === 0x04034b50) {
    const flags = dv.getUint16(p + 6, true);
    const method = dv.getUint16(p + 8, true);
    const csize = dv.getUint32(p + 18, true);
    const nameLen = dv.getUint16(p + 26, true);
    const extraLen = dv.getUint16(p + 28, true);
    const name = utf8.decode(head.subarray(p + 30, p + 30 + nameLen));
    const data = p + 30 + nameLen + extraLen;
    const sized = (flags & 8) === 0 || csize > 0;
    if (name === 'xl/workbook.xml') {
      const avail = head.subarray(data, sized ? Math.min(head.length, data + csize) : head.length);
      let xml: Uint8Array;
      if (method === 0) xml = avail;
      else if (method !== 8) return undefined;
      else if (sized && data + csize <= head.length) {
        try {
          xml = inflateSync(avail);
        } catch {
          return undefined;
        }
      } else {
        const chunks: Uint8Array[] = [];
        try {
          new Inflate((chunk) => chunks.push(chunk)).push(avail, false);
        } catch {
          // Keep what was inflated before the data ran out.
        }
        xml = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
        let at = 0;
        for (const c of chunks) {
          xml.set(c, at);
          at += c.length;
        }
      }
      const text = utf8.decode(xml);
      return [...text.matchAll(/<(?:\w+:)?sheet\b([^>]*)>/g)].flatMap((m) => {
        const n = attrOf(m[1]!, 'name');
        return n !== undefined ? [n] : [];
      });
    }
    if (!sized) return undefined;
    p = data + csize;
  }
  return undefined;
}

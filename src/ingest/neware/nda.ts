import { DiscernError, type DataWarning, type Frame } from '../../core/index.js';
import type { FormatReader, ReadOptions, SniffInput, SourceFile } from '../types.js';
import { instrumentUtcOffset } from './clock.js';
import { newareFrame } from './frame.js';
import { decodeNdaBts9 } from './nda-bts9.js';
import { decodeNda86, decodeNdaV8, type FixedDecoded } from './nda-fixed.js';
import type { NewareRecords } from './records.js';
import { rangeResolutionA } from './status.js';
import { isZip, unzipEntries } from './zip.js';

/** `.nda` versions (byte 14) discern reads; each is checked against a fixture. */
export const NDA_VERSIONS: readonly number[] = [8, 22, 26, 29, 130];

const MAGIC = 'NEWARE';
const latin1 = new TextDecoder('latin1');

function hasMagic(b: Uint8Array): boolean {
  for (let i = 0; i < MAGIC.length; i++) if (b[i] !== MAGIC.charCodeAt(i)) return false;
  return true;
}

/** Name of the first entry of a zip archive (from its local file header), or ''. */
export function firstZipEntry(head: Uint8Array): string {
  if (head.length < 30) return '';
  const len = head[26]! | (head[27]! << 8);
  return latin1.decode(head.subarray(30, Math.min(head.length, 30 + len)));
}

/**
 * Neware `.nda` files (BTS 7 to 9.1), plain or zipped (`.nda.zip` holding one `.nda`).
 * Current is positive on charge (Neware's own convention); capacities and energies are Ah and Wh,
 * reset at every step. `cycle_index` is Neware's own cycle number (BTSDA's "Cycle Index");
 * `aux_cycle_chg_index` is the charge-first count of NewareNDA. Timestamps of versions 8, 22 and
 * 130 are Unix times (UTC); those of versions 26 and 29 are naive local times, read in
 * `options.timeZone` (UTC with a DISCERN_TZ_ASSUMED warning when absent).
 * @throws DISCERN_PARSE_BAD_HEADER (no NEWARE signature), DISCERN_UNSUPPORTED_VERSION (a version or
 *   record kind discern does not know, with its byte offset), DISCERN_PARSE_TRUNCATED,
 *   DISCERN_CORRUPT, DISCERN_UNSUPPORTED_FORMAT (a zip without exactly one .nda).
 * @example const frame = newareNdaReader.read({ name: 'cell.nda', bytes }, { timeZone: 'Asia/Shanghai' });
 */
export const newareNdaReader: FormatReader = {
  id: 'neware-nda',
  vendor: 'Neware',
  description: 'Neware .nda (BTS 7 to 9.1), also zipped (.nda.zip)',
  binary: true,
  sniff(s: SniffInput): number {
    if (hasMagic(s.head)) return 1;
    if (isZip(s.head)) {
      if (/\.nda$/i.test(firstZipEntry(s.head))) return 1;
      if (/\.nda\.zip$/i.test(s.name)) return 0.8;
    }
    return 0;
  },
  read(file: SourceFile, options: ReadOptions): Frame {
    return readNda(file, options);
  },
};

function unzipNda(file: SourceFile): Uint8Array {
  const entries = unzipEntries(file.bytes, file.name, (name) => /\.nda$/i.test(name));
  const names = Object.keys(entries);
  if (names.length !== 1) {
    throw new DiscernError(
      'DISCERN_UNSUPPORTED_FORMAT',
      `the zip archive holds ${names.length} .nda files; discern reads an archive with exactly one`,
      { file: file.name },
    );
  }
  return entries[names[0]!]!;
}

function readNda(file: SourceFile, options: ReadOptions): Frame {
  const bytes = isZip(file.bytes) ? unzipNda(file) : file.bytes;
  const name = file.name;
  if (bytes.length < 16) {
    throw new DiscernError('DISCERN_PARSE_TRUNCATED', 'the .nda header is cut short', {
      file: name,
      offset: bytes.length,
    });
  }
  if (!hasMagic(bytes)) {
    throw new DiscernError('DISCERN_PARSE_BAD_HEADER', 'no NEWARE signature at the start', {
      file: name,
      offset: 0,
    });
  }
  const version = bytes[14]!;
  if (!NDA_VERSIONS.includes(version)) {
    throw new DiscernError(
      'DISCERN_UNSUPPORTED_VERSION',
      `.nda version ${version} is not supported (discern reads ${NDA_VERSIONS.join(', ')})`,
      { file: name, offset: 14 },
    );
  }
  const headText = latin1.decode(bytes.subarray(0, Math.min(bytes.length, 4096)));
  const header: Record<string, string> = { nda_version: String(version) };
  const warnings: DataWarning[] = [];
  let records: NewareRecords;
  let layout: string;
  let softwareVersion: string | undefined;
  if (version === 130) {
    const d = decodeNdaBts9(bytes, name);
    records = d.records;
    layout = `nda v130 (${d.layout})`;
    warnings.push(...d.warnings);
    softwareVersion = /\d+(?:\.[\dA-Za-z]+){4,}/.exec(headText.slice(0, 2048))?.[0];
  } else {
    const d = decodeFixed(bytes, name, version);
    const c = d.columns;
    // Listed one by one, not spread: status and step counter may be read on demand (getters),
    // which a spread would call.
    records = {
      length: d.length,
      recordIndex: c.recordIndex,
      cycle: c.cycle,
      stepIndex: c.stepIndex,
      get status(): Int32Array {
        return c.status;
      },
      get stepCounter(): Int32Array | undefined {
        return d.hasStepCounter ? c.stepCounter : undefined;
      },
      stepTimeS: c.stepTimeS,
      voltageV: c.voltageV,
      currentA: c.currentA,
      chargeAh: c.chargeAh,
      dischargeAh: c.dischargeAh,
      chargeWh: c.chargeWh,
      dischargeWh: c.dischargeWh,
      timeS: c.timeS,
      clock: d.clock,
      aux: d.aux,
      ...(d.derived !== undefined ? { derived: d.derived } : {}),
    };
    layout = `nda v${version}`;
    warnings.push(...d.warnings);
    const server = /BTSServer[^\0]{0,44}/.exec(headText)?.[0] ?? /BTS_XWJ[^\0 ]*/.exec(headText)?.[0];
    softwareVersion = server?.trim();
    const start = testStartText(bytes, version);
    if (start !== undefined) {
      header['start_time_local'] = start;
      if (d.clock === 'utc' && d.length > 0) {
        const offset = instrumentUtcOffset(start, records.timeS[0]!);
        if (offset !== undefined) header['instrument_utc_offset'] = offset;
      }
    }
  }
  if (records.length === 0) {
    warnings.push({ code: 'DISCERN_NOTE', message: 'the file holds no data records (an empty test)' });
  }
  return newareFrame(
    records,
    {
      file: name,
      format: 'neware-nda',
      layout,
      ...(softwareVersion ? { softwareVersion } : {}),
      header,
      warnings,
    },
    options,
  );
}

function decodeFixed(bytes: Uint8Array, file: string, version: number): FixedDecoded {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 72) {
    throw new DiscernError('DISCERN_PARSE_TRUNCATED', 'the .nda header is cut short', {
      file,
      offset: bytes.length,
    });
  }
  const begin = view.getUint32(64, true);
  const length = view.getUint32(68, true);
  if (begin < 72 || begin > bytes.length) {
    throw new DiscernError(
      begin > bytes.length && begin < 1 << 20 ? 'DISCERN_PARSE_TRUNCATED' : 'DISCERN_CORRUPT',
      `the data block starts at byte ${begin}, outside the file (${bytes.length} bytes)`,
      { file, offset: 64 },
    );
  }
  const warnings: DataWarning[] = [];
  let end = length === 0 ? bytes.length : begin + length;
  if (end > bytes.length) {
    warnings.push({
      code: 'DISCERN_CORRUPT_PART',
      message: `the file ends ${end - bytes.length} bytes before the end of its data block; the records present were read`,
    });
    end = bytes.length;
  }
  const rangeAt = view.getUint32(16, true) + 26;
  if (rangeAt + 4 > begin) {
    throw new DiscernError('DISCERN_CORRUPT', 'the test-settings pointer is outside the header', {
      file,
      offset: 16,
    });
  }
  const testRange = view.getInt32(rangeAt, true);
  let resolution = NaN;
  const block = {
    file,
    bytes,
    view,
    begin,
    end,
    get testResolutionA(): number {
      if (Number.isNaN(resolution)) resolution = rangeResolutionA(testRange, file, rangeAt);
      return resolution;
    },
  };
  const d = version === 8 ? decodeNdaV8(block) : decodeNda86(block, version);
  return { ...d, warnings: [...warnings, ...d.warnings] };
}

/** The naive local start time in the test-info block (header pointer at 24), or undefined. */
function testStartText(bytes: Uint8Array, version: number): string | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = view.getUint32(24, true) + (version >= 11 ? 37 : 36);
  if (at + 19 > bytes.length) return undefined;
  const text = latin1.decode(bytes.subarray(at, at + 19));
  return /^\d{4}[-.]\d{2}[-.]\d{2} \d{2}:\d{2}:\d{2}$/.test(text) ? text : undefined;
}

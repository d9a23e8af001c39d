import { DiscernError } from '../../core/index.js';
import { MPR_TECHNIQUES } from './mpr-columns.js';
import type { MprModule } from './mpr-modules.js';

/** What the settings module ("VMP Set") tells us. */
export interface MprSettings {
  readonly techniqueId: number;
  /** EC-Lab's short code, e.g. "GCPL"; "technique <id>" when the id is not in the table. */
  readonly techniqueCode: string;
  /** The title the .mpt export writes, e.g. "Modulo Bat"; the code when unknown. */
  readonly technique: string;
  /** The user's comments (lines joined by "\n", as the .mpt reader keeps them); absent when empty. */
  readonly comments?: string;
}

/** What the log module ("VMP LOG") tells us. */
export interface MprLog {
  /** Acquisition start as an OLE date (days since 1899-12-30, local wall clock); absent if implausible. */
  readonly oleDays?: number;
  /** 1-based channel number, as the .mpt writes it. */
  readonly channel?: string;
  readonly softwareVersion?: string;
  readonly serverVersion?: string;
  readonly interpreterVersion?: string;
  readonly deviceSerial?: string;
}

/** Module versions whose payload layout we know, per module: [header form, version, sub-version]. */
const KNOWN_VERSIONS: Readonly<Record<string, readonly (readonly [string, number, number])[]>> = {
  'VMP Set': [
    ['classic', 0, 0],
    ['v11.50', 0, 10],
  ],
  'VMP LOG': [
    ['classic', 0, 0],
    ['v11.50', 0, 10],
  ],
  'VMP loop': [
    ['classic', 0, 0],
    ['v11.50', 0, 10],
  ],
  'VMP ExtDev': [['classic', 0, 0]],
};

/**
 * Checks that a settings, log, loop or external-device module has a version we know.
 * @throws DISCERN_UNSUPPORTED_VERSION naming the module, its version and the offset of the field.
 * @example checkMprModuleVersion(extDevModule, 'vsp_ocv_with.mpr');
 */
export function checkMprModuleVersion(m: MprModule, file: string): void {
  const known = KNOWN_VERSIONS[m.name] ?? [];
  if (known.some(([h, v, s]) => h === m.header && v === m.version && s === m.subVersion)) return;
  const v = m.header === 'v11.50' ? `${m.version}.${m.subVersion} (11.50 header)` : String(m.version);
  throw new DiscernError('DISCERN_UNSUPPORTED_VERSION', `unknown "${m.name}" module version ${v}`, {
    file,
    offset: m.versionOffset,
  });
}

const SET_COMMENTS = 0x0007;
const windows1252 = new TextDecoder('windows-1252');

/**
 * Reads the technique id (first payload byte) and the comments of the settings module.
 * @throws DISCERN_UNSUPPORTED_VERSION (unknown module version), DISCERN_CORRUPT (empty module).
 * @example readMprSettings(bytes, settingsModule, 'cv.mpr').techniqueCode // 'CV'
 */
export function readMprSettings(bytes: Uint8Array, m: MprModule, file: string): MprSettings {
  checkMprModuleVersion(m, file);
  if (m.length < 1) {
    throw new DiscernError('DISCERN_CORRUPT', 'the "VMP Set" module is empty', { file, offset: m.offset });
  }
  const techniqueId = bytes[m.offset]!;
  const t = MPR_TECHNIQUES.get(techniqueId);
  const code = t?.code ?? `technique ${techniqueId}`;
  const out = { techniqueId, techniqueCode: code, technique: t?.title ?? code };
  // Comments: a Pascal string (length byte, windows-1252 text) at payload offset 7.
  const n = m.length > SET_COMMENTS ? bytes[m.offset + SET_COMMENTS]! : 0;
  if (n === 0 || SET_COMMENTS + 1 + n > m.length) return out;
  const text = windows1252.decode(
    bytes.subarray(m.offset + SET_COMMENTS + 1, m.offset + SET_COMMENTS + 1 + n),
  );
  const comments = text
    .split(/\r\n|\n|\r/)
    .map((l) => l.trim())
    .join('\n')
    .trim();
  return comments === '' ? out : { ...out, comments };
}

/** Payload offsets in the log module (EC-Lab 10.x to 11.6x, BT-Lab 1.x). */
const LOG_CHANNEL = 0x0009;
const LOG_OLE_START = 0x0249;
const LOG_SOFTWARE = 0x03b7;
const LOG_SERVER = 0x03be;
const LOG_INTERPRETER = 0x03c5;
const LOG_DEVICE_SN = 0x03cf;
/** Plausible acquisition dates: 1990-01-01 to 2100-01-01 as OLE days. */
const OLE_MIN = 32874;
const OLE_MAX = 73051;

/**
 * Reads the acquisition start (OLE date), channel and versions from the log module. Fields that
 * lie outside the module or do not look like what they should be are left out (the caller warns).
 * @throws DISCERN_UNSUPPORTED_VERSION for an unknown module version.
 * @example readMprLog(bytes, logModule, 'cv.mpr').oleDays // 43110.709305555 (2018-01-10 17:01:24)
 */
export function readMprLog(bytes: Uint8Array, m: MprModule, file: string): MprLog {
  checkMprModuleVersion(m, file);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: {
    oleDays?: number;
    channel?: string;
    softwareVersion?: string;
    serverVersion?: string;
    interpreterVersion?: string;
    deviceSerial?: string;
  } = {};
  if (m.length > LOG_CHANNEL) out.channel = String(bytes[m.offset + LOG_CHANNEL]! + 1);
  if (m.length >= LOG_OLE_START + 8) {
    const days = view.getFloat64(m.offset + LOG_OLE_START, true);
    if (Number.isFinite(days) && days > OLE_MIN && days < OLE_MAX) out.oleDays = days;
  }
  const str = (at: number, max: number): string | undefined => {
    if (m.length < at + 1) return undefined;
    const n = bytes[m.offset + at]!;
    if (n === 0 || n > max || m.length < at + 1 + n) return undefined;
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(bytes[m.offset + at + 1 + i]!);
    return /^[\x20-\x7e]+$/.test(s) ? s.trim() : undefined;
  };
  const software = str(LOG_SOFTWARE, 6);
  const server = str(LOG_SERVER, 6);
  const interpreter = str(LOG_INTERPRETER, 9);
  const serial = str(LOG_DEVICE_SN, 16);
  if (software !== undefined) out.softwareVersion = software;
  if (server !== undefined) out.serverVersion = server;
  if (interpreter !== undefined) out.interpreterVersion = interpreter;
  if (serial !== undefined) out.deviceSerial = serial;
  return out;
}

/**
 * Reads the loop module: the number of loops and the row where each starts.
 * @throws DISCERN_UNSUPPORTED_VERSION (unknown version), DISCERN_CORRUPT (more indexes than bytes).
 * @example readMprLoops(bytes, loopModule, 'gcpl.mpr') // [0, 33, 66, 99, 132]: 4 loops of 132 rows
 */
export function readMprLoops(bytes: Uint8Array, m: MprModule, file: string): number[] {
  checkMprModuleVersion(m, file);
  if (m.length < 4) {
    throw new DiscernError('DISCERN_CORRUPT', 'the "VMP loop" module is too short', {
      file,
      offset: m.offset,
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(m.offset, true);
  if (4 + 4 * n > m.length) {
    throw new DiscernError('DISCERN_CORRUPT', `the "VMP loop" module declares ${n} loop indexes`, {
      file,
      offset: m.offset,
    });
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(view.getUint32(m.offset + 4 + 4 * i, true));
  return out;
}

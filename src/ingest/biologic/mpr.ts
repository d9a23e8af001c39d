import {
  DiscernError,
  createFrame,
  naiveMsToUnixS,
  oleDaysToNaiveMs,
  type DataWarning,
  type FrameMeta,
} from '../../core/index.js';
import type { FormatReader, ReadOptions, SniffInput, SourceFile } from '../types.js';
import { assembleBiologicColumns, type BiologicRawColumn } from './assemble.js';
import { MPR_IMPEDANCE_TECHNIQUES } from './mpr-columns.js';
import { decodeMprData, replaceDamagedValues } from './mpr-data.js';
import { deriveEclabColumns } from './mpr-derive.js';
import { checkMprModuleVersion, readMprLog, readMprLoops, readMprSettings, type MprLog } from './mpr-meta.js';
import { MPR_MAGIC, readMprModules, type MprModule } from './mpr-modules.js';
import { zoneFor } from './zone.js';

/** Modules we read; any other module is skipped whole (it is length-delimited) with a warning. */
const KNOWN_MODULES = new Set(['VMP Set', 'VMP data', 'VMP LOG', 'VMP loop', 'VMP ExtDev']);
const WAIT_TECHNIQUE_ID = 28;

/**
 * BioLogic EC-Lab / BT-Lab binary data file (`.mpr`): a "BIO-LOGIC MODULAR FILE" header and
 * length-delimited modules (settings, data, log, loop indexes, external devices), in the classic
 * layout and in the EC-Lab 11.50 layout. Data columns are decoded from their column ids
 * (`mpr-columns.ts`, little-endian), named by their `.mpt` headers and mapped by the same
 * BioLogic column table as the `.mpt` reader, so an .mpr and its .mpt export give the same
 * channels: SI units, current positive on charge, `-Im(Z)` negated into `z_imag_Ohm`,
 * `voltage_V` = Ecell if present else Ewe. The quantities EC-Lab's export derives (cycle number,
 * charge and discharge capacity, `<I>` from dq, power, Re/Im(Z), per-cycle energies) are derived
 * the same way when the .mpr does not store them (`mpr-derive.ts`; a DISCERN_NOTE lists them).
 *
 * Time: `test_time_s` is EC-Lab's `time/s` as stored. The log module's acquisition start (an OLE
 * date, local time of the instrument PC) is read in `options.timeZone` (UTC with
 * DISCERN_TZ_ASSUMED when absent) and gives `meta.startTime` and `unix_time_s` = start + time/s.
 * PEIS, GEIS and ZIR files are `kind: 'impedance'`.
 * @throws DISCERN_EMPTY_FILE, DISCERN_UNKNOWN_FORMAT, DISCERN_PARSE_TRUNCATED (a module cut short,
 *   with its offset), DISCERN_UNSUPPORTED_VERSION (a module version we do not know, with the
 *   offset of the version field), DISCERN_UNKNOWN_COLUMN (a column id not in the table, with its
 *   offset), DISCERN_CORRUPT (inconsistent module sizes), DISCERN_NO_DATA, DISCERN_BAD_TIMEZONE.
 * @example const frame = biologicMprReader.read({ name: 'cv.mpr', bytes }, { timeZone: 'Europe/Zurich' });
 */
export const biologicMprReader: FormatReader = {
  id: 'biologic-mpr',
  vendor: 'BioLogic',
  description: 'BioLogic EC-Lab / BT-Lab binary file (.mpr)',
  binary: true,
  sniff(input: SniffInput): number {
    return input.headText.startsWith(MPR_MAGIC) ? 1 : 0;
  },
  read: readMpr,
};

function only(modules: readonly MprModule[], name: string, file: string): MprModule | undefined {
  const found = modules.filter((m) => m.name === name);
  if (found.length > 1) {
    throw new DiscernError('DISCERN_CORRUPT', `the file has ${found.length} "${name}" modules`, {
      file,
      offset: found[1]!.start,
    });
  }
  return found[0];
}

function readMpr(file: SourceFile, options: ReadOptions): ReturnType<FormatReader['read']> {
  const name = file.name;
  const bytes = file.bytes;
  const modules = readMprModules(bytes, name);
  const warnings: DataWarning[] = [];
  for (const m of modules) {
    if (!KNOWN_MODULES.has(m.name)) {
      warnings.push({
        code: 'DISCERN_NOTE',
        message: `module "${m.name}" (${m.length} bytes at byte ${m.offset}) is not read`,
      });
    }
  }
  const setModule = only(modules, 'VMP Set', name);
  const dataModule = only(modules, 'VMP data', name);
  const logModule = only(modules, 'VMP LOG', name);
  const loopModule = only(modules, 'VMP loop', name);
  const extModule = only(modules, 'VMP ExtDev', name);
  if (setModule === undefined) {
    throw new DiscernError('DISCERN_CORRUPT', 'the file has no settings module ("VMP Set")', {
      file: name,
      offset: modules[0]?.start ?? bytes.length,
    });
  }
  if (dataModule === undefined) {
    throw new DiscernError('DISCERN_PARSE_TRUNCATED', 'the file ends before its data module ("VMP data")', {
      file: name,
      offset: bytes.length,
    });
  }
  const settings = readMprSettings(bytes, setModule, name);
  const data = decodeMprData(bytes, dataModule, name);
  // Only the columns in which decoding met an implausible value (or time/s) can need it.
  warnings.push(...replaceDamagedValues(data.columns.filter((c) => data.suspect.has(c.id))));
  const log = logModule !== undefined ? readMprLog(bytes, logModule, name) : undefined;
  if (extModule !== undefined) checkMprModuleVersion(extModule, name);
  const header: Record<string, string> = {
    'Technique code': settings.techniqueCode,
    'Technique id': String(settings.techniqueId),
    'mpr data layout': data.layout,
    'mpr column ids': data.ids.join(','),
    'Settings date': setModule.date,
  };
  if (settings.comments !== undefined) header['Comments'] = settings.comments;
  if (loopModule !== undefined) {
    const loops = readMprLoops(bytes, loopModule, name);
    const ok =
      loops.length >= 2 && loops.at(-1) === data.rows && loops.every((v, i) => i === 0 || v >= loops[i - 1]!);
    if (ok) {
      header['Number of loops'] = String(loops.length - 1);
      header['Loop starts'] = loops.slice(0, -1).join(',');
    } else {
      warnings.push({
        code: 'DISCERN_NOTE',
        message: `the loop module (${loops.join(',')}) does not match the data; ignored`,
      });
    }
  }
  if (log !== undefined) addLogHeader(header, log, logModule!);

  const impedance =
    (MPR_IMPEDANCE_TECHNIQUES.has(settings.techniqueCode) && data.ids.includes(32)) || data.ids[0] === 32;
  if (data.rows === 0) {
    if (settings.techniqueId !== WAIT_TECHNIQUE_ID) {
      throw new DiscernError('DISCERN_NO_DATA', 'the data module holds no records', {
        file: name,
        offset: dataModule.offset,
      });
    }
    warnings.push({
      code: 'DISCERN_NOTE',
      message: 'the Wait technique records no points: the file holds no data rows',
    });
  }

  const derived = deriveEclabColumns(data.columns, { impedance });
  if (derived.length > 0 && data.rows > 0) {
    warnings.push({
      code: 'DISCERN_NOTE',
      message: `derived as EC-Lab's text export does: ${derived.map((d) => `${d.header} = ${d.rule}`).join('; ')}`,
    });
  }
  const raw: BiologicRawColumn[] = [
    ...data.columns.map((c) => ({ header: c.header, values: c.values })),
    ...derived.map((d) => ({ header: d.header, values: d.values })),
  ];

  let startUnixS: number | undefined;
  let zone: ReturnType<typeof zoneFor> | undefined;
  if (log?.oleDays !== undefined) {
    zone = zoneFor(options, name);
    // OLE dates resolve ~1 µs at today's dates; round away the binary noise.
    const naiveMs = Math.round(oleDaysToNaiveMs(log.oleDays) * 1000) / 1000;
    startUnixS = naiveMsToUnixS(naiveMs, zone.timeZone);
    warnings.push(...zone.warnings);
  } else {
    warnings.push({
      code: 'DISCERN_NOTE',
      message:
        log === undefined
          ? 'the file has no log module: the acquisition start and unix_time_s are not available'
          : 'the log module holds no plausible acquisition start: unix_time_s is not available',
    });
  }
  // The decoded and derived arrays are this read's own: convert their units in place.
  const assembled = assembleBiologicColumns(raw, {
    owned: true,
    ...(startUnixS !== undefined ? { startUnixS } : {}),
  });
  warnings.push(...assembled.warnings);
  const meta: Omit<FrameMeta, 'header' | 'warnings' | 'kind'> & Partial<FrameMeta> = {
    vendor: 'BioLogic',
    format: 'biologic-mpr',
    kind: impedance ? 'impedance' : 'timeseries',
    technique: settings.technique,
    header,
    warnings,
    ...(log?.softwareVersion !== undefined ? { softwareVersion: softwareName(log.softwareVersion) } : {}),
    ...(log?.deviceSerial !== undefined ? { instrument: `BioLogic (SN ${log.deviceSerial})` } : {}),
    ...(log?.channel !== undefined ? { channel: log.channel } : {}),
    ...(startUnixS !== undefined && zone !== undefined
      ? { startTime: { unixS: startUnixS, timeZone: zone.timeZone, assumed: zone.assumed } }
      : {}),
  };
  options.onProgress?.(1);
  return createFrame({ columns: assembled.columns, meta });
}

function addLogHeader(header: Record<string, string>, log: MprLog, m: MprModule): void {
  header['Log date'] = m.date;
  if (log.serverVersion !== undefined) header['Internet server version'] = log.serverVersion;
  if (log.interpreterVersion !== undefined) header['Command interpretor version'] = log.interpreterVersion;
  if (log.deviceSerial !== undefined) header['Device serial number'] = log.deviceSerial;
}

/**
 * The log stores only a version number. EC-Lab numbers its releases 9 to 11.x, BT-Lab 1.x to
 * 2.x; anything else is reported as the bare number.
 */
function softwareName(version: string): string {
  const major = Number.parseInt(version, 10);
  if (major >= 9 && major < 20) return `EC-Lab v${version}`;
  if (major >= 1 && major <= 4) return `BT-Lab v${version}`;
  return `v${version}`;
}

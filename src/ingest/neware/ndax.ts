import { DiscernError, type DataWarning, type Frame } from '../../core/index.js';
import type { FormatReader, ReadOptions, SniffInput, SourceFile } from '../types.js';
import { instrumentUtcOffset } from './clock.js';
import { newareFrame } from './frame.js';
import { firstZipEntry } from './nda.js';
import { readNdaxAux } from './ndax-aux.js';
import { mergeNdax } from './ndax-merge.js';
import { openNdc, type NdcFile } from './ndc.js';
import { readNdcData, readNdcRunInfo, readNdcSteps, readNdcV2Data } from './ndc-tables.js';
import type { NewareRecords } from './records.js';
import { findElement, parseNewareXml, type XmlDocument } from './xml.js';
import { isZip, unzipEntries } from './zip.js';

const NDAX_MEMBER =
  /^(data[\w]*\.ndc|(Edit)?Step\d*\.xml|TestInfo\d*\.xml|VersionInfo\.xml|NdaxConfig\.xml)$/i;

/**
 * Neware `.ndax` archives (BTS 8.x): a zip of `.ndc` tables (data, runInfo, step, auxiliary
 * channels) and XML side files. ndc versions 2, 14, 16 and 17 are read. Timestamps are Unix times
 * (UTC), except in ndc v2 (naive local times, read in `options.timeZone`). `cycle_index` is
 * Neware's own cycle number, `aux_cycle_chg_index` the charge-first count of NewareNDA.
 * @throws DISCERN_CORRUPT / DISCERN_PARSE_TRUNCATED (archive or tables damaged),
 *   DISCERN_UNSUPPORTED_VERSION (an ndc version or file type discern does not know, with its byte
 *   offset), DISCERN_MISSING_COLUMN (a required table is missing).
 * @example const frame = newareNdaxReader.read({ name: 'cell.ndax', bytes }, {});
 */
export const newareNdaxReader: FormatReader = {
  id: 'neware-ndax',
  vendor: 'Neware',
  description: 'Neware .ndax (BTS 8.x zip of .ndc tables)',
  binary: true,
  sniff(s: SniffInput): number {
    if (!isZip(s.head)) return 0;
    if (NDAX_MEMBER.test(firstZipEntry(s.head))) return 1;
    return s.ext === 'ndax' ? 0.8 : 0;
  },
  read(file: SourceFile, options: ReadOptions): Frame {
    return readNdax(file, options);
  },
};

function xml(entries: Record<string, Uint8Array>, name: string): XmlDocument | undefined {
  const b = entries[name];
  return b === undefined ? undefined : parseNewareXml(b);
}

function required(entries: Record<string, Uint8Array>, name: string, file: string): Uint8Array {
  const b = entries[name];
  if (b === undefined) {
    throw new DiscernError('DISCERN_MISSING_COLUMN', `the archive has no ${name}`, { file });
  }
  return b;
}

function readNdax(file: SourceFile, options: ReadOptions): Frame {
  const entries = unzipEntries(file.bytes, file.name, (n) => /\.(ndc|xml)$/i.test(n));
  const warnings: DataWarning[] = [];
  const testInfo = xml(entries, 'TestInfo.xml');
  const ndc = (entry: string): NdcFile =>
    openNdc(`${file.name}/${entry}`, required(entries, entry, file.name));
  const data = ndc('data.ndc');
  let base: Omit<NewareRecords, 'aux'>;
  if (data.version === 2) {
    const d = readNdcV2Data(data, warnings);
    base = { ...d.columns, length: d.length, stepCounter: undefined, clock: 'naive' };
  } else {
    const main = readNdcData(data, warnings);
    const run = readNdcRunInfo(ndc('data_runInfo.ndc'), warnings);
    const steps = readNdcSteps(ndc('data_step.ndc'), warnings);
    base = mergeNdax(main, run, steps, warnings);
  }
  const aux = readNdaxAux(file.name, entries, testInfo, base.recordIndex, warnings);
  if (base.length === 0) {
    warnings.push({ code: 'DISCERN_NOTE', message: 'the archive holds no data records (an empty test)' });
  }

  const header: Record<string, string> = { ndc_version: String(data.version) };
  const info = findElement(testInfo ?? { elements: [], validEncoding: true }, 'TestInfo')?.attrs ?? {};
  const version = findElement(
    xml(entries, 'VersionInfo.xml') ?? { elements: [], validEncoding: true },
    'ZwjVersion',
  )?.attrs;
  const put = (key: string, value: string | undefined): void => {
    if (value !== undefined && value.trim() !== '') header[key] = value.trim();
  };
  put('start_time_local', info['StartTime']);
  put('end_time_local', info['EndTime']);
  put('barcode', info['Barcode']);
  put('remark', info['Remark']);
  put('step_file', info['StepName']);
  put('server_version', version?.['SvrVer']);
  put('client_version', version?.['CurrClientVer']);
  put('control_unit_version', version?.['ZwjVersion']);
  put('tester_version', version?.['MainXwjVer']);
  if (base.clock === 'utc' && info['StartTime'] !== undefined && base.length > 0) {
    const offset = instrumentUtcOffset(info['StartTime'], firstFinite(base.timeS));
    if (offset !== undefined) header['instrument_utc_offset'] = offset;
  }
  const channel =
    info['DevID'] !== undefined
      ? `${info['DevID']}-${info['UnitID'] ?? '0'}-${info['ChlID'] ?? '?'}`
      : undefined;
  return newareFrame(
    { ...base, aux },
    {
      file: file.name,
      format: 'neware-ndax',
      layout: `ndc v${data.version}`,
      ...(version?.['CurrClientVer'] ? { softwareVersion: version['CurrClientVer'] } : {}),
      ...(channel !== undefined ? { channel } : {}),
      header,
      warnings,
    },
    options,
  );
}

function firstFinite(a: Float64Array): number {
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i]!)) return a[i]!;
  return NaN;
}

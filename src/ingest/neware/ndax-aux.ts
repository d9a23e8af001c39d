import type { DataWarning } from '../../core/index.js';
import { openNdc } from './ndc.js';
import { readNdcAux, type NdcAux } from './ndc-tables.js';
import type { NewareAux } from './records.js';
import type { XmlDocument } from './xml.js';

/**
 * The auxiliary channels of a `.ndax`. Each channel is one `.ndc` file of type 5, described by an
 * `<AuxN AuxID= RealChlID= ChlType=>` element of TestInfo.xml. Files are matched to elements by
 * name, never by position: `data_AUX_<RealChlID>_<ChlType - 100>_<n>.ndc` (BTS 8.x) or
 * `..._<AuxID>.ndc` (older). A channel is named after its type and AuxID (BTSDA's T1, V1, ...):
 * ChlType 103 is a temperature; the v2 and v16 files carry a voltage and temperature(s) per row.
 * Other types are kept unscaled as `aux_chltype<T>_<AuxID>` with a note.
 */

interface AuxDescriptor {
  readonly auxId: number;
  readonly realChannel: number;
  readonly chlType: number;
}

const TEMPERATURE_TYPE = 103;

function descriptors(testInfo: XmlDocument | undefined): AuxDescriptor[] {
  if (testInfo === undefined) return [];
  return testInfo.elements
    .filter((e) => /^Aux\d+$/.test(e.tag))
    .map((e) => ({
      auxId: Number(e.attrs['AuxID']),
      realChannel: Number(e.attrs['RealChlID']),
      chlType: Number(e.attrs['ChlType']),
    }))
    .filter(
      (d) => Number.isInteger(d.auxId) && Number.isInteger(d.realChannel) && Number.isInteger(d.chlType),
    );
}

/** The names of the auxiliary channel files in an archive (type-5 `.ndc` files by name). */
export function auxFileNames(names: readonly string[]): string[] {
  return names.filter((n) => /^data_AUX_\d+_\d+_\d+\.ndc$/i.test(n) || /_\d+\.ndc$/i.test(n));
}

function describe(name: string, all: AuxDescriptor[]): AuxDescriptor | undefined {
  const bts8 = /^data_AUX_(\d+)_(\d+)_\d+\.ndc$/i.exec(name);
  const matches = bts8
    ? all.filter((d) => d.realChannel === Number(bts8[1]) && d.chlType - 100 === Number(bts8[2]))
    : all.filter((d) => d.auxId === Number(/_(\d+)\.ndc$/i.exec(name)![1]));
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * Reads and aligns the auxiliary channels with the data records (`recordIndex`). Files that
 * TestInfo.xml does not describe (or describes ambiguously), or a TestInfo.xml that is damaged,
 * give a DISCERN_CORRUPT_PART warning and those channels are left out.
 */
export function readNdaxAux(
  archive: string,
  entries: Readonly<Record<string, Uint8Array>>,
  testInfo: XmlDocument | undefined,
  recordIndex: Float64Array,
  warnings: DataWarning[],
): NewareAux[] {
  const files = auxFileNames(Object.keys(entries)).sort();
  if (files.length === 0) return [];
  const all = descriptors(testInfo);
  const declared = testInfo?.elements.find((e) => e.tag === 'TestInfo')?.attrs['AuxCount'];
  if (
    testInfo === undefined ||
    !testInfo.validEncoding ||
    (declared !== undefined && Number(declared) !== all.length)
  ) {
    warnings.push({
      code: 'DISCERN_CORRUPT_PART',
      message: `TestInfo.xml is ${testInfo === undefined ? 'missing' : 'damaged'} (${all.length} of ${declared ?? '?'} auxiliary channels described${testInfo !== undefined && !testInfo.validEncoding ? ', bytes invalid in GB2312' : ''}); the ${files.length} auxiliary channel file(s) were not read`,
      count: files.length,
    });
    return [];
  }
  const out: NewareAux[] = [];
  const unknownTypes = new Set<number>();
  const used = new Set<string>();
  const described: { name: string; d: AuxDescriptor }[] = [];
  for (const name of files) {
    const d = describe(name, all);
    if (d !== undefined) described.push({ name, d });
    else {
      warnings.push({
        code: 'DISCERN_CORRUPT_PART',
        message: `${name} is not described (or not uniquely) by TestInfo.xml; it was not read`,
      });
    }
  }
  described.sort((a, b) => a.d.auxId - b.d.auxId || a.d.chlType - b.d.chlType);
  for (const { name, d } of described) {
    const aux = readNdcAux(openNdc(`${archive}/${name}`, entries[name]!), warnings);
    const source = `${name} (ChlType ${d.chlType})`;
    const add = (kind: string, unit: string, values: Float64Array | undefined, dropZero: boolean): void => {
      if (values === undefined || (dropZero && values.every((x) => x === 0))) return;
      let channel = `aux_${kind}_${d.auxId}${unit === '' ? '' : `_${unit}`}`;
      if (used.has(channel)) channel = `aux_${kind}_ch${d.realChannel}${unit === '' ? '' : `_${unit}`}`;
      used.add(channel);
      out.push({ name: channel, unit, source, values: align(aux, values, recordIndex) });
    };
    if (aux.value !== undefined) {
      if (d.chlType === TEMPERATURE_TYPE) add('temperature', 'degC', aux.value, false);
      else {
        unknownTypes.add(d.chlType);
        add(`chltype${d.chlType}`, '', aux.value, true);
      }
    } else {
      add('voltage', 'V', aux.voltageV, true);
      add('temperature', 'degC', aux.temperatureDegC, true);
      add('temperature_setpoint', 'degC', aux.setpointDegC, true);
    }
  }
  if (unknownTypes.size > 0) {
    warnings.push({
      code: 'DISCERN_NOTE',
      message: `auxiliary channel type(s) ${[...unknownTypes].join(', ')} are not known; their values are kept unscaled and without a unit as aux_chltype<type>_<AuxID> (left out when all zero)`,
    });
  }
  return out;
}

/** Values of an auxiliary file placed on the data rows with the same record index (NaN where none). */
function align(aux: NdcAux, values: Float64Array, recordIndex: Float64Array): Float64Array {
  const out = new Float64Array(recordIndex.length).fill(NaN);
  const idx = aux.index;
  let increasing = true;
  for (let j = 1; j < idx.length && increasing; j++) if (!(idx[j]! > idx[j - 1]!)) increasing = false;
  if (!increasing) {
    const at = new Map<number, number>();
    for (let j = idx.length - 1; j >= 0; j--) at.set(idx[j]!, j);
    for (let i = 0; i < recordIndex.length; i++) {
      const j = at.get(recordIndex[i]!);
      if (j !== undefined) out[i] = values[j]!;
    }
    return out;
  }
  let j = 0;
  for (let i = 0; i < recordIndex.length; i++) {
    const want = recordIndex[i]!;
    while (j < idx.length && idx[j]! < want) j++;
    if (j < idx.length && idx[j] === want) out[i] = values[j]!;
  }
  return out;
}

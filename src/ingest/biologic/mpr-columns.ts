/**
 * The column ids of BioLogic's binary .mpr data module. Each id fixes the type and width of one
 * value in a record; the name is the column header EC-Lab writes for the same quantity in its .mpt
 * text export, so the shared BioLogic column table (columns.ts) maps both files to the same channels.
 *
 * Sources: the layouts documented by galvani (echemdata) and yadg (dgbowl), checked against every
 * .mpr/.mpt pair in the fixtures (the record size must add up to the module length exactly, and each
 * column must equal the .mpt column of the same name). Ids only one source documents, or where the
 * sources disagree, are left out on purpose: an id not listed here is an error, never a guess.
 */

/** Storage of one value: unsigned integers or IEEE floats, all little-endian. */
export type MprValueType = 'u1' | 'u2' | 'u4' | 'f4' | 'f8';

/** Width in bytes of each value type. */
export const MPR_VALUE_SIZE: Readonly<Record<MprValueType, number>> = {
  u1: 1,
  u2: 2,
  u4: 4,
  f4: 4,
  f8: 8,
};

/** One data column: its .mpt header text and its storage type. */
export interface MprColumnSpec {
  /** Header of the same column in EC-Lab's .mpt export, e.g. "I/mA" (unit after the last "/"). */
  readonly name: string;
  readonly type: MprValueType;
}

/** A flag column: a bit field of the one flag byte shared by all flag ids of a record. */
export interface MprFlagSpec {
  readonly name: string;
  /** Bit mask in the flag byte; the value is `(byte & mask) >> lowest set bit of mask`. */
  readonly mask: number;
}

/**
 * Flag ids. All flag ids present in a record share one byte, stored where the first flag id
 * stands in the id list. Bit 0x40 is not a column (EC-Lab sets it on the last record of a run).
 */
export const MPR_FLAG_COLUMNS: ReadonlyMap<number, MprFlagSpec> = new Map([
  [1, { name: 'mode', mask: 0x03 }],
  [2, { name: 'ox/red', mask: 0x04 }],
  [3, { name: 'error', mask: 0x08 }],
  [21, { name: 'control changes', mask: 0x10 }],
  [31, { name: 'Ns changes', mask: 0x20 }],
  [65, { name: 'counter inc.', mask: 0x80 }],
]);

const col = (name: string, type: MprValueType): MprColumnSpec => ({ name, type });

/**
 * Value ids. Where EC-Lab renamed a column in later versions (e.g. "P/W" became "Pwe/W" once
 * counter-electrode quantities were added) the table keeps the classic name; the shared column
 * table knows both.
 */
export const MPR_COLUMNS: ReadonlyMap<number, MprColumnSpec> = new Map([
  [4, col('time/s', 'f8')],
  [5, col('control/V/mA', 'f4')],
  [6, col('Ewe/V', 'f4')],
  [7, col('dq/mA.h', 'f8')],
  [8, col('I/mA', 'f4')],
  [9, col('Ece/V', 'f4')],
  [11, col('<I>/mA', 'f8')],
  [13, col('(Q-Qo)/mA.h', 'f8')],
  [16, col('Analog IN 1/V', 'f4')],
  [17, col('Analog IN 2/V', 'f4')],
  [19, col('control/V', 'f4')],
  [20, col('control/mA', 'f4')],
  [23, col('dQ/mA.h', 'f8')],
  [24, col('cycle number', 'f8')],
  [32, col('freq/Hz', 'f4')],
  [33, col('|Ewe|/V', 'f4')],
  [34, col('|I|/A', 'f4')],
  [35, col('Phase(Z)/deg', 'f4')],
  [36, col('|Z|/Ohm', 'f4')],
  [37, col('Re(Z)/Ohm', 'f4')],
  [38, col('-Im(Z)/Ohm', 'f4')],
  [39, col('I Range', 'u2')],
  [69, col('R/Ohm', 'f4')],
  [70, col('P/W', 'f4')],
  [74, col('|Energy|/W.h', 'f8')],
  [75, col('Analog OUT/V', 'f4')],
  [76, col('<I>/mA', 'f4')],
  [77, col('<Ewe>/V', 'f4')],
  [96, col('|Ece|/V', 'f4')],
  [98, col('Phase(Zce)/deg', 'f4')],
  [99, col('|Zce|/Ohm', 'f4')],
  [100, col('Re(Zce)/Ohm', 'f4')],
  [101, col('-Im(Zce)/Ohm', 'f4')],
  [123, col('Energy charge/W.h', 'f8')],
  [124, col('Energy discharge/W.h', 'f8')],
  [125, col('Capacitance charge/µF', 'f8')],
  [126, col('Capacitance discharge/µF', 'f8')],
  [131, col('Ns', 'u2')],
  [163, col('|Estack|/V', 'f4')],
  [168, col('Rcmp/Ohm', 'f4')],
  [169, col('Cs/µF', 'f4')],
  [172, col('Cp/µF', 'f4')],
  [174, col('<Ewe>/V', 'f4')],
  [178, col('(Q-Qo)/C', 'f4')],
  [179, col('dQ/C', 'f4')],
  [182, col('step time/s', 'f8')],
  [430, col('Phase(Zwe-ce)/deg', 'f4')],
  [431, col('|Zwe-ce|/Ohm', 'f4')],
  [432, col('Re(Zwe-ce)/Ohm', 'f4')],
  [433, col('-Im(Zwe-ce)/Ohm', 'f4')],
  [434, col('(Q-Qo)/C', 'f4')],
  [435, col('dQ/C', 'f4')],
  [441, col('<Ece>/V', 'f4')],
  [462, col('Temperature/°C', 'f4')],
  [467, col('Q charge/discharge/mA.h', 'f8')],
  [468, col('half cycle', 'u4')],
  [469, col('z cycle', 'u4')],
  [471, col('<Ece>/V', 'f4')],
  [473, col('THD Ewe/%', 'f4')],
  [474, col('THD I/%', 'f4')],
  [476, col('NSD Ewe/%', 'f4')],
  [477, col('NSD I/%', 'f4')],
  [479, col('NSR Ewe/%', 'f4')],
  [480, col('NSR I/%', 'f4')],
  [486, col('|Ewe h2|/V', 'f4')],
  [487, col('|Ewe h3|/V', 'f4')],
  [488, col('|Ewe h4|/V', 'f4')],
  [489, col('|Ewe h5|/V', 'f4')],
  [490, col('|Ewe h6|/V', 'f4')],
  [491, col('|Ewe h7|/V', 'f4')],
  [492, col('|I h2|/A', 'f4')],
  [493, col('|I h3|/A', 'f4')],
  [494, col('|I h4|/A', 'f4')],
  [495, col('|I h5|/A', 'f4')],
  [496, col('|I h6|/A', 'f4')],
  [497, col('|I h7|/A', 'f4')],
  [880, col('Energy we/W.h', 'f8')],
]);

/** A technique: EC-Lab's short code and the title its .mpt export writes. */
export interface MprTechnique {
  readonly code: string;
  readonly title: string;
}

/**
 * Technique ids (first byte of the settings module). Only metadata: an id missing here is reported
 * as "technique <id>", not an error.
 */
export const MPR_TECHNIQUES: ReadonlyMap<number, MprTechnique> = new Map([
  [4, { code: 'GCPL', title: 'Galvanostatic Cycling with Potential Limitation' }],
  [6, { code: 'CV', title: 'Cyclic Voltammetry' }],
  [11, { code: 'OCV', title: 'Open Circuit Voltage' }],
  [24, { code: 'CA', title: 'Chronoamperometry / Chronocoulometry' }],
  [25, { code: 'CP', title: 'Chronopotentiometry' }],
  [28, { code: 'Wait', title: 'Wait' }],
  [29, { code: 'PEIS', title: 'Potentio Electrochemical Impedance Spectroscopy' }],
  [30, { code: 'GEIS', title: 'Galvano Electrochemical Impedance Spectroscopy' }],
  [50, { code: 'ZIR', title: 'IR compensation (PEIS)' }],
  [108, { code: 'LSV', title: 'Linear Sweep Voltammetry' }],
  [127, { code: 'MB', title: 'Modulo Bat' }],
]);

/** Techniques whose data are impedance spectra (the frame kind is then 'impedance'). */
export const MPR_IMPEDANCE_TECHNIQUES: ReadonlySet<string> = new Set(['PEIS', 'GEIS', 'ZIR']);

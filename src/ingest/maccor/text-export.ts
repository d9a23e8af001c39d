import type { FormatReader, ReadOptions, SourceFile } from '../types.js';
import { readMaccorTable } from './read-table.js';
import { sniffMaccor } from './sniff.js';

/**
 * Maccor "text export" (MIMS Client / MacTest export to .txt or .csv), in the variants seen in the
 * wild: key<TAB>value preamble lines (`Today's Date:`, `Date of Test:`, `Filename:`,
 * `Tester Channel:`, `Procedure:`; or `Name:`, `Channel:`, `Tester`, `Procedure`, `Started` …),
 * then a table with `Rec#`/`Rec`, `Cyc#`/`Cycle P`, `TestTime` (s, min, or `0d 00:00:00` text),
 * `Amp-hr`/`mAmp-hr`/`Cap. [Ah]`, `Amps`/`mAmps`/`Current [A]`, `Volts`/`Voltage [V]`, `State`/`Md`,
 * `DPt Time`, optional `Aux #n` + `Units` pairs and `VARn`. Decimal commas and windows-1252 text
 * are read; a "Volts" column holding mV is converted with a warning.
 * @throws see `readMaccorTable`.
 * @example maccorTextReader.read({ name: 'cell.txt', bytes }, {})
 */
export const maccorTextReader: FormatReader = {
  id: 'maccor-txt',
  vendor: 'Maccor',
  description: 'Maccor text export (.txt / .csv)',
  binary: false,
  sniff(input) {
    const s = sniffMaccor(input);
    if (s.asciiPreamble || s.headerLine < 0) return 0;
    return s.textPreamble ? 1 : 0.8;
  },
  read(file: SourceFile, options: ReadOptions) {
    return readMaccorTable(file, options, 'maccor-txt');
  },
};

import type { FormatReader, ReadOptions, SourceFile } from '../types.js';
import { readMaccorTable } from './read-table.js';
import { sniffMaccor } from './sniff.js';

/**
 * Maccor raw ASCII export (`name.NNN`, NNN = channel): one preamble line
 * (`Today's Date … Date of Test: … Filename: … Procedure: … Comment/Barcode: …`), then a tab-separated
 * table `Rec# Cyc# Step Test (Sec) Step (Sec) Amp-hr Watt-hr Amps Volts State ES DPt Time …`
 * (with `Loop1`–`Loop4` in newer exports). Time in s or `d hh:mm:ss` text, current signed or
 * unsigned (then signed from State), DPt Time read in `options.timeZone`.
 * @throws see `readMaccorTable`.
 * @example maccorAsciiReader.read({ name: 'run.070', bytes }, { timeZone: 'America/Los_Angeles' })
 */
export const maccorAsciiReader: FormatReader = {
  id: 'maccor-ascii',
  vendor: 'Maccor',
  description: 'Maccor raw ASCII export',
  binary: false,
  sniff(input) {
    const s = sniffMaccor(input);
    if (!s.asciiPreamble) return 0;
    return s.headerLine === 1 ? 1 : 0.6;
  },
  read(file: SourceFile, options: ReadOptions) {
    return readMaccorTable(file, options, 'maccor-ascii');
  },
};

import { DiscernError } from '../../core/index.js';
import type { FormatReader, SniffInput, SourceFile } from '../types.js';

/**
 * BioLogic log files (`.mpl`, "EC-Lab LOG FILE" / "BT-Lab LOG FILE"): the settings and loop table
 * of a run, without data. Recognised so that a folder ingest reports them clearly instead of as an
 * unknown format; the data is in the `.mpr` / `.mpt` / export beside them.
 * @throws DISCERN_NOT_DATA always.
 */
export const biologicMplReader: FormatReader = {
  id: 'biologic-mpl',
  vendor: 'BioLogic',
  description: 'BioLogic log file (.mpl, settings only)',
  binary: false,
  sniff(input: SniffInput): number {
    return /^(?:\xEF\xBB\xBF)?(EC-Lab|BT-Lab) LOG FILE/i.test(input.headText) ? 1 : 0;
  },
  read(file: SourceFile) {
    throw new DiscernError(
      'DISCERN_NOT_DATA',
      'a BioLogic log file holds settings, not data: read the .mpr, .mpt or export of the same run',
      { file: file.name },
    );
  },
};

import { assertTimeZone, parseDateTime, toUnixS, type DataWarning } from '../../core/index.js';
import type { ReadOptions } from '../types.js';

export interface ZoneChoice {
  /** IANA zone naive local times are read in. */
  readonly timeZone: string;
  /** True when no zone was given and UTC was assumed. */
  readonly assumed: boolean;
  /** A DISCERN_TZ_ASSUMED warning when `assumed`. */
  readonly warnings: DataWarning[];
}

/**
 * The zone for a file's naive local times: `options.timeZone`, or UTC with a DISCERN_TZ_ASSUMED
 * warning. Call it only when the file has local times to read.
 * @throws DISCERN_BAD_TIMEZONE for an unknown zone name.
 */
export function zoneFor(options: ReadOptions, file: string): ZoneChoice {
  if (options.timeZone !== undefined) {
    assertTimeZone(options.timeZone);
    return { timeZone: options.timeZone, assumed: false, warnings: [] };
  }
  return {
    timeZone: 'UTC',
    assumed: true,
    warnings: [
      {
        code: 'DISCERN_TZ_ASSUMED',
        message: `${file} holds local times without a zone and none was given; read as UTC`,
      },
    ],
  };
}

/**
 * Unix seconds of a naive numeric date-time such as "01/10/2018 17:01:24" or
 * "4/23/2018 16:43:15.250". Month first (as EC-Lab, Gamry and ZPlot write it) unless the first
 * field is above 12, or the separator is '.', which mean day first. NaN when it is not a date.
 */
export function localDateToUnixS(text: string, timeZone: string): number {
  const dotted = /^\s*\d{1,2}\.\d{1,2}\.\d{2,4}/.test(text);
  const p = dotted
    ? (parseDateTime(text, 'DMY') ?? parseDateTime(text, 'MDY'))
    : (parseDateTime(text, 'MDY') ?? parseDateTime(text, 'DMY'));
  return p === undefined ? NaN : toUnixS(p, timeZone);
}

import { parseDateTime } from '../../core/index.js';

/**
 * The instrument computer's offset from UTC, from a naive local start time the file states (the
 * test's start in TestInfo.xml or the nda test-info block) and the first record's Unix time: the
 * difference rounded to a quarter hour, when it is within five minutes of one (the first record
 * follows the start by a few seconds). Returns e.g. "+08:00", or undefined when they do not fit.
 */
export function instrumentUtcOffset(startLocal: string, firstUnixS: number): string | undefined {
  const p = parseDateTime(startLocal.replace(/^(\d{4})\.(\d{1,2})\.(\d{1,2})/, '$1-$2-$3'), 'YMD');
  if (p === undefined || !Number.isFinite(firstUnixS)) return undefined;
  const diffS = p.naiveMs / 1000 - firstUnixS;
  const quarters = Math.round(diffS / 900);
  if (Math.abs(diffS - quarters * 900) > 300 || Math.abs(quarters) > 14 * 4) return undefined;
  const minutes = Math.abs(quarters) * 15;
  const sign = quarters < 0 ? '-' : '+';
  return `${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

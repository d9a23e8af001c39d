import { describe, expect, it } from 'vitest';
import { formatInZone, naiveMsToUnixS, parseDateTime, toUnixS, zoneOffsetMs } from '../../src/core/index.js';
import { isDiscernError } from '../../src/core/index.js';

describe('time zones', () => {
  it('reads a US/Pacific summer local time as UTC-7 (the BT-Lab fixture case)', () => {
    const p = parseDateTime('05/05/2021 15:36:22.757', 'MDY')!;
    expect(toUnixS(p, 'America/Los_Angeles')).toBeCloseTo(Date.UTC(2021, 4, 5, 22, 36, 22, 757) / 1000, 6);
  });

  it('uses +01:00 in Berlin winter and +02:00 in summer', () => {
    expect(zoneOffsetMs(Date.UTC(2023, 0, 15, 12), 'Europe/Berlin')).toBe(3600_000);
    expect(zoneOffsetMs(Date.UTC(2023, 6, 15, 12), 'Europe/Berlin')).toBe(7200_000);
    expect(naiveMsToUnixS(Date.UTC(2023, 6, 15, 14, 0, 0), 'Europe/Berlin')).toBe(
      Date.UTC(2023, 6, 15, 12) / 1000,
    );
  });

  it('handles the spring-forward gap and fall-back overlap deterministically', () => {
    // 2021-03-28 02:30 does not exist in Berlin; 2021-10-31 02:30 happens twice (earlier offset +02:00 wins).
    const gap = naiveMsToUnixS(Date.UTC(2021, 2, 28, 2, 30), 'Europe/Berlin');
    expect(Number.isFinite(gap)).toBe(true);
    expect(naiveMsToUnixS(Date.UTC(2021, 9, 31, 2, 30), 'Europe/Berlin')).toBe(
      Date.UTC(2021, 9, 31, 0, 30) / 1000,
    );
  });

  it('keeps an explicit offset in the text over the zone', () => {
    const p = parseDateTime('2024-05-27T04:02:53.970-04:00')!;
    expect(toUnixS(p, 'Europe/Berlin')).toBeCloseTo(Date.UTC(2024, 4, 27, 8, 2, 53, 970) / 1000, 6);
  });

  it('parses microseconds, AM/PM and day-first dates', () => {
    expect(parseDateTime('2023-06-19 17:56:54.002823')!.naiveMs).toBeCloseTo(
      Date.UTC(2023, 5, 19, 17, 56, 54) + 2.823,
      3,
    );
    expect(parseDateTime('5/5/2021 3:36:22 PM', 'MDY')!.naiveMs).toBe(Date.UTC(2021, 4, 5, 15, 36, 22));
    expect(parseDateTime('11.12.2020 12:22:00', 'DMY')!.naiveMs).toBe(Date.UTC(2020, 11, 11, 12, 22));
    expect(parseDateTime('not a date')).toBeUndefined();
    expect(parseDateTime('2020-13-01')).toBeUndefined();
  });

  it('rejects an unknown zone with DISCERN_BAD_TIMEZONE', () => {
    try {
      naiveMsToUnixS(0, 'Mars/Olympus_Mons');
      expect.unreachable();
    } catch (e) {
      expect(isDiscernError(e, 'DISCERN_BAD_TIMEZONE')).toBe(true);
    }
  });

  it('formats an instant in a zone with its offset', () => {
    expect(formatInZone(Date.UTC(2021, 4, 5, 22, 36, 22, 757) / 1000, 'America/Los_Angeles')).toBe(
      '2021-05-05T15:36:22.757-07:00',
    );
    expect(formatInZone(0, 'UTC')).toBe('1970-01-01T00:00:00.000Z');
  });
});

import { DiscernError, floatColumn, type Frame } from '../../core/index.js';

/** What the cell does during a segment (current positive on charge). */
export type SegmentKind = 'rest' | 'charge' | 'discharge';

/** A maximal run of samples of one kind: rows start..end inclusive. */
export interface CurrentSegment {
  readonly kind: SegmentKind;
  readonly start: number;
  readonly end: number;
}

/** The channels pulse analyses need, checked once. */
export interface PulseChannels {
  readonly timeS: Float64Array;
  readonly voltageV: Float64Array;
  readonly currentA: Float64Array;
  /** step_time_s when the file has it (used to place the pulse onset). */
  readonly stepTimeS: Float64Array | undefined;
  /** temperature_degC, else aux_temperature_1_degC, when present. */
  readonly temperatureDegC: Float64Array | undefined;
}

/**
 * The time, voltage and current channels of a time-series frame.
 * @throws DISCERN_BAD_ARGUMENT for an impedance frame; DISCERN_MISSING_COLUMN when a channel is
 *   missing; DISCERN_INSUFFICIENT_DATA for fewer than 3 rows.
 */
export function pulseChannels(frame: Frame): PulseChannels {
  const file = frame.meta.sourceFile;
  const where = file !== undefined ? { file } : {};
  if (frame.meta.kind === 'impedance')
    throw new DiscernError(
      'DISCERN_BAD_ARGUMENT',
      'this is an impedance spectrum, not a time series of pulses',
      where,
    );
  const timeS = floatColumn(frame, 'test_time_s');
  const voltageV = floatColumn(frame, 'voltage_V');
  const currentA = floatColumn(frame, 'current_A');
  for (const [name, c] of [
    ['test_time_s', timeS],
    ['voltage_V', voltageV],
    ['current_A', currentA],
  ] as const) {
    if (c === undefined)
      throw new DiscernError('DISCERN_MISSING_COLUMN', `pulse analysis needs the ${name} channel`, {
        ...where,
        column: name,
      });
  }
  if (frame.length < 3)
    throw new DiscernError(
      'DISCERN_INSUFFICIENT_DATA',
      `pulse analysis needs at least 3 rows, got ${frame.length}`,
      where,
    );
  return {
    timeS: timeS!,
    voltageV: voltageV!,
    currentA: currentA!,
    stepTimeS: floatColumn(frame, 'step_time_s'),
    temperatureDegC: floatColumn(frame, 'temperature_degC') ?? floatColumn(frame, 'aux_temperature_1_degC'),
  };
}

/**
 * Default rest threshold: 0.5 % of the largest |current| in the data (at least 1 µA), so a
 * cycler's zero-current noise counts as rest whatever the cell size.
 */
export function defaultRestThresholdA(currentA: Float64Array): number {
  let max = 0;
  for (let i = 0; i < currentA.length; i++) {
    const a = Math.abs(currentA[i]!);
    if (a > max) max = a;
  }
  return Math.max(1e-6, 0.005 * max);
}

/**
 * Splits a current series into maximal runs of rest (|I| ≤ threshold), charge (I > threshold)
 * and discharge (I < −threshold). A NaN current continues the run it is in.
 * @example currentSegments(Float64Array.of(0, 0, -1, -1, 0), 0.01) // rest 0-1, discharge 2-3, rest 4
 */
export function currentSegments(currentA: Float64Array, restThresholdA: number): CurrentSegment[] {
  const out: CurrentSegment[] = [];
  const n = currentA.length;
  if (n === 0) return out;
  const kindOf = (i: number, prev: SegmentKind): SegmentKind => {
    const a = currentA[i]!;
    if (Number.isNaN(a)) return prev;
    return a > restThresholdA ? 'charge' : a < -restThresholdA ? 'discharge' : 'rest';
  };
  let kind = kindOf(0, 'rest');
  let start = 0;
  for (let i = 1; i < n; i++) {
    const k = kindOf(i, kind);
    if (k !== kind) {
      out.push({ kind, start, end: i - 1 });
      kind = k;
      start = i;
    }
  }
  out.push({ kind, start, end: n - 1 });
  return out;
}

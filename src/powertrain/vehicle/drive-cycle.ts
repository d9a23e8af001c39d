import { DiscernError } from '../../core/index.js';

/** A speed trace: time in s (strictly increasing), speed in m/s (>= 0), optional road grade (rise/run). */
export interface DriveCycle {
  name: string;
  timeS: Float64Array;
  speedMps: Float64Array;
  /** Road grade as rise over run (0.05 = 5 %), per sample; absent = flat. */
  grade?: Float64Array;
}

const TIME_NAMES = /^(time|time_s|t|t_s|secs|seconds|cycsecs|time\[s\]|time \(s\))$/i;
const KMH = /(km\/?h|kmh|kph)/i;
const MPS = /(m\/s|mps|speed_m_s|_ms$)/i;
const GRADE = /grade/i;

/** Options of {@link parseSpeedTrace}. */
export interface ParseSpeedTraceOptions {
  /** File name, for errors. */
  file?: string;
  /** Cycle name; default the file name without extension. */
  name?: string;
}

/**
 * Reads a speed trace from delimited text (comma, semicolon or tab; optional UTF-8 BOM, CRLF): a
 * header line with a time column (`time_s`, `time`, `t`, `cycSecs`, ...) in seconds and a speed
 * column whose name carries its unit (`speed_kmh`, `km/h`, `cycMps`, `speed_mps`, `m/s`); m/s is
 * preferred when both exist. A column named `*grade*` is read as rise/run.
 * @throws DISCERN_EMPTY_FILE, DISCERN_NO_DATA (fewer than two rows), DISCERN_MISSING_COLUMN,
 * DISCERN_UNKNOWN_COLUMN (speed without a unit), DISCERN_PARSE_BAD_VALUE (with the line).
 * @example parseSpeedTrace('time_s,speed_kmh\n0,0\n1,3.6\n').speedMps[1] // 1
 */
export function parseSpeedTrace(text: string, options: ParseSpeedTraceOptions = {}): DriveCycle {
  const file = options.file;
  const where = (line: number): { file?: string; line: number } =>
    file !== undefined ? { file, line } : { line };
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '')
    throw new DiscernError(
      'DISCERN_EMPTY_FILE',
      'the speed trace is empty',
      file !== undefined ? { file } : {},
    );
  const lines = body.split(/\r?\n/);
  let h = 0;
  while (h < lines.length && lines[h]!.trim() === '') h++;
  const header = lines[h]!;
  const delim = header.includes('\t') ? '\t' : header.includes(';') ? ';' : ',';
  const names = header.split(delim).map((s) => s.trim().replace(/^"|"$/g, ''));
  const ti = names.findIndex((n) => TIME_NAMES.test(n));
  if (ti < 0)
    throw new DiscernError('DISCERN_MISSING_COLUMN', `no time column in '${header.trim()}'`, where(h + 1));
  let si = names.findIndex((n, i) => i !== ti && MPS.test(n));
  let scale = 1;
  if (si < 0) {
    si = names.findIndex((n, i) => i !== ti && KMH.test(n));
    scale = 1 / 3.6;
  }
  if (si < 0) {
    if (names.some((n, i) => i !== ti && /speed|velocity|mps|kmh/i.test(n))) {
      throw new DiscernError(
        'DISCERN_UNKNOWN_COLUMN',
        'the speed column does not name its unit (km/h or m/s)',
        where(h + 1),
      );
    }
    throw new DiscernError('DISCERN_MISSING_COLUMN', `no speed column in '${header.trim()}'`, where(h + 1));
  }
  const gi = names.findIndex((n) => GRADE.test(n));
  const t: number[] = [];
  const v: number[] = [];
  const g: number[] = [];
  for (let k = h + 1; k < lines.length; k++) {
    const line = lines[k]!;
    if (line.trim() === '') continue;
    const cells = line.split(delim);
    const num = (i: number, what: string): number => {
      const s = (cells[i] ?? '').trim();
      const x = s === '' ? NaN : Number(s);
      if (!Number.isFinite(x))
        throw new DiscernError('DISCERN_PARSE_BAD_VALUE', `${what} '${s}' is not a number`, {
          ...where(k + 1),
          column: names[i]!,
        });
      return x;
    };
    const time = num(ti, 'time');
    const speed = num(si, 'speed') * scale;
    if (speed < 0)
      throw new DiscernError('DISCERN_PARSE_BAD_VALUE', `negative speed ${speed} m/s`, where(k + 1));
    if (t.length > 0 && !(time > t[t.length - 1]!)) {
      throw new DiscernError('DISCERN_PARSE_BAD_VALUE', `time ${time} s does not increase`, where(k + 1));
    }
    t.push(time);
    v.push(speed);
    if (gi >= 0) g.push(num(gi, 'grade'));
  }
  if (t.length < 2)
    throw new DiscernError('DISCERN_NO_DATA', 'the speed trace needs at least two samples', where(h + 1));
  const base = file !== undefined ? (file.split(/[\\/]/).pop() ?? file).replace(/\.[^.]*$/, '') : 'cycle';
  return {
    name: options.name ?? base,
    timeS: Float64Array.from(t),
    speedMps: Float64Array.from(v),
    ...(gi >= 0 && g.some((x) => x !== 0) ? { grade: Float64Array.from(g) } : {}),
  };
}

/**
 * The cycle resampled at a fixed step by linear interpolation (speed and grade), from its first to
 * its last time (the last sample is kept even when the step does not divide the duration).
 * @throws DISCERN_BAD_ARGUMENT for a non-positive step.
 * @example resampleCycle(wltc, 0.1).timeS.length // 18001
 */
export function resampleCycle(cycle: DriveCycle, stepS: number): DriveCycle {
  if (!(stepS > 0))
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `resampling step must be > 0 s (got ${stepS})`);
  const t0 = cycle.timeS[0]!;
  const t1 = cycle.timeS[cycle.timeS.length - 1]!;
  const steps = Math.floor((t1 - t0) / stepS + 1e-9);
  const n = steps + 1 + (t0 + steps * stepS < t1 - 1e-9 ? 1 : 0);
  const time = new Float64Array(n);
  const speed = new Float64Array(n);
  const grade = cycle.grade ? new Float64Array(n) : undefined;
  let j = 0;
  for (let k = 0; k < n; k++) {
    const t = k === n - 1 ? t1 : t0 + k * stepS;
    while (j < cycle.timeS.length - 2 && cycle.timeS[j + 1]! < t) j++;
    const ta = cycle.timeS[j]!;
    const tb = cycle.timeS[j + 1]!;
    const f = Math.min(1, Math.max(0, (t - ta) / (tb - ta)));
    time[k] = t;
    speed[k] = cycle.speedMps[j]! + f * (cycle.speedMps[j + 1]! - cycle.speedMps[j]!);
    if (grade && cycle.grade) grade[k] = cycle.grade[j]! + f * (cycle.grade[j + 1]! - cycle.grade[j]!);
  }
  return { name: cycle.name, timeS: time, speedMps: speed, ...(grade ? { grade } : {}) };
}

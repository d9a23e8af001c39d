import { readFileSync, writeFileSync } from 'node:fs';
import { DiscernError, floatColumn } from '../core/index.js';
import { hppc, type HppcOptions, type HppcResult } from '../analysis/pulse/hppc.js';
import { pulseChannels } from '../analysis/pulse/segments.js';
import { gitt, type GittOptions, type GittResult } from '../analysis/gitt/gitt.js';
import { fitEcm, type EcmFitOptions, type EcmFitResult } from '../models/ecm/fit-ecm.js';
import { interpolateTable, parseEcmModel, socFromOcv, type EcmModel } from '../models/ecm/model.js';
import { simulateEcm } from '../models/ecm/simulate.js';
import { loadFrameRef, type FrameRefOptions, type FrameSource } from './frame-ref.js';

/** HPPC / DC resistance of a file or stored test. */
export async function runHppc(
  ref: string,
  options: HppcOptions & FrameRefOptions = {},
): Promise<{ source: FrameSource } & HppcResult> {
  const { frame, source } = await loadFrameRef(ref, options);
  return { source, ...hppc(frame, options) };
}

/** GITT of a file or stored test. */
export async function runGitt(
  ref: string,
  options: GittOptions & FrameRefOptions = {},
): Promise<{ source: FrameSource } & GittResult> {
  const { frame, source } = await loadFrameRef(ref, options);
  return { source, ...gitt(frame, options) };
}

/**
 * Fits a Thevenin model to the pulses of a file or stored test; writes the model as JSON to
 * `out` when given.
 * @throws DISCERN_IO when the model cannot be written.
 */
export async function runEcmFit(
  ref: string,
  options: EcmFitOptions & FrameRefOptions & { out?: string } = {},
): Promise<{ source: FrameSource; out: string | null } & EcmFitResult> {
  const { frame, source } = await loadFrameRef(ref, options);
  const fit = fitEcm(frame, options);
  if (options.out !== undefined) {
    try {
      writeFileSync(options.out, `${JSON.stringify(fit.model, null, 2)}\n`);
    } catch (e) {
      throw new DiscernError(
        'DISCERN_IO',
        `cannot write ${options.out}: ${e instanceof Error ? e.message : String(e)}`,
        {
          file: options.out,
        },
      );
    }
  }
  return { source, out: options.out ?? null, ...fit };
}

/**
 * Reads and checks a model JSON file: the model written by `discern ecm fit --out`, or the whole
 * `discern ecm fit --json` output (its `model` member is used).
 * @throws DISCERN_IO, DISCERN_BAD_ARGUMENT
 */
export function readEcmModel(path: string): EcmModel {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new DiscernError(
      'DISCERN_IO',
      `cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`,
      { file: path },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new DiscernError(
      'DISCERN_BAD_ARGUMENT',
      `${path} is not JSON: ${e instanceof Error ? e.message : String(e)}`,
      {
        file: path,
      },
    );
  }
  // `ecm fit --json` wraps the model with the fit report; take the model out of it.
  if (
    typeof json === 'object' &&
    json !== null &&
    (json as Record<string, unknown>)['kind'] === undefined &&
    typeof (json as Record<string, unknown>)['model'] === 'object'
  )
    json = (json as Record<string, unknown>)['model'];
  try {
    return parseEcmModel(json);
  } catch (e) {
    if (e instanceof DiscernError) throw new DiscernError(e.code, e.message, { file: path });
    throw e;
  }
}

export interface EcmSimulateResult {
  model: string;
  profile: FrameSource;
  rows: number;
  /**
   * Where the initial SOC came from: 'option'; 'ocv' (first sample at rest: its voltage read
   * through the OCV table); 'ocv-ir' (first sample under load: V − I·R0 read through the OCV
   * table, R0 at 50 % SOC of the first table); 'default' (100 %, when the first voltage is missing).
   */
  initialSocSource: 'option' | 'ocv' | 'ocv-ir' | 'default';
  initialSocPct: number;
  finalSocPct: number;
  /** RMSE and largest error of the simulated against the measured voltage, V (null without a voltage channel). */
  rmseV: number | null;
  maxAbsErrorV: number | null;
  out: string | null;
}

/**
 * Runs a saved Thevenin model on the current of another file or stored test and compares the
 * voltage. The initial SOC is the option, else read off the OCV table (from the first voltage at
 * rest, or from V − I·R0 under load), else 100 %. With `out`, writes time, current, measured and
 * simulated voltage as CSV.
 * @throws DISCERN_IO, DISCERN_BAD_ARGUMENT, DISCERN_MISSING_COLUMN
 */
export async function runEcmSimulate(
  modelPath: string,
  profileRef: string,
  options: FrameRefOptions & { initialSocPct?: number; out?: string } = {},
): Promise<EcmSimulateResult> {
  const model = readEcmModel(modelPath);
  const { frame, source } = await loadFrameRef(profileRef, options);
  const ch = pulseChannels(frame);
  let soc0: number;
  let socSource: EcmSimulateResult['initialSocSource'];
  if (options.initialSocPct !== undefined) {
    soc0 = options.initialSocPct;
    socSource = 'option';
  } else if (
    Math.abs(ch.currentA[0]!) <= 1e-3 * Math.max(1e-3, model.capacityAh) &&
    Number.isFinite(ch.voltageV[0]!)
  ) {
    soc0 = socFromOcv(model, ch.voltageV[0]!);
    socSource = 'ocv';
  } else if (Number.isFinite(ch.voltageV[0]!) && Number.isFinite(ch.currentA[0]!)) {
    const t0 = model.tables[0]!;
    const r0 = interpolateTable(t0.socPct, t0.r0Ohm, 50, new Float64Array(2));
    soc0 = socFromOcv(model, ch.voltageV[0]! - ch.currentA[0]! * r0);
    socSource = 'ocv-ir';
  } else {
    soc0 = 100;
    socSource = 'default';
  }
  const temperature = floatColumn(frame, 'temperature_degC');
  const sim = simulateEcm(
    model,
    { timeS: ch.timeS, currentA: ch.currentA, ...(temperature ? { temperatureDegC: temperature } : {}) },
    { initialSocPct: soc0 },
  );
  let sq = 0;
  let n = 0;
  let maxErr = 0;
  for (let i = 0; i < frame.length; i++) {
    const e = sim.voltageV[i]! - ch.voltageV[i]!;
    if (!Number.isFinite(e)) continue;
    sq += e * e;
    n++;
    maxErr = Math.max(maxErr, Math.abs(e));
  }
  if (options.out !== undefined) {
    const lines = ['test_time_s,current_A,voltage_V,model_voltage_V,model_soc_pct'];
    for (let i = 0; i < frame.length; i++)
      lines.push(`${ch.timeS[i]},${ch.currentA[i]},${ch.voltageV[i]},${sim.voltageV[i]},${sim.socPct[i]}`);
    try {
      writeFileSync(options.out, `${lines.join('\n')}\n`);
    } catch (e) {
      throw new DiscernError(
        'DISCERN_IO',
        `cannot write ${options.out}: ${e instanceof Error ? e.message : String(e)}`,
        {
          file: options.out,
        },
      );
    }
  }
  return {
    model: modelPath,
    profile: source,
    rows: frame.length,
    initialSocSource: socSource,
    initialSocPct: soc0,
    finalSocPct: sim.socPct[frame.length - 1] ?? soc0,
    rmseV: n > 0 ? Math.sqrt(sq / n) : null,
    maxAbsErrorV: n > 0 ? maxErr : null,
    out: options.out ?? null,
  };
}

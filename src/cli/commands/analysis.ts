import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ocpFromData, type CycleNumbering, type Ocp } from '../../analysis/index.js';
import { DiscernError } from '../../core/index.js';
import {
  BUILTIN_OCPS,
  diagnosticCycles,
  dmaReport,
  fadeReport,
  fastChargeReport,
  featuresReport,
  icaReport,
  loadContext,
  pseudoOcvReport,
  rateReport,
  type AnalysisContext,
  type ContextOptions,
} from '../../app/analysis.js';
import { jsonReplacer, printJson, printTable, reportError } from '../output.js';
import { snakeKey } from '../../app/json-keys.js';

interface CommonOpts {
  db?: string;
  tz?: string;
  format?: string;
  numbering?: string;
  efficiency?: string;
  json?: boolean;
  csv?: boolean;
}

/** A row (or nested value) with snake-case keys. */
export function snakeRow(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeRow);
  if (ArrayBuffer.isView(value)) return value;
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [snakeKey(k), snakeRow(v)]));
  return value;
}

function printCsv(rows: readonly Record<string, unknown>[]): void {
  const cols = rows[0] ? Object.keys(rows[0]) : [];
  const cell = (v: unknown): string => {
    const j = jsonReplacer('', v);
    if (j === null || j === undefined) return '';
    const s = String(j);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  process.stdout.write(`${cols.join(',')}\n`);
  for (const r of rows) process.stdout.write(`${cols.map((c) => cell(r[c])).join(',')}\n`);
}

function contextOptions(o: CommonOpts): ContextOptions {
  if (
    o.numbering !== undefined &&
    !['instrument', 'charge-discharge', 'discharge-charge'].includes(o.numbering)
  )
    throw new DiscernError(
      'DISCERN_BAD_ARGUMENT',
      `--numbering must be instrument, charge-discharge or discharge-charge`,
    );
  if (o.efficiency !== undefined && !['discharge/charge', 'charge/discharge'].includes(o.efficiency))
    throw new DiscernError(
      'DISCERN_BAD_ARGUMENT',
      `--efficiency must be discharge/charge or charge/discharge`,
    );
  return {
    ...(o.db !== undefined ? { db: o.db } : {}),
    ...(o.tz !== undefined ? { timeZone: o.tz } : {}),
    ...(o.format !== undefined ? { format: o.format } : {}),
    ...(o.numbering !== undefined ? { numbering: o.numbering as CycleNumbering } : {}),
    ...(o.efficiency !== undefined
      ? { efficiency: o.efficiency as 'discharge/charge' | 'charge/discharge' }
      : {}),
  };
}

function num(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!Number.isFinite(x))
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `${name} must be a number, got "${v}"`);
  return x;
}

function list(name: string, v: string | undefined): number[] | undefined {
  if (v === undefined) return undefined;
  const out = v.split(',').map((s) => Number(s.trim()));
  if (out.some((x) => !Number.isInteger(x)))
    throw new DiscernError(
      'DISCERN_BAD_ARGUMENT',
      `${name} must be a comma-separated list of cycle numbers, got "${v}"`,
    );
  return out;
}

function withCommon(cmd: Command, csv = true): Command {
  cmd
    .argument(
      '<test>',
      'stored test id or name, or the path of an instrument file (analysed without storing)',
    )
    .option('--db <file>', 'DuckDB file (default: $DISCERN_DB or ./discern.duckdb)')
    .option('--tz <zone>', 'IANA time zone of local times when TEST is a file')
    .option('--format <id>', 'force a reader when TEST is a file')
    .option('--numbering <mode>', 'cycle numbering: instrument (default), charge-discharge, discharge-charge')
    .option('--efficiency <ratio>', 'discharge/charge (default) or charge/discharge (anode half cells)')
    .option('--json', 'print JSON');
  if (csv) cmd.option('--csv', 'print CSV');
  return cmd;
}

function output(
  o: CommonOpts,
  json: unknown,
  rows: readonly Record<string, unknown>[],
  columns?: string[],
): void {
  if (o.json) printJson(snakeRow(json));
  else if (o.csv) printCsv(rows.map((r) => snakeRow(r) as Record<string, unknown>));
  else printTable(rows, columns);
}

async function run(ref: string, o: CommonOpts, body: (ctx: AnalysisContext) => void): Promise<void> {
  try {
    const ctx = await loadContext(ref, contextOptions(o));
    body(ctx);
  } catch (e) {
    reportError(e, o.json === true);
  }
}

function readOcp(spec: string): Ocp {
  const builtin = BUILTIN_OCPS[spec];
  if (builtin !== undefined) return builtin;
  let text: string;
  try {
    text = readFileSync(spec, 'utf8');
  } catch {
    throw new DiscernError(
      'DISCERN_BAD_ARGUMENT',
      `--pe/--ne must be ${Object.keys(BUILTIN_OCPS).join(' or ')} or a CSV file of stoichiometry,potential_V`,
    );
  }
  const x: number[] = [];
  const u: number[] = [];
  text.split(/\r?\n/).forEach((line, k) => {
    const f = line.split(/[,;\t]/).map((s) => s.trim());
    if (f.length < 2 || f[0] === '') return;
    const a = Number(f[0]);
    const b = Number(f[1]);
    if (!Number.isFinite(a) || !Number.isFinite(b)) {
      if (k === 0) return; // header
      throw new DiscernError('DISCERN_PARSE_BAD_VALUE', `not a number pair: "${line}"`, {
        file: spec,
        line: k + 1,
      });
    }
    x.push(a);
    u.push(b);
  });
  return ocpFromData(x, u);
}

/**
 * The analysis commands: `cycles`, `steps`, `fade`, `ica`, `dva`, `dma`, `pocv`, `rate`, `fastcharge`,
 * `features`. TEST is a stored test (id or name) or a file path.
 */
export function registerAnalysisCommands(program: Command): void {
  withCommon(
    program
      .command('cycles')
      .description('Per-cycle summary: capacity, energy, efficiency, voltages, CV share, temperature'),
  ).action((ref: string, o: CommonOpts) =>
    run(ref, o, (ctx) =>
      output(o, ctx.summary, ctx.summary as unknown as Record<string, unknown>[], [
        'cycle',
        'chargeCapacityAh',
        'dischargeCapacityAh',
        'coulombicEfficiency',
        'chargeEnergyWh',
        'dischargeEnergyWh',
        'energyEfficiency',
        'meanChargeVoltageV',
        'meanDischargeVoltageV',
        'cvChargeShare',
        'durationS',
      ]),
    ),
  );

  withCommon(program.command('steps').description('Steps detected and classified from the signals')).action(
    (ref: string, o: CommonOpts) =>
      run(ref, o, (ctx) => {
        const rows = ctx.steps.map((s) => ({ ...s, cycle: ctx.cycleOfRow[s.startRow]! }));
        output(o, rows, rows, [
          'number',
          'cycle',
          'kind',
          'instrumentStep',
          'label',
          'durationS',
          'meanCurrentA',
          'startVoltageV',
          'endVoltageV',
          'chargeCapacityAh',
          'dischargeCapacityAh',
        ]);
      }),
  );

  withCommon(
    program
      .command('fade')
      .description('Capacity retention, SOH, throughput, EFC, end of life, knee and fade rate'),
  )
    .option('--rated <Ah>', 'rated capacity for SOH and equivalent full cycles')
    .option('--reference <Ah>', 'reference capacity for retention (default: first ageing cycle)')
    .option('--threshold <fraction>', 'end-of-life retention threshold (default 0.8)')
    .option('--rpt <cycles>', 'comma-separated reference-performance-test cycles')
    .option('--basis <which>', 'discharge (default) or charge capacity')
    .action(
      (
        ref: string,
        o: CommonOpts & {
          rated?: string;
          reference?: string;
          threshold?: string;
          rpt?: string;
          basis?: string;
        },
      ) =>
        run(ref, o, (ctx) => {
          const rated = num('--rated', o.rated);
          const reference = num('--reference', o.reference);
          const threshold = num('--threshold', o.threshold);
          const rpt = list('--rpt', o.rpt);
          if (o.basis !== undefined && o.basis !== 'charge' && o.basis !== 'discharge')
            throw new DiscernError('DISCERN_BAD_ARGUMENT', '--basis must be charge or discharge');
          const r = fadeReport(ctx, {
            ...(rated !== undefined ? { ratedCapacityAh: rated } : {}),
            ...(reference !== undefined ? { referenceCapacityAh: reference } : {}),
            ...(threshold !== undefined ? { threshold } : {}),
            ...(rpt !== undefined ? { rptCycles: rpt } : {}),
            ...(o.basis !== undefined ? { basis: o.basis as 'charge' | 'discharge' } : {}),
          });
          if (o.json || o.csv) {
            output(o, r, r.points as unknown as Record<string, unknown>[]);
            return;
          }
          printTable(r.points as unknown as Record<string, unknown>[]);
          process.stdout.write(
            `\nreference ${r.referenceCapacityAh} Ah; fade ${r.fadeRatePerCycle} per cycle (${r.fadeRatePerEfc} per EFC), recently ${r.recentFadeRatePerCycle}\n` +
              `end of life (${r.endOfLife.threshold}): cycle ${r.endOfLife.cycle ?? '-'} (monotone fit ${r.endOfLife.interpolatedCycle ?? '-'})\n` +
              `knee: ${r.knee ? `${r.knee.kneeCycle.toFixed(1)} (onset ${r.knee.kneeOnsetCycle.toFixed(1)})` : '-'}\n`,
          );
        }),
    );

  for (const [name, kind] of [
    ['ica', 'dqdv'],
    ['dva', 'dvdq'],
  ] as const) {
    withCommon(
      program
        .command(name)
        .description(
          kind === 'dqdv'
            ? 'Incremental capacity dQ/dV with peaks tracked across cycles'
            : 'Differential voltage dV/dQ with peaks',
        ),
    )
      .option('--cycles <list>', 'comma-separated cycles (default: first, middle, last)')
      .option('--direction <dir>', 'charge (default) or discharge')
      .option('--method <m>', 'interpolation (default) or lean')
      .option('--step <V>', 'voltage grid step for dQ/dV (default 0.001)')
      .option('--fwhm <x>', 'Gaussian smoothing FWHM (V for dQ/dV, default 0.01; Ah for dV/dQ, default 0)')
      .option('--sg', 'Savitzky-Golay smoothing of the curve before differentiation')
      .action(
        (
          ref: string,
          o: CommonOpts & {
            cycles?: string;
            direction?: string;
            method?: string;
            step?: string;
            fwhm?: string;
            sg?: boolean;
          },
        ) =>
          run(ref, o, (ctx) => {
            if (o.direction !== undefined && o.direction !== 'charge' && o.direction !== 'discharge')
              throw new DiscernError('DISCERN_BAD_ARGUMENT', '--direction must be charge or discharge');
            if (o.method !== undefined && o.method !== 'interpolation' && o.method !== 'lean')
              throw new DiscernError('DISCERN_BAD_ARGUMENT', '--method must be interpolation or lean');
            const step = num('--step', o.step);
            const fwhm = num('--fwhm', o.fwhm);
            const r = icaReport(ctx, list('--cycles', o.cycles), {
              kind,
              ...(o.direction !== undefined ? { direction: o.direction as 'charge' | 'discharge' } : {}),
              ...(o.method !== undefined ? { method: o.method as 'interpolation' | 'lean' } : {}),
              ...(step !== undefined ? { voltageStepV: step } : {}),
              ...(fwhm !== undefined ? { fwhm } : {}),
              ...(o.sg ? { diffSmoothing: true, preSmoothing: kind === 'dvdq' } : {}),
            });
            const xName = kind === 'dqdv' ? 'voltage_V' : 'capacity_Ah';
            const yName = kind === 'dqdv' ? 'dqdv_Ah_per_V' : 'dvdq_V_per_Ah';
            const points = r.curves.flatMap((c) =>
              Array.from(c.curve.x, (x, k) => ({ cycle: c.cycle, [xName]: x, [yName]: c.curve.y[k]! })),
            );
            if (o.json) {
              printJson({
                curves: r.curves.map((c) => ({
                  cycle: c.cycle,
                  [xName]: c.curve.x,
                  [yName]: c.curve.y,
                  peaks: snakeRow(c.peaks),
                })),
                tracks: snakeRow(r.tracks),
              });
            } else if (o.csv) printCsv(points);
            else
              printTable(
                r.tracks.flatMap((t) => t.points.map((p) => ({ track: t.id, ...p }))),
                ['track', 'cycle', 'position', 'height', 'prominence', 'width', 'area'],
              );
          }),
      );
  }

  withCommon(
    program.command('dma').description('Degradation modes (LLI, LAM_PE, LAM_NE) by fitting half-cell OCPs'),
    false,
  )
    .option(
      '--cycles <list>',
      'comma-separated slow diagnostic cycles (first = reference; default: the slowest full cycles)',
    )
    .option(
      '--pe <ocp>',
      'positive OCP: chen2020-nmc811 (default) or a CSV of stoichiometry,potential_V',
      'chen2020-nmc811',
    )
    .option('--ne <ocp>', 'negative OCP: chen2020-graphite (default) or a CSV', 'chen2020-graphite')
    .option('--target <t>', 'ocv (default), dvdq or dqdv')
    .option('--optimizer <o>', 'nelder-mead (default) or differential-evolution')
    .action(
      (
        ref: string,
        o: CommonOpts & { cycles?: string; pe: string; ne: string; target?: string; optimizer?: string },
      ) =>
        run(ref, o, (ctx) => {
          if (o.target !== undefined && !['ocv', 'dvdq', 'dqdv'].includes(o.target))
            throw new DiscernError('DISCERN_BAD_ARGUMENT', '--target must be ocv, dvdq or dqdv');
          if (o.optimizer !== undefined && !['nelder-mead', 'differential-evolution'].includes(o.optimizer))
            throw new DiscernError(
              'DISCERN_BAD_ARGUMENT',
              '--optimizer must be nelder-mead or differential-evolution',
            );
          const cycles = o.cycles !== undefined ? list('--cycles', o.cycles)! : diagnosticCycles(ctx);
          const r = dmaReport(ctx, cycles, readOcp(o.pe), readOcp(o.ne), {
            ...(o.target !== undefined ? { target: o.target as 'ocv' | 'dvdq' | 'dqdv' } : {}),
            ...(o.optimizer !== undefined
              ? { optimizer: o.optimizer as 'nelder-mead' | 'differential-evolution' }
              : {}),
          });
          if (o.json) printJson(snakeRow(r));
          else
            printTable(
              r.cycles.map((c, k) => ({
                cycle: c.cycle,
                capacity_Ah: c.cellCapacityAh,
                pe_low: c.fit.parameters.peLow,
                pe_high: c.fit.parameters.peHigh,
                ne_low: c.fit.parameters.neLow,
                ne_high: c.fit.parameters.neHigh,
                rmse_V: c.rmseV,
                LLI: r.modes[k]!.lli,
                LAM_PE: r.modes[k]!.lamPe,
                LAM_NE: r.modes[k]!.lamNe,
              })),
            );
        }),
    );

  withCommon(
    program
      .command('pocv')
      .description('Pseudo-OCV of a slow cycle (current-weighted mean of its charge and discharge)'),
  )
    .requiredOption('--cycle <n>', 'the slow (C/20 - C/10) cycle')
    .option('--points <n>', 'SOC points (default 201)')
    .action((ref: string, o: CommonOpts & { cycle: string; points?: string }) =>
      run(ref, o, (ctx) => {
        const cycle = list('--cycle', o.cycle)![0]!;
        const points = num('--points', o.points);
        const r = pseudoOcvReport(ctx, cycle, points ?? 201);
        const rows = Array.from(r.soc, (soc, k) => ({ soc, capacityAh: r.capacityAh[k]!, ocvV: r.ocvV[k]! }));
        if (o.json)
          printJson(
            snakeRow({
              ...r,
              soc: Array.from(r.soc),
              ocvV: Array.from(r.ocvV),
              capacityAh: Array.from(r.capacityAh),
            }),
          );
        else if (o.csv) printCsv(rows.map((x) => snakeRow(x) as Record<string, unknown>));
        else printTable(rows);
      }),
    );

  withCommon(
    program
      .command('rate')
      .description('Rate capability (capacity vs C-rate per temperature) and Ragone points'),
  )
    .option('--nominal <Ah>', 'capacity that defines 1C (default: largest CC discharge)')
    .option('--mass <kg>', 'cell mass for Ragone points (Wh/kg, W/kg)')
    .action((ref: string, o: CommonOpts & { nominal?: string; mass?: string }) =>
      run(ref, o, (ctx) => {
        const nominal = num('--nominal', o.nominal);
        const mass = num('--mass', o.mass);
        const r = rateReport(ctx, {
          ...(nominal !== undefined ? { nominalCapacityAh: nominal } : {}),
          ...(mass !== undefined ? { massKg: mass } : {}),
        });
        output(o, r, r.points as unknown as Record<string, unknown>[]);
      }),
    );

  withCommon(
    program.command('fastcharge').description('Fast-charge metrics and lithium-plating indicators per cycle'),
  )
    .option('--reference <Ah>', 'capacity that defines 100 % SOC (default: each cycle discharge capacity)')
    .action((ref: string, o: CommonOpts & { reference?: string }) =>
      run(ref, o, (ctx) => {
        const reference = num('--reference', o.reference);
        const r = fastChargeReport(ctx, reference !== undefined ? { referenceCapacityAh: reference } : {});
        output(o, r, r as unknown as Record<string, unknown>[], [
          'cycle',
          'chargeCapacityAh',
          'timeTo80PercentS',
          'time10To80PercentS',
          'meanCRate10To80',
          'maxCRate',
          'temperatureRiseDegC',
          'cvShare',
          'relaxationPlateau',
          'ceDip',
        ]);
      }),
    );

  withCommon(
    program.command('features').description('Early cycle-life features (Severson 2019, BEEP definitions)'),
    false,
  ).action((ref: string, o: CommonOpts) =>
    run(ref, o, (ctx) => {
      const f = featuresReport(ctx);
      if (o.json) printJson(f);
      else printTable(Object.entries(f).map(([feature, value]) => ({ feature, value })));
    }),
  );
}

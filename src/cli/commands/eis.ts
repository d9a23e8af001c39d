import type { Command } from 'commander';
import { DiscernError } from '../../core/index.js';
import type { DrtResult } from '../../analysis/eis/drt.js';
import type { CircuitFitResult, EisWeighting } from '../../analysis/eis/fit-circuit.js';
import type { LinKKFitType, LinKKResult } from '../../analysis/eis/lin-kk.js';
import {
  listSweeps,
  runEisDrt,
  runEisFit,
  runEisKk,
  type EisRun,
  type SpectrumInfo,
  type SweepOutcome,
} from '../../app/eis.js';
import { printJson, printTable, reportError } from '../output.js';
import { frameOpts, num, numList, positive, sourceText, withData, type Common } from './pulse.js';

type Options = Common & Record<string, string | boolean | undefined>;

const SWEEP_HELP = `
Sweeps: one file or test may hold several impedance sweeps (PEIS/GEIS loops, the PEIS steps of
a BioLogic Modulo Bat protocol, one spectrum per check-up). A sweep ends where the frequency
jumps back to its start, where the cycle, step or EIS-cycle counter changes, or where time-domain
rows come in between; \`discern eis sweeps DATA\` lists them.
- Data with one sweep: that sweep is analysed; --json prints one object.
- Data with several sweeps and no --sweep: each sweep is analysed on its own. The text output
  has one row per sweep; --json prints an array of the same objects, each with "sweep". A sweep
  that cannot be analysed (fewer than 5 points, one frequency only, or the analysis failed)
  has "error" instead.
- --sweep N: sweep N alone, printed as for data with one sweep.
Method and limits: docs/methods/eis.md.`;

function spectrumText(i: SpectrumInfo): string {
  const where = [
    `rows ${i.first_row}-${i.last_row}`,
    ...(i.cycle !== null ? [`cycle ${i.cycle}`] : []),
    ...(i.step !== null ? [`step ${i.step}`] : []),
  ].join(', ');
  return `${sourceText(i.source)}, sweep ${i.sweep} of ${i.sweep_count} (${where}), ${i.points} points`;
}

/** The columns every per-sweep row starts with. */
function sweepColumns(i: SpectrumInfo): Record<string, unknown> {
  return {
    sweep: i.sweep,
    cycle: i.cycle,
    step: i.step,
    mean_time_s: i.mean_test_time_s,
    points: i.points,
  };
}

/**
 * Prints one analysed sweep (`one`) or a JSON array / text table over the sweeps (`row`), with
 * the sweeps that could not be analysed marked.
 */
function printRun<T>(
  run: EisRun<T>,
  json: boolean,
  what: string,
  toJson: (o: SweepOutcome<T>, r: T) => Record<string, unknown>,
  one: (o: SweepOutcome<T>, r: T) => void,
  row: (r: T | undefined) => Record<string, unknown>,
): void {
  const withSweep = (o: SweepOutcome<T>): Record<string, unknown> =>
    o.result !== undefined
      ? { sweep: o.info.sweep, ...toJson(o, o.result) }
      : { sweep: o.info.sweep, data: o.info, error: o.error!.toJSON() };
  if (run.single) {
    const o = run.outcomes[0]!;
    if (json) printJson(withSweep(o));
    else one(o, o.result as T);
    return;
  }
  if (json) {
    printJson(run.outcomes.map(withSweep));
    return;
  }
  const done = run.outcomes.filter((o) => o.result !== undefined).length;
  process.stdout.write(
    `${sourceText(run.source)}: ${run.outcomes.length} impedance sweeps; ${what} (${done} done; --sweep N for one sweep in full)\n`,
  );
  printTable(
    run.outcomes.map((o) => ({
      ...sweepColumns(o.info),
      ...row(o.result),
      note: o.error !== undefined ? `not analysed: ${o.error.message}` : '',
    })),
  );
}

function sweepChoice(o: Options): { sweep?: number; capacitiveOnly?: boolean } {
  const isSweep = (x: number): boolean => Number.isInteger(x) && x >= 1;
  const sweep =
    num(o['sweep'] as string | undefined, '--sweep', isSweep) ??
    num(o['spectrum'] as string | undefined, '--spectrum', isSweep);
  return {
    ...(sweep !== undefined ? { sweep } : {}),
    ...(o['capacitiveOnly'] ? { capacitiveOnly: true } : {}),
  };
}

function spectrumOpts(c: Command): Command {
  return withData(c)
    .option('--sweep <n>', '1-based sweep to analyse alone (default: every sweep; see below)')
    .option('--spectrum <n>', 'older name of --sweep')
    .option('--capacitive-only', 'drop points with Im Z ≥ 0 (inductive) first')
    .addHelpText('after', SWEEP_HELP);
}

function registerFit(eis: Command): void {
  spectrumOpts(
    eis
      .command('fit')
      .description('Complex nonlinear least-squares fit of a circuit such as "R0-p(R1,CPE1)-Wo1"')
      .argument('<data>', 'an impedance file, or a stored test id or name'),
  )
    .requiredOption('--circuit <string>', "circuit in impedance.py's syntax, e.g. R0-p(R1,CPE1)-Wo1")
    .option(
      '--initial <list>',
      'comma-separated initial values of the free parameters (default: read off the data)',
    )
    .option('--constants <list>', 'fixed parameters, e.g. R0=0.02,Wo1_1=200')
    .option('--weighting <w>', 'unit, proportional or modulus (default unit)')
    .option('--starts <n>', 'number of starts (default 8)')
    .option('--seed <n>', 'seed of the extra starts (default 0)')
    .action(async (ref: string, o: Options) => {
      try {
        const initial = numList(o['initial'] as string | undefined, '--initial');
        const constants: Record<string, number> = {};
        if (typeof o['constants'] === 'string')
          for (const kv of o['constants'].split(',')) {
            const [k, v] = kv.split('=');
            if (k === undefined || v === undefined || k.trim() === '')
              throw new DiscernError(
                'DISCERN_BAD_ARGUMENT',
                `--constants needs NAME=VALUE pairs, got "${kv}"`,
              );
            constants[k.trim()] = num(v, `--constants ${k}`)!;
          }
        const weighting = (o['weighting'] as string | undefined) ?? 'unit';
        if (!['unit', 'proportional', 'modulus'].includes(weighting))
          throw new DiscernError(
            'DISCERN_BAD_ARGUMENT',
            `--weighting must be unit, proportional or modulus, got "${weighting}"`,
          );
        const starts = num(
          o['starts'] as string | undefined,
          '--starts',
          (x) => Number.isInteger(x) && x >= 1,
        );
        const seed = num(o['seed'] as string | undefined, '--seed', Number.isInteger);
        const run = await runEisFit(ref, o['circuit'] as string, {
          ...frameOpts(o),
          ...sweepChoice(o),
          ...(initial !== undefined ? { initialGuess: initial } : {}),
          constants,
          weighting: weighting as EisWeighting,
          ...(starts !== undefined ? { starts } : {}),
          ...(seed !== undefined ? { seed } : {}),
        });
        const names = run.outcomes.find((x) => x.result !== undefined)!.result!.parameters.map((p) => p.name);
        printRun<CircuitFitResult>(
          run,
          o.json === true,
          `${o['circuit'] as string} fitted to each`,
          (s, fit) => ({
            circuit: fit.circuit,
            parameters: fit.parameters.map((p) => ({
              name: p.name,
              value: p.value,
              stderr: p.stderr,
              unit: p.unit,
              ci95: p.ci95,
              fixed: p.fixed,
              atBound: p.atBound,
            })),
            rmse: fit.rmse,
            converged: fit.converged,
            iterations: fit.iterations,
            weighting: fit.weighting,
            starts: fit.starts,
            chiSquare: fit.chiSquare,
            dof: fit.dof,
            data: s.info,
            frequency_Hz: fit.frequencyHz,
            z_fit_real_Ohm: fit.zFitReal,
            z_fit_imag_Ohm: fit.zFitImag,
          }),
          (s, fit) => {
            process.stdout.write(
              `${spectrumText(s.info)}\n${fit.circuit}: RMSE ${fit.rmse.toExponential(4)} Ohm, ${fit.converged ? 'converged' : 'NOT converged'} (${fit.reason}) in ${fit.iterations} iterations, ${fit.starts} starts, ${fit.weighting} weighting\n`,
            );
            printTable(
              fit.parameters.map((p) => ({
                name: p.name,
                value: p.value,
                stderr: p.fixed ? null : p.stderr,
                ci95_low: p.fixed ? null : p.ci95[0],
                ci95_high: p.fixed ? null : p.ci95[1],
                unit: p.unit,
                note: p.fixed ? 'fixed' : p.atBound ? 'at bound' : '',
              })),
            );
          },
          (fit) => ({
            ...Object.fromEntries(names.map((n, k) => [n, fit?.parameters[k]?.value ?? null])),
            rmse_Ohm: fit?.rmse ?? null,
            converged: fit === undefined ? '' : fit.converged ? 'yes' : 'NO',
          }),
        );
      } catch (e) {
        reportError(e, o.json === true);
      }
    });
}

function registerKk(eis: Command): void {
  spectrumOpts(
    eis
      .command('kk')
      .description('Lin-KK test (Schönleber): number of RC elements, mu and the residuals')
      .argument('<data>', 'an impedance file, or a stored test id or name'),
  )
    .option('--c <mu>', 'mu cut-off (default 0.85)')
    .option('--max-m <n>', 'largest number of RC elements (default 50)')
    .option('--fit-type <t>', 'real, imag or complex (default real)')
    .option('--add-cap', 'add a series capacitance')
    .action(async (ref: string, o: Options) => {
      try {
        const c = num(o['c'] as string | undefined, '--c');
        const maxM = num(o['maxM'] as string | undefined, '--max-m', (x) => Number.isInteger(x) && x >= 1);
        const fitType = (o['fitType'] as string | undefined) ?? 'real';
        if (!['real', 'imag', 'complex'].includes(fitType))
          throw new DiscernError(
            'DISCERN_BAD_ARGUMENT',
            `--fit-type must be real, imag or complex, got "${fitType}"`,
          );
        const run = await runEisKk(ref, {
          ...frameOpts(o),
          ...sweepChoice(o),
          ...(c !== undefined ? { c } : {}),
          ...(maxM !== undefined ? { maxM } : {}),
          fitType: fitType as LinKKFitType,
          addCapacitance: o['addCap'] === true,
        });
        const worst = (kk: LinKKResult): number => {
          let w = 0;
          for (let k = 0; k < kk.residualsReal.length; k++)
            w = Math.max(w, Math.abs(kk.residualsReal[k]!), Math.abs(kk.residualsImag[k]!));
          return w;
        };
        printRun<LinKKResult>(
          run,
          o.json === true,
          'lin-KK test of each',
          (s, kk) => ({
            M: kk.M,
            mu: kk.mu,
            residuals_real: kk.residualsReal,
            residuals_imag: kk.residualsImag,
            max_abs_residual: worst(kk),
            frequency_Hz: s.spectrum.frequencyHz,
            z_fit_real_Ohm: kk.zFitReal,
            z_fit_imag_Ohm: kk.zFitImag,
            r_ohmic_Ohm: kk.rOhmicOhm,
            inductance_H: kk.inductanceH,
            data: s.info,
          }),
          (s, kk) => {
            process.stdout.write(
              `${spectrumText(s.info)}\nlin-KK: M = ${kk.M}, mu = ${kk.mu.toFixed(4)}, largest |residual| ${(worst(kk) * 100).toFixed(3)} % of |Z|\n`,
            );
            printTable(
              Array.from(s.spectrum.frequencyHz, (f, k) => ({
                f_Hz: f,
                res_real_pct: kk.residualsReal[k]! * 100,
                res_imag_pct: kk.residualsImag[k]! * 100,
              })),
            );
          },
          (kk) => ({
            M: kk?.M ?? null,
            mu: kk?.mu ?? null,
            max_abs_residual_pct: kk !== undefined ? worst(kk) * 100 : null,
          }),
        );
      } catch (e) {
        reportError(e, o.json === true);
      }
    });
}

function registerDrt(eis: Command): void {
  spectrumOpts(
    eis
      .command('drt')
      .description('Distribution of relaxation times (Tikhonov, non-negative, lambda by GCV)')
      .argument('<data>', 'an impedance file, or a stored test id or name'),
  )
    .option('--lambda <x>', 'regularisation parameter (default: chosen by GCV)')
    .option('--derivative <n>', 'penalised derivative, 1 or 2 (default 1)')
    .option('--coeff <x>', 'RBF width coefficient (default 0.5)')
    .option('--no-inductance', 'do not fit a series inductance')
    .action(async (ref: string, o: Options) => {
      try {
        const lambda = num(o['lambda'] as string | undefined, '--lambda', positive);
        const der = num(o['derivative'] as string | undefined, '--derivative', (x) => x === 1 || x === 2) as
          1 | 2 | undefined;
        const coeff = num(o['coeff'] as string | undefined, '--coeff', positive);
        const run = await runEisDrt(ref, {
          ...frameOpts(o),
          ...sweepChoice(o),
          ...(lambda !== undefined ? { lambda } : {}),
          ...(der !== undefined ? { derivative: der } : {}),
          ...(coeff !== undefined ? { coeff } : {}),
          inductance: o['inductance'] !== false,
        });
        printRun<DrtResult>(
          run,
          o.json === true,
          'DRT of each',
          (s, drt) => ({
            lambda: drt.lambda,
            lambda_source: drt.lambdaSource,
            lambda_at_bound: drt.lambdaAtBound,
            warnings: drt.warnings,
            r_inf_Ohm: drt.rInfOhm,
            inductance_H: drt.inductanceH,
            polarization_Ohm: drt.polarizationOhm,
            peaks: drt.peaks.map((p) => ({
              tau_s: p.tauS,
              frequency_Hz: p.frequencyHz,
              gamma_Ohm: p.gammaOhm,
            })),
            tau_s: drt.tauS,
            gamma_Ohm: drt.gammaOhm,
            z_fit_real_Ohm: drt.zFitReal,
            z_fit_imag_Ohm: drt.zFitImag,
            gcv: { lambda: drt.gcv.lambda, score: drt.gcv.score },
            data: s.info,
          }),
          (s, drt) => {
            process.stdout.write(
              `${spectrumText(s.info)}\nDRT: lambda ${drt.lambda.toExponential(3)} (${drt.lambdaSource}), R_inf ${drt.rInfOhm.toPrecision(5)} Ohm, L ${drt.inductanceH.toExponential(3)} H, polarisation ${drt.polarizationOhm.toPrecision(5)} Ohm\n`,
            );
            for (const w of drt.warnings) process.stderr.write(`warning: ${w}\n`);
            printTable(drt.peaks.map((p) => ({ tau_s: p.tauS, f_Hz: p.frequencyHz, gamma_Ohm: p.gammaOhm })));
          },
          (drt) => ({
            lambda: drt?.lambda ?? null,
            r_inf_Ohm: drt?.rInfOhm ?? null,
            polarization_Ohm: drt?.polarizationOhm ?? null,
            peaks: drt?.peaks.length ?? null,
            warnings: drt?.warnings.length ?? null,
          }),
        );
      } catch (e) {
        reportError(e, o.json === true);
      }
    });
}

function registerSweeps(eis: Command): void {
  withData(
    eis
      .command('sweeps')
      .description('List the impedance sweeps of a file or test: rows, points, frequencies, cycle, step')
      .argument('<data>', 'an impedance file, or a stored test id or name'),
  )
    .addHelpText(
      'after',
      `
A sweep ends where the frequency jumps back to its start (or turns, for a low-to-high sweep),
where cycle_index, step_index, step_count or the EIS-cycle counter changes, or where rows without
a frequency come in between. Rows are 0-based rows of the test, both ends included. Sweeps with
fewer than 5 points, or at one frequency only, are listed but not analysed by
\`eis fit|kk|drt\` unless asked for with --sweep.
--json prints {"source": ..., "sweeps": [{"sweep", "first_row", "last_row", "points",
"start_frequency_Hz", "end_frequency_Hz", "direction", "cycle", "step", "mean_test_time_s",
"fittable"}, ...]}.`,
    )
    .action(async (ref: string, o: Options) => {
      try {
        const { source, sweeps } = await listSweeps(ref, frameOpts(o));
        if (o.json) {
          printJson({ source, sweeps });
          return;
        }
        process.stdout.write(`${sourceText(source)}: ${sweeps.length} impedance sweep(s)\n`);
        printTable(
          sweeps.map((s) => ({
            sweep: s.sweep,
            first_row: s.first_row,
            last_row: s.last_row,
            points: s.points,
            start_Hz: s.start_frequency_Hz,
            end_Hz: s.end_frequency_Hz,
            direction: s.direction,
            cycle: s.cycle,
            step: s.step,
            mean_time_s: s.mean_test_time_s,
            analysed: s.fittable
              ? 'yes'
              : s.direction === 'single'
                ? 'no (one frequency)'
                : 'no (too few points)',
          })),
        );
      } catch (e) {
        reportError(e, o.json === true);
      }
    });
}

/** `discern eis fit|kk|drt|sweeps`. */
export function registerEisCommands(program: Command): void {
  const eis = program
    .command('eis')
    .description('Impedance spectra: sweeps, equivalent-circuit fit, lin-KK test, DRT');
  registerFit(eis);
  registerKk(eis);
  registerDrt(eis);
  registerSweeps(eis);
}

import type { Command } from 'commander';
import { DiscernError } from '../../core/index.js';
import { ISO_12405_DISCHARGE_TIMES_S } from '../../analysis/pulse/hppc.js';
import type { EisWeighting } from '../../analysis/eis/fit-circuit.js';
import type { LinKKFitType } from '../../analysis/eis/lin-kk.js';
import { runEisDrt, runEisFit, runEisKk, type SpectrumInfo } from '../../app/eis.js';
import type { FrameSource } from '../../app/frame-ref.js';
import { runEcmFit, runEcmSimulate, runGitt, runHppc } from '../../app/pulse.js';
import { printJson, printTable, reportError } from '../output.js';

interface Common {
  db?: string;
  tz?: string;
  format?: string;
  json?: boolean;
}

/** A number option, or undefined. @throws DISCERN_BAD_ARGUMENT */
function num(
  value: string | undefined,
  name: string,
  check: (x: number) => boolean = Number.isFinite,
): number | undefined {
  if (value === undefined) return undefined;
  const x = Number(value);
  if (value.trim() === '' || !check(x))
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `${name} must be a valid number, got "${value}"`);
  return x;
}

const positive = (x: number): boolean => Number.isFinite(x) && x > 0;

/** A comma-separated list of numbers. @throws DISCERN_BAD_ARGUMENT */
function numList(value: string | undefined, name: string): number[] | undefined {
  if (value === undefined) return undefined;
  return value.split(',').map((s) => num(s, name)!);
}

function frameOpts(o: Common): { db?: string; timeZone?: string; format?: string } {
  return {
    ...(o.db !== undefined ? { db: o.db } : {}),
    ...(o.tz !== undefined ? { timeZone: o.tz } : {}),
    ...(o.format !== undefined ? { format: o.format } : {}),
  };
}

function sourceText(s: FrameSource): string {
  return s.kind === 'file' ? s.path : `test ${s.id} (${s.name})`;
}

function spectrumText(i: SpectrumInfo): string {
  return `${sourceText(i.source)}, spectrum ${i.spectrum} of ${i.spectra}${i.cycle !== null ? ` (cycle ${i.cycle})` : ''}, ${i.points} points`;
}

const mOhm = (x: number | null | undefined): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : x * 1000;

function withData(cmd: Command): Command {
  return cmd
    .option('--db <file>', 'DuckDB file for stored tests (default: $DISCERN_DB or ./discern.duckdb)')
    .option('--tz <zone>', 'IANA time zone of local times when reading a file')
    .option('--format <id>', 'force a reader when reading a file')
    .option('--json', 'print JSON');
}

/** `discern hppc`, `discern ecm fit|simulate`, `discern eis fit|kk|drt`, `discern gitt`. */
export function registerPulseCommands(program: Command): void {
  withData(
    program
      .command('hppc')
      .description('Pulse (HPPC / DC) resistance at the standard times, by SOC and temperature')
      .argument('<test>', 'a file, or a stored test id or name'),
  )
    .option('--times <s>', 'comma-separated times after the pulse onset, s (default 0.1,2,10,18)')
    .option('--iso', 'use the ISO 12405-4 discharge times 0.1,2,5,10,18,18.1,20,30,60,90,120 s')
    .option('--capacity <Ah>', 'capacity for the SOC axis (default: estimated from the data)')
    .option('--vmin <V>', 'lower voltage limit for the FreedomCAR discharge power')
    .option('--vmax <V>', 'upper voltage limit for the FreedomCAR regen power')
    .option('--max-pulse <s>', 'longest segment counted as a pulse, s (default 130)')
    .option('--rest-threshold <A>', '|I| at or below this is rest (default 0.5 % of max |I|)')
    .action(async (ref: string, o: Common & Record<string, string | boolean | undefined>) => {
      try {
        const times = o['iso']
          ? [...ISO_12405_DISCHARGE_TIMES_S]
          : numList(o['times'] as string | undefined, '--times');
        const capacity = num(o['capacity'] as string | undefined, '--capacity', positive);
        const vmin = num(o['vmin'] as string | undefined, '--vmin');
        const vmax = num(o['vmax'] as string | undefined, '--vmax');
        const maxPulse = num(o['maxPulse'] as string | undefined, '--max-pulse', positive);
        const rest = num(o['restThreshold'] as string | undefined, '--rest-threshold', (x) => x >= 0);
        const r = await runHppc(ref, {
          ...frameOpts(o),
          ...(times !== undefined ? { timesS: times } : {}),
          ...(capacity !== undefined ? { capacityAh: capacity } : {}),
          ...(vmin !== undefined ? { minVoltageV: vmin } : {}),
          ...(vmax !== undefined ? { maxVoltageV: vmax } : {}),
          ...(maxPulse !== undefined ? { maxDurationS: maxPulse } : {}),
          ...(rest !== undefined ? { restThresholdA: rest } : {}),
        });
        if (o.json) {
          printJson(r);
          return;
        }
        process.stdout.write(
          `${sourceText(r.source)}: ${r.pulses.length} pulses, capacity ${r.capacityAh.toFixed(4)} Ah (${r.capacitySource})\n`,
        );
        printTable(
          r.pulses.map((p) => {
            const row: Record<string, unknown> = {
              pulse: p.index,
              dir: p.direction === 'discharge' ? 'dis' : 'chg',
              cycle: p.cycleIndex,
              SOC_pct: p.socPct,
              T_degC: p.temperatureDegC,
              I_A: p.currentA,
              t_s: p.durationS,
              OCV_V: p.ocvV,
              R0_mOhm: mOhm(p.r0Ohm),
            };
            r.timesS.forEach((t, k) => (row[`R${t}s_mOhm`] = mOhm(p.resistancesOhm[k])));
            row['Rend_mOhm'] = mOhm(p.endResistanceOhm);
            row['flags'] = p.flags.join(',');
            return row;
          }),
        );
        if (r.levels.length > 0) {
          process.stdout.write(`\nFreedomCAR levels (R at ${r.freedomCarTimeS} s)\n`);
          printTable(
            r.levels.map((l) => ({
              SOC_pct: l.socPct,
              T_degC: l.temperatureDegC,
              OCV_V: l.ocvV,
              Rdis_mOhm: mOhm(l.dischargeResistanceOhm),
              Rregen_mOhm: mOhm(l.regenResistanceOhm),
              Pdis_W: l.dischargePowerW,
              Pregen_W: l.regenPowerW,
            })),
          );
        }
        for (const w of r.warnings) process.stdout.write(`warning: ${w}\n`);
      } catch (e) {
        reportError(e, o.json === true);
      }
    });

  const ecm = program
    .command('ecm')
    .description('Thevenin equivalent-circuit models: fit to pulses, simulate a profile');
  withData(
    ecm
      .command('fit')
      .description(
        'Fit a Thevenin model (1 or 2 RC pairs, OCV(SOC), R0 and RC by SOC and temperature) to the pulses',
      )
      .argument('<test>', 'a file, or a stored test id or name'),
  )
    .option('--rc <n>', 'number of RC pairs, 1 or 2 (default 2)')
    .option('--capacity <Ah>', 'capacity (default: estimated from the data)')
    .option('--out <file>', 'write the model as JSON')
    .option('--relaxed-rest <s>', 'a pulse after a rest this long starts a fit window (default 60)')
    .option('--max-pulse <s>', 'longest segment counted as a pulse, s (default 130)')
    .action(async (ref: string, o: Common & Record<string, string | boolean | undefined>) => {
      try {
        const rc = num(o['rc'] as string | undefined, '--rc', (x) => x === 1 || x === 2) as 1 | 2 | undefined;
        const capacity = num(o['capacity'] as string | undefined, '--capacity', positive);
        const relaxed = num(o['relaxedRest'] as string | undefined, '--relaxed-rest', (x) => x >= 0);
        const maxPulse = num(o['maxPulse'] as string | undefined, '--max-pulse', positive);
        const r = await runEcmFit(ref, {
          ...frameOpts(o),
          ...(rc !== undefined ? { rcPairs: rc } : {}),
          ...(capacity !== undefined ? { capacityAh: capacity } : {}),
          ...(relaxed !== undefined ? { relaxedRestS: relaxed } : {}),
          ...(maxPulse !== undefined ? { maxDurationS: maxPulse } : {}),
          ...(typeof o['out'] === 'string' ? { out: o['out'] } : {}),
        });
        if (o.json) {
          printJson(r);
          return;
        }
        process.stdout.write(
          `${sourceText(r.source)}: ${r.model.rcPairs}RC Thevenin model from ${r.windows.length} windows, RMSE ${(r.rmseV * 1000).toFixed(3)} mV${r.out ? `, written to ${r.out}` : ''}\n`,
        );
        printTable(
          r.windows.map((w) => {
            const row: Record<string, unknown> = {
              SOC_pct: w.socPct,
              T_degC: w.temperatureDegC,
              R0_mOhm: mOhm(w.r0Ohm),
            };
            w.rOhm.forEach((x, k) => {
              row[`R${k + 1}_mOhm`] = mOhm(x);
              row[`tau${k + 1}_s`] = w.tauS[k];
              row[`C${k + 1}_F`] = w.cF[k];
            });
            row['RMSE_mV'] = w.rmseV * 1000;
            return row;
          }),
        );
        for (const w of r.warnings) process.stdout.write(`warning: ${w}\n`);
      } catch (e) {
        reportError(e, o.json === true);
      }
    });
  withData(
    ecm
      .command('simulate')
      .description('Run a saved model on the current of another file or test and report the voltage RMSE')
      .argument('<model>', 'model JSON written by `discern ecm fit --out` (or its --json output)')
      .argument('<profile>', 'a file, or a stored test id or name, with current (and voltage)'),
  )
    .option(
      '--soc0 <pct>',
      'initial SOC, % (default: the OCV of the first voltage, less I·R0 when under load)',
    )
    .option('--out <file>', 'write time, current, measured and simulated voltage as CSV')
    .action(
      async (modelPath: string, ref: string, o: Common & Record<string, string | boolean | undefined>) => {
        try {
          const soc0 = num(o['soc0'] as string | undefined, '--soc0');
          const r = await runEcmSimulate(modelPath, ref, {
            ...frameOpts(o),
            ...(soc0 !== undefined ? { initialSocPct: soc0 } : {}),
            ...(typeof o['out'] === 'string' ? { out: o['out'] } : {}),
          });
          if (o.json) {
            printJson(r);
            return;
          }
          process.stdout.write(
            `${sourceText(r.profile)}: ${r.rows} samples, SOC ${r.initialSocPct.toFixed(2)} → ${r.finalSocPct.toFixed(2)} % (start: ${r.initialSocSource})\n` +
              (r.rmseV !== null
                ? `voltage RMSE ${(r.rmseV * 1000).toFixed(3)} mV, largest error ${(r.maxAbsErrorV! * 1000).toFixed(3)} mV\n`
                : 'no measured voltage to compare\n'),
          );
        } catch (e) {
          reportError(e, o.json === true);
        }
      },
    );

  const eis = program
    .command('eis')
    .description('Impedance spectra: equivalent-circuit fit, lin-KK test, DRT');
  const spectrumOpts = (c: Command): Command =>
    withData(c)
      .option('--spectrum <n>', '1-based number of the spectrum when the data holds several (default 1)')
      .option('--capacitive-only', 'drop points with Im Z ≥ 0 (inductive) first');
  const spectrumChoice = (
    o: Record<string, string | boolean | undefined>,
  ): { spectrum?: number; capacitiveOnly?: boolean } => {
    const k = num(o['spectrum'] as string | undefined, '--spectrum', (x) => Number.isInteger(x) && x >= 1);
    return {
      ...(k !== undefined ? { spectrum: k } : {}),
      ...(o['capacitiveOnly'] ? { capacitiveOnly: true } : {}),
    };
  };
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
    .action(async (ref: string, o: Common & Record<string, string | boolean | undefined>) => {
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
        const { info, fit } = await runEisFit(ref, o['circuit'] as string, {
          ...frameOpts(o),
          ...spectrumChoice(o),
          ...(initial !== undefined ? { initialGuess: initial } : {}),
          constants,
          weighting: weighting as EisWeighting,
          ...(starts !== undefined ? { starts } : {}),
          ...(seed !== undefined ? { seed } : {}),
        });
        if (o.json) {
          printJson({
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
            data: info,
            frequency_Hz: fit.frequencyHz,
            z_fit_real_Ohm: fit.zFitReal,
            z_fit_imag_Ohm: fit.zFitImag,
          });
          return;
        }
        process.stdout.write(
          `${spectrumText(info)}\n${fit.circuit}: RMSE ${fit.rmse.toExponential(4)} Ohm, ${fit.converged ? 'converged' : 'NOT converged'} (${fit.reason}) in ${fit.iterations} iterations, ${fit.starts} starts, ${fit.weighting} weighting\n`,
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
      } catch (e) {
        reportError(e, o.json === true);
      }
    });
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
    .action(async (ref: string, o: Common & Record<string, string | boolean | undefined>) => {
      try {
        const c = num(o['c'] as string | undefined, '--c');
        const maxM = num(o['maxM'] as string | undefined, '--max-m', (x) => Number.isInteger(x) && x >= 1);
        const fitType = (o['fitType'] as string | undefined) ?? 'real';
        if (!['real', 'imag', 'complex'].includes(fitType))
          throw new DiscernError(
            'DISCERN_BAD_ARGUMENT',
            `--fit-type must be real, imag or complex, got "${fitType}"`,
          );
        const { info, kk, spectrum } = await runEisKk(ref, {
          ...frameOpts(o),
          ...spectrumChoice(o),
          ...(c !== undefined ? { c } : {}),
          ...(maxM !== undefined ? { maxM } : {}),
          fitType: fitType as LinKKFitType,
          addCapacitance: o['addCap'] === true,
        });
        let worst = 0;
        for (let k = 0; k < kk.residualsReal.length; k++)
          worst = Math.max(worst, Math.abs(kk.residualsReal[k]!), Math.abs(kk.residualsImag[k]!));
        if (o.json) {
          printJson({
            M: kk.M,
            mu: kk.mu,
            residuals_real: kk.residualsReal,
            residuals_imag: kk.residualsImag,
            max_abs_residual: worst,
            frequency_Hz: spectrum.frequencyHz,
            z_fit_real_Ohm: kk.zFitReal,
            z_fit_imag_Ohm: kk.zFitImag,
            r_ohmic_Ohm: kk.rOhmicOhm,
            inductance_H: kk.inductanceH,
            data: info,
          });
          return;
        }
        process.stdout.write(
          `${spectrumText(info)}\nlin-KK: M = ${kk.M}, mu = ${kk.mu.toFixed(4)}, largest |residual| ${(worst * 100).toFixed(3)} % of |Z|\n`,
        );
        printTable(
          Array.from(spectrum.frequencyHz, (f, k) => ({
            f_Hz: f,
            res_real_pct: kk.residualsReal[k]! * 100,
            res_imag_pct: kk.residualsImag[k]! * 100,
          })),
        );
      } catch (e) {
        reportError(e, o.json === true);
      }
    });
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
    .action(async (ref: string, o: Common & Record<string, string | boolean | undefined>) => {
      try {
        const lambda = num(o['lambda'] as string | undefined, '--lambda', positive);
        const der = num(o['derivative'] as string | undefined, '--derivative', (x) => x === 1 || x === 2) as
          1 | 2 | undefined;
        const coeff = num(o['coeff'] as string | undefined, '--coeff', positive);
        const { info, drt } = await runEisDrt(ref, {
          ...frameOpts(o),
          ...spectrumChoice(o),
          ...(lambda !== undefined ? { lambda } : {}),
          ...(der !== undefined ? { derivative: der } : {}),
          ...(coeff !== undefined ? { coeff } : {}),
          inductance: o['inductance'] !== false,
        });
        if (o.json) {
          printJson({
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
            data: info,
          });
          return;
        }
        process.stdout.write(
          `${spectrumText(info)}\nDRT: lambda ${drt.lambda.toExponential(3)} (${drt.lambdaSource}), R_inf ${drt.rInfOhm.toPrecision(5)} Ohm, L ${drt.inductanceH.toExponential(3)} H, polarisation ${drt.polarizationOhm.toPrecision(5)} Ohm\n`,
        );
        for (const w of drt.warnings) process.stderr.write(`warning: ${w}\n`);
        printTable(drt.peaks.map((p) => ({ tau_s: p.tauS, f_Hz: p.frequencyHz, gamma_Ohm: p.gammaOhm })));
      } catch (e) {
        reportError(e, o.json === true);
      }
    });

  withData(
    program
      .command('gitt')
      .description(
        'GITT: Weppner-Huggins diffusion coefficient per pulse, sqrt(t) check, OCV after relaxation',
      )
      .argument('<test>', 'a file, or a stored test id or name'),
  )
    .option('--length-um <um>', 'diffusion length V_M/S in µm (film thickness)')
    .option('--radius-um <um>', 'particle radius in µm (the length is r/3)')
    .option('--capacity <Ah>', 'capacity for the SOC axis (default: estimated)')
    .action(async (ref: string, o: Common & Record<string, string | boolean | undefined>) => {
      try {
        const len = num(o['lengthUm'] as string | undefined, '--length-um', positive);
        const rad = num(o['radiusUm'] as string | undefined, '--radius-um', positive);
        if (len !== undefined && rad !== undefined)
          throw new DiscernError('DISCERN_BAD_ARGUMENT', 'give --length-um or --radius-um, not both');
        const lengthM = len !== undefined ? len * 1e-6 : rad !== undefined ? (rad * 1e-6) / 3 : undefined;
        const capacity = num(o['capacity'] as string | undefined, '--capacity', positive);
        const r = await runGitt(ref, {
          ...frameOpts(o),
          ...(lengthM !== undefined ? { lengthM } : {}),
          ...(capacity !== undefined ? { capacityAh: capacity } : {}),
        });
        if (o.json) {
          printJson(r);
          return;
        }
        process.stdout.write(`${sourceText(r.source)}: ${r.pulses.length} titration steps\n`);
        printTable(
          r.pulses.map((p) => ({
            step: p.index,
            SOC_pct: p.socPct,
            tau_s: p.durationS,
            I_A: p.currentA,
            OCV_after_V: p.ocvAfterV,
            dEs_mV: p.deltaEsV * 1000,
            dEtau_mV: p.deltaEtauV * 1000,
            R2_sqrt_t: p.sqrtR2,
            D_over_L2_per_s: p.diffusionRatePerS,
            D_m2_per_s: p.diffusionCoefficientM2PerS,
            relax_dVdt_V_per_s: p.relaxationSlopeVPerS,
            note: p.linearInSqrtT ? '' : 'not linear in sqrt(t)',
          })),
        );
        for (const w of r.warnings) process.stdout.write(`warning: ${w}\n`);
      } catch (e) {
        reportError(e, o.json === true);
      }
    });
}

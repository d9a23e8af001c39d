import type { Command } from 'commander';
import { DiscernError } from '../../core/index.js';
import { ISO_12405_DISCHARGE_TIMES_S } from '../../analysis/pulse/hppc.js';
import type { FrameSource } from '../../app/frame-ref.js';
import { runEcmFit, runEcmSimulate, runGitt, runHppc } from '../../app/pulse.js';
import { printJson, printTable, reportError } from '../output.js';

/** Options shared by the commands that read a file or stored test. */
export interface Common {
  db?: string;
  tz?: string;
  format?: string;
  json?: boolean;
}

/** A number option, or undefined. @throws DISCERN_BAD_ARGUMENT */
export function num(
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

/** True for a finite number above 0. */
export const positive = (x: number): boolean => Number.isFinite(x) && x > 0;

/** A comma-separated list of numbers. @throws DISCERN_BAD_ARGUMENT */
export function numList(value: string | undefined, name: string): number[] | undefined {
  if (value === undefined) return undefined;
  return value.split(',').map((s) => num(s, name)!);
}

/** The loader options (store, time zone, reader) of the parsed command options. */
export function frameOpts(o: Common): { db?: string; timeZone?: string; format?: string } {
  return {
    ...(o.db !== undefined ? { db: o.db } : {}),
    ...(o.tz !== undefined ? { timeZone: o.tz } : {}),
    ...(o.format !== undefined ? { format: o.format } : {}),
  };
}

/** A file path, or `test ID (NAME)` for a stored test. */
export function sourceText(s: FrameSource): string {
  return s.kind === 'file' ? s.path : `test ${s.id} (${s.name})`;
}

const mOhm = (x: number | null | undefined): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : x * 1000;

/** The options every command reading a file or stored test takes. */
export function withData(cmd: Command): Command {
  return cmd
    .option('--db <file>', 'DuckDB file for stored tests (default: $DISCERN_DB or ./discern.duckdb)')
    .option('--tz <zone>', 'IANA time zone of local times when reading a file')
    .option('--format <id>', 'force a reader when reading a file')
    .option('--json', 'print JSON');
}

/** `discern hppc`, `discern ecm fit|simulate`, `discern gitt` (`discern eis` is in eis.ts). */
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

import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  ABUSE_TEST_TYPES,
  EUCAR_LEVELS,
  OBSERVATION_KEYS,
  parseAbuseRecords,
  validateAbuseRecord,
  type AbuseRecord,
} from '../../arbiter/abuse.js';
import { DiscernError } from '../../core/index.js';
import type { ColumnMapping } from '../../ingest/index.js';
import {
  addAbuseRecords,
  arcReport,
  listAbuseRecords,
  worstHazardLevelByCellModel,
  type ArcReportOptions,
} from '../../app/abuse.js';
import { resolveDbPath, withStore } from '../../app/tests.js';
import { printJson, printTable, reportError } from '../output.js';

function num(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x))
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `${name} must be a number, got "${v}"`);
  return x;
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new DiscernError(
      'DISCERN_IO',
      `cannot read the ${what} ${path}: ${e instanceof Error ? e.message : String(e)}`,
      {
        file: path,
      },
    );
  }
}

interface ArcOpts {
  onsetRate?: string;
  runawayRate?: string;
  windowS?: string;
  sustainS?: string;
  rateSource?: string;
  mapping?: string;
  db?: string;
  tz?: string;
  format?: string;
  series?: boolean;
  json?: boolean;
}

async function arcCommand(ref: string, o: ArcOpts): Promise<void> {
  try {
    if (o.rateSource !== undefined && o.rateSource !== 'temperature' && o.rateSource !== 'instrument')
      throw new DiscernError('DISCERN_BAD_ARGUMENT', '--rate-source must be temperature or instrument');
    let mapping: ColumnMapping | undefined;
    if (o.mapping !== undefined) {
      try {
        mapping = JSON.parse(readText(o.mapping, 'mapping')) as ColumnMapping;
      } catch (e) {
        if (e instanceof DiscernError) throw e;
        throw new DiscernError('DISCERN_BAD_MAPPING', `the mapping ${o.mapping} is not valid JSON`, {
          file: o.mapping,
        });
      }
    }
    const onset = num('--onset-rate', o.onsetRate);
    const runaway = num('--runaway-rate', o.runawayRate);
    const windowS = num('--window-s', o.windowS);
    const sustainS = num('--sustain-s', o.sustainS);
    const options: ArcReportOptions = {
      ...(onset !== undefined ? { onsetRateDegCPerMin: onset } : {}),
      ...(runaway !== undefined ? { runawayRateDegCPerS: runaway } : {}),
      ...(windowS !== undefined ? { windowS } : {}),
      ...(sustainS !== undefined ? { sustainS } : {}),
      ...(o.rateSource !== undefined ? { rateSource: o.rateSource as 'temperature' | 'instrument' } : {}),
      ...(mapping !== undefined ? { mapping } : {}),
      ...(o.db !== undefined ? { db: o.db } : {}),
      ...(o.tz !== undefined ? { timeZone: o.tz } : {}),
      ...(o.format !== undefined ? { format: o.format } : {}),
    };
    const { source, result: r } = await arcReport(ref, options);
    const summary = {
      T1_degC: r.t1DegC,
      T2_degC: r.t2DegC,
      T3_degC: r.t3DegC,
      t_T1_to_T2_s: r.tT1ToT2S,
      max_rate_degC_per_s: r.maxRateDegCPerS,
      t_T1_s: r.t1TimeS,
      t_T2_s: r.t2TimeS,
      t_T3_s: r.t3TimeS,
      temperature_at_max_rate_degC: r.maxRateTemperatureDegC,
      onset_rate_degC_per_min: r.onsetRateDegCPerMin,
      runaway_rate_degC_per_s: r.runawayRateDegCPerS,
      phases_used: r.phasesUsed,
      notes: r.notes,
    };
    const subject =
      source.kind === 'file' ? { file: source.path } : { test: { id: source.id, name: source.name } };
    if (o.json) {
      printJson({
        ...subject,
        ...summary,
        ...(o.series
          ? {
              series: {
                time_s: r.series.timeS,
                temperature_degC: r.series.temperatureDegC,
                rate_degC_per_s: r.series.rateDegCPerS,
                log10_rate_degC_per_min: r.series.log10RateDegCPerMin,
              },
            }
          : {}),
      });
    } else {
      printTable(
        Object.entries(summary)
          .filter(([k]) => k !== 'notes')
          .map(([quantity, value]) => ({ quantity, value })),
      );
      for (const n of r.notes) process.stderr.write(`note: ${n}\n`);
    }
  } catch (e) {
    reportError(e, o.json === true);
  }
}

interface AddOpts {
  file?: string;
  sample?: string;
  cellModel?: string;
  type?: string;
  level?: string;
  date?: string;
  lab?: string;
  soc?: string;
  temperature?: string;
  cRate?: string;
  current?: string;
  forceKn?: string;
  deformationPct?: string;
  nailDiameterMm?: string;
  nailSpeedMmS?: string;
  shortMohm?: string;
  heatingRate?: string;
  holdTemperature?: string;
  holdS?: string;
  chargeLimitV?: string;
  observed?: string;
  unknown?: string;
  maxTemp?: string;
  ocvBefore?: string;
  ocvAfter?: string;
  massBeforeG?: string;
  massAfterG?: string;
  electrolyteG?: string;
  massLossPct?: string;
  observationS?: string;
  warningDelayS?: string;
  eucar?: string;
  attach?: string[];
  test?: string;
  notes?: string;
  db?: string;
  json?: boolean;
}

const prune = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

function listOf(flag: string, v: string | undefined): string[] {
  if (v === undefined || v.trim() === '' || v.trim() === 'none') return [];
  const out = v.split(',').map((s) => s.trim());
  for (const k of out)
    if (!(OBSERVATION_KEYS as readonly string[]).includes(k))
      throw new DiscernError(
        'DISCERN_BAD_ARGUMENT',
        `${flag}: "${k}" is not one of ${OBSERVATION_KEYS.join(', ')}`,
      );
  return out;
}

/** One record from the command-line flags. */
function recordFromFlags(o: AddOpts): AbuseRecord {
  let observations: Record<string, boolean> = {};
  if (o.observed !== undefined) {
    const seen = listOf('--observed', o.observed);
    const unknown = listOf('--unknown', o.unknown);
    observations = Object.fromEntries(
      OBSERVATION_KEYS.filter((k) => !unknown.includes(k)).map((k) => [k, seen.includes(k)]),
    );
  }
  return validateAbuseRecord(
    prune({
      sample: o.sample,
      cell_model: o.cellModel,
      test_type: o.type,
      level: o.level,
      date: o.date,
      lab: o.lab,
      conditions: prune({
        soc_pct: num('--soc', o.soc),
        temperature_degC: num('--temperature', o.temperature),
        c_rate: num('--c-rate', o.cRate),
        current_A: num('--current', o.current),
        force_kN: num('--force-kn', o.forceKn),
        deformation_pct: num('--deformation-pct', o.deformationPct),
        nail_diameter_mm: num('--nail-diameter-mm', o.nailDiameterMm),
        nail_speed_mm_per_s: num('--nail-speed-mm-s', o.nailSpeedMmS),
        short_resistance_mOhm: num('--short-mohm', o.shortMohm),
        heating_rate_degC_per_min: num('--heating-rate', o.heatingRate),
        hold_temperature_degC: num('--hold-temperature', o.holdTemperature),
        hold_s: num('--hold-s', o.holdS),
        charge_limit_V: num('--charge-limit-v', o.chargeLimitV),
      }),
      observations,
      results: prune({
        max_temperature_degC: num('--max-temp', o.maxTemp),
        ocv_before_V: num('--ocv-before', o.ocvBefore),
        ocv_after_V: num('--ocv-after', o.ocvAfter),
        mass_before_g: num('--mass-before-g', o.massBeforeG),
        mass_after_g: num('--mass-after-g', o.massAfterG),
        electrolyte_mass_g: num('--electrolyte-g', o.electrolyteG),
        mass_loss_pct: num('--mass-loss-pct', o.massLossPct),
        observation_s: num('--observation-s', o.observationS),
        warning_delay_s: num('--warning-delay-s', o.warningDelayS),
      }),
      eucar_level: num('--eucar', o.eucar),
      attachments: o.attach,
      test: o.test,
      notes: o.notes,
    }),
    'command line',
  );
}

/**
 * `discern arc TEST` (ARC characteristic temperatures) and `discern abuse add|list|worst|eucar`
 * (abuse test records, EUCAR hazard levels, pass/fail per standard).
 */
export function registerAbuseCommands(program: Command): void {
  program
    .command('arc')
    .description('ARC run: self-heating onset T1, runaway trigger T2, maximum T3, time T1->T2, max rate')
    .argument('<test>', 'stored test id or name, or the path of an ARC export (analysed without storing)')
    .option('--onset-rate <degC/min>', 'self-heating onset threshold (default 0.02 degC/min)')
    .option('--runaway-rate <degC/s>', 'thermal-runaway trigger threshold (default 1 degC/s)')
    .option('--window-s <s>', 'time window of the rate fit (default 600 s)')
    .option('--sustain-s <s>', 'how long the onset must hold (default 600 s)')
    .option('--rate-source <which>', 'temperature (default: dT/dt from the temperature) or instrument')
    .option('--mapping <file>', 'JSON column mapping: read TEST with the generic CSV reader')
    .option('--db <file>', 'DuckDB file (default: $DISCERN_DB or ./discern.duckdb)')
    .option('--tz <zone>', 'IANA time zone of local times when TEST is a file')
    .option('--format <id>', 'force a reader when TEST is a file')
    .option('--series', 'with --json: add the plot series (time, temperature, rate, log10 rate)')
    .option('--json', 'print JSON')
    .action(arcCommand);

  const abuse = program
    .command('abuse')
    .description('Abuse test records: EUCAR hazard levels, pass/fail per standard');
  abuse
    .command('add')
    .description('Store abuse test records from a YAML/JSON file or from flags')
    .option('--file <records>', 'YAML or JSON file with one record, a list, or {records: [...]}')
    .option('--sample <serial>', 'sample serial')
    .option('--cell-model <id>', 'cell model (needed when the sample is not in the catalogue)')
    .option('--type <type>', `test type: ${ABUSE_TEST_TYPES.join(', ')}`)
    .option('--level <level>', 'cell (default), module or pack')
    .option('--date <YYYY-MM-DD>', 'test date')
    .option('--lab <name>', 'laboratory')
    .option('--soc <pct>', 'state of charge, %')
    .option('--temperature <degC>', 'test temperature, degC')
    .option('--c-rate <C>', 'charge/discharge rate, C')
    .option('--current <A>', 'current, A')
    .option('--force-kn <kN>', 'crush force, kN')
    .option('--deformation-pct <pct>', 'crush deformation, %')
    .option('--nail-diameter-mm <mm>', 'nail diameter, mm')
    .option('--nail-speed-mm-s <mm/s>', 'nail speed, mm/s')
    .option('--short-mohm <mOhm>', 'external short resistance, mOhm')
    .option('--heating-rate <degC/min>', 'thermal ramp rate, degC/min')
    .option('--hold-temperature <degC>', 'hot box hold temperature, degC')
    .option('--hold-s <s>', 'hold time, s')
    .option('--charge-limit-v <V>', 'overcharge voltage limit, V')
    .option(
      '--observed <list>',
      `what was seen (${OBSERVATION_KEYS.join(', ')}) or "none"; the rest counts as not seen`,
    )
    .option('--unknown <list>', 'observations that were not recorded (with --observed)')
    .option('--max-temp <degC>', 'maximum (case) temperature, degC')
    .option('--ocv-before <V>', 'open-circuit voltage before, V')
    .option('--ocv-after <V>', 'open-circuit voltage after, V')
    .option('--mass-before-g <g>', 'cell mass before, g')
    .option('--mass-after-g <g>', 'cell mass after, g')
    .option('--electrolyte-g <g>', 'electrolyte mass of the cell, g')
    .option('--mass-loss-pct <pct>', 'mass loss, % of the cell mass')
    .option('--observation-s <s>', 'how long the sample was observed after the test, s')
    .option('--warning-delay-s <s>', 'thermal propagation: warning signal after the runaway, s')
    .option('--eucar <level>', 'EUCAR level as graded by the lab (default: derived from the observations)')
    .option('--attach <path-or-url>', 'photo or video (repeatable)', (v: string, acc: string[] = []) => [
      ...acc,
      v,
    ])
    .option('--test <id-or-name>', 'stored test (e.g. the voltage and temperature log) of this abuse test')
    .option('--notes <text>', 'free text')
    .option('--db <file>', 'DuckDB file (default: $DISCERN_DB or ./discern.duckdb)')
    .option('--json', 'print JSON')
    .action(async (o: AddOpts) => {
      try {
        const records =
          o.file !== undefined
            ? parseAbuseRecords(readText(o.file, 'records file'), o.file)
            : [recordFromFlags(o)];
        const stored = await withStore(resolveDbPath(o.db), (store) => addAbuseRecords(store, records));
        const rows = stored.map(({ abuseId, record, evaluation: e }) => ({
          abuse_id: abuseId,
          sample: record.sample,
          test_type: record.test_type,
          eucar_level: e.eucarLevel,
          eucar_name: e.eucarName,
          eucar_source: e.eucarSource,
          eucar_derived: e.eucarDerived.level,
          voltage_drop_V: e.voltageDropV,
          mass_loss_pct: e.massLossPct,
          electrolyte_mass_loss_pct: e.electrolyteMassLossPct,
          verdicts: e.standards,
          warnings: e.warnings,
        }));
        if (o.json) printJson(rows);
        else {
          printTable(
            rows.map((r) => ({
              ...r,
              verdicts: r.verdicts
                .filter((v) => v.verdict !== 'not-applicable')
                .map((v) => `${v.standard} ${v.clause}: ${v.verdict}`)
                .join('; '),
            })),
            ['abuse_id', 'sample', 'test_type', 'eucar_level', 'eucar_name', 'eucar_source', 'verdicts'],
          );
          for (const r of rows)
            for (const w of r.warnings) process.stderr.write(`warning (${r.abuse_id}): ${w}\n`);
        }
      } catch (e) {
        reportError(e, o.json === true);
      }
    });

  abuse
    .command('list')
    .description('Stored abuse test records')
    .option('--cell-model <id>', 'only this cell model')
    .option('--sample <serial>', 'only this sample')
    .option('--type <type>', 'only this test type')
    .option('--db <file>', 'DuckDB file (default: $DISCERN_DB or ./discern.duckdb)')
    .option('--json', 'print JSON')
    .action(
      async (o: { cellModel?: string; sample?: string; type?: string; db?: string; json?: boolean }) => {
        try {
          const rows = await withStore(resolveDbPath(o.db), (store) =>
            listAbuseRecords(store, {
              ...(o.cellModel !== undefined ? { cellModel: o.cellModel } : {}),
              ...(o.sample !== undefined ? { sample: o.sample } : {}),
              ...(o.type !== undefined ? { testType: o.type } : {}),
            }),
          );
          if (o.json) printJson(rows);
          else
            printTable(
              rows.map((r) => ({
                ...r,
                verdicts: r.verdicts
                  .filter((v) => v.verdict !== 'not-applicable')
                  .map((v) => `${v.standard}: ${v.verdict}`)
                  .join('; '),
              })),
              [
                'abuseId',
                'sample',
                'cellModel',
                'testType',
                'date',
                'eucarLevel',
                'maxTemperatureDegC',
                'verdicts',
              ],
            );
        } catch (e) {
          reportError(e, o.json === true);
        }
      },
    );

  abuse
    .command('worst')
    .description('Worst EUCAR hazard level per cell model')
    .option('--db <file>', 'DuckDB file (default: $DISCERN_DB or ./discern.duckdb)')
    .option('--json', 'print JSON')
    .action(async (o: { db?: string; json?: boolean }) => {
      try {
        const map = await withStore(resolveDbPath(o.db), worstHazardLevelByCellModel);
        const rows = [...map.values()];
        if (o.json) printJson(rows);
        else
          printTable(
            rows.map((r) => ({ ...r, abuseIds: r.abuseIds.join(','), testTypes: r.testTypes.join(',') })),
          );
      } catch (e) {
        reportError(e, o.json === true);
      }
    });

  abuse
    .command('eucar')
    .description('The EUCAR hazard levels 0-7 and their criteria')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) => {
      if (o.json) printJson(EUCAR_LEVELS);
      else printTable(EUCAR_LEVELS as unknown as Record<string, unknown>[]);
    });
}

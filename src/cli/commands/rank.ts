import type { Command } from 'commander';
import { CRITERIA } from '../../arbiter/rank.js';
import { rankProgramme, type ProgrammeRanking } from '../../app/rank.js';
import { writeCellReport } from '../../app/report.js';
import { printJson, printTable, reportError } from '../output.js';

const round = (v: number | null | undefined, digits: number): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(digits);

/** The text view of a ranking: the table, the Pareto front and the weight sensitivity. */
function printRanking(r: ProgrammeRanking): void {
  const byId = new Map(r.candidates.map((c) => [c.candidate.id, c]));
  process.stdout.write(
    `${r.programme.name}: ${r.programme.voltageClass} V, ${r.programme.usableEnergyKWh} kWh usable, ` +
      `vehicle ${r.vehicle.id}, charger ${r.charger}, cycle ${r.cycle}; candidates from the ${r.source}\n` +
      `reference pack ${r.referencePackMassKg.toFixed(0)} kg (${r.referencePackMassSource})\n\n`,
  );
  const rows = r.ranking.rows.map((row) => {
    const c = byId.get(row.id)!;
    const p = c.projection;
    return {
      rank: String(row.rank),
      cell: row.id,
      chemistry: c.chemistry,
      score: round(row.score, 3),
      ok: row.feasible ? 'yes' : 'no',
      pareto: row.pareto ? 'yes' : '',
      layout: p ? `${p.series}s${p.parallel}p` : '-',
      pack_kWh: round(p?.nominalEnergyKWh, 1),
      pack_kg: round(p?.massKg, 0),
      pack_L: round(p?.volumeL, 0),
      Wh_per_kg: round(p?.specificEnergyWhPerKg, 0),
      cost_EUR: round(p?.costEur, 0),
      wltc_km: round(p?.range?.rangeKm, 0),
      min_10_80: round(p?.charge?.minutes, 1),
      measured: `${CRITERIA.filter((k) => c.candidate.values[k]?.basis === 'measured').length}/${CRITERIA.length}`,
    };
  });
  printTable(rows);
  process.stdout.write(`\nPareto front: ${r.ranking.paretoFront.join(', ')}\n`);
  const flagged = r.ranking.rows.filter((row) => row.flags.length > 0);
  if (flagged.length > 0) {
    process.stdout.write('\nFlags:\n');
    for (const row of flagged) process.stdout.write(`  ${row.id}: ${row.flags.join('; ')}\n`);
  }
  process.stdout.write(
    `\nWeight sensitivity (each weight x0.5 and x1.5): top choice ${r.ranking.sensitivity.topStable ? 'stable' : 'changes'}\n`,
  );
  printTable(
    r.ranking.sensitivity.summary.map((s) => ({
      cell: s.id,
      rank: s.baseRank,
      best: s.bestRank,
      worst: s.worstRank,
      max_change: s.maxChange,
    })),
  );
}

/** `discern rank PROGRAMME` and `discern report CELLMODEL --out FILE`. */
export function registerRankCommands(program: Command): void {
  program
    .command('rank')
    .description('Rank candidate cells for a vehicle programme: pack projection, WLTC range, 10-80 % time')
    .argument('<programme>', 'programme file (YAML or JSON; see examples/programmes)')
    .option('--db <file>', 'DuckDB file (default: $DISCERN_DB or ./discern.duckdb)')
    .option(
      '--catalogue <file>',
      'rank the cell models of a catalogue file (claims only) instead of the store',
    )
    .option('--cycle <name|file>', 'drive cycle for the range (default wltc3b)')
    .option('--json', 'print JSON')
    .action(async (path: string, o: { db?: string; catalogue?: string; cycle?: string; json?: boolean }) => {
      try {
        const r = await rankProgramme(path, {
          ...(o.db !== undefined ? { db: o.db } : {}),
          ...(o.catalogue !== undefined ? { catalogue: o.catalogue } : {}),
          ...(o.cycle !== undefined ? { cycle: o.cycle } : {}),
        });
        if (o.json) printJson(r);
        else printRanking(r);
      } catch (e) {
        reportError(e, o.json === true);
      }
    });

  program
    .command('report')
    .description('Per-cell-model report: claims against measurements, plots, consistency, maturity, passport')
    .argument('<cellmodel>', 'cell model id')
    .requiredOption('--out <file>', 'output file: .html, or .pdf (printed by Chromium)')
    .option('--db <file>', 'DuckDB file (default: $DISCERN_DB or ./discern.duckdb)')
    .option('--chromium <path>', 'Chromium executable for PDF (default /usr/bin/chromium)')
    .option('--json', 'print the result as JSON')
    .action(async (id: string, o: { out: string; db?: string; chromium?: string; json?: boolean }) => {
      try {
        const r = await writeCellReport(id, o.out, {
          ...(o.db !== undefined ? { db: o.db } : {}),
          ...(o.chromium !== undefined ? { chromium: o.chromium } : {}),
        });
        if (o.json) printJson(r);
        else process.stdout.write(`wrote ${r.out} (${r.format}, ${r.bytes} bytes)\n`);
      } catch (e) {
        reportError(e, o.json === true);
      }
    });
}

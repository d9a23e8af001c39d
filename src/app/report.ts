import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { ClaimVerdict } from '../arbiter/claims.js';
import { renderCellReport, type CellReportData, type ReportClaimRow } from '../arbiter/report-html.js';
import { consistency } from '../arbiter/consistency.js';
import { DiscernError } from '../core/index.js';
import type { Store } from '../store/index.js';
import { evaluateClaims, loadModelEvidence, maturity, passport } from './catalogue.js';
import { htmlToPdf } from './report-pdf.js';
import { resolveDbPath, withStore } from './tests.js';

function conditionsText(c: Record<string, number | undefined> | undefined): string {
  if (!c) return '';
  const f: [string, (v: number) => string][] = [
    ['c_rate', (v) => `${v} C`],
    ['charge_c_rate', (v) => `charge ${v} C`],
    ['temperature_degC', (v) => `${v} degC`],
    ['dod_pct', (v) => `${v} % DoD`],
    ['soc_pct', (v) => `${v} % SOC`],
    ['pulse_s', (v) => `${v} s pulse`],
    ['eol_pct', (v) => `to ${v} %`],
  ];
  return f
    .filter(([k]) => c[k] !== undefined)
    .map(([k, t]) => t(c[k]!))
    .join(', ');
}

/** A claim verdict as a report row. */
export function claimRow(v: ClaimVerdict): ReportClaimRow {
  const m = v.measured;
  return {
    id: v.claim.id,
    kind: v.claim.kind,
    claimed: v.claim.value,
    unit: v.claim.unit,
    tolerancePct: v.claim.tolerance_pct ?? null,
    conditions: conditionsText(v.claim.conditions as Record<string, number | undefined> | undefined),
    verdict: v.verdict,
    measured: m.mean !== null && m.n > 0 ? { mean: m.mean, std: m.std ?? 0, n: m.n, unit: m.unit } : null,
    evidence: v.evidence.map((e) => ({ testId: e.test_id, sample: e.sample, value: e.value })),
    reason: v.reason,
  };
}

/** A maturity evidence value as text: objects as "key value" pairs (zero counts left out). */
function evidenceText(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (Array.isArray(v)) return v.map(evidenceText).join('; ');
  if (typeof v === 'object')
    return (
      Object.entries(v)
        .filter(([, x]) => x !== 0)
        .map(([k, x]) => `${k.replace(/_/g, ' ')} ${evidenceText(x)}`)
        .join(', ') || '-'
    );
  return String(v);
}

/** Gathers a cell model's report data from the store. @throws DISCERN_NOT_FOUND for an unknown model */
export async function cellReportData(
  store: Store,
  cellModelId: string,
  generatedAt: string,
): Promise<CellReportData> {
  const ev = await loadModelEvidence(store, cellModelId);
  const verdicts = await evaluateClaims(store, cellModelId);
  const mat = (await maturity(store, { cellModels: [cellModelId] })).find(
    (r) => r.scope === 'cell_model' && r.cell_model === cellModelId,
  );
  const pass = await passport(store, cellModelId);
  const m = ev.model;
  const notes: string[] = [];
  for (const t of ev.tests) for (const n of t.notes) notes.push(`test ${t.testId} (${t.sample}): ${n}`);
  return {
    generatedAt,
    model: {
      id: m.id,
      supplier: m.supplierName || m.supplier,
      chemistry: m.chemistry,
      format: m.format,
      nominalCapacityAh: m.nominalCapacityAh,
      nominalVoltageV: m.nominalVoltageV,
      voltageMinV: m.voltageMinV,
      voltageMaxV: m.voltageMaxV,
      massKg: m.massKg,
      volumeL: m.volumeL,
      costPerKWhEur: m.costPerKWhEur,
    },
    samples: ev.samples.map((s) => ({ serial: s.serial, batch: s.batch, state: s.state })),
    claims: verdicts.map(claimRow),
    fade: ev.tests
      .filter((t) => t.fade !== null && t.fade.cycles.length > 0)
      .map((t) => ({
        label: `${t.sample} · test ${t.testId}`,
        cycles: t.fade!.cycles,
        retentionPct: t.fade!.retention.map((r) => 100 * r),
      })),
    consistency: consistency(ev).map((c) => ({
      quantity: c.quantity,
      unit: c.unit,
      n: c.n,
      mean: c.mean,
      std: c.std,
      min: c.min,
      max: c.max,
      cpk: c.cpk,
      values: c.values,
    })),
    maturity: mat
      ? {
          level: mat.level,
          decidedBy: mat.decided_by,
          evidence: Object.entries(mat.evidence).map(
            ([k, v]) => `${k.replace(/_/g, ' ')}: ${evidenceText(v)}`,
          ),
        }
      : null,
    passport: pass,
    notes,
  };
}

/**
 * Writes an HTML page or, for a `.pdf` name, prints it with Chromium.
 * @throws DISCERN_BAD_ARGUMENT for another extension; DISCERN_IO, DISCERN_NOT_FOUND (no Chromium)
 */
export function writeReportFile(
  html: string,
  out: string,
  chromium?: string,
): { out: string; format: 'html' | 'pdf'; bytes: number } {
  const ext = extname(out).toLowerCase();
  if (ext === '.html' || ext === '.htm') {
    try {
      writeFileSync(out, html, 'utf8');
    } catch (e) {
      throw new DiscernError(
        'DISCERN_IO',
        `cannot write ${out}: ${e instanceof Error ? e.message : String(e)}`,
        {
          file: out,
        },
      );
    }
    return { out, format: 'html', bytes: Buffer.byteLength(html, 'utf8') };
  }
  if (ext === '.pdf') return { out, format: 'pdf', bytes: htmlToPdf(html, out, chromium) };
  throw new DiscernError('DISCERN_BAD_ARGUMENT', `--out must end in .html or .pdf (got ${out})`);
}

/**
 * `discern report CELLMODEL --out FILE.html|FILE.pdf`: the cell model's report from the store.
 * @throws DISCERN_NOT_FOUND for an unknown cell model; see {@link writeReportFile}
 */
export async function writeCellReport(
  cellModelId: string,
  out: string,
  options: { db?: string; chromium?: string; generatedAt?: string } = {},
): Promise<{ out: string; format: 'html' | 'pdf'; bytes: number }> {
  const ext = extname(out).toLowerCase();
  if (!['.html', '.htm', '.pdf'].includes(ext))
    throw new DiscernError('DISCERN_BAD_ARGUMENT', `--out must end in .html or .pdf (got ${out})`);
  const data = await withStore(resolveDbPath(options.db), (store) =>
    cellReportData(store, cellModelId, options.generatedAt ?? new Date().toISOString()),
  );
  return writeReportFile(renderCellReport(data), out, options.chromium);
}

import { escapeXml as esc, svgPlot, type PlotSeries } from './svg-plot.js';

/** One claim against our measurements, as the report shows it. */
export interface ReportClaimRow {
  id: string;
  kind: string;
  claimed: number;
  unit: string;
  tolerancePct: number | null;
  /** Conditions as text, e.g. "0.33 C, 25 degC". */
  conditions: string;
  verdict: string;
  measured: { mean: number; std: number; n: number; unit: string } | null;
  evidence: { testId: number | string; sample: string; value: number }[];
  reason: string;
}

/** Sample-to-sample spread of one quantity. */
export interface ReportConsistencyRow {
  quantity: string;
  unit: string;
  n: number;
  mean: number;
  std: number;
  min: number;
  max: number;
  /** Process capability against the tolerance, when one is stated. */
  cpk: number | null;
  /** Per-sample values, for the plot. */
  values?: { sample: string; value: number }[];
}

/** Capacity retention of one ageing test. */
export interface ReportFadeSeries {
  label: string;
  cycles: readonly number[];
  retentionPct: readonly number[];
}

/** Everything a cell-model report shows; built by src/app/report.ts from the store. */
export interface CellReportData {
  /** When the report was made, ISO 8601 with its offset (given, not read from a clock). */
  generatedAt: string;
  model: {
    id: string;
    supplier: string;
    chemistry: string;
    format: string;
    nominalCapacityAh: number;
    nominalVoltageV: number;
    voltageMinV: number;
    voltageMaxV: number;
    massKg: number | null;
    volumeL: number | null;
    costPerKWhEur: number | null;
    source?: string | null;
  };
  samples: { serial: string; batch: string | null; state: string }[];
  claims: ReportClaimRow[];
  fade: ReportFadeSeries[];
  consistency: ReportConsistencyRow[];
  maturity: { level: string; decidedBy: string; evidence: string[] } | null;
  /** The Annex IV passport JSON, shown as attribute/value rows. */
  passport: unknown;
  notes: string[];
}

/**
 * Number format of the report: up to 4 significant digits (integers ≥ 1000 in full), "-" when
 * missing. Tests use the same function to find numbers in the HTML.
 */
export function reportNumber(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '-';
  if (Math.abs(v) >= 1000) return v.toFixed(0);
  if (v === 0) return '0';
  return String(Number(v.toPrecision(4)));
}

const CSS = `
body{font-family:system-ui,sans-serif;margin:24px auto;max-width:980px;color:#222;line-height:1.4}
h1{font-size:22px;margin-bottom:4px}h2{font-size:17px;border-bottom:1px solid #ccc;padding-bottom:2px;margin-top:28px}
table{border-collapse:collapse;margin:8px 0;font-size:12.5px;width:100%}
th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.v-confirmed,.v-within_tolerance{background:#e6f4e6}.v-not_confirmed{background:#fff4d6}
.v-contradicted{background:#fbe0e0}.v-not_measured,.v-not_comparable{background:#f0f0f0}
.meta{color:#666;font-size:12px}.plot{margin:8px 0}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}.plot,table{break-inside:avoid}}
`;

function flatten(value: unknown, prefix = '', out: [string, string][] = []): [string, string][] {
  if (value === null || value === undefined) out.push([prefix, '-']);
  else if (Array.isArray(value)) value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  else if (typeof value === 'object')
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  else out.push([prefix, typeof value === 'number' ? reportNumber(value) : String(value)]);
  return out;
}

function table(head: string[], rows: string[][], numeric: boolean[] = []): string {
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c, i) => `<td${numeric[i] ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function claimsPlot(claims: readonly ReportClaimRow[]): string {
  const rows = claims.filter((c) => c.measured && c.measured.n > 0 && c.claimed !== 0);
  if (rows.length === 0) return '<p class="meta">No claim has a measurement yet.</p>';
  const x = rows.map((_, i) => i);
  const series: PlotSeries[] = [
    {
      name: 'claim ± tolerance',
      x,
      y: rows.map(() => 100),
      yError: rows.map((c) => c.tolerancePct ?? 0),
      style: 'dots',
    },
    {
      name: 'measured (± 1 std)',
      x,
      y: rows.map((c) => (100 * c.measured!.mean) / c.claimed),
      yError: rows.map((c) => (100 * c.measured!.std) / Math.abs(c.claimed)),
      style: 'dots',
    },
  ];
  return svgPlot(series, {
    title: 'Claims against measurements',
    xLabel: 'claim',
    yLabel: 'measured / claimed, %',
    xCategories: rows.map((c) => c.id),
    guides: [{ y: 100, label: 'claimed' }],
  });
}

function consistencyPlot(rows: readonly ReportConsistencyRow[]): string {
  const withValues = rows.filter((r) => r.values && r.values.length > 0 && r.mean !== 0);
  if (withValues.length === 0) return '';
  const series: PlotSeries[] = [
    {
      name: 'sample / mean',
      x: withValues.flatMap((r, i) => r.values!.map(() => i)),
      y: withValues.flatMap((r) => r.values!.map((v) => (100 * v.value) / r.mean)),
      style: 'dots',
    },
  ];
  return svgPlot(series, {
    title: 'Sample-to-sample consistency',
    xLabel: 'quantity',
    yLabel: 'sample value / mean, %',
    xCategories: withValues.map((r) => r.quantity),
    guides: [{ y: 100 }],
  });
}

/**
 * The per-cell-model report as one self-contained HTML page (inline CSS, inline SVG plots, no
 * script, no external resources): datasheet, claims against measurements with their evidence,
 * capacity fade, consistency, maturity and the Annex IV passport values. Pure.
 * @example renderCellReport(data).startsWith('<!DOCTYPE html>') // true
 */
export function renderCellReport(d: CellReportData): string {
  const m = d.model;
  const n = reportNumber;
  const parts: string[] = [];
  parts.push(
    `<h1>Cell model ${esc(m.id)}</h1>`,
    `<p class="meta">Supplier ${esc(m.supplier)} · ${esc(m.chemistry)} · ${esc(m.format)} · report generated ${esc(d.generatedAt)} by discern</p>`,
    '<h2>Datasheet</h2>',
    table(
      [
        'nominal capacity, Ah',
        'nominal voltage, V',
        'voltage window, V',
        'mass, kg',
        'volume, L',
        'cost, EUR/kWh',
        'source',
      ],
      [
        [
          n(m.nominalCapacityAh),
          n(m.nominalVoltageV),
          `${n(m.voltageMinV)} – ${n(m.voltageMaxV)}`,
          n(m.massKg),
          n(m.volumeL),
          n(m.costPerKWhEur),
          esc(m.source ?? '-'),
        ],
      ],
      [true, true, true, true, true, true, false],
    ),
    `<p class="meta">${d.samples.length} sample(s): ${d.samples.map((s) => `${esc(s.serial)} (${esc(s.state)}${s.batch ? `, batch ${esc(s.batch)}` : ''})`).join(', ') || '-'}</p>`,
  );
  parts.push(
    '<h2>Claims against measurements</h2>',
    table(
      [
        'claim',
        'kind',
        'claimed',
        'conditions',
        'measured mean',
        'std',
        'n',
        'verdict',
        'evidence',
        'reason',
      ],
      d.claims.map((c) => [
        esc(c.id),
        esc(c.kind),
        `${n(c.claimed)} ${esc(c.unit)}${c.tolerancePct !== null ? ` ± ${n(c.tolerancePct)} %` : ''}`,
        esc(c.conditions || '-'),
        c.measured ? `${n(c.measured.mean)} ${esc(c.measured.unit)}` : '-',
        c.measured ? n(c.measured.std) : '-',
        c.measured ? String(c.measured.n) : '0',
        `<span class="v-${esc(c.verdict)}">${esc(c.verdict.replace(/_/g, ' '))}</span>`,
        c.evidence
          .map((e) => `test ${esc(String(e.testId))} / ${esc(e.sample)}: ${n(e.value)}`)
          .join('<br>') || '-',
        esc(c.reason),
      ]),
      [false, false, true, false, true, true, true, false, false, false],
    ),
    `<div class="plot">${claimsPlot(d.claims)}</div>`,
  );
  parts.push('<h2>Capacity fade</h2>');
  if (d.fade.length === 0) parts.push('<p class="meta">No ageing test linked to this cell model yet.</p>');
  else
    parts.push(
      `<div class="plot">${svgPlot(
        d.fade.map((f) => ({ name: f.label, x: f.cycles, y: f.retentionPct })),
        {
          title: 'Capacity retention',
          xLabel: 'ageing cycle',
          yLabel: 'retention, %',
          guides: [{ y: 80, label: '80 % (end of life)' }],
        },
      )}</div>`,
      table(
        ['test', 'cycles', 'last retention, %'],
        d.fade.map((f) => [
          esc(f.label),
          String(f.cycles.length),
          n(f.retentionPct[f.retentionPct.length - 1]),
        ]),
        [false, true, true],
      ),
    );
  parts.push('<h2>Consistency</h2>');
  if (d.consistency.length === 0) parts.push('<p class="meta">Not enough samples measured.</p>');
  else
    parts.push(
      table(
        ['quantity', 'unit', 'n', 'mean', 'std', 'CV, %', 'min', 'max', 'Cpk'],
        d.consistency.map((r) => [
          esc(r.quantity),
          esc(r.unit),
          String(r.n),
          n(r.mean),
          n(r.std),
          n(r.mean !== 0 ? (100 * r.std) / Math.abs(r.mean) : null),
          n(r.min),
          n(r.max),
          n(r.cpk),
        ]),
        [false, false, true, true, true, true, true, true, true],
      ),
      `<div class="plot">${consistencyPlot(d.consistency)}</div>`,
    );
  parts.push('<h2>Maturity</h2>');
  parts.push(
    d.maturity
      ? `<p><strong>${esc(d.maturity.level)}</strong> — decided by: ${esc(d.maturity.decidedBy)}</p>${
          d.maturity.evidence.length
            ? `<ul>${d.maturity.evidence.map((e) => `<li>${esc(e)}</li>`).join('')}</ul>`
            : ''
        }`
      : '<p class="meta">No maturity verdict.</p>',
  );
  parts.push('<h2>Battery passport (EU 2023/1542 Annex IV)</h2>');
  const pp = d.passport === null || d.passport === undefined ? [] : flatten(d.passport);
  parts.push(
    pp.length === 0
      ? '<p class="meta">No passport values.</p>'
      : table(
          ['attribute', 'value'],
          pp.map(([k, v]) => [esc(k), esc(v)]),
          [false, true],
        ),
  );
  if (d.notes.length)
    parts.push('<h2>Notes</h2>', `<ul>${d.notes.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>discern report: ${esc(m.id)}</title>
<style>${CSS}</style></head>
<body>
${parts.join('\n')}
</body></html>
`;
}

import { Fragment, useState, type ReactNode } from 'react';
import type { Overview } from '../api';
import { ErrorBox, fmt, Loading, Panel } from '../components';
import { navigate, type Route } from '../router';
import { useApi } from '../use-api';

/** One verdict of GET /api/claims (evaluateClaims of the arbiter). */
interface ClaimVerdict {
  claim:
    | {
        id?: string;
        kind?: string;
        value?: number;
        unit?: string;
        tolerance_pct?: number;
        conditions?: Record<string, unknown>;
      }
    | string;
  verdict: string;
  measured?: {
    mean?: number | null;
    std?: number | null;
    n?: number;
    unit?: string;
    low?: number | null;
    high?: number | null;
    lower_bound?: boolean;
  } | null;
  evidence?: {
    test_id?: number;
    test?: string;
    sample?: string;
    value?: number | null;
    conditions?: Record<string, unknown>;
  }[];
  rule?: string;
  reason?: string;
  assumed?: string[];
}
/** One row of GET /api/maturity. */
interface MaturityRow {
  scope?: string;
  cell_model?: string | null;
  supplier?: string | null;
  chemistry?: string;
  level: string;
  decided_by?: string;
  evidence?: unknown;
}

function list<T>(v: unknown, key: string): T[] {
  if (Array.isArray(v)) return v as T[];
  const inner = (v as Record<string, unknown> | undefined)?.[key];
  return Array.isArray(inner) ? (inner as T[]) : [];
}

function conditionsText(c: Record<string, unknown> | undefined): string {
  if (!c) return '';
  return Object.entries(c)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');
}

function evidenceText(e: unknown): string {
  if (e === null || e === undefined) return '';
  if (typeof e === 'number') return fmt(e);
  if (typeof e !== 'object') return String(e);
  if (Array.isArray(e))
    return e
      .map((x) => {
        const o = x as Record<string, unknown>;
        return o['cell_model'] !== undefined
          ? `${String(o['cell_model'])} ${String(o['level'] ?? '')}`.trim()
          : evidenceText(x);
      })
      .join(', ');
  return Object.entries(e as Record<string, unknown>)
    .filter(([, v]) => v !== null && v !== undefined && v !== 0)
    .map(
      ([k, v]) =>
        `${k.replace(/_/g, ' ')}: ${typeof v === 'object' ? evidenceText(v) : typeof v === 'number' ? fmt(v) : String(v)}`,
    )
    .join(' · ');
}

function Maturity(): ReactNode {
  const { data, error, loading } = useApi<unknown>('/api/maturity');
  if (error !== undefined) return <ErrorBox error={error} feature="Maturity" />;
  if (loading) return <Loading what="maturity" />;
  const rows = Array.isArray(data) ? (data as MaturityRow[]) : list<MaturityRow>(data, 'rows');
  if (rows.length === 0) return <p className="muted">No cell models to judge.</p>;
  return (
    <table className="grid-table" data-testid="maturity-table">
      <thead>
        <tr>
          <th>cell model / technology</th>
          <th>level</th>
          <th>decided by</th>
          <th>evidence</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, k) => (
          <tr key={k}>
            <td>
              {r.cell_model ? (
                <a href={`#/claims?cell_model=${encodeURIComponent(r.cell_model)}`}>{r.cell_model}</a>
              ) : (
                (r.chemistry ?? '–')
              )}
            </td>
            <td>
              <span className={`badge level-${r.level}`}>{r.level}</span>
            </td>
            <td>{r.decided_by ?? ''}</td>
            <td className="small">{evidenceText(r.evidence)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Claims({ cellModel }: { cellModel: string }): ReactNode {
  const { data, error, loading } = useApi<unknown>(`/api/claims?cell_model=${encodeURIComponent(cellModel)}`);
  const [open, setOpen] = useState<number | null>(null);
  if (error !== undefined) return <ErrorBox error={error} feature="Claims" />;
  if (loading) return <Loading what="claims" />;
  const rows = list<ClaimVerdict>(data, 'verdicts');
  if (rows.length === 0) return <p className="muted">This cell model has no claims.</p>;
  return (
    <table className="grid-table" data-testid="claims-table">
      <thead>
        <tr>
          <th>claim</th>
          <th>conditions</th>
          <th className="num">claimed</th>
          <th className="num">measured (mean ± sd)</th>
          <th className="num">n</th>
          <th>verdict</th>
          <th>evidence</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((v, k) => {
          const c = typeof v.claim === 'string' ? { id: v.claim } : v.claim;
          const ev = v.evidence ?? [];
          const unit = c.unit ?? v.measured?.unit ?? '';
          return (
            <Fragment key={k}>
              <tr>
                <td>
                  {c.id ?? c.kind}
                  {c.kind && c.id ? <span className="muted"> ({c.kind})</span> : null}
                </td>
                <td className="small">{conditionsText(c.conditions)}</td>
                <td className="num">
                  {fmt(c.value)} {unit}
                  {c.tolerance_pct !== undefined ? (
                    <span className="muted"> ±{c.tolerance_pct} %</span>
                  ) : null}
                </td>
                <td className="num">
                  {v.measured?.mean !== undefined && v.measured?.mean !== null
                    ? `${fmt(v.measured.mean)}${v.measured.std !== undefined && v.measured.std !== null ? ` ± ${fmt(v.measured.std, 2)}` : ''} ${v.measured.unit ?? unit}`
                    : '–'}
                </td>
                <td className="num">{v.measured?.n ?? 0}</td>
                <td>
                  <span className={`badge verdict-${v.verdict}`}>{v.verdict.replace(/_/g, ' ')}</span>
                </td>
                <td>
                  {ev.length > 0 || v.reason ? (
                    <button type="button" className="link" onClick={() => setOpen(open === k ? null : k)}>
                      {open === k ? 'hide' : `${ev.length} test${ev.length === 1 ? '' : 's'}`}
                    </button>
                  ) : (
                    '–'
                  )}
                </td>
              </tr>
              {open === k ? (
                <tr className="evidence">
                  <td colSpan={7}>
                    {v.reason ? (
                      <p>
                        {v.reason}
                        {v.rule ? <span className="muted"> (rule: {v.rule})</span> : null}
                      </p>
                    ) : null}
                    {v.measured?.low !== undefined && v.measured.low !== null ? (
                      <p className="muted">
                        95 % interval {fmt(v.measured.low)} … {fmt(v.measured.high)} {v.measured.unit ?? unit}
                        {v.measured.lower_bound ? ' (lower bound: no sample has reached end of life)' : ''}
                      </p>
                    ) : null}
                    {v.assumed && v.assumed.length > 0 ? (
                      <p className="muted">assumed reference conditions: {v.assumed.join(', ')}</p>
                    ) : null}
                    <ul>
                      {ev.map((e, j) => (
                        <li key={j}>
                          {e.test_id !== undefined ? (
                            <a href={`#/tests/${e.test_id}`}>
                              test #{e.test_id} {e.test ?? ''}
                            </a>
                          ) : (
                            'test'
                          )}
                          {e.sample ? ` · sample ${e.sample}` : ''} · {fmt(e.value)}{' '}
                          {v.measured?.unit ?? unit}
                          {e.conditions ? (
                            <span className="muted"> · {conditionsText(e.conditions)}</span>
                          ) : null}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ) : null}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}

/** Claims against measurements (verdicts with their evidence) and maturity per cell model. */
export function ClaimsPage({ route }: { route: Route }): ReactNode {
  const cellModel = route.query.get('cell_model') ?? '';
  const overview = useApi<Overview>('/api/overview');
  const models = overview.data?.cell_models ?? [];
  return (
    <div className="claims">
      <Panel title="Maturity">
        <Maturity />
      </Panel>
      <Panel
        title={cellModel ? `Claims of ${cellModel}` : 'Claims against measurements'}
        right={
          <span className="inline">
            <select
              value={cellModel}
              onChange={(e) => navigate(`/claims?cell_model=${encodeURIComponent(e.target.value)}`)}
              aria-label="cell model"
            >
              <option value="">cell model…</option>
              {models.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.id} {m.supplier ? `(${m.supplier})` : ''}
                </option>
              ))}
            </select>
            {cellModel ? (
              <a
                className="button"
                href={`/api/reports/${encodeURIComponent(cellModel)}.html`}
                target="_blank"
                rel="noreferrer"
              >
                Download report
              </a>
            ) : null}
          </span>
        }
      >
        {cellModel ? (
          <Claims cellModel={cellModel} />
        ) : (
          <p className="muted">Pick a cell model to see its datasheet claims against the measurements.</p>
        )}
      </Panel>
    </div>
  );
}

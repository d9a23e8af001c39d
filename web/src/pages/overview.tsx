import { useMemo, useState, type ReactNode } from 'react';
import { warningCount, type Me, type Overview, type TestSummary } from '../api';
import { ErrorBox, fmt, Loading, Panel } from '../components';
import { navigate } from '../router';
import { useApi } from '../use-api';

function matches(q: string, ...fields: unknown[]): boolean {
  if (q === '') return true;
  return fields.some((f) => f !== null && f !== undefined && String(f).toLowerCase().includes(q));
}

function startText(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '–';
  return new Date(s * 1000).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

/** Lab overview: suppliers, cell models, samples and tests the user may see, with a filter. */
export function OverviewPage({ me }: { me: Me }): ReactNode {
  const { data, error, loading } = useApi<Overview>('/api/overview');
  const [filter, setFilter] = useState('');
  const [kind, setKind] = useState('');
  const [picked, setPicked] = useState<number[]>([]);
  const q = filter.trim().toLowerCase();

  const tests = useMemo(
    () =>
      (data?.tests ?? []).filter(
        (t: TestSummary) =>
          (kind === '' || t.kind === kind) &&
          matches(q, t.name, t.format, t.vendor, t.kind, t.sample, t.cell_model, t.supplier, t.test_id),
      ),
    [data, q, kind],
  );
  if (error !== undefined) return <ErrorBox error={error} />;
  if (loading || !data) return <Loading what="the lab" />;
  const kinds = [...new Set(data.tests.map((t) => t.kind))].sort();
  const models = data.cell_models.filter((c) => matches(q, c.id, c.supplier, c.chemistry, c.format));
  const samples = data.samples.filter((s) => matches(q, s.serial, s.cell_model, s.state));
  const suppliers = data.suppliers.filter((s) => matches(q, s.id, s.name));
  const toggle = (id: number): void =>
    setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));

  return (
    <div className="overview">
      <div className="toolbar">
        <input
          type="search"
          placeholder="Filter by name, supplier, cell model, sample, format…"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          className="filter"
          aria-label="filter"
        />
        <select value={kind} onChange={(e) => setKind(e.target.value)} aria-label="kind">
          <option value="">all kinds</option>
          {kinds.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
        <button
          type="button"
          disabled={picked.length < 2}
          onClick={() => navigate(`/compare?tests=${picked.join(',')}`)}
        >
          Compare {picked.length > 0 ? picked.length : ''} selected
        </button>
        <span className="muted">
          {me.suppliers === '*'
            ? 'all suppliers'
            : `suppliers granted: ${me.suppliers.length === 0 ? 'none' : me.suppliers.join(', ')}`}
        </span>
      </div>

      <Panel title={`Tests (${tests.length})`}>
        <table className="grid-table" data-testid="tests-table">
          <thead>
            <tr>
              <th />
              <th>id</th>
              <th>name</th>
              <th>kind</th>
              <th>format</th>
              <th className="num">rows</th>
              <th className="num">cycles</th>
              <th>sample</th>
              <th>cell model</th>
              <th>supplier</th>
              <th>start</th>
              <th>status</th>
            </tr>
          </thead>
          <tbody>
            {tests.map((t) => {
              const w = warningCount(t.warnings);
              return (
                <tr key={t.test_id}>
                  <td>
                    <input
                      type="checkbox"
                      checked={picked.includes(t.test_id)}
                      onChange={() => toggle(t.test_id)}
                      aria-label={`select ${t.name}`}
                    />
                  </td>
                  <td className="num">{t.test_id}</td>
                  <td>
                    <a href={`#/tests/${t.test_id}`}>{t.name}</a>
                  </td>
                  <td>{t.kind}</td>
                  <td>{t.format}</td>
                  <td className="num">{fmt(t.rows)}</td>
                  <td className="num">{fmt(t.cycles)}</td>
                  <td>{t.sample ?? '–'}</td>
                  <td>
                    {t.cell_model ? (
                      <a href={`#/claims?cell_model=${encodeURIComponent(t.cell_model)}`}>{t.cell_model}</a>
                    ) : (
                      '–'
                    )}
                  </td>
                  <td>{t.supplier ?? '–'}</td>
                  <td>{startText(t.start_unix_s)}</td>
                  <td>
                    {w > 0 ? (
                      <span className="badge warn">
                        {w} warning{w > 1 ? 's' : ''}
                      </span>
                    ) : (
                      <span className="badge ok">ok</span>
                    )}
                  </td>
                </tr>
              );
            })}
            {tests.length === 0 ? (
              <tr>
                <td colSpan={12} className="muted">
                  No tests{q ? ' match the filter' : ' yet'}. <a href="#/upload">Upload files</a>
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </Panel>

      <div className="cols">
        <Panel title={`Suppliers (${suppliers.length})`}>
          <table className="grid-table">
            <tbody>
              {suppliers.map((s) => (
                <tr key={s.id}>
                  <td>{s.name}</td>
                  <td className="muted">{s.id}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
        <Panel title={`Cell models (${models.length})`}>
          <table className="grid-table">
            <thead>
              <tr>
                <th>model</th>
                <th>supplier</th>
                <th>chemistry</th>
                <th>format</th>
                <th className="num">C (Ah)</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {models.map((c) => (
                <tr key={c.id}>
                  <td>
                    <a href={`#/claims?cell_model=${encodeURIComponent(c.id)}`}>{c.id}</a>
                  </td>
                  <td>{c.supplier ?? '–'}</td>
                  <td>{c.chemistry ?? '–'}</td>
                  <td>{c.format ?? '–'}</td>
                  <td className="num">{fmt(c.nominal_capacity_Ah)}</td>
                  <td>
                    <a
                      href={`/api/reports/${encodeURIComponent(c.id)}.html`}
                      target="_blank"
                      rel="noreferrer"
                    >
                      report
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
        <Panel title={`Samples (${samples.length})`}>
          <table className="grid-table">
            <thead>
              <tr>
                <th>serial</th>
                <th>cell model</th>
                <th>state</th>
              </tr>
            </thead>
            <tbody>
              {samples.map((s) => (
                <tr key={s.serial}>
                  <td>{s.serial}</td>
                  <td>{s.cell_model ?? '–'}</td>
                  <td>{s.state ? <span className={`badge state-${s.state}`}>{s.state}</span> : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
      </div>
    </div>
  );
}

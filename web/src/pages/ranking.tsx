import { useState, type ReactNode } from 'react';
import { sendJson } from '../api';
import { ErrorBox, fmt, Panel, PALETTE } from '../components';
import { Radar } from '../charts/radar';
import { SvgPlot } from '../charts/svg-plot';

/** A row of the ranking (POST /api/rank); snake_case or camelCase keys are both read. */
interface RankRow {
  id: string;
  rank: number;
  score: number;
  normalised: Record<string, number>;
  feasible: boolean;
  flags: string[];
  pareto: boolean;
}
interface RankResult {
  weights: Record<string, number>;
  rows: RankRow[];
  sensitivity?: { top_stable?: boolean; topStable?: boolean; summary?: Record<string, unknown>[] };
}

/** examples/programmes/compact-city-ev.yaml as JSON. */
const DEFAULT_PROGRAMME = {
  name: 'Compact city EV',
  vehicle: 'renault-5-52kwh',
  voltage_class: 400,
  usable_energy_kWh: 52,
  usable_soc_window_pct: [3, 97],
  fast_charge_10_80_max_min: 30,
  max_dc_charge_power_kW: 100,
  charger: 'ccs-350kw',
  cell_cost_target_EUR_per_kWh: 75,
  pack_adder_EUR_per_kWh: 35,
  min_operating_temperature_degC: -20,
  min_low_temp_capacity_pct: 70,
  weights: {
    energy_density: 1,
    cost: 3,
    fast_charge: 1,
    cycle_life: 2,
    low_temp_capacity: 2,
    maturity: 2,
    resistance: 1,
  },
};

function readResult(raw: unknown): RankResult {
  const top = (raw ?? {}) as Record<string, unknown>;
  // The route may answer the ranking itself or a programme ranking with it under `ranking`.
  const inner = top['ranking'];
  const r =
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? (inner as Record<string, unknown>)
      : top;
  const rows = ((r['rows'] ?? r['ranking'] ?? []) as Record<string, unknown>[]).map((x) => ({
    id: String(x['id'] ?? x['cell_model'] ?? '?'),
    rank: Number(x['rank']),
    score: Number(x['score']),
    normalised: (x['normalised'] ?? x['normalized'] ?? {}) as Record<string, number>,
    feasible: x['feasible'] !== false,
    flags: (x['flags'] ?? []) as string[],
    pareto: x['pareto'] === true,
  }));
  return {
    weights: (r['weights'] ?? {}) as Record<string, number>,
    rows,
    sensitivity: r['sensitivity'] as RankResult['sensitivity'],
  };
}

/** Programme ranking: POST /api/rank with a programme, then the table, radar and Pareto charts. */
export function RankingPanel(): ReactNode {
  const [text, setText] = useState(() => JSON.stringify(DEFAULT_PROGRAMME, null, 2));
  const [result, setResult] = useState<RankResult | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [axes, setAxes] = useState<[string, string]>(['energy_density', 'cost']);

  const run = (): void => {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (e) {
      setError(new Error(`The programme is not valid JSON: ${(e as Error).message}`));
      return;
    }
    setBusy(true);
    sendJson<unknown>('POST', '/api/rank', body).then(
      (r) => {
        setResult(readResult(r));
        setError(undefined);
        setBusy(false);
      },
      (e: unknown) => {
        setError(e);
        setBusy(false);
      },
    );
  };

  const criteria = result ? Object.keys(result.weights).filter((k) => (result.weights[k] ?? 0) > 0) : [];
  return (
    <Panel title="Programme ranking">
      <div className="cols2">
        <div>
          <textarea
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={14}
            spellCheck={false}
            aria-label="programme"
            className="code"
          />
          <button type="button" onClick={run} disabled={busy}>
            {busy ? 'Ranking…' : 'Rank candidates'}
          </button>
          {error !== undefined ? <ErrorBox error={error} feature="Programme ranking" /> : null}
        </div>
        {result ? (
          <table className="grid-table" data-testid="ranking-table">
            <thead>
              <tr>
                <th className="num">rank</th>
                <th>cell model</th>
                <th className="num">score</th>
                <th>Pareto</th>
                <th>flags</th>
              </tr>
            </thead>
            <tbody>
              {result.rows.map((r) => (
                <tr key={r.id} className={r.feasible ? '' : 'infeasible'}>
                  <td className="num">{r.rank}</td>
                  <td>{r.id}</td>
                  <td className="num">{fmt(r.score, 3)}</td>
                  <td>{r.pareto ? '●' : ''}</td>
                  <td className="small">{r.flags.join('; ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">
            Edit the programme (JSON, the same fields as the YAML programme file) and rank the cell models you
            may see.
          </p>
        )}
      </div>
      {result && result.rows.length > 0 ? (
        <div className="cols2">
          <Radar
            axes={criteria}
            series={result.rows.slice(0, 6).map((r, k) => ({
              label: r.id,
              values: criteria.map((c) => r.normalised[c] ?? 0),
              color: PALETTE[k % PALETTE.length]!,
            }))}
          />
          <div>
            <div className="inline">
              {([0, 1] as const).map((i) => (
                <label key={i}>
                  {i === 0 ? 'x ' : ' y '}
                  <select
                    value={axes[i]}
                    onChange={(e) => setAxes(i === 0 ? [e.target.value, axes[1]] : [axes[0], e.target.value])}
                  >
                    {Object.keys(result.weights).map((c) => (
                      <option key={c}>{c}</option>
                    ))}
                  </select>
                </label>
              ))}
            </div>
            <SvgPlot
              xLabel={`${axes[0]} (normalised, 1 = best)`}
              yLabel={`${axes[1]} (normalised)`}
              series={[
                {
                  label: 'Pareto front (all weighted criteria)',
                  x: result.rows.filter((r) => r.pareto).map((r) => r.normalised[axes[0]] ?? 0),
                  y: result.rows.filter((r) => r.pareto).map((r) => r.normalised[axes[1]] ?? 0),
                  pointLabels: result.rows.filter((r) => r.pareto).map((r) => r.id),
                  color: PALETTE[1]!,
                  mode: 'points',
                  r: 5,
                },
                {
                  label: 'dominated',
                  x: result.rows.filter((r) => !r.pareto).map((r) => r.normalised[axes[0]] ?? 0),
                  y: result.rows.filter((r) => !r.pareto).map((r) => r.normalised[axes[1]] ?? 0),
                  pointLabels: result.rows.filter((r) => !r.pareto).map((r) => r.id),
                  color: '#8a8f98',
                  mode: 'points',
                },
              ]}
              label="pareto"
            />
            {result.sensitivity ? (
              <p className="muted">
                Weights ±50 %: the first place{' '}
                {(result.sensitivity.top_stable ?? result.sensitivity.topStable)
                  ? 'does not change'
                  : 'changes'}
                .
              </p>
            ) : null}
          </div>
        </div>
      ) : null}
    </Panel>
  );
}

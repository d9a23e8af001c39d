import type { ReactNode } from 'react';
import { ApiError } from '../api';
import { ErrorBox, Loading, Panel, PALETTE } from '../components';
import { SvgPlot, type XYSeries } from '../charts/svg-plot';
import { useApi } from '../use-api';

/** The parts of `discern hppc --json` drawn here (camelCase as the CLI prints, or snake_case). */
interface HppcPulse {
  index?: number;
  direction: string;
  socPct?: number | null;
  soc_pct?: number | null;
  r0Ohm?: number | null;
  r0_Ohm?: number | null;
  resistancesOhm?: (number | null)[];
  resistances_Ohm?: (number | null)[];
}
interface Hppc {
  timesS?: number[];
  times_s?: number[];
  pulses: HppcPulse[];
  warnings?: string[];
}

/**
 * HPPC: pulse resistance against SOC at each standard time, discharge and charge pulses apart.
 * Shown only when the test has pulses (the route answers DISCERN_INSUFFICIENT_DATA otherwise).
 */
export function HppcPanel({ testId }: { testId: number }): ReactNode {
  const { data, error, loading } = useApi<Hppc>(`/api/tests/${testId}/hppc`);
  if (
    error instanceof ApiError &&
    (error.code === 'DISCERN_INSUFFICIENT_DATA' || error.code === 'DISCERN_MISSING_COLUMN')
  )
    return null;
  if (error !== undefined)
    return (
      <Panel title="HPPC resistance">
        <ErrorBox error={error} feature="HPPC" />
      </Panel>
    );
  if (loading || !data) return <Loading what="pulses" />;
  const times = data.timesS ?? data.times_s ?? [];
  const socOf = (p: HppcPulse): number | null => p.socPct ?? p.soc_pct ?? null;
  // Without a SOC (no capacity and no charge counter) the pulses are drawn by their number.
  const bySoc = data.pulses.some((p) => Number.isFinite(socOf(p)));
  const series: XYSeries[] = [];
  let k = 0;
  for (const dir of ['discharge', 'charge']) {
    const ps = data.pulses.filter((p) => p.direction === dir);
    const xs = ps.map((p, i) => (bySoc ? socOf(p) : (p.index ?? i)));
    const order = xs.map((_, i) => i).sort((a, b) => (xs[a] ?? 0) - (xs[b] ?? 0));
    times.forEach((t, j) => {
      const y = order.map((i) => {
        const r = (ps[i]!.resistancesOhm ?? ps[i]!.resistances_Ohm ?? [])[j];
        return r === null || r === undefined ? null : r * 1000;
      });
      if (!y.some((v) => v !== null && Number.isFinite(v))) return;
      series.push({
        label: `${dir} R(${t} s)`,
        x: order.map((i) => xs[i] ?? null),
        y,
        color: PALETTE[k++ % PALETTE.length]!,
        dashed: dir === 'charge',
        mode: bySoc ? 'both' : 'points',
      });
    });
  }
  return (
    <Panel title={`HPPC resistance (${data.pulses.length} pulses)`}>
      {series.length > 0 ? (
        <SvgPlot
          series={series}
          xLabel={bySoc ? 'SOC (%)' : 'pulse number (no SOC in this test)'}
          yLabel="resistance (mΩ)"
          label="hppc"
          width={900}
          height={340}
        />
      ) : (
        <p className="muted">No pulse resistances.</p>
      )}
      {(data.warnings ?? []).map((w) => (
        <p key={w} className="muted small">
          {w}
        </p>
      ))}
    </Panel>
  );
}

import { useEffect, useMemo, useState, type ReactNode } from 'react';
import uPlot from 'uplot';
import { errorText, getJson, type CycleRow, type IcaCurve } from '../api';
import { ErrorBox, isMissingEndpoint, Loading, Panel, PALETTE } from '../components';
import { UPlotChart } from '../charts/uplot-chart';
import { tickValues } from '../charts/axis';
import { useApi } from '../use-api';

/** uPlot options for a per-cycle plot (points joined by thin lines). */
export function cycleOptions(
  yLabel: string,
  series: readonly { label: string; color: string }[],
): Omit<uPlot.Options, 'width' | 'height'> {
  return {
    scales: { x: { time: false } },
    cursor: { drag: { x: true, y: false } },
    axes: [
      { label: 'cycle', size: 36 },
      { label: yLabel, size: 64, values: tickValues },
    ],
    series: [
      { label: 'cycle' },
      ...series.map((s) => ({
        label: s.label,
        stroke: s.color,
        width: 1.2,
        points: { show: true, size: 4 },
        spanGaps: true,
      })),
    ],
  };
}

function defaultCycles(rows: readonly CycleRow[]): number[] {
  const useful = rows.filter((r) => (r.charge_capacity_Ah ?? 0) > 0);
  if (useful.length === 0) return [];
  const pick = [useful[0]!, useful[Math.floor((useful.length - 1) / 2)]!, useful[useful.length - 1]!].map(
    (r) => r.cycle,
  );
  return [...new Set(pick)];
}

function IcaPanel({ testId, rows }: { testId: number; rows: readonly CycleRow[] }): ReactNode {
  const [text, setText] = useState(() => defaultCycles(rows).join(','));
  const [cycles, setCycles] = useState(text);
  const valid = /^\s*\d+(\s*,\s*\d+)*\s*$/.test(cycles);
  // One request per cycle: a cycle without the needed step (e.g. no charge) fails alone.
  const [state, setState] = useState<{ curves: IcaCurve[]; failed: [string, unknown][]; loading: boolean }>({
    curves: [],
    failed: [],
    loading: false,
  });
  useEffect(() => {
    if (!valid) return;
    const list = [...new Set(cycles.split(',').map((c) => c.trim()))];
    const ac = new AbortController();
    setState({ curves: [], failed: [], loading: true });
    void Promise.allSettled(
      list.map((c) =>
        getJson<IcaCurve[] | { curves: IcaCurve[] }>(`/api/tests/${testId}/ica?cycles=${c}`, ac.signal),
      ),
    ).then((rs) => {
      if (ac.signal.aborted) return;
      const curves: IcaCurve[] = [];
      const failed: [string, unknown][] = [];
      rs.forEach((r, k) => {
        if (r.status === 'fulfilled') curves.push(...(Array.isArray(r.value) ? r.value : r.value.curves));
        else failed.push([list[k]!, r.reason]);
      });
      setState({ curves, failed, loading: false });
    });
    return () => ac.abort();
  }, [testId, cycles, valid]);
  const { curves, failed, loading } = state;
  const plot = useMemo(() => {
    if (curves.length === 0) return null;
    const tables = curves.map((c): uPlot.AlignedData => [c.voltage_V, c.dqdv_Ah_per_V]);
    const joined = uPlot.join(tables);
    const options = {
      ...cycleOptions(
        'dQ/dV (Ah/V)',
        curves.map((c, k) => ({ label: `cycle ${c.cycle}`, color: PALETTE[k % PALETTE.length]! })),
      ),
      axes: [
        { label: 'voltage (V)', size: 36 },
        { label: 'dQ/dV (Ah/V)', size: 64, values: tickValues },
      ],
    };
    options.series = options.series.map((s, k) =>
      k === 0 ? { label: 'V' } : { ...s, points: { show: false } },
    );
    return { joined, options };
  }, [curves]);
  return (
    <Panel
      title="Incremental capacity dQ/dV"
      right={
        <form
          className="inline"
          onSubmit={(e) => {
            e.preventDefault();
            setCycles(text);
          }}
        >
          <label>
            cycles{' '}
            <input value={text} onChange={(e) => setText(e.target.value)} size={14} aria-label="ica cycles" />
          </label>
          <button type="submit">Show</button>
        </form>
      }
    >
      {!valid ? <p className="muted">Give cycle numbers separated by commas.</p> : null}
      {failed.length > 0 &&
      failed.length === curves.length + failed.length &&
      isMissingEndpoint(failed[0]![1]) ? (
        <ErrorBox error={failed[0]![1]} feature="dQ/dV" />
      ) : (
        failed.map(([c, e]) => (
          <p key={c} className="muted small">
            cycle {c}: {errorText(e)}
          </p>
        ))
      )}
      {loading ? <Loading what="dQ/dV" /> : null}
      {plot ? <UPlotChart options={plot.options} data={plot.joined} height={260} label="ica" /> : null}
    </Panel>
  );
}

/** Cycle summary (capacity fade, coulombic efficiency) and dQ/dV overlays of chosen cycles. */
export function CyclePanels({ testId }: { testId: number }): ReactNode {
  const { data, error, loading } = useApi<CycleRow[]>(`/api/tests/${testId}/cycles`);
  const plots = useMemo(() => {
    if (!data || data.length === 0) return null;
    const x = data.map((r) => r.cycle);
    const cap: uPlot.AlignedData = [
      x,
      data.map((r) => r.discharge_capacity_Ah ?? null),
      data.map((r) => r.charge_capacity_Ah ?? null),
    ];
    const ce: uPlot.AlignedData = [
      x,
      data.map((r) =>
        r.coulombic_efficiency !== null && r.coulombic_efficiency !== undefined
          ? r.coulombic_efficiency * 100
          : null,
      ),
    ];
    return {
      cap,
      ce,
      capOptions: cycleOptions('capacity (Ah)', [
        { label: 'discharge', color: PALETTE[0]! },
        { label: 'charge', color: PALETTE[1]! },
      ]),
      ceOptions: cycleOptions('coulombic efficiency (%)', [{ label: 'CE', color: PALETTE[2]! }]),
    };
  }, [data]);
  if (error !== undefined) return <ErrorBox error={error} feature="Cycle summary" />;
  if (loading || !data) return <Loading what="cycles" />;
  if (!plots) return <p className="muted">No complete cycles.</p>;
  return (
    <>
      <div className="cols2">
        <Panel title="Capacity fade">
          <UPlotChart options={plots.capOptions} data={plots.cap} height={240} label="capacity" />
        </Panel>
        <Panel title="Coulombic efficiency">
          <UPlotChart options={plots.ceOptions} data={plots.ce} height={240} label="efficiency" />
        </Panel>
      </div>
      <IcaPanel testId={testId} rows={data} />
    </>
  );
}

import { useEffect, useMemo, useState, type ReactNode } from 'react';
import uPlot from 'uplot';
import { getJson, type CycleRow, type Overview, type Series } from '../api';
import { ErrorBox, Loading, Panel, PALETTE } from '../components';
import { UPlotChart } from '../charts/uplot-chart';
import { tickValues } from '../charts/axis';
import { navigate, type Route } from '../router';
import { useApi } from '../use-api';
import { RankingPanel } from './ranking';

interface Loaded {
  id: number;
  cycles: CycleRow[] | null;
  voltage: Series | null;
  error?: unknown;
}

async function load(id: number): Promise<Loaded> {
  const [cycles, voltage] = await Promise.allSettled([
    getJson<CycleRow[]>(`/api/tests/${id}/cycles`),
    getJson<Series>(`/api/tests/${id}/series?channels=voltage_V&x=test_time_s&points=900`),
  ]);
  return {
    id,
    cycles: cycles.status === 'fulfilled' ? cycles.value : null,
    voltage: voltage.status === 'fulfilled' ? voltage.value : null,
    ...(voltage.status === 'rejected' ? { error: voltage.reason as unknown } : {}),
  };
}

function Overlays({
  loaded,
  normalise,
  names,
}: {
  loaded: Loaded[];
  normalise: boolean;
  names: Map<number, string>;
}): ReactNode {
  const label = (l: Loaded): string => `#${l.id} ${names.get(l.id) ?? ''}`;
  const fade = useMemo(() => {
    const withCycles = loaded.filter(
      (l) => l.cycles && l.cycles.some((r) => (r.discharge_capacity_Ah ?? 0) > 0),
    );
    if (withCycles.length === 0) return null;
    const tables = withCycles.map((l): uPlot.AlignedData => {
      const rows = l.cycles!.filter((r) => r.discharge_capacity_Ah !== null);
      const first = rows.find((r) => (r.discharge_capacity_Ah ?? 0) > 0)?.discharge_capacity_Ah ?? 1;
      return [
        rows.map((r) => r.cycle),
        rows.map((r) =>
          normalise ? ((r.discharge_capacity_Ah ?? 0) / first) * 100 : r.discharge_capacity_Ah,
        ),
      ];
    });
    const yLabel = normalise ? 'discharge capacity (% of first cycle)' : 'discharge capacity (Ah)';
    const options: Omit<uPlot.Options, 'width' | 'height'> = {
      scales: { x: { time: false } },
      axes: [
        { label: 'cycle', size: 36 },
        { label: yLabel, size: 64, values: tickValues },
      ],
      series: [
        { label: 'cycle' },
        ...withCycles.map((l) => {
          const k = loaded.indexOf(l);
          return {
            label: label(l),
            stroke: PALETTE[k % PALETTE.length],
            width: 1.4,
            points: { show: true, size: 4 },
            spanGaps: true,
          };
        }),
      ],
    };
    return { data: uPlot.join(tables), options };
  }, [loaded, normalise, names]);

  const volt = useMemo(() => {
    const withV = loaded.filter((l) => l.voltage && l.voltage.series['voltage_V']);
    if (withV.length === 0) return null;
    const spans = withV.map((l) => (l.voltage!.t[l.voltage!.t.length - 1] ?? 0) - (l.voltage!.t[0] ?? 0));
    const scale = Math.max(...spans) > 4 * 3600 ? 3600 : 1;
    const tables = withV.map((l): uPlot.AlignedData => {
      const s = l.voltage!;
      const b = s.series['voltage_V']!;
      const t0 = s.t[0] ?? 0;
      return [
        s.t.map((t) => (t - t0) / scale),
        b.min.map((lo, i) => {
          const hi = b.max[i];
          return lo === null || hi === null || hi === undefined ? null : (lo + hi) / 2;
        }),
      ];
    });
    const options: Omit<uPlot.Options, 'width' | 'height'> = {
      scales: { x: { time: false } },
      axes: [
        { label: scale === 3600 ? 'time from test start (h)' : 'time from test start (s)', size: 36 },
        { label: 'voltage (V)', size: 56, values: tickValues },
      ],
      series: [
        { label: scale === 3600 ? 'h' : 's' },
        ...withV.map((l) => ({
          label: label(l),
          stroke: PALETTE[loaded.indexOf(l) % PALETTE.length],
          width: 1.2,
          spanGaps: true,
        })),
      ],
    };
    return { data: uPlot.join(tables), options };
  }, [loaded, names]);

  return (
    <>
      <Panel title="Capacity fade">
        {fade ? (
          <UPlotChart options={fade.options} data={fade.data} height={280} label="compare-fade" />
        ) : (
          <p className="muted">None of these tests has cycles with a discharge capacity.</p>
        )}
      </Panel>
      <Panel title="Voltage curves">
        {volt ? (
          <UPlotChart options={volt.options} data={volt.data} height={280} label="compare-voltage" />
        ) : (
          <p className="muted">No voltage data.</p>
        )}
      </Panel>
    </>
  );
}

/** Compare several tests (cells) overlaid, and rank the candidate cells of a programme. */
export function ComparePage({ route }: { route: Route }): ReactNode {
  const ids = useMemo(
    () =>
      (route.query.get('tests') ?? '')
        .split(',')
        .filter((s) => /^\d+$/.test(s))
        .map(Number),
    [route],
  );
  const overview = useApi<Overview>('/api/overview');
  const [loaded, setLoaded] = useState<Loaded[] | null>(null);
  const [normalise, setNormalise] = useState(false);
  const [add, setAdd] = useState('');

  const names = useMemo(
    () => new Map((overview.data?.tests ?? []).map((t) => [t.test_id, t.name])),
    [overview.data],
  );
  useEffect(() => {
    if (ids.length === 0) {
      setLoaded([]);
      return;
    }
    let live = true;
    setLoaded(null);
    void Promise.all(ids.map((id) => load(id))).then((l) => {
      if (live) setLoaded(l);
    });
    return () => {
      live = false;
    };
  }, [ids]);

  const setIds = (next: number[]): void => navigate(`/compare?tests=${next.join(',')}`);
  const others = (overview.data?.tests ?? []).filter(
    (t) => !ids.includes(t.test_id) && t.kind !== 'impedance',
  );

  return (
    <div className="compare">
      <div className="toolbar">
        <span>Tests:</span>
        {ids.map((id, k) => (
          <span key={id} className="chip" style={{ borderColor: PALETTE[k % PALETTE.length] }}>
            #{id} {names.get(id) ?? ''}
            <button
              type="button"
              className="link"
              onClick={() => setIds(ids.filter((x) => x !== id))}
              aria-label={`remove ${id}`}
            >
              ×
            </button>
          </span>
        ))}
        <select value={add} onChange={(e) => setAdd(e.target.value)} aria-label="add test">
          <option value="">add a test…</option>
          {others.map((t) => (
            <option key={t.test_id} value={t.test_id}>
              #{t.test_id} {t.name} {t.cell_model ? `(${t.cell_model})` : ''}
            </option>
          ))}
        </select>
        <button
          type="button"
          disabled={add === ''}
          onClick={() => (setIds([...ids, Number(add)]), setAdd(''))}
        >
          Add
        </button>
        <label>
          <input type="checkbox" checked={normalise} onChange={(e) => setNormalise(e.target.checked)} />{' '}
          capacity as % of first cycle
        </label>
      </div>
      {overview.error !== undefined ? <ErrorBox error={overview.error} /> : null}
      {ids.length === 0 ? (
        <p className="muted">Pick tests in the lab overview (tick them, then Compare) or add them here.</p>
      ) : null}
      {loaded === null ? <Loading what="the tests" /> : null}
      {loaded
        ?.filter((l) => l.error !== undefined)
        .map((l) => (
          <ErrorBox key={l.id} error={l.error} />
        ))}
      {loaded && loaded.length > 0 ? <Overlays loaded={loaded} normalise={normalise} names={names} /> : null}
      <RankingPanel />
    </div>
  );
}

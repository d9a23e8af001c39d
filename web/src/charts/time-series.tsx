import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type uPlot from 'uplot';
import { getJson, type Series } from '../api';
import { ErrorBox } from '../components';
import { UPlotChart } from './uplot-chart';
import { tickValues } from './axis';

/** A channel drawn against time: canonical name, axis label, colour. */
interface Lane {
  channel: string;
  label: string;
  color: string;
}

const LANES: readonly Lane[] = [
  { channel: 'voltage_V', label: 'voltage (V)', color: '#1f77b4' },
  { channel: 'current_A', label: 'current (A, + charge)', color: '#d62728' },
  { channel: 'temperature_degC', label: 'temperature (°C)', color: '#e07b00' },
];

/**
 * Min/max buckets as one line: each bucket gives two points at its time (min then max), which
 * draws the exact envelope of the data at one bucket per pixel; at full resolution min == max.
 */
function envelope(s: Series, channel: string, scale: number): uPlot.AlignedData {
  const b = s.series[channel];
  const n = s.t.length;
  if (!b) return [[], []];
  const same = !s.downsampled;
  const x: number[] = new Array<number>(same ? n : 2 * n);
  const y: (number | null)[] = new Array<number | null>(same ? n : 2 * n);
  for (let i = 0; i < n; i++) {
    const t = s.t[i]! / scale;
    if (same) {
      x[i] = t;
      y[i] = b.max[i] ?? null;
    } else {
      x[2 * i] = t;
      x[2 * i + 1] = t;
      y[2 * i] = b.min[i] ?? null;
      y[2 * i + 1] = b.max[i] ?? null;
    }
  }
  return [x, y];
}

/**
 * Voltage, current and temperature against test time, one lane each with a shared time axis.
 * Data comes from /api/tests/:id/series with points = plot width in pixels (min/max per pixel
 * bucket, computed by the server); a drag-select zooms all lanes and refetches that range, so
 * zooming reaches full resolution. Double-click resets.
 */
export function TimeSeries({ testId, channels }: { testId: number; channels: readonly string[] }): ReactNode {
  const lanes = useMemo(() => LANES.filter((l) => channels.includes(l.channel)), [channels]);
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [range, setRange] = useState<{ from: number; to: number } | null>(null);
  const [data, setData] = useState<Series | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(false);
  // Seconds per axis unit, fixed by the first (full-range) answer: hours for long tests.
  const [scale, setScale] = useState<number | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.round(el.clientWidth)));
    ro.observe(el);
    setWidth(Math.round(el.clientWidth));
    return () => ro.disconnect();
  }, []);

  // Plot width in pixels, less the y axis (uPlot's default axis is about 50 px).
  const points = Math.max(100, Math.round(width) - 60);
  useEffect(() => {
    if (width === 0 || lanes.length === 0) return;
    const ac = new AbortController();
    const timer = setTimeout(() => {
      const q = new URLSearchParams({
        channels: lanes.map((l) => l.channel).join(','),
        x: 'test_time_s',
        points: String(points),
      });
      if (range) {
        q.set('from', String(range.from));
        q.set('to', String(range.to));
      }
      setLoading(true);
      getJson<Series>(`/api/tests/${testId}/series?${q}`, ac.signal).then(
        (s) => {
          setData(s);
          setError(undefined);
          setLoading(false);
          setScale((old) => {
            if (old !== null) return old;
            const span = (s.t[s.t.length - 1] ?? 0) - (s.t[0] ?? 0);
            return span > 4 * 3600 ? 3600 : 1;
          });
        },
        (e: unknown) => {
          if (!ac.signal.aborted) {
            setError(e);
            setLoading(false);
          }
        },
      );
    }, 80);
    return () => {
      clearTimeout(timer);
      ac.abort();
    };
  }, [testId, lanes, points, range, width]);

  const zoomRef = useRef<(r: { from: number; to: number } | null) => void>(() => undefined);
  zoomRef.current = setRange;

  const options = useMemo(() => {
    if (scale === null) return null;
    const sync = `ts-${testId}`;
    return lanes.map((l, k): Omit<uPlot.Options, 'width' | 'height'> => ({
      scales: { x: { time: false } },
      legend: { show: k === 0 },
      cursor: {
        sync: { key: sync },
        drag: { x: true, y: false, setScale: false },
        bind: {
          dblclick: () => () => {
            zoomRef.current(null);
            return null;
          },
        },
      },
      axes: [
        {
          label: k === lanes.length - 1 ? (scale === 3600 ? 'test time (h)' : 'test time (s)') : undefined,
          size: 36,
        },
        { label: l.label, size: 60, values: tickValues },
      ],
      series: [{ label: scale === 3600 ? 't (h)' : 't (s)' }, { label: l.label, stroke: l.color, width: 1 }],
      hooks: {
        setSelect: [
          (u: uPlot) => {
            if (u.select.width < 4) return;
            const a = u.posToVal(u.select.left, 'x');
            const b = u.posToVal(u.select.left + u.select.width, 'x');
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            zoomRef.current({ from: a * scale, to: b * scale });
          },
        ],
      },
    }));
  }, [lanes, scale, testId]);

  const laneData = useMemo(
    () => (data && scale !== null ? lanes.map((l) => envelope(data, l.channel, scale)) : []),
    [data, lanes, scale],
  );

  if (lanes.length === 0)
    return <p className="muted">This test has no voltage, current or temperature channel.</p>;
  return (
    <div ref={box} className="timeseries" data-testid="timeseries">
      <div className="toolbar">
        <span className="muted">
          {data
            ? `${data.rows_in_range.toLocaleString()} rows in range · ${data.downsampled ? `min/max of ${data.t.length} buckets` : 'full resolution'}`
            : ''}
          {loading ? ' · loading…' : ''}
        </span>
        <span className="muted">drag to zoom · double-click to reset</span>
        <button type="button" disabled={range === null} onClick={() => setRange(null)}>
          Reset zoom
        </button>
      </div>
      {error !== undefined ? <ErrorBox error={error} /> : null}
      {options && laneData.length === lanes.length
        ? lanes.map((l, k) => (
            <UPlotChart
              key={l.channel}
              options={options[k]!}
              data={laneData[k]!}
              height={k === lanes.length - 1 ? 200 : 170}
              label={l.channel}
            />
          ))
        : null}
    </div>
  );
}

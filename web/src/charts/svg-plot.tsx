import type { ReactNode } from 'react';

/** One series of an SvgPlot. Points with a non-finite coordinate are skipped. */
export interface XYSeries {
  label: string;
  x: readonly (number | null)[];
  y: readonly (number | null)[];
  color: string;
  /** 'line', 'points' or 'both' (default). */
  mode?: 'line' | 'points' | 'both';
  dashed?: boolean;
  /** Labels drawn beside the points (e.g. candidate names). */
  pointLabels?: readonly string[];
  /** Radius of the points, px (default 3). */
  r?: number;
}

/** Props of SvgPlot. */
export interface SvgPlotProps {
  series: readonly XYSeries[];
  xLabel: string;
  yLabel: string;
  logX?: boolean;
  /** Same scale on both axes (Nyquist plots). */
  equal?: boolean;
  width?: number;
  height?: number;
  label?: string;
}

function niceTicks(lo: number, hi: number, n = 6): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

function tickText(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(0).replace('e+', 'e');
  return String(Number(v.toPrecision(4)));
}

function extent(vals: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of vals) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo)) return [0, 1];
  if (lo === hi) return [lo - (Math.abs(lo) || 1) * 0.05, hi + (Math.abs(hi) || 1) * 0.05];
  const pad = (hi - lo) * 0.05;
  return [lo - pad, hi + pad];
}

/**
 * A small SVG x-y plot for curves uPlot does not draw well: x not monotonic (Nyquist, HPPC
 * resistance by SOC, Pareto scatter), log x (Bode), equal axes. Fine for a few thousand points.
 */
export function SvgPlot({
  series,
  xLabel,
  yLabel,
  logX = false,
  equal = false,
  width = 560,
  height = 340,
  label,
}: SvgPlotProps): ReactNode {
  const m = { l: 62, r: 14, t: 12, b: 42 };
  const fx = (v: number): number => (logX ? Math.log10(v) : v);
  const xs: number[] = [];
  const ys: number[] = [];
  const pts = series.map((s) => {
    const out: [number, number, number][] = [];
    for (let i = 0; i < s.x.length; i++) {
      const x = s.x[i];
      const y = s.y[i];
      if (x === null || x === undefined || y === null || y === undefined) continue;
      if (!Number.isFinite(x) || !Number.isFinite(y) || (logX && !(x > 0))) continue;
      out.push([fx(x), y, i]);
      xs.push(fx(x));
      ys.push(y);
    }
    return out;
  });
  let [x0, x1] = extent(xs);
  let [y0, y1] = extent(ys);
  const pw = width - m.l - m.r;
  const ph = height - m.t - m.b;
  if (equal) {
    const k = Math.max((x1 - x0) / pw, (y1 - y0) / ph);
    const cx = (x0 + x1) / 2;
    const cy = (y0 + y1) / 2;
    [x0, x1] = [cx - (k * pw) / 2, cx + (k * pw) / 2];
    [y0, y1] = [cy - (k * ph) / 2, cy + (k * ph) / 2];
  }
  const sx = (v: number): number => m.l + ((v - x0) / (x1 - x0)) * pw;
  const sy = (v: number): number => m.t + ph - ((v - y0) / (y1 - y0)) * ph;
  const xt = logX
    ? Array.from({ length: Math.floor(x1) - Math.ceil(x0) + 1 }, (_, k) => Math.ceil(x0) + k)
    : niceTicks(x0, x1);
  const yt = niceTicks(y0, y1);
  return (
    <figure className="svgplot" aria-label={label}>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" style={{ maxWidth: width }} role="img">
        <rect x={m.l} y={m.t} width={pw} height={ph} className="plot-bg" />
        {xt.map((t) => (
          <g key={`x${t}`}>
            <line x1={sx(t)} x2={sx(t)} y1={m.t} y2={m.t + ph} className="grid" />
            <text x={sx(t)} y={m.t + ph + 14} textAnchor="middle" className="tick">
              {logX ? tickText(10 ** t) : tickText(t)}
            </text>
          </g>
        ))}
        {yt.map((t) => (
          <g key={`y${t}`}>
            <line x1={m.l} x2={m.l + pw} y1={sy(t)} y2={sy(t)} className="grid" />
            <text x={m.l - 5} y={sy(t) + 4} textAnchor="end" className="tick">
              {tickText(t)}
            </text>
          </g>
        ))}
        <text x={m.l + pw / 2} y={height - 6} textAnchor="middle" className="axis-label">
          {xLabel}
        </text>
        <text
          transform={`translate(13 ${m.t + ph / 2}) rotate(-90)`}
          textAnchor="middle"
          className="axis-label"
        >
          {yLabel}
        </text>
        {series.map((s, k) => {
          const p = pts[k]!;
          const mode = s.mode ?? 'both';
          return (
            <g key={s.label + k}>
              {mode !== 'points' && p.length > 1 ? (
                <polyline
                  points={p.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')}
                  fill="none"
                  stroke={s.color}
                  strokeWidth={1.6}
                  strokeDasharray={s.dashed ? '5 3' : undefined}
                />
              ) : null}
              {mode !== 'line'
                ? p.map(([x, y, i]) => (
                    <g key={i}>
                      <circle cx={sx(x)} cy={sy(y)} r={s.r ?? 3} fill={s.color} />
                      {s.pointLabels?.[i] ? (
                        <text x={sx(x) + 5} y={sy(y) - 5} className="point-label">
                          {s.pointLabels[i]}
                        </text>
                      ) : null}
                    </g>
                  ))
                : null}
            </g>
          );
        })}
      </svg>
      {series.length > 1 || series[0]?.pointLabels === undefined ? (
        <figcaption className="legend">
          {series.map((s, k) => (
            <span key={s.label + k}>
              <i style={{ background: s.color }} />
              {s.label}
            </span>
          ))}
        </figcaption>
      ) : null}
    </figure>
  );
}

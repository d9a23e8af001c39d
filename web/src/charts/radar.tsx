import type { ReactNode } from 'react';

/** One polygon of a radar chart: a value in [0, 1] per axis. */
export interface RadarSeries {
  label: string;
  values: readonly number[];
  color: string;
}

/** A radar (spider) chart of normalised scores, 0 at the centre and 1 at the rim. */
export function Radar({
  axes,
  series,
  size = 360,
}: {
  axes: readonly string[];
  series: readonly RadarSeries[];
  size?: number;
}): ReactNode {
  const c = size / 2;
  const r = size / 2 - 70;
  const n = axes.length;
  const at = (k: number, v: number): [number, number] => {
    const a = -Math.PI / 2 + (2 * Math.PI * k) / n;
    return [c + r * v * Math.cos(a), c + r * v * Math.sin(a)];
  };
  if (n < 3) return <p className="muted">A radar chart needs at least three criteria.</p>;
  return (
    <figure className="svgplot radar">
      <svg viewBox={`-70 0 ${size + 140} ${size}`} width="100%" style={{ maxWidth: size + 140 }} role="img">
        {[0.25, 0.5, 0.75, 1].map((g) => (
          <polygon
            key={g}
            points={axes.map((_, k) => at(k, g).join(',')).join(' ')}
            className="grid"
            fill="none"
          />
        ))}
        {axes.map((a, k) => {
          const [x, y] = at(k, 1);
          const [lx, ly] = at(k, 1.12);
          return (
            <g key={a}>
              <line x1={c} y1={c} x2={x} y2={y} className="grid" />
              <text
                x={lx}
                y={ly}
                textAnchor={Math.abs(lx - c) < 4 ? 'middle' : lx > c ? 'start' : 'end'}
                className="tick"
              >
                {a}
              </text>
            </g>
          );
        })}
        {series.map((s) => (
          <polygon
            key={s.label}
            points={s.values
              .map((v, k) => at(k, Math.max(0, Math.min(1, Number.isFinite(v) ? v : 0))).join(','))
              .join(' ')}
            fill={s.color}
            fillOpacity={0.12}
            stroke={s.color}
            strokeWidth={1.8}
          />
        ))}
      </svg>
      <figcaption className="legend">
        {series.map((s) => (
          <span key={s.label}>
            <i style={{ background: s.color }} />
            {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

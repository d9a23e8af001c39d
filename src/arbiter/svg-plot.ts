/** Escapes text for HTML and SVG (element content and attribute values). */
export function escapeXml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** "Nice" tick values (1, 2, 5 × 10^k steps) covering [lo, hi], about `count` of them. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(Number.isFinite(lo) && Number.isFinite(hi))) return [];
  if (hi <= lo) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step)
    out.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  return out;
}

/** One series of a plot: points (x, y) with optional ± error on y. */
export interface PlotSeries {
  name: string;
  x: readonly number[];
  y: readonly number[];
  yError?: readonly number[];
  /** 'line' (default) joins the points; 'dots' draws markers only. */
  style?: 'line' | 'dots';
}

/** A horizontal reference line or band (e.g. the claim and its tolerance). */
export interface PlotGuide {
  y: number;
  /** Half-width of a shaded band around y. */
  band?: number;
  label?: string;
}

/** Options of {@link svgPlot}. */
export interface PlotOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
  guides?: readonly PlotGuide[];
  /** Category names for the x positions 0, 1, 2 ... instead of numeric ticks. */
  xCategories?: readonly string[];
  yRange?: readonly [number, number];
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

const fmt = (v: number): string => {
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e5 || a < 1e-3) ? v.toExponential(1) : String(Number(v.toPrecision(6)));
};

/**
 * A small self-contained SVG chart (axes, ticks, series as lines or dots with error bars,
 * horizontal guides, legend). Non-finite points are skipped. Pure string output.
 * @example svgPlot([{ name: 'S1', x: [1, 2], y: [100, 99] }], { title: 'Fade', xLabel: 'cycle', yLabel: '%' })
 */
export function svgPlot(series: readonly PlotSeries[], o: PlotOptions): string {
  const W = o.width ?? 640;
  const H = o.height ?? 320;
  const m = { l: 64, r: 16, t: 30, b: 48 };
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of series)
    s.x.forEach((x, i) => {
      const y = s.y[i]!;
      if (!Number.isFinite(x) || !Number.isFinite(y)) return;
      const e = s.yError?.[i] ?? 0;
      xs.push(x);
      ys.push(y - (Number.isFinite(e) ? e : 0), y + (Number.isFinite(e) ? e : 0));
    });
  for (const g of o.guides ?? []) ys.push(g.y - (g.band ?? 0), g.y + (g.band ?? 0));
  const cats = o.xCategories;
  let [x0, x1] = cats ? [-0.5, cats.length - 0.5] : [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = o.yRange ?? [Math.min(...ys), Math.max(...ys)];
  if (!Number.isFinite(x0) || !Number.isFinite(x1)) [x0, x1] = [0, 1];
  if (!Number.isFinite(y0) || !Number.isFinite(y1)) [y0, y1] = [0, 1];
  if (x1 === x0) [x0, x1] = [x0 - 1, x1 + 1];
  if (y1 === y0) [y0, y1] = [y0 - 1, y1 + 1];
  if (!o.yRange) {
    const pad = (y1 - y0) * 0.05;
    [y0, y1] = [y0 - pad, y1 + pad];
  }
  const px = (x: number): number => m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r);
  const py = (y: number): number => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);
  const n = (v: number): string => v.toFixed(1);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeXml(o.title)}" font-family="sans-serif" font-size="11">`,
    `<text x="${W / 2}" y="16" text-anchor="middle" font-size="13" font-weight="bold">${escapeXml(o.title)}</text>`,
  ];
  for (const g of o.guides ?? []) {
    if (g.band)
      out.push(
        `<rect x="${m.l}" y="${n(py(g.y + g.band))}" width="${W - m.l - m.r}" height="${n(py(g.y - g.band) - py(g.y + g.band))}" fill="#eee"/>`,
      );
    out.push(
      `<line x1="${m.l}" x2="${W - m.r}" y1="${n(py(g.y))}" y2="${n(py(g.y))}" stroke="#888" stroke-dasharray="4 3"/>`,
    );
    if (g.label)
      out.push(
        `<text x="${W - m.r - 2}" y="${n(py(g.y) - 3)}" text-anchor="end" fill="#555">${escapeXml(g.label)}</text>`,
      );
  }
  out.push(
    `<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${H - m.b}" stroke="#000"/>`,
    `<line x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}" stroke="#000"/>`,
  );
  for (const t of niceTicks(y0, y1))
    out.push(
      `<line x1="${m.l - 4}" x2="${m.l}" y1="${n(py(t))}" y2="${n(py(t))}" stroke="#000"/>`,
      `<text x="${m.l - 6}" y="${n(py(t) + 4)}" text-anchor="end">${fmt(t)}</text>`,
    );
  const xt = cats ? cats.map((_, i) => i) : niceTicks(x0, x1);
  for (const t of xt)
    out.push(
      `<line x1="${n(px(t))}" x2="${n(px(t))}" y1="${H - m.b}" y2="${H - m.b + 4}" stroke="#000"/>`,
      `<text x="${n(px(t))}" y="${H - m.b + 16}" text-anchor="middle">${escapeXml(cats ? cats[t]! : fmt(t))}</text>`,
    );
  out.push(
    `<text x="${(m.l + W - m.r) / 2}" y="${H - 8}" text-anchor="middle">${escapeXml(o.xLabel)}</text>`,
    `<text transform="translate(14 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(o.yLabel)}</text>`,
  );
  series.forEach((s, k) => {
    const color = PALETTE[k % PALETTE.length]!;
    const pts: string[] = [];
    s.x.forEach((x, i) => {
      const y = s.y[i]!;
      if (Number.isFinite(x) && Number.isFinite(y)) pts.push(`${n(px(x))},${n(py(y))}`);
    });
    if ((s.style ?? 'line') === 'line' && pts.length > 1)
      out.push(`<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${pts.join(' ')}"/>`);
    s.x.forEach((x, i) => {
      const y = s.y[i]!;
      if (!Number.isFinite(x) || !Number.isFinite(y)) return;
      const e = s.yError?.[i];
      if (e !== undefined && Number.isFinite(e) && e > 0)
        out.push(
          `<line x1="${n(px(x))}" x2="${n(px(x))}" y1="${n(py(y - e))}" y2="${n(py(y + e))}" stroke="${color}"/>`,
        );
      if (s.style === 'dots' || pts.length < 40)
        out.push(
          `<circle cx="${n(px(x))}" cy="${n(py(y))}" r="3" fill="${color}"><title>${escapeXml(`${s.name}: ${fmt(y)}`)}</title></circle>`,
        );
    });
    out.push(
      `<rect x="${m.l + 8}" y="${m.t + 4 + k * 14}" width="10" height="10" fill="${color}"/>`,
      `<text x="${m.l + 22}" y="${m.t + 13 + k * 14}">${escapeXml(s.name)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n');
}

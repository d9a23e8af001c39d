import { useEffect, useRef, type ReactNode } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** Props of UPlotChart: uPlot options without the size, and the data. */
export interface UPlotChartProps {
  options: Omit<uPlot.Options, 'width' | 'height'>;
  data: uPlot.AlignedData;
  height?: number;
  /** Called with the chart once created (and null when destroyed). */
  onChart?: (u: uPlot | null) => void;
  /** Label for tests and screen readers. */
  label?: string;
}

/**
 * uPlot in React: created once per `options` object, fed with setData when only the data changes,
 * resized with its container. The container carries data-points (points drawn) for tests.
 */
export function UPlotChart({ options, data, height = 260, onChart, label }: UPlotChartProps): ReactNode {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const dataRef = useRef(data);
  dataRef.current = data;
  const onChartRef = useRef(onChart);
  onChartRef.current = onChart;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const u = new uPlot({ ...options, width: Math.max(el.clientWidth, 200), height }, dataRef.current, el);
    plot.current = u;
    onChartRef.current?.(u);
    const ro = new ResizeObserver(() => {
      const w = Math.max(el.clientWidth, 200);
      if (Math.abs(w - u.width) > 1) u.setSize({ width: w, height });
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      onChartRef.current?.(null);
      u.destroy();
      plot.current = null;
    };
  }, [options, height]);

  useEffect(() => {
    const u = plot.current;
    if (u && u.data !== data) u.setData(data);
  }, [data]);

  const points = data.length > 1 ? (data[0]?.length ?? 0) : 0;
  return <div ref={box} className="chart" data-points={points} aria-label={label} />;
}

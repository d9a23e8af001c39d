import type uPlot from 'uplot';

/**
 * Tick labels with as many decimals as the tick spacing needs (uPlot's default rounds to three
 * decimals, which turns 0.0002 A into "0"); exponent notation below 1e-3 and from 1e6.
 */
export const tickValues: uPlot.Axis.Values = (_u, splits, _axis, _space, incr) => {
  const big = Math.max(...splits.map((v) => Math.abs(v)));
  if ((incr > 0 && incr < 1e-3) || big >= 1e6) {
    const digits = Math.max(0, Math.min(6, Math.round(Math.log10(big / incr))));
    return splits.map((v) => (v === 0 ? '0' : v.toExponential(Math.min(digits, 3)).replace('e+', 'e')));
  }
  const decimals = incr > 0 ? Math.max(0, Math.min(8, -Math.floor(Math.log10(incr) + 1e-9))) : 0;
  return splits.map((v) => v.toFixed(decimals));
};

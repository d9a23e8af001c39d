import { useState, type ReactNode } from 'react';
import type { Eis } from '../api';
import { ErrorBox, fmt, Loading, Panel, PALETTE } from '../components';
import { SvgPlot, type XYSeries } from '../charts/svg-plot';
import { useApi } from '../use-api';

function bode(re: readonly number[], im: readonly number[]): { mod: number[]; phase: number[] } {
  return {
    mod: re.map((r, i) => Math.hypot(r, im[i]!)),
    phase: re.map((r, i) => (Math.atan2(im[i]!, r) * 180) / Math.PI),
  };
}

function parameterRows(p: NonNullable<Eis['fit']>['parameters']): [string, number, string][] {
  if (Array.isArray(p)) return p.map((x) => [x.name, x.value, x.unit ?? '']);
  return Object.entries(p).map(([k, v]) => [k, v, '']);
}

/** Impedance spectrum: Nyquist and Bode plots with the fitted equivalent circuit. */
export function EisPanel({ testId }: { testId: number }): ReactNode {
  const [text, setText] = useState('R0-p(R1,CPE1)');
  const [circuit, setCircuit] = useState(text);
  const { data, error, loading } = useApi<Eis>(
    `/api/tests/${testId}/eis?circuit=${encodeURIComponent(circuit)}`,
  );
  const form = (
    <form
      className="inline"
      onSubmit={(e) => {
        e.preventDefault();
        setCircuit(text.trim());
      }}
    >
      <label>
        circuit{' '}
        <input value={text} onChange={(e) => setText(e.target.value)} size={22} aria-label="circuit" />
      </label>
      <button type="submit">Fit</button>
    </form>
  );
  if (error !== undefined)
    return (
      <Panel title="Impedance" right={form}>
        <ErrorBox error={error} feature="Impedance analysis" />
      </Panel>
    );
  if (loading || !data) return <Loading what="the impedance spectrum" />;
  const meas = bode(data.z_real_Ohm, data.z_imag_Ohm);
  const fit = data.fit;
  const fitB = fit ? bode(fit.z_real_Ohm, fit.z_imag_Ohm) : null;
  const nyquist: XYSeries[] = [
    {
      label: 'measured',
      x: data.z_real_Ohm,
      y: data.z_imag_Ohm.map((v) => -v),
      color: PALETTE[0]!,
      mode: 'points',
    },
  ];
  const mag: XYSeries[] = [
    { label: '|Z| measured', x: data.frequency_Hz, y: meas.mod, color: PALETTE[0]!, mode: 'points' },
  ];
  const ph: XYSeries[] = [
    { label: 'phase measured', x: data.frequency_Hz, y: meas.phase, color: PALETTE[0]!, mode: 'points' },
  ];
  if (fit && fitB) {
    const label = `fit ${fit.circuit}`;
    nyquist.push({
      label,
      x: fit.z_real_Ohm,
      y: fit.z_imag_Ohm.map((v) => -v),
      color: PALETTE[1]!,
      mode: 'line',
    });
    mag.push({ label, x: data.frequency_Hz, y: fitB.mod, color: PALETTE[1]!, mode: 'line' });
    ph.push({ label, x: data.frequency_Hz, y: fitB.phase, color: PALETTE[1]!, mode: 'line' });
  }
  return (
    <>
      <Panel title="Nyquist" right={form}>
        <div className="cols2">
          <SvgPlot series={nyquist} xLabel="Z' (Ω)" yLabel="−Z'' (Ω)" equal label="nyquist" />
          <div>
            {fit ? (
              <table className="grid-table">
                <thead>
                  <tr>
                    <th>parameter</th>
                    <th className="num">value</th>
                    <th>unit</th>
                  </tr>
                </thead>
                <tbody>
                  {parameterRows(fit.parameters).map(([k, v, u]) => (
                    <tr key={k}>
                      <td>{k}</td>
                      <td className="num">{fmt(v)}</td>
                      <td>{u}</td>
                    </tr>
                  ))}
                  <tr>
                    <td>RMSE</td>
                    <td className="num">{fmt(fit.rmse)}</td>
                    <td>Ω</td>
                  </tr>
                </tbody>
              </table>
            ) : (
              <p className="muted">No circuit fit.</p>
            )}
          </div>
        </div>
      </Panel>
      <Panel title="Bode">
        <div className="cols2">
          <SvgPlot series={mag} xLabel="frequency (Hz)" yLabel="|Z| (Ω)" logX label="bode-modulus" />
          <SvgPlot series={ph} xLabel="frequency (Hz)" yLabel="phase (°)" logX label="bode-phase" />
        </div>
      </Panel>
    </>
  );
}

import { useEffect, useState, type ReactNode } from 'react';
import type { Eis, EisSweep } from '../api';
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

/** The text of a sweep in the selector: number, where it sits in the test, how many points. */
function sweepText(s: EisSweep): string {
  const at = [
    s.cycle !== null ? `cycle ${s.cycle}` : null,
    s.step !== null ? `step ${s.step}` : null,
    s.mean_test_time_s !== null ? `t ≈ ${fmt(s.mean_test_time_s / 3600)} h` : null,
  ].filter((x) => x !== null);
  return `sweep ${s.sweep}${at.length > 0 ? ` (${at.join(', ')})` : ''}, ${s.points} points${s.fittable ? '' : s.direction === 'single' ? ', one frequency' : ', too few to fit'}`;
}

/**
 * Impedance spectrum: Nyquist and Bode plots of one frequency sweep with the equivalent circuit
 * fitted to that sweep. A test with several sweeps (PEIS loops, check-ups between cycling) gets a
 * sweep selector; sweep 1 is shown first (the API's default, and the reference measurement of an
 * ageing protocol that later sweeps are compared with).
 */
export function EisPanel({ testId }: { testId: number }): ReactNode {
  const [text, setText] = useState('R0-p(R1,CPE1)');
  const [circuit, setCircuit] = useState(text);
  const [sweep, setSweep] = useState(1);
  const { data, error, loading } = useApi<Eis>(
    `/api/tests/${testId}/eis?circuit=${encodeURIComponent(circuit)}&sweep=${sweep}`,
  );
  // The list outlives a failed request (a bad circuit), so the selector stays usable.
  const [sweeps, setSweeps] = useState<EisSweep[]>([]);
  useEffect(() => {
    if (data?.sweeps) setSweeps(data.sweeps);
  }, [data]);
  const form = (
    <form
      className="inline"
      data-testid="eis-form"
      onSubmit={(e) => {
        e.preventDefault();
        setCircuit(text.trim());
      }}
    >
      {sweeps.length > 1 ? (
        <label>
          sweep{' '}
          <select
            value={sweep}
            onChange={(e) => setSweep(Number(e.target.value))}
            aria-label="sweep"
            data-testid="eis-sweep"
          >
            {sweeps.map((s) => (
              <option key={s.sweep} value={s.sweep}>
                {sweepText(s)}
              </option>
            ))}
          </select>{' '}
        </label>
      ) : null}
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
  // While another sweep or circuit loads, the previous answer stays on screen (marked busy).
  if (!data) return <Loading what="the impedance spectrum" />;
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
      <Panel
        title={sweeps.length > 1 ? `Nyquist, sweep ${data.sweep} of ${sweeps.length}` : 'Nyquist'}
        right={form}
      >
        <div
          className="cols2"
          data-testid="eis-panel"
          data-sweep={data.sweep ?? 1}
          data-points={data.frequency_Hz.length}
          aria-busy={loading}
        >
          <SvgPlot series={nyquist} xLabel="Z' (Ω)" yLabel="−Z'' (Ω)" equal label="nyquist" />
          <div>
            {fit ? (
              <table className="grid-table" data-testid="eis-fit">
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
            ) : data.fit_error ? (
              <p className="muted" data-testid="eis-fit-error">
                Not fitted: {data.fit_error.message}
              </p>
            ) : (
              <p className="muted">No circuit fit.</p>
            )}
          </div>
        </div>
      </Panel>
      <Panel title={sweeps.length > 1 ? `Bode, sweep ${data.sweep} of ${sweeps.length}` : 'Bode'}>
        <div className="cols2">
          <SvgPlot series={mag} xLabel="frequency (Hz)" yLabel="|Z| (Ω)" logX label="bode-modulus" />
          <SvgPlot series={ph} xLabel="frequency (Hz)" yLabel="phase (°)" logX label="bode-phase" />
        </div>
      </Panel>
    </>
  );
}

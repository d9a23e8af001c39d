import { useMemo, useState, type ReactNode } from 'react';
import { ApiError, errorText, sendJson, warningCount, type Me, type TestDetail, type Warning } from '../api';
import { ErrorBox, fmt, Loading, Panel } from '../components';
import { TimeSeries } from '../charts/time-series';
import { navigate } from '../router';
import { useApi } from '../use-api';
import { CyclePanels } from './test-cycles';
import { EisPanel } from './test-eis';
import { HppcPanel } from './test-hppc';

function Meta({ t }: { t: TestDetail }): ReactNode {
  const items: [string, ReactNode][] = [
    ['format', `${t.format} (${t.vendor})`],
    ['kind', t.kind],
    ['rows', fmt(t.rows)],
    ['cycles', fmt(t.cycles)],
    ['sample', t.sample ?? '–'],
    [
      'cell model',
      t.cell_model ? (
        <a href={`#/claims?cell_model=${encodeURIComponent(t.cell_model)}`}>{t.cell_model}</a>
      ) : (
        '–'
      ),
    ],
    ['supplier', t.supplier ?? '–'],
    [
      'start',
      t.start_unix_s !== null && t.start_unix_s !== undefined
        ? new Date(t.start_unix_s * 1000).toISOString().replace('.000Z', 'Z')
        : '–',
    ],
  ];
  return (
    <dl className="meta">
      {items.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * One test: metadata and warnings, then the plots that apply to its kind: time series for
 * cycling/pulse data (plus cycle summary, dQ/dV and HPPC when the data allows), Nyquist and Bode
 * for impedance spectra.
 */
export function TestPage({ id, me }: { id: number; me: Me }): ReactNode {
  const { data: t, error, loading } = useApi<TestDetail>(`/api/tests/${id}`);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const channels = useMemo(() => (t?.channels ?? []).map((c) => c.name), [t]);
  if (error instanceof ApiError && error.status === 404)
    return (
      <div className="notice" data-state="not-found">
        Test {id} does not exist or is not visible to you. <a href="#/">Back to the lab</a>
      </div>
    );
  if (error !== undefined) return <ErrorBox error={error} />;
  if (loading || !t) return <Loading what="the test" />;
  // An impedance test shows Nyquist and Bode only; a cycling test with impedance sweeps inside
  // (e.g. a BioLogic Modulo Bat protocol with PEIS steps) shows both.
  const impedance = t.kind === 'impedance';
  const sweepsInside = !impedance && channels.includes('z_real_Ohm') && channels.includes('frequency_Hz');
  const warnings: Warning[] = Array.isArray(t.warnings) ? t.warnings : [];
  const canEdit = me.role === 'admin' || me.role === 'engineer';

  const remove = (): void => {
    if (!window.confirm(`Delete test ${t.test_id} (${t.name})? Its measurements are removed from the store.`))
      return;
    sendJson('DELETE', `/api/tests/${t.test_id}`).then(
      () => navigate('/'),
      (e: unknown) => setDeleteError(errorText(e)),
    );
  };

  return (
    <div className="test-page" data-testid="test-page">
      <div className="title-row">
        <h1>
          <span className="muted">#{t.test_id}</span> {t.name}
        </h1>
        <div className="actions">
          {t.cell_model ? (
            <a
              className="button"
              href={`/api/reports/${encodeURIComponent(t.cell_model)}.html`}
              target="_blank"
              rel="noreferrer"
            >
              Report ({t.cell_model})
            </a>
          ) : null}
          <a className="button" href={`#/compare?tests=${t.test_id}`}>
            Compare…
          </a>
          {canEdit ? (
            <button type="button" className="danger" onClick={remove}>
              Delete
            </button>
          ) : null}
        </div>
      </div>
      {deleteError ? <div className="error">{deleteError}</div> : null}
      <Meta t={t} />
      {warningCount(t.warnings) > 0 ? (
        <details className="warnings">
          <summary>{warningCount(t.warnings)} warning(s)</summary>
          <ul>
            {warnings.map((w, k) => (
              <li key={k}>
                <code>{w.code}</code> {w.message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {impedance ? (
        <EisPanel key={t.test_id} testId={t.test_id} />
      ) : (
        <>
          <Panel title="Voltage, current and temperature">
            <TimeSeries testId={t.test_id} channels={channels} />
          </Panel>
          {(t.cycles ?? 0) > 0 ? <CyclePanels testId={t.test_id} /> : null}
          <HppcPanel testId={t.test_id} />
          {sweepsInside ? <EisPanel key={t.test_id} testId={t.test_id} /> : null}
        </>
      )}
    </div>
  );
}

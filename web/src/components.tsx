import type { ReactNode } from 'react';
import { ApiError, errorText } from './api';

/** A loading line. */
export function Loading({ what }: { what?: string }): ReactNode {
  return <p className="muted">Loading{what ? ` ${what}` : ''}…</p>;
}

/**
 * Shows an API error. A 404 from an endpoint that is not built yet (no discern error code) is a
 * "not available" state rather than an error.
 */
export function ErrorBox({ error, feature }: { error: unknown; feature?: string }): ReactNode {
  if (feature !== undefined && isMissingEndpoint(error)) {
    return (
      <div className="notice" data-state="not-available">
        {feature}: not available on this server yet.
      </div>
    );
  }
  return (
    <div className="error" role="alert">
      {errorText(error)}
    </div>
  );
}

/** True for a 404/501 meaning the route does not exist ("no route GET /api/…"), not a missing object. */
export function isMissingEndpoint(e: unknown): boolean {
  return (
    e instanceof ApiError &&
    (e.status === 501 ||
      (e.status === 404 && (!e.code.startsWith('DISCERN_') || /^no route\b/i.test(e.message))) ||
      e.code === 'DISCERN_NOT_IMPLEMENTED')
  );
}

/** Formats a number for tables: fixed significant digits, '–' for missing. */
export function fmt(v: unknown, digits = 4): string {
  if (v === null || v === undefined) return '–';
  if (typeof v !== 'number') return String(v);
  if (!Number.isFinite(v)) return '–';
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e5 || a < 1e-3) ? v.toExponential(digits - 1) : v.toPrecision(digits);
}

/** A titled panel. */
export function Panel({
  title,
  children,
  right,
}: {
  title: string;
  children: ReactNode;
  right?: ReactNode;
}): ReactNode {
  return (
    <section className="panel">
      <header className="panel-head">
        <h2>{title}</h2>
        {right}
      </header>
      {children}
    </section>
  );
}

/** The chart palette (colour-blind friendly, Tableau 10). */
export const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#bcbd22',
  '#7f7f7f',
];

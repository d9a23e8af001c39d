import { useState, type FormEvent, type ReactNode } from 'react';
import { errorText, sendJson } from '../api';

/** Log-in form: POST /api/login sets the session cookie. */
export function LoginPage({ onLogin }: { onLogin: () => void }): ReactNode {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    sendJson('POST', '/api/login', { username, password }).then(
      () => {
        setBusy(false);
        onLogin();
      },
      (err: unknown) => {
        setBusy(false);
        setError(errorText(err));
      },
    );
  };
  return (
    <main className="login">
      <form onSubmit={submit} className="login-box">
        <h1>discern</h1>
        <p className="muted">Battery-cell lab data</p>
        <label>
          User name
          <input
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoFocus
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error ? (
          <div className="error" role="alert">
            {error}
          </div>
        ) : null}
        <button type="submit" disabled={busy || username === ''}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </main>
  );
}

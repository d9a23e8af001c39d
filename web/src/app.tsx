import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { ApiError, getJson, sendJson, type Me } from './api';
import { ErrorBox, Loading } from './components';
import { navigate, useRoute, type Route } from './router';
import { LoginPage } from './pages/login';
import { OverviewPage } from './pages/overview';
import { TestPage } from './pages/test-page';
import { ComparePage } from './pages/compare';
import { ClaimsPage } from './pages/claims';
import { UploadPage } from './pages/upload';

const NAV: readonly { path: string; label: string }[] = [
  { path: '', label: 'Lab' },
  { path: 'compare', label: 'Compare' },
  { path: 'claims', label: 'Claims & maturity' },
  { path: 'upload', label: 'Upload' },
];

function page(route: Route, me: Me): ReactNode {
  const [head, arg] = route.path;
  switch (head) {
    case undefined:
      return <OverviewPage me={me} />;
    case 'tests':
      return arg !== undefined && /^\d+$/.test(arg) ? <TestPage id={Number(arg)} me={me} /> : <NotFound />;
    case 'compare':
      return <ComparePage route={route} />;
    case 'claims':
      return <ClaimsPage route={route} />;
    case 'upload':
      return <UploadPage me={me} />;
    default:
      return <NotFound />;
  }
}

function NotFound(): ReactNode {
  return (
    <div className="notice" data-state="not-found">
      Nothing here. <a href="#/">Back to the lab</a>
    </div>
  );
}

/** The dashboard: session check, navigation, pages by hash route. */
export function App(): ReactNode {
  const route = useRoute();
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);

  const loadMe = useCallback(() => {
    getJson<Me>('/api/me').then(
      (m) => {
        setMe(m);
        setError(undefined);
      },
      (e: unknown) => {
        if (e instanceof ApiError && e.status === 401) setMe(null);
        else setError(e);
      },
    );
  }, []);
  useEffect(loadMe, [loadMe]);

  if (error !== undefined)
    return (
      <main className="page">
        <ErrorBox error={error} />
      </main>
    );
  if (me === undefined) return <Loading />;
  if (me === null || route.path[0] === 'login') {
    return (
      <LoginPage
        onLogin={() => {
          if (route.path[0] === 'login') navigate('/');
          loadMe();
        }}
      />
    );
  }
  const current = route.path[0] ?? '';
  return (
    <div className="shell">
      <header className="topbar">
        <a className="brand" href="#/">
          discern
        </a>
        <nav>
          {NAV.map((n) => (
            <a
              key={n.path}
              href={`#/${n.path}`}
              className={current === n.path || (n.path === '' && current === 'tests') ? 'active' : ''}
            >
              {n.label}
            </a>
          ))}
        </nav>
        <span className="user" data-testid="user">
          {me.username} · {me.role}
        </span>
        <button
          type="button"
          className="link"
          onClick={() => {
            void sendJson('POST', '/api/logout').finally(() => {
              setMe(null);
              navigate('/');
            });
          }}
        >
          Log out
        </button>
      </header>
      <main className="page">{page(route, me)}</main>
    </div>
  );
}

import { useEffect, useState } from 'react';

/** The current hash route: `#/tests/3?cycles=1,2` -> path ['tests','3'], query {cycles:'1,2'}. */
export interface Route {
  path: string[];
  query: URLSearchParams;
}

function parseHash(hash: string): Route {
  const h = hash.replace(/^#/, '');
  const q = h.indexOf('?');
  const pathPart = q >= 0 ? h.slice(0, q) : h;
  const query = new URLSearchParams(q >= 0 ? h.slice(q + 1) : '');
  return {
    path: pathPart
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent),
    query,
  };
}

/** Hash routing: works with any static file server (no history fallback needed). */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const on = (): void => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

/** Navigates to a hash route, e.g. navigate('/tests/3'). */
export function navigate(to: string): void {
  window.location.hash = to.startsWith('#') ? to : `#${to}`;
}

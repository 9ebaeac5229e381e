// Pages by the URL's hash (#/, #/new, #/clusters/<id>): no server route per page.
import { useEffect, useState } from 'preact/hooks';

export type Route = { page: 'list' } | { page: 'new' } | { page: 'cluster'; id: string };

export function parseRoute(hash: string): Route {
  const m = /^#\/clusters\/([0-9a-f-]{36})$/.exec(hash);
  if (m) return { page: 'cluster', id: m[1]! };
  if (hash === '#/new') return { page: 'new' };
  return { page: 'list' };
}

export function useRoute(): Route {
  const [r, set] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => set(parseRoute(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return r;
}

export const go = (hash: string): void => { location.hash = hash; };

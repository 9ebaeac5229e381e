// The page's one client of the service (same origin, the session cookie) and the live list
// of the project's clusters, kept by the service's change stream (never by polling): each
// cluster's summary (the list's fields), its deltas applied; an opened cluster is read whole
// with GET (pages/cluster.tsx).
import { useEffect, useState } from 'preact/hooks';
import { DiscoClient } from '../client/client.js';
import type { Cluster } from '../client/cluster.js';
import { changeOf, LiveClusters } from '../client/changes.js';

let csrf: string | undefined;
export const setCsrf = (t: string | undefined): void => { csrf = t; };
export const api = new DiscoClient({ baseUrl: '', auth: { csrf: () => csrf } });

type Listener = () => void;
const live = new LiveClusters();
const clusters: Map<string, Cluster> = live.clusters;
const listeners = new Set<Listener>();
let source: EventSource | undefined;
let loaded = false;

let pending: ReturnType<typeof setTimeout> | undefined;
/** The pages render again once per burst of changes (the first round brings every cluster at
 * once: one render per cluster would make a list of n clusters cost n renders of n rows). */
function changed(): void {
  if (!loaded || pending) return;
  pending = setTimeout(() => { pending = undefined; for (const l of listeners) l(); }, 50);
}

/** Starts the change stream once: a snapshot of every cluster, then each change. */
function connect(): void {
  if (source) return;
  source = new EventSource('/disco/-/changes');
  performance.mark('disco:stream');
  const apply = (e: Event) => {
    const c = changeOf(e.type, (e as MessageEvent<string>).data);
    if (!c) return;
    live.apply(c);
    if (c.type !== 'snapshot') changed();
  };
  for (const type of ['snapshot', 'delta', 'cluster', 'gone']) source.addEventListener(type, apply);
  // signed out or refused: the page asks who is signed in again (and shows the sign-in form)
  source.addEventListener('end', () => { source?.close(); source = undefined; location.reload(); });
  // the browser reconnects by itself after a network error, but not after an HTTP error
  // (a 503 at the stream limit, a restart): then try again in a while
  source.addEventListener('error', () => {
    if (source?.readyState !== EventSource.CLOSED) return;
    source = undefined;
    setTimeout(() => { if (listeners.size) connect(); }, 5000);
  });
  // after the first round (every cluster, or none)
  source.addEventListener('synced', () => { performance.mark('disco:synced'); loaded = true; for (const l of listeners) l(); });
  source.addEventListener('open', () => performance.mark('disco:stream-open'));
}

/** Opens the stream with the page, beside the session check, not after it: a signed-in page
 * has its clusters one round trip sooner; a signed-out one gets a 401, and stopLive. */
export const startLive = (): void => connect();

export function stopLive(): void { source?.close(); source = undefined; clusters.clear(); loaded = false; }

/** The project's clusters, live; `loaded` false until the stream has spoken. */
export function useClusters(): { clusters: Map<string, Cluster>; loaded: boolean } {
  const [, tick] = useState(0);
  const rendered = loaded;
  useEffect(() => {
    const l = () => tick((n) => n + 1);
    listeners.add(l);
    connect();
    // the first round may have ended between the render and this effect, with no listener to
    // tell (the page then said "Loading…" for good: seen in 1 of 3 bench runs): render again
    if (loaded !== rendered) l();
    return () => { listeners.delete(l); };
  }, []);
  return { clusters, loaded };
}

// The page's one client of the service (same origin, the session cookie) and the live list
// of the project's clusters, kept by the service's change stream (never by polling).
import { useEffect, useState } from 'preact/hooks';
import { DiscoClient } from '../client/client.js';
import { clusterOf, type Cluster, type OcciResource } from '../client/cluster.js';

let csrf: string | undefined;
export const setCsrf = (t: string | undefined): void => { csrf = t; };
export const api = new DiscoClient({ baseUrl: '', auth: { csrf: () => csrf } });

type Listener = () => void;
const clusters = new Map<string, Cluster>();
const listeners = new Set<Listener>();
let source: EventSource | undefined;
let loaded = false;

function changed(): void { for (const l of listeners) l(); }

/** Starts the change stream once: its first round is every cluster, then each change. */
function connect(): void {
  if (source) return;
  source = new EventSource('/disco/-/changes');
  source.addEventListener('cluster', (e) => {
    const c = clusterOf(JSON.parse((e as MessageEvent<string>).data) as OcciResource);
    clusters.set(c.id, c);
    loaded = true;
    changed();
  });
  source.addEventListener('gone', (e) => {
    clusters.delete((JSON.parse((e as MessageEvent<string>).data) as { id: string }).id);
    changed();
  });
  source.addEventListener('end', () => { source?.close(); source = undefined; location.reload(); });
  // after the first round (every cluster, or none)
  source.addEventListener('synced', () => { loaded = true; changed(); });
}

export function stopLive(): void { source?.close(); source = undefined; clusters.clear(); loaded = false; }

/** The project's clusters, live; `loaded` false until the stream has spoken. */
export function useClusters(): { clusters: Map<string, Cluster>; loaded: boolean } {
  const [, tick] = useState(0);
  useEffect(() => {
    const l = () => tick((n) => n + 1);
    listeners.add(l);
    connect();
    return () => { listeners.delete(l); };
  }, []);
  return { clusters, loaded };
}

/** A cluster leaves the list at once when the page deletes it (the stream confirms it later). */
export function forget(id: string): void { clusters.delete(id); changed(); }

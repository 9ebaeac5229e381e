// The project's clusters as they change (GET /disco/-/changes, server-sent events): each event
// read as a Change, LiveClusters to keep what a stream told (a delta applied to the cluster it
// changes), and an async iterator for clients without the browser's EventSource (the CLI's
// waits and follows). The events of an older service (a whole resource in the snapshot and in
// `cluster` events) are read too.
import { createParser } from 'eventsource-parser';
import type { DiscoClient } from './client.js';
import { clusterOf, type Cluster, type OcciResource } from './cluster.js';
import { applyDelta, clusterOfSummary, type ClusterSummary, type SummaryDelta } from './summary.js';

export type Change =
  | { type: 'snapshot'; clusters: Cluster[] }
  | { type: 'synced' }
  /** One cluster as now known: a whole resource (an older service), or a summary with a delta applied (LiveClusters). */
  | { type: 'cluster'; cluster: Cluster }
  /** What changed in one cluster since the stream last told of it. */
  | { type: 'delta'; delta: SummaryDelta }
  | { type: 'gone'; id: string }
  /** The service ended the stream: the credentials are no longer good. */
  | { type: 'end'; message: string };

/** A snapshot's item: a summary, or an older service's OCCI resource (it has attributes). */
const itemOf = (x: ClusterSummary | OcciResource): Cluster => ('attributes' in x ? clusterOf(x) : clusterOfSummary(x as ClusterSummary));

/** One server-sent event as a Change (the browser's EventSource and the stream below both read them so). */
export function changeOf(event: string | undefined, data: string): Change | undefined {
  switch (event) {
    case 'snapshot': return { type: 'snapshot', clusters: (JSON.parse(data) as (ClusterSummary | OcciResource)[]).map(itemOf) };
    case 'synced': return { type: 'synced' };
    case 'delta': return { type: 'delta', delta: JSON.parse(data) as SummaryDelta };
    case 'cluster': return { type: 'cluster', cluster: clusterOf(JSON.parse(data) as OcciResource) };
    case 'gone': return { type: 'gone', id: (JSON.parse(data) as { id: string }).id };
    case 'end': return { type: 'end', message: String((JSON.parse(data) as { message?: unknown }).message ?? 'the stream ended') };
    default: return undefined; // an event this client does not know: a newer service's
  }
}

/** The clusters one stream told of, each change applied as it comes. */
export class LiveClusters {
  readonly clusters = new Map<string, Cluster>();

  /** Applies a change; a delta comes back as the `cluster` it made (a new object: the old one is left as it was). */
  apply(c: Change): Change {
    switch (c.type) {
      case 'snapshot':
        // every (re)connection starts with the whole list: what was deleted meanwhile goes
        this.clusters.clear();
        for (const x of c.clusters) this.clusters.set(x.id, x);
        return c;
      case 'cluster': this.clusters.set(c.cluster.id, c.cluster); return c;
      case 'delta': {
        const was = this.clusters.get(c.delta.id);
        const cluster = was ? applyDelta(was, c.delta) : clusterOfSummary(c.delta);
        this.clusters.set(cluster.id, cluster);
        return { type: 'cluster', cluster };
      }
      case 'gone': this.clusters.delete(c.id); return c;
      default: return c;
    }
  }
}

/** Every change until the stream ends or `signal` aborts; a delta comes as the `cluster` it changed (summary fields only). */
export async function* changes(client: DiscoClient, signal?: AbortSignal): AsyncGenerator<Change> {
  const res = await client.request('GET', '/disco/-/changes', undefined, 'text/event-stream', signal);
  const queue: Change[] = [];
  const live = new LiveClusters();
  const parser = createParser({ onEvent: (m) => { const c = changeOf(m.event, m.data); if (c) queue.push(live.apply(c)); } });
  const decoder = new TextDecoder();
  const reader = res.body!.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      parser.feed(decoder.decode(value, { stream: true }));
      while (queue.length) {
        const c = queue.shift()!;
        yield c;
        if (c.type === 'end') return;
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

// The project's clusters as they change (GET /disco/-/changes, server-sent events), as an
// async iterator: for clients without the browser's EventSource (the CLI's waits and follows).
import { createParser } from 'eventsource-parser';
import type { DiscoClient } from './client.js';
import { clusterOf, type Cluster, type OcciResource } from './cluster.js';

export type Change =
  | { type: 'snapshot'; clusters: Cluster[] }
  | { type: 'synced' }
  | { type: 'cluster'; cluster: Cluster }
  | { type: 'gone'; id: string }
  /** The service ended the stream: the credentials are no longer good. */
  | { type: 'end'; message: string };

/** One server-sent event as a Change (the browser's EventSource and the stream below both read them so). */
export function changeOf(event: string | undefined, data: string): Change | undefined {
  switch (event) {
    case 'snapshot': return { type: 'snapshot', clusters: (JSON.parse(data) as OcciResource[]).map(clusterOf) };
    case 'synced': return { type: 'synced' };
    case 'cluster': return { type: 'cluster', cluster: clusterOf(JSON.parse(data) as OcciResource) };
    case 'gone': return { type: 'gone', id: (JSON.parse(data) as { id: string }).id };
    case 'end': return { type: 'end', message: String((JSON.parse(data) as { message?: unknown }).message ?? 'the stream ended') };
    default: return undefined; // an event this client does not know: a newer service's
  }
}

/** Every change until the stream ends or `signal` aborts. */
export async function* changes(client: DiscoClient, signal?: AbortSignal): AsyncGenerator<Change> {
  const res = await client.request('GET', '/disco/-/changes', undefined, 'text/event-stream', signal);
  const queue: Change[] = [];
  const parser = createParser({ onEvent: (m) => { const c = changeOf(m.event, m.data); if (c) queue.push(c); } });
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

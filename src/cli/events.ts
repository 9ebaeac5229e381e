// `disco events CLUSTER [--follow]`: the cluster's events, oldest first; with --follow, the
// new ones each time the change stream says the cluster changed, until it is gone.
import type { DiscoClient } from '../client/client.js';
import { changes } from '../client/changes.js';
import type { ClusterEvent } from '../client/types.js';

export function eventRow(e: ClusterEvent): { time: string; source: string; what: string } {
  switch (e.source) {
    case 'service': return { time: e.time, source: 'service', what: `${e.state}${e.reason ? ` (${e.reason})` : ''}${e.message ? `: ${e.message}` : ''}` };
    case 'heat': return { time: e.time, source: `heat ${e.resource}`, what: `${e.status}${e.reason ? `: ${e.reason}` : ''}` };
    case 'node': return { time: e.time, source: `node ${e.node}`, what: `${e.framework ? `${e.framework} ` : ''}${e.status}${e.reason ? `: ${e.reason}` : ''}` };
  }
}

export async function followEvents(api: DiscoClient, id: string, o: { follow: boolean; out(rows: ReturnType<typeof eventRow>[]): void }): Promise<void> {
  let marker: string | undefined;
  const more = async () => {
    for (;;) {
      const page = await api.events(id, { limit: 500, ...(marker ? { marker } : {}) });
      if (page.events.length) { o.out(page.events.map(eventRow)); marker = page.events.at(-1)!.id; }
      if (!page.next) return;
    }
  };
  await more();
  if (!o.follow) return;
  for await (const ch of changes(api)) {
    if (ch.type === 'gone' && ch.id === id) return;
    if (ch.type === 'cluster' && ch.cluster.id === id) await more().catch(() => undefined);
    if (ch.type === 'end') return;
  }
}

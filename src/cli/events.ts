// `disco events CLUSTER [--follow]`: the cluster's events, oldest first; with --follow, the
// new ones each time the change stream says the cluster changed, until it is gone.
import type { DiscoClient } from '../client/client.js';
import { changes } from '../client/changes.js';
import type { ClusterEvent } from '../client/types.js';
import { eventLine } from '../client/event-line.js';

export function eventRow(e: ClusterEvent): { time: string; source: string; what: string } {
  const l = eventLine(e);
  return { time: e.time, source: l.who, what: l.what };
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

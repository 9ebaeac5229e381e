// GET /disco/<id>/events: one time-ordered list (oldest first) of the service's state
// changes, the Heat events of the stack and its nested stacks, and the nodes' signals
// (Heat records those as SIGNAL events of the nodes' wait-condition handles). The reconciler
// keeps what it read of Heat in the record: serving events never calls OpenStack.
import { signalEvent } from '../heat/node-signal.js';
import type { StackEvent } from '../openstack/index.js';
import type { HistoryEntry, StackEventEntry } from './record.js';

export type ClusterEvent =
  | { id: string; time: string; source: 'service'; state: string; reason?: string; message?: string }
  | StackEventEntry;

export function heatEvent(e: StackEvent): StackEventEntry {
  const s = signalEvent(e.statusReason);
  if (s) return { id: e.id, time: e.time, source: 'node', node: s.node, framework: s.framework, status: s.status, reason: s.text };
  return { id: e.id, time: e.time, source: 'heat', stack: e.stackName ?? '', resource: e.resourceName, status: e.status, reason: e.statusReason };
}

export function mergeEvents(history: readonly HistoryEntry[], stack: readonly StackEventEntry[]): ClusterEvent[] {
  const all: ClusterEvent[] = [
    ...history.map((h): ClusterEvent => ({ id: `service-${h.time}-${h.state}`, time: h.time, source: 'service', state: h.state,
      ...(h.reason ? { reason: h.reason } : {}), ...(h.message ? { message: h.message } : {}) })),
    ...stack,
  ];
  // Heat's times have whole seconds, ours milliseconds: a stable sort keeps each source's own order
  return all.map((e, i) => ({ e, i, t: Date.parse(e.time) })).sort((a, b) => a.t - b.t || a.i - b.i).map((x) => x.e);
}

export const EVENTS_PAGE_MAX = 500;

/** One page: the events after `marker` (an event id; none: from the oldest), at most `limit`; `next` is the marker of the page after, if any. */
export function pageEvents(all: readonly ClusterEvent[], o: { limit: number; marker?: string }): { events: ClusterEvent[]; next?: string } | null {
  let from = 0;
  if (o.marker !== undefined) {
    const at = all.findIndex((e) => e.id === o.marker);
    if (at < 0) return null;
    from = at + 1;
  }
  const events = all.slice(from, from + o.limit);
  return from + o.limit < all.length ? { events, next: events.at(-1)!.id } : { events };
}

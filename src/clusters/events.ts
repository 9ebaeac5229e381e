// GET /disco/<id>/events: one time-ordered list (oldest first) of the service's state
// changes, the Heat events of the stack and its nested stacks, and the nodes' signals
// (Heat records those as SIGNAL events of the nodes' wait-condition handles).
import { signalEvent } from '../heat/node-signal.js';
import type { StackEvent } from '../openstack/index.js';
import type { HistoryEntry } from './record.js';

export type ClusterEvent =
  | { time: string; source: 'service'; state: string; reason?: string; message?: string }
  | { time: string; source: 'heat'; stack: string; resource: string; status: string; reason: string }
  | { time: string; source: 'node'; node: string; framework: string; status: 'SUCCESS' | 'FAILURE'; reason: string };

export function heatEvent(e: StackEvent): ClusterEvent {
  const s = signalEvent(e.statusReason);
  if (s) return { time: e.time, source: 'node', node: s.node, framework: s.framework, status: s.status, reason: s.text };
  return { time: e.time, source: 'heat', stack: e.stackName ?? '', resource: e.resourceName, status: e.status, reason: e.statusReason };
}

export function mergeEvents(history: readonly HistoryEntry[], heat: readonly StackEvent[]): ClusterEvent[] {
  const all: ClusterEvent[] = [
    ...history.map((h): ClusterEvent => ({ time: h.time, source: 'service', state: h.state,
      ...(h.reason ? { reason: h.reason } : {}), ...(h.message ? { message: h.message } : {}) })),
    ...heat.map(heatEvent),
  ];
  // Heat's times have whole seconds, ours milliseconds: a stable sort keeps each source's own order
  return all.map((e, i) => ({ e, i, t: Date.parse(e.time) })).sort((a, b) => a.t - b.t || a.i - b.i).map((x) => x.e);
}

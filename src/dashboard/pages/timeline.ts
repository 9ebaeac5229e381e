// The phases a cluster went through, with how long each took, from its state changes (the
// service's events): pure, tested without a browser.
import type { ClusterEvent } from '../../client/types.js';

export interface Phase { state: string; from: string; ms: number | null; message?: string }

/** One phase per state change, oldest first; the last one (still going) has ms null. */
export function phases(events: readonly ClusterEvent[]): Phase[] {
  const changes = events.filter((e): e is Extract<ClusterEvent, { source: 'service' }> => e.source === 'service');
  return changes.map((e, i) => {
    const next = changes[i + 1];
    return { state: e.state, from: e.time, ms: next ? Date.parse(next.time) - Date.parse(e.time) : null, ...(e.message ? { message: e.message } : {}) };
  });
}

export interface NodeRow { node: string; frameworks: { name: string; status: string }[] }

/** Each node that signalled, with the last status of each of its frameworks (from the nodes' signals). */
export function nodesOf(events: readonly ClusterEvent[]): NodeRow[] {
  const nodes = new Map<string, Map<string, string>>();
  for (const e of events) {
    if (e.source !== 'node') continue;
    const m = nodes.get(e.node) ?? new Map<string, string>();
    m.set(e.framework ?? 'install', e.status);
    nodes.set(e.node, m);
  }
  return [...nodes.entries()].sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }))
    .map(([node, m]) => ({ node, frameworks: [...m.entries()].map(([name, status]) => ({ name, status })) }));
}

// How far a cluster's create has come, from what Heat holds: servers that are up and nodes
// whose wait condition completed (its nested resources), and, once every server is up,
// which sections of the node script (frameworks) each node finished: the nodes' SUCCESS
// signals, read back from the stack's events. Once every server is up, the events alone
// tell it all (each node's server and wait condition log their CREATE_COMPLETE there), so a
// poll then reads them and not the nested resources too.
import type { NodeProgress, StackEventEntry } from '../clusters/record.js';
import type { StackResource } from '../openstack/index.js';

export function nodeProgress(resources: readonly StackResource[], events: readonly StackEventEntry[] | undefined,
  nodes: number, sections: readonly string[]): NodeProgress {
  const count = (type: string) => resources.filter((x) => x.type === type && x.status === 'CREATE_COMPLETE').length;
  return progressOf(count('OS::Nova::Server'), count('OS::Heat::WaitCondition'), events, nodes, sections);
}

/** The resources of node.yaml whose completion counts (by name: an event names no type). */
const NODE_SERVER = 'server';
const NODE_WAIT = 'installed';

/** The same progress from the events alone (nested_depth 2: each node's own stack logs its
 * server and wait condition): the nodes whose `server` or `installed` completed, by stack. */
export function progressFromEvents(events: readonly StackEventEntry[], nodes: number, sections: readonly string[]): NodeProgress {
  const done = (resource: string) => new Set(events.filter((e): e is Extract<StackEventEntry, { source: 'heat' }> =>
    e.source === 'heat' && e.resource === resource && e.status === 'CREATE_COMPLETE').map((e) => e.stack)).size;
  return progressOf(done(NODE_SERVER), done(NODE_WAIT), events, nodes, sections);
}

/** Servers up and nodes installed, and once every server is up and the events were read, each section's nodes done. */
function progressOf(servers: number, installed: number, events: readonly StackEventEntry[] | undefined, nodes: number, sections: readonly string[]): NodeProgress {
  const p: NodeProgress = { nodes, serversUp: Math.min(nodes, servers), installed: Math.min(nodes, installed) };
  if (p.serversUp < nodes || !events) return p;
  const done = new Map<string, Set<string>>(sections.map((s) => [s, new Set()]));
  for (const e of events) if (e.source === 'node' && e.status === 'SUCCESS') done.get(e.framework)?.add(e.node);
  return { ...p, sections: Object.fromEntries([...done].map(([s, n]) => [s, Math.min(nodes, n.size)])) };
}

/** Whether a poll of a create reads the nested resources: not once the record says every
 * server is up (the events read then tell the rest). */
export function needsResources(previous: NodeProgress | undefined, nodes: number): boolean {
  return !(previous && previous.nodes === nodes && previous.serversUp >= nodes);
}

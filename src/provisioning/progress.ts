// How far a cluster's create has come, from what Heat holds: servers that are up and nodes
// whose wait condition completed (its nested resources), and, once every server is up,
// which sections of the node script (frameworks) each node finished: the nodes' SUCCESS
// signals, read back from the stack's events.
import type { NodeProgress, StackEventEntry } from '../clusters/record.js';
import type { StackResource } from '../openstack/index.js';

export function nodeProgress(resources: readonly StackResource[], events: readonly StackEventEntry[] | undefined,
  nodes: number, sections: readonly string[]): NodeProgress {
  const count = (type: string) => resources.filter((x) => x.type === type && x.status === 'CREATE_COMPLETE').length;
  const p: NodeProgress = { nodes, serversUp: Math.min(nodes, count('OS::Nova::Server')), installed: Math.min(nodes, count('OS::Heat::WaitCondition')) };
  if (p.serversUp < nodes || !events) return p;
  const done = new Map<string, Set<string>>(sections.map((s) => [s, new Set()]));
  for (const e of events) if (e.source === 'node' && e.status === 'SUCCESS') done.get(e.framework)?.add(e.node);
  return { ...p, sections: Object.fromEntries([...done].map(([s, n]) => [s, Math.min(nodes, n.size)])) };
}

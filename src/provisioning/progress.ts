// How far a cluster's create has come, from its stack: servers that are up and nodes whose
// wait condition completed (its nested resources), and, once every server is up, which
// sections of the node script (frameworks) each node finished: the nodes' SUCCESS signals,
// which Heat records as SIGNAL events reading "Signal: status:SUCCESS reason:node=N framework=F: ...".
import type { NodeProgress } from '../clusters/record.js';
import { signalEvent } from '../heat/node-signal.js';
import type { OpenStack, StackRef } from '../openstack/index.js';


export async function nodeProgress(os: OpenStack, stack: StackRef, nodes: number, sections: readonly string[]): Promise<NodeProgress> {
  // cluster -> workers (ResourceGroup) -> node -> server: two levels below the root
  const resources = await os.heat.resources(stack, { nestedDepth: 2 });
  const count = (type: string) => resources.filter((x) => x.type === type && x.status === 'CREATE_COMPLETE').length;
  const p: NodeProgress = { nodes, serversUp: Math.min(nodes, count('OS::Nova::Server')), installed: Math.min(nodes, count('OS::Heat::WaitCondition')) };
  if (p.serversUp < nodes) return p;
  const done = new Map<string, Set<string>>(sections.map((s) => [s, new Set()]));
  for (const e of await os.heat.events(stack, { nestedDepth: 2, action: 'SIGNAL' })) {
    const sig = signalEvent(e.statusReason);
    if (sig?.status === 'SUCCESS') done.get(sig.framework)?.add(sig.node);
  }
  return { ...p, sections: Object.fromEntries([...done].map(([s, n]) => [s, Math.min(nodes, n.size)])) };
}

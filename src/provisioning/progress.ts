// How far a cluster's create has come, from its stack's nested resources: servers that
// are up, and nodes whose wait condition got their success signal.
import type { NodeProgress } from '../clusters/record.js';
import type { OpenStack, StackRef } from '../openstack/index.js';

export async function nodeProgress(os: OpenStack, stack: StackRef, nodes: number): Promise<NodeProgress> {
  // cluster -> workers (ResourceGroup) -> node -> server: two levels below the root
  const resources = await os.heat.resources(stack, { nestedDepth: 2 });
  const count = (type: string) => resources.filter((x) => x.type === type && x.status === 'CREATE_COMPLETE').length;
  return { nodes, serversUp: Math.min(nodes, count('OS::Nova::Server')), installed: Math.min(nodes, count('OS::Heat::WaitCondition')) };
}

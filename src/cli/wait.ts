// `disco wait` (and the --wait of create, scale, suspend, resume and delete): follow one cluster
// on the change stream until it is ready, suspended or gone, printing its state changes and progress as they come.
import type { Cluster } from '../client/cluster.js';
import type { DiscoClient } from '../client/client.js';
import { changes } from '../client/changes.js';

export type Want = 'ready' | 'suspended' | 'deleted';
export type Step = { done: true } | { failed: string } | { wait: true };

/** What a cluster as last seen (undefined: gone) means for a wait: a pure decision, table-tested. */
export function waitStep(want: Want, c: Cluster | undefined): Step {
  if (!c) return want === 'deleted' ? { done: true } : { failed: 'the cluster was deleted' };
  if (c.state === 'failed') return { failed: `${c.reason ?? 'FAILED'}: ${c.message ?? 'no reason given'}` };
  if (want !== 'deleted' && c.state === want) return { done: true };
  return { wait: true };
}

export class WaitTimeout extends Error { readonly code = 'TIMEOUT'; }
export class ClusterFailed extends Error { readonly code = 'FAILED'; }

/** One line for a change worth telling: the state, its message, the progress. */
export const progressLine = (c: Cluster): string => [c.state, c.message, c.progress].filter(Boolean).join(': ');

/** Resolves once the cluster is as wanted (then read whole), or gone; ClusterFailed or WaitTimeout otherwise. */
export async function waitFor(client: DiscoClient, id: string, want: Want, o: { timeoutSeconds: number; tell(line: string): void }): Promise<Cluster | undefined> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), o.timeoutSeconds * 1000);
  let last: Cluster | undefined;
  let told = '';
  const look = (c: Cluster | undefined): Step => {
    if (c) { const line = progressLine(c); if (line !== told) { o.tell(line); told = line; } }
    return waitStep(want, c);
  };
  try {
    for await (const ch of changes(client, ac.signal)) {
      let step: Step | undefined;
      if (ch.type === 'snapshot') { last = ch.clusters.find((c) => c.id === id); step = look(last); }
      else if (ch.type === 'cluster' && ch.cluster.id === id) { last = ch.cluster; step = look(last); }
      else if (ch.type === 'gone' && ch.id === id) { last = undefined; step = look(undefined); }
      else if (ch.type === 'end') throw new Error(`the service ended the stream: ${ch.message}`);
      // the stream carries a summary: what the command shows is the cluster read whole (the
      // summary if that read fails: the wait itself succeeded)
      if (step && 'done' in step) return last && await client.get(id).catch(() => last);
      if (step && 'failed' in step) throw new ClusterFailed(step.failed);
    }
    throw new Error('the service closed the change stream');
  } catch (e) {
    if (ac.signal.aborted) throw new WaitTimeout(`still ${last?.state ?? 'there'} after ${o.timeoutSeconds} s (--timeout)`);
    throw e;
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
}

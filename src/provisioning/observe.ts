// What Reconcile(id) reads of the cloud before it decides: which reads a record needs is a
// pure function (needsStack, wantEvents); observe() makes them. The stack is found by id when the record
// has one, else by its deterministic name; while it is being created, its nested resources
// (servers up, wait conditions complete) until every server is up, then its events alone;
// its events when something moved.
import { expiresAt } from '../clusters/expiry.js';
import { heatEvent } from '../clusters/events.js';
import type { ClusterRecord } from '../clusters/record.js';
import { outputsToFields } from '../heat/renderer.js';
import { NotFoundError, UnauthorizedError, type OpenStack, type Stack } from '../openstack/index.js';
import type { Observation, StackSeen } from './decision-types.js';
import { needsResources, nodeProgress, progressFromEvents } from './progress.js';

/** Whether the next decision needs the stack: not for a cluster that expired, failed, or has no credential yet. */
export function needsStack(r: ClusterRecord, has: Observation['has'], now: number): boolean {
  if (!has.credential) return false;
  if (r.desired === 'absent') return !r.stackGoneAt;
  const expires = expiresAt(r, r.readyAt);
  return r.state !== 'failed' && !(expires && Date.parse(expires) <= now);
}

/** Events are read when the stack moved since the last look, or while it works (a create only once every server is up: before, nodes have nothing to say). */
export function wantEvents(r: ClusterRecord, st: StackSeen, serversAllUp: boolean): boolean {
  if (st.status !== r.stackStatus) return true;
  if (!st.status.endsWith('_IN_PROGRESS')) return false;
  return !st.status.startsWith('CREATE') || serversAllUp;
}

/** Whether the stack's outputs are read: only a complete stack of a cluster that stays settles
 * with them (every poll of one in progress would make Heat ask Nova and Neutron for each node). */
export function needsOutputs(r: Pick<ClusterRecord, 'desired'>, status: string): boolean {
  return r.desired === 'present' && status.endsWith('_COMPLETE') && !status.startsWith('DELETE');
}

export function toSeen(s: Stack): StackSeen {
  const n = Number(s.parameters.worker_count);
  return { id: s.id, status: s.status, statusReason: s.statusReason, workerCount: Number.isInteger(n) ? n : null, outputs: outputsToFields(s.outputs) };
}

export async function observe(os: () => OpenStack, r: ClusterRecord, base: Pick<Observation, 'now' | 'has' | 'sections'>): Promise<Observation> {
  const o: Observation = { ...base };
  if (!needsStack(r, base.has, base.now)) return o;
  const cloud = os();
  let stack: Stack;
  try {
    // the outputs only when a decision may read them (a stack that completed: ready, a scale done)
    stack = await cloud.heat.getStack(r.stackId ? { name: r.stackName, id: r.stackId } : r.stackName, { outputs: false });
    if (needsOutputs(r, stack.status)) stack = await cloud.heat.getStack({ name: stack.name, id: stack.id });
  } catch (e) {
    if (e instanceof NotFoundError) return { ...o, stack: null };
    if (e instanceof UnauthorizedError) return { ...o, stack: 'refused' };
    throw e;
  }
  const st = toSeen(stack);
  o.stack = st;
  const nodes = r.spec.workers + 1;
  const creating = r.desired === 'present' && st.status === 'CREATE_IN_PROGRESS';
  // cluster -> workers (ResourceGroup) -> node -> server: two levels below the root; once every
  // server was up (the last poll said so), the events read anyway tell the rest
  const fromEvents = creating && !needsResources(r.progress, nodes);
  const resources = creating && !fromEvents ? await cloud.heat.resources(stack, { nestedDepth: 2 }) : [];
  const up = creating && !fromEvents ? nodeProgress(resources, undefined, nodes, base.sections) : undefined;
  if (wantEvents(r, st, fromEvents || up?.serversUp === nodes)) o.events = (await cloud.heat.events(stack, { nestedDepth: 2, sortDir: 'asc' })).map(heatEvent);
  // with the events read, the sections each node finished too
  if (fromEvents && o.events) o.progress = progressFromEvents(o.events, nodes, base.sections);
  else if (up) o.progress = o.events ? nodeProgress(resources, o.events, nodes, base.sections) : up;
  return o;
}

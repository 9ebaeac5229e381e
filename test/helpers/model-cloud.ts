// A model of the one stack a reconciler pass acts on, for the write-race tests: Heat's
// answers as a pure state machine that completes each action at once (a scale, a suspend,
// a delete), so that a test can interleave user actions with passes in any order and then
// compare the record with the stack. Only the calls Reconcile(id) makes on a created
// cluster are here; the real Heat is in heat-stack, lifecycle and crash-safety.
import { NotFoundError } from '../../src/openstack/index.js';
import type { CloudAccess } from '../../src/provisioning/cloud-access.js';
import type { Stack } from '../../src/openstack/index.js';

export interface ModelStack { id: string; name: string; workers: number; suspended: boolean; deleted: boolean; calls: string[] }

const gone = () => new NotFoundError('OS_NOT_FOUND', 'no such stack', { service: 'heat', operation: 'heat.getStack', status: 404 });

export function modelStack(name: string, workers: number): ModelStack {
  return { id: `stack-${name}`, name, workers, suspended: false, deleted: false, calls: [] };
}

function asStack(m: ModelStack): Stack {
  return {
    id: m.id, name: m.name, status: m.suspended ? 'SUSPEND_COMPLETE' : 'UPDATE_COMPLETE', statusReason: '', createdAt: undefined, updatedAt: undefined,
    parameters: { worker_count: String(m.workers) }, outputs: { external_ip: '198.51.100.7' }, outputErrors: {}, tags: [], timeoutMins: undefined,
  } as Stack;
}

/** CloudAccess whose cluster clients answer from `m`. */
export function modelAccess(m: ModelStack): CloudAccess {
  const heat = {
    getStack: async () => { if (m.deleted) throw gone(); return asStack(m); },
    resources: async () => [],
    events: async () => [],
    patchStack: async (_s: unknown, p: { parameters: { worker_count: number } }) => { m.calls.push(`scale ${p.parameters.worker_count}`); m.workers = p.parameters.worker_count; },
    suspend: async () => { m.calls.push('suspend'); m.suspended = true; },
    resume: async () => { m.calls.push('resume'); m.suspended = false; },
    deleteStack: async () => { m.calls.push('delete'); m.deleted = true; },
  };
  const keystone = { deleteApplicationCredential: async () => { m.calls.push('delete credential'); } };
  const cloud = { heat, keystone, session: { token: async () => ({ value: 'model' }) } };
  return { forCluster: () => cloud, forget: () => undefined } as unknown as CloudAccess;
}

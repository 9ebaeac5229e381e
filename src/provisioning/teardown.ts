// The delete side of Reconcile(id): delete the stack (again, more slowly, while Heat says
// DELETE_FAILED; never given up, but a delete past its timeout says so), then the cluster's
// application credential, then the record. Each step can be cut off by a crash and taken
// up again: the record says the stack is gone before the credential that sees it goes.
import type { ClusterRecord, ClusterSecrets } from '../clusters/record.js';
import { NotFoundError, UnauthorizedError, type OpenStack, type Stack } from '../openstack/index.js';
import type { Patch, Reconciler } from './reconciler.js';
import { createInDoubt, DONE, phaseStart, type Step } from './timing.js';

export async function teardown(host: Reconciler, r: ClusterRecord, s: ClusterSecrets): Promise<Step> {
  if (!s.appCredentialId) {
    // no application credential means no stack was ever created for it
    await host.d.store.delete(r.id);
    return DONE;
  }
  const os = host.d.access.forCluster(r.id, s);
  if (!r.stackGoneAt) {
    let stack: Stack | undefined;
    try {
      stack = r.stackId ? await os.heat.getStack({ name: r.stackName, id: r.stackId }) : await host.findStack(os, r.stackName);
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
    // a create whose answer was lost may still bring a stack: wait for it rather than leave it orphaned
    if (!stack && createInDoubt(r)) return host.poll(r.polls + 1);
    if (stack && stack.status !== 'DELETE_COMPLETE') return deleteStack(host, os, r, stack);
    // said before the credential goes: a crash right after would leave a credential that
    // opens nothing, and so no way to look at Heat again
    await host.save(r, { stackGoneAt: new Date().toISOString(), stackStatus: 'DELETE_COMPLETE' });
  }
  // the stack is gone: the credential removes itself, then the record goes
  try {
    const t = await os.session.token();
    await os.keystone.deleteApplicationCredential(t, s.appCredentialId);
  } catch (e) {
    if (!(e instanceof NotFoundError || e instanceof UnauthorizedError)) throw e;
  }
  host.d.access.forget(r.id);
  await host.d.store.delete(r.id);
  host.log.info({ clusterId: r.id }, 'cluster deleted');
  return DONE;
}

/** Deletes the stack, or waits for Heat's delete (again, more slowly, after a DELETE_FAILED). */
async function deleteStack(host: Reconciler, os: OpenStack, r: ClusterRecord, stack: Stack): Promise<Step> {
  const seen = { stackStatus: stack.status, stackStatusReason: stack.statusReason || null };
  // a delete is never given up, but one past its timeout says so
  const limit = host.d.config.provisioning.deleteTimeoutMinutes;
  const late: Patch = phaseStart(r) + limit * 60_000 <= Date.now()
    ? { reason: 'TIMEOUT', message: `delete: the stack is still there after ${limit} min (SM_DELETE_TIMEOUT_MINUTES); still trying` } : {};
  if (stack.status === 'DELETE_IN_PROGRESS') {
    await host.save(r, { ...seen, ...late, polls: r.polls + 1 });
    return host.poll(r.polls + 1);
  }
  if (stack.status === 'DELETE_FAILED') {
    // try again, more slowly each time; the record keeps Heat's reason meanwhile
    const wait = Math.min(host.d.config.provisioning.deleteRetryMaxMs, 2000 * 2 ** r.polls);
    await host.save(r, { ...seen, message: `delete failed, retrying: ${stack.statusReason}`, ...late, polls: r.polls + 1 });
    await os.heat.deleteStack(stack);
    return { requeueAfterMs: wait };
  }
  await os.heat.deleteStack(stack);
  await host.save(r, { ...seen, stackId: stack.id, stackStatus: 'DELETE_IN_PROGRESS', polls: 0 });
  return host.poll(0);
}

// What Reconcile(id) does next, as one pure function of the record, what was observed of
// the cloud (the stack, its progress and events) and the clock: the record change to save
// first, the one cloud action to take, and what follows when the action succeeds. The
// runner (reconciler.ts) reads, calls decide(), saves, acts and saves again; settle()
// (outcome.ts) maps an action's refusal to its record change. Every state and reason code
// in clusters/states.ts is produced here (or by the API's requests in clusters/service.ts).
import { expiresAt } from '../clusters/expiry.js';
import type { ClusterRecord } from '../clusters/record.js';
import { withWorkers } from '../clusters/scale.js';
import type { ClusterState } from '../clusters/states.js';
import { classifyCreateFailure, fail, failedNode, fmt, late, scaleFailure, seen } from './decide-parts.js';
import type { Action, Decision, Observation, Outcome, Patch, Settings } from './decision-types.js';
import { backoff, createInDoubt, nextLook, phaseStart, retentionEnd } from './timing.js';

export type * from './decision-types.js';

const NOTHING: Action = { kind: 'none' };
const only = (o: Outcome): Decision => ({ before: o, action: NOTHING, onDone: {} });
const act = (action: Action, before: Outcome, onDone: Outcome): Decision => ({ before, action, onDone });
const EVENTS_MAX = 500;
/** How long past the create timeout Heat may take to say so itself. */
const CREATE_GRACE_S = 300;

export function decide(r: ClusterRecord, o: Observation, s: Settings): Decision {
  const nowIso = new Date(o.now).toISOString();
  const poll = (polls: number): Outcome['requeueAfterMs'] => backoff(polls, s);
  const events = o.events ? { stackEvents: o.events.slice(-EVENTS_MAX) } : {};

  // ---- deleting: the stack, then the credential, then the record
  if (r.desired === 'absent') {
    if (!o.has.credential) return only({ remove: true }); // no credential: no stack was ever created
    if (r.stackGoneAt) return act({ kind: 'deleteCredential' }, {}, { remove: true });
    const st = o.stack;
    if (st === 'refused') {
      return only({ change: { reason: 'AUTH_FAILED', message: "delete: Keystone refuses the cluster's application credential; still trying" },
        requeueAfterMs: s.deleteRetryMaxMs });
    }
    if (!st || st.status === 'DELETE_COMPLETE') {
      // a create whose answer was lost may still bring a stack: wait for it rather than leave it orphaned
      if (createInDoubt(r, o.now, s)) return only({ change: { polls: r.polls + 1 }, requeueAfterMs: poll(r.polls + 1) });
      // said before the credential goes: a crash right after would leave a credential that opens nothing
      return act({ kind: 'deleteCredential' }, { change: { stackGoneAt: nowIso, stackStatus: 'DELETE_COMPLETE', state: 'deleted', ...events } }, { remove: true });
    }
    const lateness = late(r, o.now, s);
    if (st.status === 'DELETE_IN_PROGRESS') {
      const change: Patch = { ...seen(st), ...events, ...lateness, polls: r.polls + 1 };
      // late: sent again (a delete whose Heat engine died holds a lock only a new request takes over)
      if (lateness.reason) return act({ kind: 'deleteStack' }, { change }, { requeueAfterMs: backoff(r.polls + 1, s, s.deleteRetryMaxMs) });
      return only({ change, requeueAfterMs: poll(r.polls + 1) });
    }
    if (st.status === 'DELETE_FAILED') {
      // again, more slowly each time; the record keeps Heat's reason meanwhile
      const failed: Patch = { reason: 'HEAT_DELETE_FAILED', message: `delete failed, retrying: ${st.statusReason}`, ...lateness };
      return act({ kind: 'deleteStack' }, { change: { ...seen(st), ...events, ...failed, polls: r.polls + 1 } },
        { requeueAfterMs: backoff(r.polls + 1, s, s.deleteRetryMaxMs) });
    }
    return act({ kind: 'deleteStack' }, { change: { ...seen(st), stackId: st.id, ...events } },
      { change: { stackStatus: 'DELETE_IN_PROGRESS', polls: 0 }, requeueAfterMs: poll(0) });
  }

  // ---- disposable clusters and failed ones kept for inspection
  const expires = expiresAt(r, r.readyAt);
  if (expires && Date.parse(expires) <= o.now) {
    const why = r.deadline && Date.parse(r.deadline) <= o.now ? `its deadline ${r.deadline} passed` : `its lifetime of ${r.lifetimeSeconds} s from ready passed`;
    return only(expire(why));
  }
  if (r.state === 'failed') {
    const end = retentionEnd(r, s.failedRetentionSeconds);
    if (end !== null && end <= o.now) return only(expire(`kept failed for inspection for ${fmt(s.failedRetentionSeconds)} (SM_FAILED_RETENTION_SECONDS)`));
    return only({ requeueAfterMs: nextLook(r, end, o.now) });
  }

  // ---- creating: the credential, then the stack (adopted when found by name)
  const tokenExpired = !o.has.createToken || (r.createTokenExpiresAt !== null && Date.parse(r.createTokenExpiresAt) <= o.now);
  if (!o.has.credential) {
    if (tokenExpired) return only(fail('AUTH_EXPIRED', "the caller's token expired before the cluster could be created; nothing was made"));
    return act({ kind: 'makeCredential' }, {}, { requeueAfterMs: 0 });
  }
  const st = o.stack;
  if (st === 'refused') return only(fail('AUTH_FAILED', "Keystone refused the cluster's application credential"));
  if (!r.stackId) {
    if (st) {
      return only({ change: { stackId: st.id, stackStatus: st.status, state: 'deploying', createTokenExpiresAt: null, createSentAt: null, polls: 0 },
        secrets: { createToken: undefined }, requeueAfterMs: poll(0) });
    }
    // a create went out and its answer was lost: look again for a while before sending another
    if (createInDoubt(r, o.now, s)) return only({ change: { polls: r.polls + 1 }, requeueAfterMs: poll(r.polls + 1) });
    if (tokenExpired) return only(fail('AUTH_EXPIRED', "the caller's token expired before the stack create was sent; nothing was made"));
    // the intent is recorded before the create goes out, so a crash or a lost answer is known
    return act({ kind: 'createStack' }, { change: { createSentAt: nowIso } },
      { change: { state: 'deploying', stackStatus: 'CREATE_IN_PROGRESS', createTokenExpiresAt: null, createSentAt: null, polls: 0 },
        secrets: { createToken: undefined }, requeueAfterMs: poll(0) });
  }

  // ---- following the stack
  if (!st) return only(fail('STACK_MISSING', `stack ${r.stackName} is no longer in Heat`));
  const status = st.status;
  if (status.startsWith('DELETE_')) return only(fail('STACK_MISSING', `stack ${r.stackName} was deleted outside this service`, { ...seen(st), ...events }));
  if (status === 'CREATE_FAILED') {
    return only(fail(...classifyCreateFailure(st.statusReason, failedNode(st.statusReason, o.events ?? r.stackEvents), s), { ...seen(st), ...events }));
  }
  if (status === 'UPDATE_FAILED' && r.scaleFrom != null) {
    // a failed scale goes back to the count it came from, and says why
    const why = scaleFailure(r.spec.workers, r.scaleFrom, st.statusReason);
    return only({ change: { ...seen(st), ...events, ...withWorkers(r, r.scaleFrom), scaleFrom: null, scaleFailure: why, state: 'updating', message: why, polls: 0 },
      requeueAfterMs: 0 });
  }
  const resize = (): Decision => act({ kind: 'patchWorkers', workers: r.spec.workers },
    { change: { ...seen(st), ...events, state: 'updating', polls: 0 } }, { requeueAfterMs: poll(0) });
  if (status === 'UPDATE_FAILED' && st.workerCount !== r.spec.workers) return resize(); // the rollback's own update
  if (status.endsWith('_FAILED')) return only(fail('OPENSTACK_ERROR', st.statusReason, { ...seen(st), ...events }));
  if (status.endsWith('_IN_PROGRESS')) {
    let state: ClusterState = status.startsWith('CREATE') ? 'deploying' : 'updating';
    const progress = state === 'deploying' ? o.progress ?? r.progress : r.progress;
    if (state === 'deploying' && progress && progress.serversUp === progress.nodes) state = 'installing';
    // Heat ends a create past its timeout itself; one whose engine died meanwhile never ends
    if (state !== 'updating' && Date.parse(r.createdAt) + (s.createTimeoutMinutes * 60 + CREATE_GRACE_S) * 1000 <= o.now) {
      return only(fail('TIMEOUT', `create: ${status} for longer than ${s.createTimeoutMinutes} min (SM_CREATE_TIMEOUT_MINUTES) and Heat did not end it; the stack is kept for inspection`, seen(st)));
    }
    if (state === 'updating' && r.state === 'updating' && phaseStart(r) + s.updateTimeoutSeconds * 1000 <= o.now) {
      return only(fail('TIMEOUT', `update: ${status} for longer than ${fmt(s.updateTimeoutSeconds)} (SM_UPDATE_TIMEOUT_SECONDS); the stack is kept for inspection`, seen(st)));
    }
    const polls = state === r.state ? r.polls + 1 : 0;
    return only({ change: { ...seen(st), ...events, state, polls, ...(progress ? { progress } : {}) }, requeueAfterMs: poll(polls) });
  }
  // complete: the worker count and the run state the owner asked for, one Heat call each
  const suspended = status === 'SUSPEND_COMPLETE';
  if (!suspended && st.workerCount !== r.spec.workers) return resize();
  if ((r.runstate === 'suspended') !== suspended) {
    return act({ kind: suspended ? 'resume' : 'suspend' }, { change: { ...seen(st), ...events, state: 'updating', polls: 0 } }, { requeueAfterMs: poll(0) });
  }
  const nodes = r.spec.workers + 1;
  const readyAt = r.readyAt ?? nowIso;
  const settled: Patch = { ...seen(st), ...events, state: suspended ? 'suspended' : 'ready', reason: null,
    message: r.scaleFailure ?? null, scaleFrom: null, readyAt, outputs: { ...r.outputs, ...st.outputs },
    progress: { nodes, serversUp: nodes, installed: nodes, sections: Object.fromEntries(o.sections.map((x) => [x, nodes])) } };
  return only({ change: settled, requeueAfterMs: nextLook({ ...r, readyAt }, null, o.now) });

  function expire(why: string): Outcome {
    return { change: { desired: 'absent', state: 'deleting', reason: null, message: `deleted by the service: ${why}`, polls: 0 }, requeueAfterMs: 0 };
  }
}

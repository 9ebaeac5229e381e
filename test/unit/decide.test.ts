// The reconciler's decisions as a table, controller-runtime style: each row a record, an
// observation and the expected decision (state, reason, action, when to look again). The
// expected values are written from the rules in the README and architecture.md, not from
// the code's output. Then the outcomes of actions (settle) and the record merge.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterRecord, StackEventEntry } from '../../src/clusters/record.js';
import { CLUSTER_STATES, REASON_CODES } from '../../src/clusters/states.js';
import { settle, type ActionResult } from '../../src/provisioning/outcome.js';
import { decide, type Decision, type Observation, type Settings, type StackSeen } from '../../src/provisioning/decide.js';
import { applyChange } from '../../src/provisioning/reconciler.js';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString();
const S: Settings = { pollInitialMs: 1000, pollMaxMs: 15_000, deleteRetryMaxMs: 60_000, createTimeoutMinutes: 60, installTimeoutSeconds: 3600,
  updateTimeoutSeconds: 3600, deleteTimeoutSeconds: 1800, failedRetentionSeconds: 86_400, createInDoubtSeconds: 180 };

function rec(o: Partial<ClusterRecord> = {}): ClusterRecord {
  const state = o.state ?? 'pending';
  return {
    id: 'c1', projectId: 'p', userId: 'u', desired: 'present', state, reason: null, message: null,
    spec: { name: 'c', masterFlavor: 'f', workerFlavor: 'f', masterImage: 'i', workerImage: 'i', workers: 2, externalNetwork: 'public',
      networkName: 'n', frameworks: [], components: {}, facts: { workers: 2, nodes: 3 } },
    attributes: { 'icclab.disco.components.heat.slavecount': 2 }, stackName: 'disco-c1', stackId: null, stackStatus: null, stackStatusReason: null,
    outputs: { sshPublicKey: 'pk' }, sealedSecrets: 'x', createTokenExpiresAt: ago(-3600), createdAt: ago(600), updatedAt: ago(60), polls: 0,
    history: [{ time: ago(60), state }], ...o,
  };
}
const stack = (status: string, o: Partial<StackSeen> = {}): StackSeen =>
  ({ id: 's1', status, statusReason: '', workerCount: 2, outputs: { externalIp: '10.0.0.5' }, ...o });
const obs = (o: Partial<Observation> = {}): Observation =>
  ({ now: NOW, has: { credential: true, createToken: false }, sections: ['bootstrap', 'hadoop'], ...o });
const nodeEvent = (node: string, framework: string, status: 'SUCCESS' | 'FAILURE', reason: string): StackEventEntry =>
  ({ id: `${node}-${framework}-${status}`, time: new Date(NOW).toISOString(), source: 'node', node, framework, status, reason });
const following = (o: Partial<ClusterRecord> = {}) => rec({ stackId: 's1', stackStatus: 'CREATE_IN_PROGRESS', state: 'deploying', createTokenExpiresAt: null, ...o });
const deleting = (o: Partial<ClusterRecord> = {}) => following({ desired: 'absent', state: 'deleting', ...o });

interface Want { state?: string; reason?: string | null; message?: RegExp; action?: string; requeue?: number | undefined; remove?: boolean; after?: Record<string, unknown> }
type Row = [name: string, r: ClusterRecord, o: Observation, want: Want];

const rows: Row[] = [
  // ---- create: credential, then the stack
  ['new, token valid: make the credential', rec(), obs({ has: { credential: false, createToken: true } }), { action: 'makeCredential', requeue: 0 }],
  ['new, token past its expiry: AUTH_EXPIRED, nothing made', rec({ createTokenExpiresAt: ago(1) }), obs({ has: { credential: false, createToken: true } }),
    { state: 'failed', reason: 'AUTH_EXPIRED', message: /nothing was made/, action: 'none', requeue: 0 }],
  ['new, no token kept: AUTH_EXPIRED', rec(), obs({ has: { credential: false, createToken: false } }), { state: 'failed', reason: 'AUTH_EXPIRED' }],
  ['credential, no stack: the create, intent saved first', rec(), obs({ stack: null, has: { credential: true, createToken: true } }),
    { action: 'createStack', after: { createSentAt: new Date(NOW).toISOString() } }],
  ['credential, no stack, token expired: AUTH_EXPIRED before sending', rec({ createTokenExpiresAt: ago(5) }), obs({ stack: null, has: { credential: true, createToken: true } }),
    { state: 'failed', reason: 'AUTH_EXPIRED', message: /before the stack create was sent/, action: 'none' }],
  ['create in doubt (sent 10 s ago, no stack yet): look again, never send twice', rec({ createSentAt: ago(10), polls: 2 }), obs({ stack: null, has: { credential: true, createToken: true } }),
    { action: 'none', requeue: 3375, after: { polls: 3 } }],
  ['create in doubt window over: sent again', rec({ createSentAt: ago(181) }), obs({ stack: null, has: { credential: true, createToken: true } }), { action: 'createStack' }],
  ['stack found by name (an earlier attempt made it): adopted', rec({ createSentAt: ago(10) }), obs({ stack: stack('CREATE_IN_PROGRESS'), has: { credential: true, createToken: true } }),
    { state: 'deploying', action: 'none', requeue: 1000, after: { stackId: 's1', createSentAt: null } }],
  ['the credential refused while creating: AUTH_FAILED', rec(), obs({ stack: 'refused' }), { state: 'failed', reason: 'AUTH_FAILED' }],
  // ---- following the create
  ['create in progress, servers booting: deploying', following(), obs({ stack: stack('CREATE_IN_PROGRESS'), progress: { nodes: 3, serversUp: 1, installed: 0 } }),
    { state: 'deploying', action: 'none', requeue: 1500, after: { polls: 1 } }],
  ['create in progress, every server up: installing, polls restart', following({ polls: 4 }), obs({ stack: stack('CREATE_IN_PROGRESS'), progress: { nodes: 3, serversUp: 3, installed: 1 } }),
    { state: 'installing', requeue: 1000, after: { polls: 0 } }],
  ['create complete: ready, outputs and full progress, readyAt set', following(), obs({ stack: stack('CREATE_COMPLETE') }),
    { state: 'ready', reason: null, action: 'none', requeue: undefined, after: { readyAt: new Date(NOW).toISOString(), progress: { nodes: 3, serversUp: 3, installed: 3, sections: { bootstrap: 3, hadoop: 3 } } } }],
  ['ready with a lifetime: look again when it expires', following({ lifetimeSeconds: 30 }), obs({ stack: stack('CREATE_COMPLETE') }), { state: 'ready', requeue: 30_000 }],
  ['a node failed: BOOTSTRAP_FAILED naming node and framework', following(),
    obs({ stack: stack('CREATE_FAILED', { statusReason: 'Resource CREATE failed: WaitConditionFailure: resources.workers.resources[0].resources.wait: node=c-worker-0 framework=spark: unpack failed' }) }),
    { state: 'failed', reason: 'BOOTSTRAP_FAILED', message: /^node c-worker-0 failed to install spark: unpack failed$/, requeue: 0 }],
  // Heat rebuilds a nested reason with ': ' at every colon; the node's own signal event has its words
  ['a node failed, its signal read: the message in the node\'s own words', following(),
    obs({ stack: stack('CREATE_FAILED', { statusReason: 'Resource CREATE failed: WaitConditionFailure: resources.master.resources.wait: node=c-master framework=disco: artifact disco refused: of http: //h: 8079/d.tgz' }),
      events: [nodeEvent('c-worker-0', 'disco', 'FAILURE', 'the master could not get it'), nodeEvent('c-master', 'disco', 'SUCCESS', 'x'),
        nodeEvent('c-master', 'disco', 'FAILURE', 'artifact disco refused: of http://h:8079/d.tgz')] }),
    { state: 'failed', reason: 'BOOTSTRAP_FAILED', message: /^node c-master failed to install disco: artifact disco refused: of http:\/\/h:8079\/d\.tgz$/ }],
  ['a node failed, no node in the status reason: the first failure signal', following(),
    obs({ stack: stack('CREATE_FAILED', { statusReason: 'Resource CREATE failed: something: else' }), events: [nodeEvent('c-worker-1', 'spark', 'FAILURE', 'exit 1 at `x`: a:b')] }),
    { state: 'failed', reason: 'BOOTSTRAP_FAILED', message: /^node c-worker-1 failed to install spark: exit 1 at `x`: a:b$/ }],
  ['a node failed, events kept from an earlier look: read there', following({ stackEvents: [nodeEvent('c-worker-0', 'spark', 'FAILURE', 'unpack: failed')] }),
    obs({ stack: stack('CREATE_FAILED', { statusReason: 'Resource CREATE failed: WaitConditionFailure: resources.workers.resources[0].resources.wait: node=c-worker-0 framework=spark: unpack: failed' }) }),
    { state: 'failed', reason: 'BOOTSTRAP_FAILED', message: /^node c-worker-0 failed to install spark: unpack: failed$/ }],
  ['nodes never signalled: TIMEOUT naming the install phase', following(), obs({ stack: stack('CREATE_FAILED', { statusReason: 'WaitConditionTimeout: resources.master.resources.wait: 0 of 2 received' }) }),
    { state: 'failed', reason: 'TIMEOUT', message: /^install: not every node finished within 1 h \(SM_INSTALL_TIMEOUT_SECONDS\)/ }],
  ['the stack timed out: TIMEOUT naming the create phase', following(), obs({ stack: stack('CREATE_FAILED', { statusReason: 'Create timed out' }) }),
    { state: 'failed', reason: 'TIMEOUT', message: /^create: the stack did not complete within 60 min/ }],
  ['Heat failed the create: HEAT_CREATE_FAILED with its reason', following(), obs({ stack: stack('CREATE_FAILED', { statusReason: 'No valid host was found.' }) }),
    { state: 'failed', reason: 'HEAT_CREATE_FAILED', message: /^No valid host was found\.$/ }],
  ['the stack is gone from Heat: STACK_MISSING', following(), obs({ stack: null }), { state: 'failed', reason: 'STACK_MISSING', message: /no longer in Heat/ }],
  ['the stack deleted outside the service: STACK_MISSING', following({ state: 'ready' }), obs({ stack: stack('DELETE_COMPLETE') }), { state: 'failed', reason: 'STACK_MISSING', message: /deleted outside/ }],
  ['the credential refused: AUTH_FAILED', following(), obs({ stack: 'refused' }), { state: 'failed', reason: 'AUTH_FAILED' }],
  ['a suspend Heat could not do: OPENSTACK_ERROR', following({ state: 'updating', runstate: 'suspended' }), obs({ stack: stack('SUSPEND_FAILED', { statusReason: 'boom' }) }),
    { state: 'failed', reason: 'OPENSTACK_ERROR', message: /^boom$/ }],
  // ---- scale
  ['asked for 3 workers, Heat has 2: the PATCH', following({ state: 'updating', scaleFrom: 2, spec: { ...rec().spec, workers: 3 } }), obs({ stack: stack('CREATE_COMPLETE') }),
    { state: 'updating', action: 'patchWorkers', after: { polls: 0 } }],
  ['update in progress: updating, polls grow', following({ state: 'updating', polls: 1, stackStatus: 'UPDATE_IN_PROGRESS', scaleFrom: 2 }), obs({ stack: stack('UPDATE_IN_PROGRESS', { workerCount: 3 }) }),
    { state: 'updating', action: 'none', requeue: 2250, after: { polls: 2 } }],
  ['update longer than its timeout: TIMEOUT, the stack kept', following({ state: 'updating', history: [{ time: ago(3601), state: 'updating' }] }), obs({ stack: stack('UPDATE_IN_PROGRESS') }),
    { state: 'failed', reason: 'TIMEOUT', message: /^update: UPDATE_IN_PROGRESS for longer than 1 h/ }],
  ['update in progress within its timeout: no timeout yet', following({ state: 'updating', history: [{ time: ago(3599), state: 'updating' }] }), obs({ stack: stack('UPDATE_IN_PROGRESS') }),
    { state: 'updating', reason: null }],
  ['a scale failed: back to the count it came from, saying why', following({ state: 'updating', scaleFrom: 2, spec: { ...rec().spec, workers: 3 } }), obs({ stack: stack('UPDATE_FAILED', { statusReason: 'node c-worker-2 failed', workerCount: 3 }) }),
    { state: 'updating', message: /^scale to 3 workers failed \(node c-worker-2 failed\); back to 2 workers$/, action: 'none', requeue: 0,
      after: { scaleFrom: null, scaleFailure: 'scale to 3 workers failed (node c-worker-2 failed); back to 2 workers' } }],
  // the status reason as Heat gave it in a stack of drain.yaml's resources (measured on the local cloud)
  ['a scale-down whose drain failed: the master\'s reason, back to the count it came from', following({ state: 'updating', scaleFrom: 3, spec: { ...rec().spec, workers: 2 } }),
    obs({ stack: stack('UPDATE_FAILED', { statusReason: 'Resource UPDATE failed: Error: resources.drain: Deployment to server failed: drain_error : the drain of c-worker-2 did not end within 60 s: hdfs: 10.0.0.7', workerCount: 2 }) }),
    { state: 'updating', action: 'none', requeue: 0,
      after: { scaleFrom: null, scaleFailure: 'scale to 2 workers failed: the master could not drain the leaving workers: the drain of c-worker-2 did not end within 60 s: hdfs: 10.0.0.7; back to 3 workers',
        spec: { ...rec().spec, workers: 3, facts: { ...rec().spec.facts, workers: 3, nodes: 4 } } } }],
  ['the rollback: Heat still has 3 after the failed update, the record 2: the PATCH back', following({ state: 'updating', scaleFailure: 'x' }), obs({ stack: stack('UPDATE_FAILED', { workerCount: 3 }) }),
    { state: 'updating', action: 'patchWorkers' }],
  ['an update failed with no scale to undo: OPENSTACK_ERROR', following({ state: 'updating' }), obs({ stack: stack('UPDATE_FAILED', { statusReason: 'quota' }) }),
    { state: 'failed', reason: 'OPENSTACK_ERROR' }],
  ['rolled back and complete: ready, still saying why', following({ state: 'updating', scaleFailure: 'scale to 3 workers failed (x); back to 2 workers' }), obs({ stack: stack('UPDATE_COMPLETE') }),
    { state: 'ready', message: /^scale to 3 workers failed \(x\); back to 2 workers$/ }],
  ['a later scale done: ready, no message', following({ state: 'updating', scaleFrom: 2, message: 'scaling from 2 to 2 workers' }), obs({ stack: stack('UPDATE_COMPLETE') }),
    { state: 'ready', reason: null, after: { message: null, scaleFrom: null } }],
  // ---- suspend / resume
  ['asked to suspend a running stack: suspend', following({ state: 'updating', runstate: 'suspended' }), obs({ stack: stack('CREATE_COMPLETE') }), { state: 'updating', action: 'suspend', requeue: 1000 }],
  ['suspended as asked: suspended', following({ state: 'updating', runstate: 'suspended' }), obs({ stack: stack('SUSPEND_COMPLETE', { workerCount: 2 }) }), { state: 'suspended', action: 'none' }],
  ['asked to resume a suspended stack: resume', following({ state: 'updating', runstate: 'running' }), obs({ stack: stack('SUSPEND_COMPLETE') }), { action: 'resume' }],
  ['resumed: ready', following({ state: 'updating', runstate: 'running' }), obs({ stack: stack('RESUME_COMPLETE') }), { state: 'ready' }],
  // ---- expiry and retention
  ['lifetime passed since ready: deleted by the service', following({ state: 'ready', readyAt: ago(31), lifetimeSeconds: 30 }), obs(),
    { state: 'deleting', message: /^deleted by the service: its lifetime of 30 s from ready passed$/, action: 'none', requeue: 0, after: { desired: 'absent' } }],
  ['deadline passed: deleted by the service, even before ready', rec({ deadline: ago(1) }), obs({ has: { credential: false, createToken: true } }),
    { state: 'deleting', message: /its deadline .* passed/, after: { desired: 'absent' } }],
  ['failed, kept for inspection: look again when the retention ends', following({ state: 'failed', reason: 'TIMEOUT', history: [{ time: ago(600), state: 'failed' }] }), obs(),
    { action: 'none', requeue: 3_600_000, reason: 'TIMEOUT' }],
  ['failed past its retention: deleted by the service', following({ state: 'failed', history: [{ time: ago(86_401), state: 'failed' }] }), obs(),
    { state: 'deleting', message: /kept failed for inspection for 24 h/, after: { desired: 'absent' } }],
  // ---- delete: stack, credential, record
  ['delete, no credential (no stack ever made): the record goes', deleting(), obs({ has: { credential: false, createToken: false } }), { remove: true, action: 'none' }],
  ['delete, stack there: delete it, then follow', deleting(), obs({ stack: stack('CREATE_COMPLETE') }), { action: 'deleteStack', state: 'deleting', remove: false, requeue: 1000 }],
  ['delete, stack found by name only: its id kept', deleting({ stackId: null }), obs({ stack: stack('CREATE_IN_PROGRESS', { id: 's9' }) }), { action: 'deleteStack', after: { stackId: 's9' } }],
  ['delete in progress: wait, polls grow', deleting({ polls: 2 }), obs({ stack: stack('DELETE_IN_PROGRESS') }), { action: 'none', requeue: 3375, after: { polls: 3, stackStatus: 'DELETE_IN_PROGRESS' } }],
  ['delete failed: HEAT_DELETE_FAILED and the delete again, more slowly', deleting({ polls: 9 }), obs({ stack: stack('DELETE_FAILED', { statusReason: 'port busy' }) }),
    { action: 'deleteStack', state: 'deleting', reason: 'HEAT_DELETE_FAILED', message: /^delete failed, retrying: port busy$/ }],
  ['delete past its timeout: TIMEOUT, the delete sent again (a dead engine\'s lock is taken over)', deleting({ history: [{ time: ago(1801), state: 'deleting' }] }), obs({ stack: stack('DELETE_IN_PROGRESS') }),
    { state: 'deleting', reason: 'TIMEOUT', message: /^delete: the stack is still there after 30 min .*still trying$/, action: 'deleteStack' }],
  ['a create Heat never ended (its engine died): TIMEOUT after the create timeout and a grace', following({ createdAt: ago(3600 + 301) }), obs({ stack: stack('CREATE_IN_PROGRESS') }),
    { state: 'failed', reason: 'TIMEOUT', message: /^create: CREATE_IN_PROGRESS for longer than 60 min/ }],
  ['a create within its timeout and grace: still deploying', following({ createdAt: ago(3600 + 299) }), obs({ stack: stack('CREATE_IN_PROGRESS') }),
    { state: 'deploying', reason: null }],
  ['stack gone: said (deleted) before the credential goes, then the record', deleting(), obs({ stack: null }),
    { state: 'deleted', action: 'deleteCredential', after: { stackGoneAt: new Date(NOW).toISOString() } }],
  ['Heat says DELETE_COMPLETE: gone', deleting(), obs({ stack: stack('DELETE_COMPLETE') }), { state: 'deleted', action: 'deleteCredential' }],
  ['stack gone earlier (stackGoneAt): the credential, without asking Heat', deleting({ stackGoneAt: ago(3), state: 'deleted' }), obs(), { action: 'deleteCredential' }],
  ['delete while a create is in doubt and no stack yet: wait for it', deleting({ stackId: null, createSentAt: ago(20) }), obs({ stack: null }), { action: 'none', state: 'deleting' }],
  ['delete, the credential refused: AUTH_FAILED said, tried again later', deleting(), obs({ stack: 'refused' }), { action: 'none', reason: 'AUTH_FAILED', requeue: 60_000 }],
];

/** The record a decision leaves after its "before" change (or its whole step when it takes no action). */
function after(r: ClusterRecord, d: Decision): ClusterRecord {
  return d.before.change ? applyChange(r, d.before.change, new Date(NOW).toISOString()) : r;
}

const produced = { states: new Set<string>(), reasons: new Set<string>() };
const note = (c: { state?: string; reason?: string | null } | undefined) => {
  if (c?.state) produced.states.add(c.state);
  if (c?.reason) produced.reasons.add(c.reason);
};

for (const [name, r, o, want] of rows) {
  test(`decide: ${name}`, () => {
    const d = decide(r, o, S);
    note(d.before.change);
    note(d.onDone.change);
    const next = after(r, d);
    const step = d.action.kind === 'none' ? d.before : d.onDone;
    if (want.action !== undefined) assert.equal(d.action.kind, want.action, 'action');
    if (want.state !== undefined) assert.equal(next.state, want.state, 'state');
    if ('reason' in want) assert.equal(next.reason ?? undefined, want.reason ?? undefined, 'reason');
    if (want.message) assert.match(next.message ?? '', want.message, 'message');
    if ('requeue' in want) assert.equal(step.requeueAfterMs, want.requeue, 'requeue');
    if (want.remove !== undefined) assert.equal(!!d.before.remove || !!d.onDone.remove, want.remove, 'remove');
    for (const [k, v] of Object.entries(want.after ?? {})) assert.deepEqual((next as unknown as Record<string, unknown>)[k], v, k);
  });
}

test('decide: a settings change moves the timers (retention 0 is until DELETE; a short in-doubt window)', () => {
  const failed = following({ state: 'failed', history: [{ time: ago(11), state: 'failed' }] });
  assert.equal(decide(failed, obs(), { ...S, failedRetentionSeconds: 10 }).before.change?.desired, 'absent');
  assert.equal(decide(failed, obs(), { ...S, failedRetentionSeconds: 0 }).before.requeueAfterMs, undefined);
  assert.equal(decide(failed, obs(), { ...S, failedRetentionSeconds: 20 }).before.requeueAfterMs, 9000, 'looked at when the retention ends');
  const doubt = rec({ createSentAt: ago(21) });
  assert.equal(decide(doubt, obs({ stack: null, has: { credential: true, createToken: true } }), { ...S, createInDoubtSeconds: 20 }).action.kind, 'createStack');
});

test('settle: a create refused says why and clears the doubt; one that exists is adopted; one whose answer is unknown is not a result', () => {
  const d = decide(rec(), obs({ stack: null, has: { credential: true, createToken: true } }), S);
  assert.equal(d.action.kind, 'createStack');
  const cases: [ActionResult, string | undefined, string | undefined][] = [
    [{ kind: 'authRefused' }, 'failed', 'AUTH_EXPIRED'],
    [{ kind: 'gone' }, 'failed', 'AUTH_EXPIRED'],
    [{ kind: 'overLimit', message: 'Quota exceeded for instances' }, 'failed', 'QUOTA'],
    [{ kind: 'refused', message: 'Property error' }, 'failed', 'HEAT_CREATE_FAILED'],
  ];
  for (const [result, state, reason] of cases) {
    const out = settle(d, result, S);
    assert.equal(out.change?.state, state, result.kind);
    assert.equal(out.change?.reason, reason, result.kind);
    assert.equal(out.change?.createSentAt, null, `${result.kind}: nothing was made, no doubt left`);
  }
  assert.deepEqual(settle(d, { kind: 'exists' }, S), { requeueAfterMs: 0 });
  const done = settle(d, { kind: 'done', stackId: 's7' }, S);
  assert.equal(done.change?.stackId, 's7');
  assert.equal(done.change?.state, 'deploying');
  assert.deepEqual(done.secrets, { createToken: undefined }, "the caller's token is dropped once Heat accepted the create");
});

test('settle: the credential made is kept; the credential delete ends with the record gone whatever Keystone says', () => {
  const make = decide(rec(), obs({ has: { credential: false, createToken: true } }), S);
  assert.deepEqual(settle(make, { kind: 'done', credential: { id: 'ac', secret: 'sec' } }, S).secrets, { appCredentialId: 'ac', appCredentialSecret: 'sec' });
  assert.equal(settle(make, { kind: 'authRefused' }, S).change?.reason, 'AUTH_EXPIRED');
  const del = decide(deleting({ stackGoneAt: ago(1) }), obs(), S);
  for (const result of [{ kind: 'done' }, { kind: 'gone' }, { kind: 'authRefused' }] as ActionResult[]) assert.equal(settle(del, result, S).remove, true);
});

test('settle: a stack delete refused is retried later and says why; a scale Heat refuses fails the cluster', () => {
  const del = decide(deleting(), obs({ stack: stack('CREATE_COMPLETE') }), S);
  const out = settle(del, { kind: 'refused', message: 'in use' }, S);
  assert.equal(out.change?.reason, 'HEAT_DELETE_FAILED');
  assert.equal(out.requeueAfterMs, 60_000);
  assert.equal(out.change?.state, undefined, 'still deleting');
  assert.deepEqual(settle(del, { kind: 'gone' }, S), { requeueAfterMs: 0 });
  const scale = decide(following({ state: 'updating', spec: { ...rec().spec, workers: 3 } }), obs({ stack: stack('CREATE_COMPLETE') }), S);
  assert.equal(settle(scale, { kind: 'refused', message: 'no' }, S).change?.reason, 'OPENSTACK_ERROR');
  assert.equal(settle(scale, { kind: 'done' }, S).requeueAfterMs, 1000);
});

test('applyChange: a DELETE that arrived meanwhile wins; a new state restarts the polls; the history gets the transition', () => {
  const now = new Date(NOW).toISOString();
  const cur = deleting({ polls: 3, message: null });
  const next = applyChange(cur, { state: 'ready', message: 'x' }, now);
  assert.equal(next.state, 'deleting');
  assert.equal(next.message, null);
  assert.equal(applyChange(cur, { state: 'deleted' }, now).state, 'deleted', 'the delete itself moves on');
  const moved = applyChange(following({ polls: 5 }), { state: 'installing' }, now);
  assert.equal(moved.polls, 0);
  assert.deepEqual(moved.history?.at(-1), { time: now, state: 'installing' });
  assert.equal(applyChange(following({ polls: 5 }), { state: 'deploying' }, now).polls, 5, 'same state: polls kept');
});

test('every state and reason code is produced by some decision (pending: by the API\'s create)', () => {
  for (const [, r, o] of rows) {
    const d = decide(r, o, S);
    note(d.before.change); note(d.onDone.change);
    if (d.action.kind !== 'none') {
      for (const result of [{ kind: 'authRefused' }, { kind: 'overLimit', message: 'm' }, { kind: 'refused', message: 'm' }, { kind: 'gone' }] as ActionResult[]) {
        note(settle(d, result, S).change);
      }
    }
  }
  assert.deepEqual([...CLUSTER_STATES].filter((x) => x !== 'pending' && !produced.states.has(x)), [], 'states never produced');
  assert.deepEqual(Object.keys(REASON_CODES).filter((x) => !produced.reasons.has(x)), [], 'reasons never produced');
});

// What Reconcile(id) reads of the cloud, as pure functions (src/provisioning/observe.ts): the
// stack's outputs only when a decision may read them, events only when something moved.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { needsOutputs, wantEvents } from '../../src/provisioning/observe.js';
import type { StackSeen } from '../../src/provisioning/decision-types.js';

test('outputs are resolved only for a complete stack of a cluster that stays (ready, a scale or a resume done)', () => {
  const rows: [string, 'present' | 'absent', string, boolean][] = [
    ['create done: ready reads the addresses', 'present', 'CREATE_COMPLETE', true],
    ['scale done: the new workers\' addresses', 'present', 'UPDATE_COMPLETE', true],
    ['resumed', 'present', 'RESUME_COMPLETE', true],
    ['suspended', 'present', 'SUSPEND_COMPLETE', true],
    ['being created: every poll would ask Nova and Neutron for each node', 'present', 'CREATE_IN_PROGRESS', false],
    ['being scaled', 'present', 'UPDATE_IN_PROGRESS', false],
    ['failed', 'present', 'CREATE_FAILED', false],
    ['a scale failed', 'present', 'UPDATE_FAILED', false],
    ['being deleted', 'absent', 'DELETE_IN_PROGRESS', false],
    ['asked to go, still complete', 'absent', 'CREATE_COMPLETE', false],
    ['deleted', 'absent', 'DELETE_COMPLETE', false],
  ];
  for (const [why, desired, status, want] of rows) assert.equal(needsOutputs({ desired }, status), want, why);
});

test('events: when the stack moved, or while it works (a create once every server is up)', () => {
  const st = (status: string): StackSeen => ({ id: 's', status, statusReason: '', workerCount: 1, outputs: {} });
  assert.equal(wantEvents({ stackStatus: 'CREATE_IN_PROGRESS' } as never, st('CREATE_COMPLETE'), true), true);
  assert.equal(wantEvents({ stackStatus: 'CREATE_IN_PROGRESS' } as never, st('CREATE_IN_PROGRESS'), false), false);
  assert.equal(wantEvents({ stackStatus: 'CREATE_IN_PROGRESS' } as never, st('CREATE_IN_PROGRESS'), true), true);
  assert.equal(wantEvents({ stackStatus: 'UPDATE_IN_PROGRESS' } as never, st('UPDATE_IN_PROGRESS'), false), true);
  assert.equal(wantEvents({ stackStatus: 'CREATE_COMPLETE' } as never, st('CREATE_COMPLETE'), true), false);
});

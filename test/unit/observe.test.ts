// What Reconcile(id) reads of the cloud, as pure functions (src/provisioning/observe.ts): the
// stack's outputs only when a decision may read them, events only when something moved.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { needsOutputs, wantEvents } from '../../src/provisioning/observe.js';
import { needsResources, progressFromEvents } from '../../src/provisioning/progress.js';
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

const heat = (stack: string, resource: string, status: string) => ({ id: `${stack}/${resource}/${status}`, time: '2026-12-07T08:00:00Z', source: 'heat' as const, stack, resource, status, reason: '' });
const signal = (node: string, framework: string) => ({ id: `${node}/${framework}`, time: '2026-12-07T08:00:01Z', source: 'node' as const, node, framework, status: 'SUCCESS' as const, reason: '' });

test('a create\'s progress from the events alone: each node stack\'s server and wait condition, counted once', () => {
  const events = [
    heat('c-master-x', 'server', 'CREATE_IN_PROGRESS'), heat('c-master-x', 'server', 'CREATE_COMPLETE'),
    heat('c-w0-y', 'server', 'CREATE_COMPLETE'), heat('c-w0-y', 'server', 'CREATE_COMPLETE'), // Heat may log one twice: one node
    heat('c-w1-z', 'server', 'CREATE_IN_PROGRESS'),
    heat('c-master-x', 'installed', 'CREATE_COMPLETE'), heat('c-w0-y', 'installed', 'CREATE_IN_PROGRESS'),
    heat('c', 'workers', 'CREATE_COMPLETE'), // not a node's resource
    signal('c-master', 'bootstrap'), signal('c-master', 'hadoop'), signal('c-w0', 'bootstrap'),
  ];
  // two of three servers complete: no sections yet (as from the resources)
  assert.deepEqual(progressFromEvents(events, 3, ['bootstrap', 'hadoop']), { nodes: 3, serversUp: 2, installed: 1 });
  const all = [...events, heat('c-w1-z', 'server', 'CREATE_COMPLETE')];
  assert.deepEqual(progressFromEvents(all, 3, ['bootstrap', 'hadoop']), { nodes: 3, serversUp: 3, installed: 1, sections: { bootstrap: 2, hadoop: 1 } });
});

test('the nested resources are read until the last poll saw every server up, then the events alone', () => {
  const rows: [string, Parameters<typeof needsResources>[0], number, boolean][] = [
    ['first poll: no progress yet', undefined, 3, true],
    ['servers still building', { nodes: 3, serversUp: 2, installed: 0 }, 3, true],
    ['every server up', { nodes: 3, serversUp: 3, installed: 1 }, 3, false],
    ['every server of a smaller cluster (the worker count changed since)', { nodes: 2, serversUp: 2, installed: 2 }, 3, true],
  ];
  for (const [why, previous, nodes, want] of rows) assert.equal(needsResources(previous, nodes), want, why);
});

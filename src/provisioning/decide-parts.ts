// The small pieces decide() is written with: the settings it reads, a failure, what Heat
// said of the stack, a delete that is late, and how a failed create reads.
import type { ClusterRecord, StackEventEntry } from '../clusters/record.js';
import type { ReasonCode } from '../clusters/states.js';
import { nodeReason, type NodeSignal } from '../heat/node-signal.js';
import type { Outcome, Patch, Settings, StackSeen } from './decision-types.js';
import { phaseStart } from './timing.js';

/** The cluster failed: said, and looked at once more right away (a DELETE may be waiting). */
export function fail(reason: ReasonCode, message: string, extra: Patch = {}): Outcome {
  return { change: { ...extra, state: 'failed', reason, message }, requeueAfterMs: 0 };
}

/** What Heat said of the stack, as the record keeps it. */
export function seen(st: StackSeen): Patch {
  return { stackStatus: st.status, stackStatusReason: st.statusReason || null };
}

/** A delete is never given up, but one past its timeout says so. */
export function late(r: ClusterRecord, now: number, s: Settings): Patch {
  const limit = s.deleteTimeoutSeconds;
  if (phaseStart(r) + limit * 1000 > now) return {};
  return { reason: 'TIMEOUT', message: `delete: the stack is still there after ${fmt(limit)} (SM_DELETE_TIMEOUT_SECONDS); still trying` };
}

/** The node failure a CREATE_FAILED stack's status reason names, in the node's own words: Heat
 * rebuilds a nested resource's reason by splitting it at every ':' and joining with ': ', so
 * the text is taken from the node's FAILURE signal event when it was read (the first one, when
 * the status reason names no node), else from the status reason. */
export function failedNode(statusReason: string, events: readonly StackEventEntry[] | undefined): NodeSignal | null {
  const named = nodeReason(statusReason);
  const failures = (events ?? []).filter((e): e is Extract<StackEventEntry, { source: 'node' }> => e.source === 'node' && e.status === 'FAILURE');
  const own = named ? failures.find((e) => e.node === named.node && e.framework === named.framework) : failures[0];
  return own ? { node: own.node, framework: own.framework, text: own.reason } : named;
}

/** A CREATE_FAILED stack's reason code and message: a node's failure, the install or the create timeout, or Heat's own. */
export function classifyCreateFailure(statusReason: string, node: NodeSignal | null, s: Settings): [ReasonCode, string] {
  if (node) return ['BOOTSTRAP_FAILED', `node ${node.node} failed to install ${node.framework}: ${node.text}`];
  if (/WaitConditionTimeout/.test(statusReason)) {
    return ['TIMEOUT', `install: not every node finished within ${fmt(s.installTimeoutSeconds)} (SM_INSTALL_TIMEOUT_SECONDS): ${statusReason}`];
  }
  if (/timed out/i.test(statusReason)) {
    return ['TIMEOUT', `create: the stack did not complete within ${s.createTimeoutMinutes} min (SM_CREATE_TIMEOUT_MINUTES): ${statusReason}`];
  }
  return ['HEAT_CREATE_FAILED', statusReason];
}

/** Why a scale failed, from the UPDATE_FAILED stack's reason: the master's own words when its
 * drain of the leaving workers failed (the deployment's drain_error: templates/node/drain.sh). */
export function scaleFailure(workers: number, from: number, statusReason: string): string {
  const drain = / drain_error : (.*)$/s.exec(statusReason);
  const why = drain ? `: the master could not drain the leaving workers: ${drain[1]!.trim()}` : ` (${statusReason})`;
  return `scale to ${workers} workers failed${why}; back to ${from} workers`;
}

/** "1 min", "90 s", "2 h": a timer's length as a person reads it. */
export function fmt(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

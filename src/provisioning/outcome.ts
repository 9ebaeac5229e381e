// What follows a cloud action, as a pure function of the decision and the action's result:
// its success (the decision's onDone, with what the action returned) or a refusal, which
// the runner's error mapping (actions.ts) reduced to one of a few kinds. Errors that leave
// the outcome unknown (a timeout, a 5xx) are not results: the runner throws them and the
// queue retries the whole step, which reads the cloud again.
import { fail } from './decide-parts.js';
import type { Decision, Outcome, Settings } from './decision-types.js';

export type ActionResult =
  | { kind: 'done'; stackId?: string; credential?: { id: string; secret: string } }
  /** Heat already has a stack of this name (an earlier attempt made it). */
  | { kind: 'exists' }
  /** The thing acted on is not there (404). */
  | { kind: 'gone' }
  /** Keystone refused the token or credential the action used. */
  | { kind: 'authRefused' }
  /** Over a quota (413, or 403 with a quota message). */
  | { kind: 'overLimit'; message: string }
  /** Any other definite refusal (400, 403): nothing was made. */
  | { kind: 'refused'; message: string };

export function settle(d: Decision, result: ActionResult, s: Pick<Settings, 'deleteRetryMaxMs'>): Outcome {
  const kind = d.action.kind;
  if (result.kind === 'done') {
    return {
      ...d.onDone,
      change: { ...d.onDone.change, ...(result.stackId ? { stackId: result.stackId } : {}) },
      ...(result.credential ? { secrets: { ...d.onDone.secrets, appCredentialId: result.credential.id, appCredentialSecret: result.credential.secret } } : {}),
    };
  }
  switch (kind) {
    case 'makeCredential':
      // the only refusal that can come back is the caller's token's
      return fail('AUTH_EXPIRED', "the caller's token is no longer valid; nothing was made");
    case 'createStack': {
      // a definite refusal made nothing: no doubt left
      const nothing = { createSentAt: null };
      if (result.kind === 'exists') return { requeueAfterMs: 0 }; // made by an earlier attempt: adopted on the next look
      if (result.kind === 'gone' || result.kind === 'authRefused') return fail('AUTH_EXPIRED', "the caller's token is no longer valid; nothing was made", nothing);
      if (result.kind === 'overLimit') return fail('QUOTA', result.message, nothing);
      return fail('HEAT_CREATE_FAILED', result.message, nothing);
    }
    case 'deleteStack':
      if (result.kind === 'gone' || result.kind === 'exists') return { requeueAfterMs: 0 }; // already gone: look again
      // never given up: the record says why, and the delete is tried again later
      return { change: { reason: result.kind === 'authRefused' ? 'AUTH_FAILED' : 'HEAT_DELETE_FAILED',
        message: `delete refused, retrying: ${result.kind === 'authRefused' ? "Keystone refused the cluster's application credential" : result.message}` },
        requeueAfterMs: s.deleteRetryMaxMs };
    case 'deleteCredential':
      return { remove: true }; // gone already, or it no longer opens anything: nothing left to remove
    case 'patchWorkers': case 'suspend': case 'resume':
      if (result.kind === 'gone' || result.kind === 'exists') return { requeueAfterMs: 0 };
      if (result.kind === 'authRefused') return fail('AUTH_FAILED', "Keystone refused the cluster's application credential");
      return fail('OPENSTACK_ERROR', `${kind === 'patchWorkers' ? 'scale' : kind}: Heat refused: ${result.message}`);
    case 'none':
      return d.before;
  }
}

// The cloud actions decisions ask for, each one call (or a validation and a call), with
// OpenStack's errors reduced to the results outcome.ts knows. Whatever leaves the result
// unknown (a timeout, a 5xx, a lost connection) is thrown: the step is retried and reads
// the cloud again first.
import type { ClusterRecord, ClusterSecrets } from '../clusters/record.js';
import { nodeSecrets } from '../clusters/secrets.js';
import type { Config } from '../config/schema.js';
import type { ClusterRenderer } from '../heat/renderer.js';
import {
  BadRequestError, ConflictError, ForbiddenError, NotFoundError, OverLimitError, UnauthorizedError, type OpenStack,
} from '../openstack/index.js';
import { ensureApplicationCredential } from './app-credential.js';
import type { CloudAccess } from './cloud-access.js';
import type { Action } from './decision-types.js';
import type { ActionResult } from './outcome.js';

export interface ActionContext {
  access: CloudAccess;
  renderer: ClusterRenderer;
  config: Config;
}

/** A definite answer from OpenStack as a result; anything else thrown. */
function refusal(e: unknown): ActionResult {
  if (e instanceof ConflictError) return { kind: 'exists' };
  if (e instanceof UnauthorizedError) return { kind: 'authRefused' };
  if (e instanceof NotFoundError) return { kind: 'gone' };
  if (e instanceof OverLimitError) return { kind: 'overLimit', message: e.osMessage ?? e.message };
  if (e instanceof BadRequestError || e instanceof ForbiddenError) return { kind: 'refused', message: e.osMessage ?? e.message };
  throw e;
}

async function attempt(f: () => Promise<ActionResult>): Promise<ActionResult> {
  try { return await f(); } catch (e) { return refusal(e); }
}

export async function perform(a: Action, r: ClusterRecord, s: ClusterSecrets, c: ActionContext): Promise<ActionResult> {
  const os = (): OpenStack => c.access.forCluster(r.id, s);
  const stack = { name: r.stackName, id: r.stackId ?? '' };
  switch (a.kind) {
    case 'none': return { kind: 'done' };
    case 'makeCredential': {
      const caller = await callerToken(c, s);
      if (!caller) return { kind: 'authRefused' };
      return { kind: 'done', credential: await ensureApplicationCredential(c.access, caller, r.id) };
    }
    case 'createStack': {
      const { securityRules: _rules, ...input } = c.renderer.render(r.spec, {
        clusterId: r.id, sshPublicKey: r.outputs.sshPublicKey!, settings: c.config.clusters,
        installTimeoutSeconds: c.config.provisioning.installTimeoutSeconds, nodeSecrets: nodeSecrets(s),
        drainTimeoutSeconds: c.config.provisioning.drainTimeoutSeconds });
      input.timeoutMins = c.config.provisioning.createTimeoutMinutes;
      const caller = await callerToken(c, s);
      if (!caller) return { kind: 'authRefused' };
      // Heat refuses a stack create made with an application credential: the caller's own token
      return attempt(async () => ({ kind: 'done', stackId: (await c.access.heatAsCaller(caller).createStack(r.stackName, input)).id }));
    }
    case 'patchWorkers':
      // a PATCH keeps everything else, user_data included
      return attempt(async () => {
        await os().heat.patchStack(stack, { parameters: { worker_count: a.workers }, timeoutMins: c.config.provisioning.createTimeoutMinutes });
        return { kind: 'done' };
      });
    case 'suspend': return attempt(async () => { await os().heat.suspend(stack); return { kind: 'done' }; });
    case 'resume': return attempt(async () => { await os().heat.resume(stack); return { kind: 'done' }; });
    case 'deleteStack': return attempt(async () => { await os().heat.deleteStack(stack); return { kind: 'done' }; });
    case 'deleteCredential': {
      // the credential removes itself (Keystone lets an unrestricted one do that)
      const result = await attempt(async () => {
        const cloud = os();
        await cloud.keystone.deleteApplicationCredential(await cloud.session.token(), s.appCredentialId!);
        return { kind: 'done' };
      });
      c.access.forget(r.id);
      return result;
    }
  }
}

/** The caller's token, checked with Keystone now; undefined when it expired or was revoked. */
async function callerToken(c: ActionContext, s: ClusterSecrets) {
  if (!s.createToken) return undefined;
  try { return await c.access.callerToken(s.createToken); } catch (e) {
    if (e instanceof NotFoundError || e instanceof UnauthorizedError) return undefined;
    throw e;
  }
}

// The create side of Reconcile(id): make the cluster's application credential with the
// caller's token, then send the stack create with that token (Heat refuses a create made
// with an application credential); a stack found by name is adopted, never made twice.
import type { ClusterRecord, ClusterSecrets } from '../clusters/record.js';
import { nodeSecrets } from '../clusters/secrets.js';
import {
  BadRequestError, ConflictError, ForbiddenError, NotFoundError, OverLimitError, UnauthorizedError,
} from '../openstack/index.js';
import { ensureApplicationCredential } from './app-credential.js';
import type { Reconciler } from './reconciler.js';
import { createInDoubt, NOW, type Step } from './timing.js';

export async function createStack(host: Reconciler, r: ClusterRecord, s: ClusterSecrets): Promise<Step> {
  const expired = !s.createToken || (r.createTokenExpiresAt !== null && Date.parse(r.createTokenExpiresAt) <= Date.now());
  if (!s.appCredentialId) {
    if (expired) return host.fail(r, 'AUTH_EXPIRED', "the caller's token expired before the cluster could be created; nothing was made");
    let caller;
    try { caller = await host.d.access.callerToken(s.createToken!); } catch (e) {
      if (e instanceof NotFoundError || e instanceof UnauthorizedError) {
        return host.fail(r, 'AUTH_EXPIRED', "the caller's token is no longer valid; nothing was made");
      }
      throw e;
    }
    const ac = await ensureApplicationCredential(host.d.access, caller, r.id);
    await host.save(r, { sealedSecrets: host.sealed(r, { ...s, appCredentialId: ac.id, appCredentialSecret: ac.secret }) });
    return NOW;
  }
  const os = host.d.access.forCluster(r.id, s);
  const existing = await host.findStack(os, r.stackName);
  const withoutToken = host.sealed(r, { ...s, createToken: undefined });
  if (existing) {
    await host.save(r, { stackId: existing.id, stackStatus: existing.status, state: 'deploying',
      sealedSecrets: withoutToken, createTokenExpiresAt: null, createSentAt: null, polls: 0 });
    return host.poll(0);
  }
  // a create went out and its answer was lost: look again for a while before sending another
  if (createInDoubt(r)) return host.poll(r.polls + 1);
  if (expired) return host.fail(r, 'AUTH_EXPIRED', "the caller's token expired before the stack create was sent; nothing was made");
  const { securityRules: _rules, ...input } = host.d.renderer.render(r.spec,
    { clusterId: r.id, sshPublicKey: r.outputs.sshPublicKey!, settings: host.d.config.clusters,
      installTimeoutMinutes: host.d.config.provisioning.installTimeoutMinutes, nodeSecrets: nodeSecrets(s) });
  input.timeoutMins = host.d.config.provisioning.createTimeoutMinutes;
  const caller = await host.d.access.callerToken(s.createToken!).catch((e: unknown) => {
    if (e instanceof NotFoundError || e instanceof UnauthorizedError) return undefined;
    throw e;
  });
  if (!caller) return host.fail(r, 'AUTH_EXPIRED', "the caller's token is no longer valid; nothing was made");
  // the intent is recorded before the create goes out, so a crash or a lost answer is known
  await host.save(r, { createSentAt: new Date().toISOString() });
  try {
    const ref = await host.d.access.heatAsCaller(caller).createStack(r.stackName, input);
    await host.save(r, { stackId: ref.id, state: 'deploying', stackStatus: 'CREATE_IN_PROGRESS',
      sealedSecrets: withoutToken, createTokenExpiresAt: null, createSentAt: null, polls: 0 });
    host.log.info({ clusterId: r.id, stackId: ref.id }, 'stack create sent');
    return host.poll(0);
  } catch (e) {
    if (e instanceof ConflictError) return NOW; // created by an earlier attempt: adopt it next step
    const refused = e instanceof NotFoundError || e instanceof UnauthorizedError || e instanceof OverLimitError
      || e instanceof BadRequestError || e instanceof ForbiddenError;
    // a definite refusal made nothing: no doubt left
    if (refused) await host.save(r, { createSentAt: null });
    if (e instanceof NotFoundError || e instanceof UnauthorizedError) {
      return host.fail(r, 'AUTH_EXPIRED', "the caller's token is no longer valid; nothing was made");
    }
    if (e instanceof OverLimitError) return host.fail(r, 'QUOTA', e.osMessage ?? e.message);
    if (e instanceof BadRequestError || e instanceof ForbiddenError) return host.fail(r, 'HEAT_CREATE_FAILED', e.osMessage ?? e.message);
    throw e; // a timeout or a 5xx: the stack may exist; createSentAt makes the next runs look first
  }
}

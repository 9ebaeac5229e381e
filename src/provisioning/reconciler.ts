// Reconcile(id), as a Kubernetes controller does it: read the desired state (the record)
// and the actual one (the Heat stack, found by its deterministic name), take ONE idempotent
// step, and say when to look again. A crash anywhere, a duplicate job or a restart never
// makes a second stack: Heat refuses a second stack of the same name, and a stack found by
// name is adopted. This file follows a stack; create-step.ts makes it, teardown.ts removes it.
import { expiresAt } from '../clusters/expiry.js';
import { recordTransition } from '../clusters/history.js';
import type { ClusterRecord, ClusterSecrets } from '../clusters/record.js';
import { withWorkers } from '../clusters/scale.js';
import { openSecrets, sealSecrets } from '../clusters/secrets.js';
import type { ClusterState, ReasonCode } from '../clusters/states.js';
import type { Config } from '../config/schema.js';
import type { SecretBox } from '../crypto/secret-box.js';
import { nodeReason } from '../heat/node-signal.js';
import { outputsToFields, type ClusterRenderer } from '../heat/renderer.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { NotFoundError, UnauthorizedError, type OpenStack, type Stack } from '../openstack/index.js';
import type { ClusterStore } from '../store/cluster-store.js';
import type { CloudAccess } from './cloud-access.js';
import { createStack } from './create-step.js';
import { nodeProgress } from './progress.js';
import { teardown } from './teardown.js';
import { DONE, NOW, nextLook, phaseStart, retentionEnd, type Step } from './timing.js';

export interface ReconcilerDeps {
  store: ClusterStore;
  box: SecretBox;
  renderer: ClusterRenderer;
  access: CloudAccess;
  config: Config;
  logger?: Logger;
}

export type { Step } from './timing.js';

export type Patch = Partial<Omit<ClusterRecord, 'id' | 'projectId' | 'userId' | 'desired' | 'createdAt'>>;

export class Reconciler {
  readonly log: Logger;

  constructor(readonly d: ReconcilerDeps) {
    this.log = d.logger ?? silentLogger;
  }

  async reconcile(id: string): Promise<Step> {
    const r = await this.d.store.get(id);
    if (!r) return DONE;
    const secrets = openSecrets(this.d.box, r);
    if (r.desired === 'absent') return teardown(this, r, secrets);
    const expires = expiresAt(r, r.readyAt);
    if (expires && Date.parse(expires) <= Date.now()) return this.expire(r);
    if (r.state === 'failed') {
      const end = retentionEnd(r, this.d.config.provisioning.failedRetentionMinutes);
      if (end !== null && end <= Date.now()) return this.expire(r, `kept failed for inspection for ${this.d.config.provisioning.failedRetentionMinutes} min (SM_FAILED_RETENTION_MINUTES)`);
      return nextLook(r, end);
    }
    if (!r.stackId) return createStack(this, r, secrets);
    return this.follow(r, secrets);
  }

  /** A settled cluster's next look: when it expires (at most an hour away: timers are not for days). */
  private async expire(r: ClusterRecord, reason?: string): Promise<Step> {
    const why = reason ?? (r.deadline && Date.parse(r.deadline) <= Date.now() ? `its deadline ${r.deadline} passed` : `its lifetime of ${r.lifetimeSeconds} s from ready passed`);
    this.log.info({ clusterId: r.id, why }, 'cluster expired');
    await this.d.store.update(r.id, (cur) => recordTransition(cur, { ...cur, desired: 'absent', state: 'deleting', reason: null,
      message: `deleted by the service: ${why}`, polls: 0, updatedAt: new Date().toISOString() }));
    return NOW;
  }

  /** Poll delay after `polls` polls in a phase: grows by half each time, pollInitialMs to pollMaxMs. */
  poll(polls: number): Step {
    const p = this.d.config.provisioning;
    return { requeueAfterMs: Math.min(p.pollMaxMs, Math.round(p.pollInitialMs * 1.5 ** polls)) };
  }

  async save(r: ClusterRecord, patch: Patch): Promise<ClusterRecord | undefined> {
    return this.d.store.update(r.id, (cur) => {
      const next = { ...cur, ...patch, updatedAt: new Date().toISOString() };
      // a DELETE that arrived meanwhile wins over whatever this step concluded
      if (cur.desired === 'absent' && next.state !== 'deleting') next.state = 'deleting';
      if (patch.state !== undefined && patch.state !== cur.state && patch.polls === undefined) next.polls = 0;
      if (next.state === 'ready' && !next.readyAt) next.readyAt = next.updatedAt;
      return recordTransition(cur, next);
    });
  }

  async fail(r: ClusterRecord, reason: ReasonCode, message: string): Promise<Step> {
    this.log.warn({ clusterId: r.id, reason, message }, 'cluster failed');
    await this.save(r, { state: 'failed', reason, message });
    return NOW; // once more: a DELETE may be waiting
  }

  sealed(r: ClusterRecord, s: ClusterSecrets): string {
    return sealSecrets(this.d.box, r.id, s);
  }

  async findStack(os: OpenStack, name: string): Promise<Stack | undefined> {
    try { return await os.heat.getStack(name); } catch (e) {
      if (e instanceof NotFoundError) return undefined;
      throw e;
    }
  }

  private async follow(r: ClusterRecord, s: ClusterSecrets): Promise<Step> {
    const os = this.d.access.forCluster(r.id, s);
    let stack: Stack;
    try { stack = await os.heat.getStack({ name: r.stackName, id: r.stackId! }); } catch (e) {
      if (e instanceof NotFoundError) return this.fail(r, 'STACK_MISSING', `stack ${r.stackName} is no longer in Heat`);
      if (e instanceof UnauthorizedError) return this.fail(r, 'AUTH_FAILED', "Keystone refused the cluster's application credential");
      throw e;
    }
    const seen = { stackStatus: stack.status, stackStatusReason: stack.statusReason || null };
    const st = stack.status;
    if (st.startsWith('DELETE_')) return this.fail(r, 'STACK_MISSING', `stack ${r.stackName} was deleted outside this service`);
    if (st === 'CREATE_FAILED') {
      const b = nodeReason(stack.statusReason);
      const failed: Patch = b
        ? { reason: 'BOOTSTRAP_FAILED', message: `node ${b.node} failed to install ${b.framework}: ${b.text}` }
        : /WaitConditionTimeout/.test(stack.statusReason)
          ? { reason: 'TIMEOUT', message: `install: not every node finished within ${this.d.config.provisioning.installTimeoutMinutes} min (SM_INSTALL_TIMEOUT_MINUTES): ${stack.statusReason}` }
          : /timed out/i.test(stack.statusReason)
            ? { reason: 'TIMEOUT', message: `create: the stack did not complete within ${this.d.config.provisioning.createTimeoutMinutes} min (SM_CREATE_TIMEOUT_MINUTES): ${stack.statusReason}` }
            : { reason: 'HEAT_CREATE_FAILED', message: stack.statusReason };
      await this.save(r, { ...seen, ...failed, state: 'failed' });
      return NOW;
    }
    if (st === 'UPDATE_FAILED') {
      if (r.scaleFrom != null) {
        // a failed scale goes back to the count it came from, and says why
        const back = r.scaleFrom;
        await this.save(r, { ...seen, ...withWorkers(r, back), scaleFrom: null, state: 'updating',
          message: `scale to ${r.spec.workers} workers failed (${stack.statusReason}); back to ${back} workers` });
        return NOW;
      }
      if (Number(stack.parameters.worker_count) !== r.spec.workers) return this.resize(r, os, stack, seen);
    }
    if (st.endsWith('_FAILED')) return this.save(r, { ...seen, state: 'failed', reason: 'OPENSTACK_ERROR', message: stack.statusReason }).then(() => NOW);
    if (st.endsWith('_IN_PROGRESS')) {
      let state: ClusterState = st.startsWith('CREATE') ? 'deploying' : 'updating';
      let progress = r.progress;
      if (state === 'deploying') {
        progress = await nodeProgress(os, stack, r.spec.workers + 1, this.d.renderer.sections(r.spec));
        if (progress.serversUp === progress.nodes) state = 'installing';
      }
      const limit = this.d.config.provisioning.updateTimeoutMinutes;
      if (state === 'updating' && r.state === 'updating' && phaseStart(r) + limit * 60_000 <= Date.now()) {
        return this.fail(r, 'TIMEOUT', `update: ${st} for longer than ${limit} min (SM_UPDATE_TIMEOUT_MINUTES); the stack is kept for inspection`);
      }
      const polls = state === r.state ? r.polls + 1 : 0;
      await this.save(r, { ...seen, state, progress, polls });
      return this.poll(polls);
    }
    // the worker count and the run state the owner asked for: one Heat call, then follow it
    const suspended = st === 'SUSPEND_COMPLETE';
    if (!suspended && Number(stack.parameters.worker_count) !== r.spec.workers) return this.resize(r, os, stack, seen);
    if ((r.runstate === 'suspended') !== suspended) {
      if (suspended) await os.heat.resume(stack); else await os.heat.suspend(stack);
      await this.save(r, { ...seen, state: 'updating', polls: 0 });
      return this.poll(0);
    }
    const state: ClusterState = suspended ? 'suspended' : 'ready';
    const nodes = r.spec.workers + 1;
    // a rolled-back scale keeps saying why while the cluster is ready again
    const message = r.scaleFrom == null && r.message?.startsWith('scale to') ? r.message : null;
    await this.save(r, { ...seen, state, reason: null, message, scaleFrom: null, progress: { nodes, serversUp: nodes, installed: nodes,
        sections: Object.fromEntries(this.d.renderer.sections(r.spec).map((x) => [x, nodes])) },
      outputs: { ...r.outputs, ...outputsToFields(stack.outputs) } });
    if (state !== r.state) this.log.info({ clusterId: r.id, state }, 'cluster state');
    const saved = await this.d.store.get(r.id);
    return saved ? nextLook(saved) : DONE;
  }

  /** The stack's ResourceGroup count -> the record's worker count (a PATCH keeps everything else, user_data included). */
  private async resize(r: ClusterRecord, os: OpenStack, stack: Stack, seen: Patch): Promise<Step> {
    await os.heat.patchStack(stack, { parameters: { worker_count: r.spec.workers }, timeoutMins: this.d.config.provisioning.createTimeoutMinutes });
    this.log.info({ clusterId: r.id, workers: r.spec.workers }, 'stack update sent (worker count)');
    await this.save(r, { ...seen, state: 'updating', polls: 0 });
    return this.poll(0);
  }
}

// Reconcile(id), as a Kubernetes controller does it: read the desired state (the record)
// and the actual one (the Heat stack, found by its deterministic name), decide (decide.ts,
// a pure function), take ONE idempotent step, and say when to look again. This file only
// runs the decision: save what must be known before the action, act, save the outcome. A
// crash anywhere, a duplicate job or a restart never makes a second stack: Heat refuses a
// second stack of the same name, and a stack found by name is adopted.
import { recordTransition } from '../clusters/history.js';
import type { ClusterRecord, ClusterSecrets } from '../clusters/record.js';
import { openSecrets, sealSecrets } from '../clusters/secrets.js';
import type { Config } from '../config/schema.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { ClusterRenderer } from '../heat/renderer.js';
import { silentLogger, type Logger } from '../log/logger.js';
import type { ClusterStore } from '../store/cluster-store.js';
import { perform } from './actions.js';
import type { CloudAccess } from './cloud-access.js';
import { decide } from './decide.js';
import type { Decision, Outcome, Patch } from './decision-types.js';
import { observe } from './observe.js';
import { settle } from './outcome.js';

export interface ReconcilerDeps {
  store: ClusterStore;
  box: SecretBox;
  renderer: ClusterRenderer;
  access: CloudAccess;
  config: Config;
  logger?: Logger;
  now?: () => number;
}

/** When to look again: undefined requeueAfterMs means only when something asks. */
export type Step = { requeueAfterMs?: number };

/** A change merged into the record as it is now: a DELETE that arrived meanwhile wins over
 * whatever a step for a present cluster concluded; a new state starts its polls at 0; the
 * history gets the transition. */
export function applyChange(cur: ClusterRecord, patch: Patch, nowIso: string): ClusterRecord {
  const next: ClusterRecord = { ...cur, ...patch, updatedAt: nowIso };
  if (cur.desired === 'absent' && patch.desired === undefined && next.state !== 'deleting' && next.state !== 'deleted') {
    Object.assign(next, { state: 'deleting', reason: cur.reason, message: cur.message });
  }
  if (next.state !== cur.state && patch.polls === undefined) next.polls = 0;
  return recordTransition(cur, next);
}

export class Reconciler {
  readonly log: Logger;
  private readonly now: () => number;

  constructor(readonly d: ReconcilerDeps) {
    this.log = d.logger ?? silentLogger;
    this.now = d.now ?? Date.now;
  }

  /** One Reconcile(id). A pass whose read went stale (a user's action, or any other write,
   * landed between its read and its write) writes nothing it decided and decides again on
   * a fresh read; never is a patch from an old read merged over a newer change. */
  async reconcile(id: string): Promise<Step> {
    for (let i = 0; i < MAX_STALE_PASSES; i++) {
      const step = await this.pass(id);
      if (step !== 'stale') return step;
      this.log.debug({ clusterId: id }, 'the record changed during the pass: deciding again');
    }
    return { requeueAfterMs: 0 };
  }

  private async pass(id: string): Promise<Step | 'stale'> {
    let r = await this.d.store.get(id);
    if (!r) return {};
    const secrets = openSecrets(this.d.box, r);
    const has = { credential: !!secrets.appCredentialId, createToken: !!secrets.createToken };
    const o = await observe(() => this.d.access.forCluster(id, secrets), r,
      { now: this.now(), has, sections: this.d.renderer.sections(r.spec) });
    // what was seen is as of now, after the reads (a slow Heat makes them take seconds):
    // a cluster found ready is ready from now on, and its lifetime counts from now
    o.now = this.now();
    const p = this.d.config.provisioning;
    const d = decide(r, o, p);
    if (d.action.kind === 'none') return this.apply(r, secrets, d.before);
    if (d.before.change || d.before.secrets) {
      const saved = await this.write(r, secrets, d.before);
      if (saved === 'stale') return 'stale'; // nothing done yet: decide again
      if (!saved) return {};
      r = saved;
    }
    this.log.info({ clusterId: id, action: d.action.kind }, 'cloud action');
    const result = await perform(d.action, r, secrets, { access: this.d.access, renderer: this.d.renderer, config: this.d.config });
    const out = settle(d, result, p);
    const step = await this.apply(r, { ...secrets, ...d.before.secrets }, out, d);
    if (step !== 'stale') return step;
    // the action is done, its decision is not: keep what only the action could tell (a
    // credential, a stack id), then decide again from the record as it is now
    const facts = factsOf(out);
    if (facts.change || facts.secrets) await this.write(r, { ...secrets, ...d.before.secrets }, facts, false);
    return 'stale';
  }

  /** Saves an outcome and says when to look again; 'stale' when the record changed since `r` was read. */
  private async apply(r: ClusterRecord, secrets: ClusterSecrets, out: Outcome, d?: Decision): Promise<Step | 'stale'> {
    if (out.remove) {
      await this.d.store.delete(r.id);
      this.d.access.forget(r.id);
      this.log.info({ clusterId: r.id }, 'cluster deleted');
      return {};
    }
    if (out.change || out.secrets) {
      if (await this.write(r, secrets, out) === 'stale') return 'stale';
    }
    const state = out.change?.state;
    if (state && state !== r.state) {
      const level = state === 'failed' ? 'warn' : 'info';
      this.log[level]({ clusterId: r.id, state, reason: out.change?.reason, message: out.change?.message, after: d?.action.kind }, 'cluster state');
    }
    return { requeueAfterMs: out.requeueAfterMs };
  }

  /** Writes an outcome: at `r`'s revision only (compare-and-swap), or, for an action's facts, over whatever is current. */
  private async write(r: ClusterRecord, secrets: ClusterSecrets, out: Outcome, atRevision = true): Promise<ClusterRecord | 'stale' | undefined> {
    const patch: Patch = { ...out.change };
    const changes = out.secrets;
    if (changes && 'appCredentialId' in changes) this.d.access.forget(r.id);
    const nowIso = new Date(this.now()).toISOString();
    const change = (cur: ClusterRecord): ClusterRecord => {
      if (!changes) return applyChange(cur, patch, nowIso);
      // the secrets as stored now, not as read: the sweep may have re-sealed them or moved a secret
      // property into them meanwhile. Sealed to the record's id, with the current key; undefined
      // values drop one (the caller's token after the create)
      const base = cur.sealedSecrets === r.sealedSecrets ? secrets : openSecrets(this.d.box, cur);
      const sealedSecrets = sealSecrets(this.d.box, r.id, JSON.parse(JSON.stringify({ ...base, ...changes })) as ClusterSecrets);
      return applyChange(cur, { ...patch, sealedSecrets }, nowIso);
    };
    return atRevision ? this.d.store.updateAt(r.id, r.revision ?? 0, change) : this.d.store.update(r.id, change);
  }
}

/** Passes that find their read stale, one after another, before the step is requeued. */
const MAX_STALE_PASSES = 5;

/** Of an action's outcome, what only the action could tell and no user action changes: the
 * credential it made, the stack id Heat gave, when a create was sent or a stack seen gone. */
const FACTS = ['stackId', 'createSentAt', 'stackGoneAt'] as const;

export function factsOf(out: Outcome): Outcome {
  const change: Patch = {};
  for (const k of FACTS) if (out.change && k in out.change) Object.assign(change, { [k]: out.change[k] });
  return { ...(Object.keys(change).length ? { change } : {}), ...(out.secrets ? { secrets: out.secrets } : {}) };
}

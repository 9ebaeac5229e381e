// The domain's front door for the API: create, read, list, delete and act on clusters,
// always within the caller's project (another project's cluster is "not found"). Writes
// the record, then asks the reconciler to act; never waits for OpenStack to finish.
import type { Caller } from '../auth/authenticator.js';
import type { AttributeValue, Category } from '../occi/model.js';
import { mergeEvents, pageEvents, type ClusterEvent } from '../clusters/events.js';
import type { JobQueue } from '../queue/job-queue.js';
import type { Logger } from '../log/logger.js';
import { DomainError, badAttribute, notFound } from '../errors/domain-error.js';
import { ATTR } from '../disco-kind/attribute-names.js';
import type { ClusterRecord } from '../clusters/record.js';
import { ClusterCreation, type CreationDeps, type Prepared, type StagedCreate } from './cluster-create.js';
import { parseExpiry } from '../clusters/expiry.js';
import { checkScale } from '../admission/scale-check.js';
import { withWorkers } from '../clusters/scale.js';
import { recordTransition } from '../clusters/history.js';
import { openSecrets, ownerSecrets } from '../clusters/secrets.js';
import type { OwnerSecrets } from '../disco-kind/view.js';
import { allowOnly, withoutCredentials } from './change-attributes.js';

export type { Prepared, StagedCreate } from './cluster-create.js';

export interface ClusterServiceDeps extends CreationDeps {
  queue: JobQueue;
  logger?: Logger;
}

export class ClusterService {
  private readonly creation: ClusterCreation;

  constructor(private readonly d: ClusterServiceDeps) {
    this.creation = new ClusterCreation(d, (id) => this.kick(id));
  }

  /** Asks the reconciler to act. The record is written already: if the queue cannot be
   * reached the request still succeeded, and the workers' sweep gives the record its job. */
  private async kick(id: string): Promise<void> {
    try { await this.d.queue.enqueue(id); } catch (e) {
      this.d.logger?.warn({ clusterId: id, err: e }, 'enqueue failed; the next sweep schedules the cluster');
    }
  }

  /** What a create would make and the quota it needs, made of nothing (the dry run). */
  prepare(caller: Caller, attrs: Map<string, AttributeValue>, mixins: Category[]): Promise<Prepared> { return this.creation.prepare(caller, attrs, mixins); }
  /** A create's work that holds and writes nothing, begun while Keystone confirms the caller. */
  stage(caller: Caller, attrs: Map<string, AttributeValue>, mixins: Category[]): StagedCreate { return this.creation.stage(caller, attrs, mixins); }
  create(caller: Caller, attrs: Map<string, AttributeValue>, mixins: Category[]): Promise<ClusterRecord> { return this.creation.create(caller, attrs, mixins); }
  /** The staged create, for the caller Keystone has just confirmed. */
  commit(caller: Caller, staged: StagedCreate): Promise<ClusterRecord> { return this.creation.commit(caller, staged); }

  async get(caller: Caller, id: string): Promise<ClusterRecord> {
    const r = await this.d.store.get(id);
    if (!r || r.projectId !== caller.projectId) throw notFound(`no cluster ${id} in your project`);
    return r;
  }

  /** What only the owner sees: the private key and the generated secrets meant for them (a notebook token). */
  ownerSecrets(r: ClusterRecord): OwnerSecrets {
    const s = openSecrets(this.d.box, r);
    return { privateKey: s.sshPrivateKey, shown: ownerSecrets(s, r.spec.frameworks.map((f) => this.d.catalog.get(f.name)).filter((f) => f !== undefined)) };
  }

  /** The cluster's events: its state changes, and the Heat events and node signals the reconciler read (never a call to OpenStack). */
  async events(caller: Caller, id: string, page: { limit: number; marker?: string }): Promise<{ events: ClusterEvent[]; next?: string }> {
    const r = await this.get(caller, id);
    const out = pageEvents(mergeEvents(r.history ?? [], r.stackEvents ?? []), page);
    if (!out) throw badAttribute('marker', 'the id of an event of this cluster', page.marker);
    return out;
  }

  list(caller: Caller): Promise<ClusterRecord[]> {
    return this.d.store.listByProject(caller.projectId);
  }

  async delete(caller: Caller, id: string): Promise<ClusterRecord> {
    await this.get(caller, id);
    const r = await this.d.store.update(id, (cur) => recordTransition(cur, {
      ...cur, desired: 'absent', state: 'deleting', reason: null, message: null, polls: 0,
      updatedAt: new Date().toISOString(),
    }));
    if (!r) throw notFound(`no cluster ${id} in your project`);
    await this.kick(id);
    return r;
  }

  /** POST /disco/<id>?action=term, or the old `action="suspend|resume"` attribute. */
  async action(caller: Caller, id: string, term: string, attrs: Map<string, AttributeValue>): Promise<ClusterRecord> {
    const r = await this.get(caller, id);
    if (r.desired === 'absent') throw new DomainError('CONFLICT', `cluster ${id} is being deleted`);
    const given = withoutCredentials(attrs);
    switch (term) {
      case 'scale':
        if (!given.has(ATTR.workers)) throw badAttribute(ATTR.workers, 'the new number of workers');
        allowOnly(given, [ATTR.workers, ATTR.action], `no attribute but ${ATTR.workers} with the action scale`);
        return this.scale(caller, r, given.get(ATTR.workers));
      case 'suspend': case 'resume':
        allowOnly(given, [ATTR.action], `no attribute with the action ${term}`);
        return this.setRunState(r, term === 'suspend' ? 'suspended' : 'running');
      default:
        throw new DomainError('INVALID', `action: expected scale, suspend or resume (got ${JSON.stringify(term)})`, 'action');
    }
  }

  /** A new worker count, checked as at create; the reconciler changes the stack's ResourceGroup count. */
  private async scale(caller: Caller, r: ClusterRecord, value: AttributeValue | undefined): Promise<ClusterRecord> {
    const workers = await checkScale(r, value, { maxWorkers: this.d.config.clusters.maxWorkers, catalog: this.d.catalog, cloud: this.d.cloudFor(caller), caller });
    const out = await this.d.store.update(r.id, (cur) => {
      if (cur.state !== 'ready' || cur.desired === 'absent') throw new DomainError('CONFLICT', `cluster ${cur.id} is ${cur.state}: scaling needs it ready`);
      if (workers === cur.spec.workers) return cur;
      return recordTransition(cur, { ...cur, ...withWorkers(cur, workers), scaleFrom: cur.spec.workers, scaleFailure: null,
        state: 'updating', reason: null, message: `scaling from ${cur.spec.workers} to ${workers} workers`, polls: 0,
        updatedAt: new Date().toISOString() });
    });
    if (!out) throw notFound(`no cluster ${r.id} in your project`);
    await this.kick(r.id);
    return out;
  }

  /** Suspend or resume: only a settled cluster (ready or suspended); asking for the current run state is a no-op. */
  private async setRunState(r: ClusterRecord, want: 'running' | 'suspended'): Promise<ClusterRecord> {
    const verb = want === 'suspended' ? 'suspend' : 'resume';
    const out = await this.d.store.update(r.id, (cur) => {
      const now = cur.state === 'suspended' ? 'suspended' : cur.state === 'ready' ? 'running' : null;
      if (now === null || cur.desired === 'absent') {
        throw new DomainError('CONFLICT', `cluster ${cur.id} is ${cur.state}: ${verb} needs it ready or suspended`);
      }
      if (now === want) return { ...cur, runstate: want };
      return recordTransition(cur, { ...cur, runstate: want, state: 'updating', reason: null, message: null, polls: 0,
        updatedAt: new Date().toISOString() });
    });
    if (!out) throw notFound(`no cluster ${r.id} in your project`);
    await this.kick(r.id);
    return out;
  }

  /** POST /disco/<id> without an action: a partial update of mutable attributes. */
  async update(caller: Caller, id: string, given: Map<string, AttributeValue>): Promise<ClusterRecord> {
    const action = given.get(ATTR.action);
    if (action !== undefined) return this.action(caller, id, String(action), given);
    const attrs = withoutCredentials(given);
    const r = await this.get(caller, id);
    if (attrs.has(ATTR.workers)) {
      if (attrs.size > 1) throw badAttribute([...attrs.keys()].find((k) => k !== ATTR.workers)!, `nothing else with ${ATTR.workers} (scale on its own)`);
      return this.action(caller, id, 'scale', attrs);
    }
    const names = [...attrs.keys()];
    if (names.length === 0) throw new DomainError('INVALID', 'a partial update needs X-OCCI-Attribute values to change');
    const other = names.find((n) => n !== ATTR.lifetime && n !== ATTR.deadline);
    if (other) throw badAttribute(other, `a mutable attribute (${ATTR.workers}, ${ATTR.lifetime}, ${ATTR.deadline}, or action="suspend|resume")`);
    if (r.desired === 'absent') throw new DomainError('CONFLICT', `cluster ${id} is being deleted`);
    const expiry = parseExpiry(attrs, { lifetimeSeconds: r.lifetimeSeconds ?? null, deadline: r.deadline ?? null });
    const out = await this.d.store.update(id, (cur) => ({ ...cur, ...expiry, updatedAt: new Date().toISOString() }));
    if (!out) throw notFound(`no cluster ${id} in your project`);
    await this.kick(id); // the reconciler sets the expiry timer
    return out;
  }
}

// The domain's front door for the API: create, read, list, delete and act on clusters,
// always within the caller's project (another project's cluster is "not found"). Writes
// the record, then asks the reconciler to act; never waits for OpenStack to finish.
import { randomUUID } from 'node:crypto';
import type { Caller } from '../auth/authenticator.js';
import { assertCanDelegate } from '../auth/delegation.js';
import type { Config } from '../config/schema.js';
import { generateSshKeyPair } from '../crypto/ssh-keypair.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { FrameworkCatalog } from '../frameworks/catalog.js';
import { keyName, stackName } from '../heat/renderer.js';
import type { AttributeValue, Category } from '../occi/model.js';
import type { OpenStack } from '../openstack/index.js';
import { mergeEvents, pageEvents, type ClusterEvent } from '../clusters/events.js';
import type { JobQueue } from '../queue/job-queue.js';
import type { Logger } from '../log/logger.js';
import type { ClusterStore } from '../store/cluster-store.js';
import { DomainError, badAttribute, notFound } from '../errors/domain-error.js';
import { ATTR } from '../disco-kind/attribute-names.js';
import type { ClusterRecord, ClusterSpec } from '../clusters/record.js';
import type { QuotaReport } from '../admission/quota.js';
import { Admission } from '../admission/admission.js';
import { parseExpiry } from '../clusters/expiry.js';
import { checkScale } from '../admission/scale-check.js';
import { withWorkers } from '../clusters/scale.js';
import { recordTransition } from '../clusters/history.js';
import { makeClusterSecrets, openSecrets, ownerSecrets, sealSecrets } from '../clusters/secrets.js';
import type { OwnerSecrets } from '../disco-kind/view.js';
import type { ClusterRenderer } from '../heat/renderer.js';
import { clusterFacts } from '../admission/spec-check.js';
import { settleProperties } from '../frameworks/properties.js';
import { buildSpec, storedAttributes } from '../clusters/spec.js';
import { allowOnly, withoutCredentials } from './change-attributes.js';

export interface Prepared {
  id: string;
  spec: ClusterSpec;
  frameworkSecrets: Record<string, Record<string, string | number | boolean>>;
  quota: QuotaReport;
}

/** What stage() made, and for whom. */
export interface Staged {
  id: string;
  spec: ClusterSpec;
  flavors: Awaited<ReturnType<Admission['cloudFacts']>>;
  cloud: OpenStack;
  frameworkSecrets: Prepared['frameworkSecrets'];
  attrs: Map<string, AttributeValue>;
  mixins: Category[];
  expiry: ReturnType<typeof parseExpiry>;
  keys: ReturnType<typeof generateSshKeyPair>;
  secrets: ReturnType<typeof makeClusterSecrets>;
  stagedFor: Caller;
}

export interface ClusterServiceDeps {
  store: ClusterStore;
  queue: JobQueue;
  catalog: FrameworkCatalog;
  renderer: ClusterRenderer;
  config: Config;
  box: SecretBox;
  /** OpenStack clients acting with the caller's own token. */
  cloudFor(caller: Caller): OpenStack;
  logger?: Logger;
}


export class ClusterService {
  private readonly admission: Admission;

  constructor(private readonly d: ClusterServiceDeps) {
    this.admission = new Admission(d.config.openstack, d.store, d.config.maxClustersPerProject);
  }

  /** Asks the reconciler to act. The record is written already: if the queue cannot be
   * reached the request still succeeded, and the workers' sweep gives the record its job. */
  private async kick(id: string): Promise<void> {
    try { await this.d.queue.enqueue(id); } catch (e) {
      this.d.logger?.warn({ clusterId: id, err: e }, 'enqueue failed; the next sweep schedules the cluster');
    }
  }

  /**
   * Everything checked before anything is made: the attributes, what they name in the
   * cloud, the frameworks' properties and rules, and the project's quota.
   */
  async prepare(caller: Caller, attrs: Map<string, AttributeValue>, mixins: Category[]): Promise<Prepared> {
    const s = await this.check(caller, attrs, mixins);
    const quota = await this.admission.report(caller, s.spec, s.flavors, s.cloud, s.id);
    return { id: s.id, spec: s.spec, frameworkSecrets: s.frameworkSecrets, quota };
  }

  /** The checks that hold no room and write nothing (no quota yet). */
  private async check(caller: Caller, attrs: Map<string, AttributeValue>, mixins: Category[]) {
    const id = randomUUID();
    const spec = buildSpec(attrs, mixins, this.d.config.clusters, this.d.catalog, id);
    const cloud = this.d.cloudFor(caller);
    const flavors = await this.admission.cloudFacts(caller, spec, cloud);
    const frameworks = spec.frameworks.map((f) => this.d.catalog.get(f.name)!);
    spec.facts = clusterFacts(spec, flavors);
    spec.sshUser = flavors.sshUser ?? this.d.config.clusters.sshUser;
    const settled = settleProperties(frameworks, spec.components, spec.facts);
    spec.components = settled.properties;
    // the node script's size is known now: a refusal here comes before anything is made
    this.d.renderer.render(spec, { clusterId: id, sshPublicKey: '', settings: this.d.config.clusters,
      installTimeoutSeconds: this.d.config.provisioning.installTimeoutSeconds, nodeSecrets: null, sizeCheck: true });
    return { id, spec, flavors, cloud, frameworkSecrets: settled.secrets };
  }

  /**
   * A create's work that holds nothing and writes nothing: the checks, the key pair and the
   * cluster's secrets. It may run while Keystone confirms the caller (see commit).
   */
  async stage(caller: Caller, attrs: Map<string, AttributeValue>, mixins: Category[]): Promise<Staged> {
    const expiry = parseExpiry(attrs, { lifetimeSeconds: null, deadline: null });
    const s = await this.check(caller, attrs, mixins);
    const secrets = makeClusterSecrets(s.id, s.spec.frameworks.map((f) => this.d.catalog.get(f.name)!), s.frameworkSecrets, s.spec.components);
    return { ...s, attrs, mixins, expiry, keys: generateSshKeyPair(keyName(s.id)), secrets, stagedFor: caller };
  }

  async create(caller: Caller, attrs: Map<string, AttributeValue>, mixins: Category[]): Promise<ClusterRecord> {
    assertCanDelegate(caller);
    return this.commit(caller, await this.stage(caller, attrs, mixins));
  }

  /**
   * Holds room, writes the record and asks the reconciler, for a caller Keystone has just
   * confirmed. Work staged for the same caller, token and project is used as it is; staged for
   * anyone else, it is done again for this caller.
   */
  async commit(caller: Caller, staging: Staged | Promise<Staged>): Promise<ClusterRecord> {
    assertCanDelegate(caller);
    const staged = await staging;
    const was = staged.stagedFor;
    const s = was.token.value === caller.token.value && was.userId === caller.userId && was.projectId === caller.projectId
      ? staged : await this.stage(caller, staged.attrs, staged.mixins);
    const quota = await this.admission.admit(caller, s.spec, s.flavors, s.cloud, s.id);
    let record: ClusterRecord;
    try {
      record = await this.write(caller, s, quota);
    } catch (e) {
      await this.admission.done(caller, s.id).catch(() => undefined);
      throw e;
    }
    // after the answer: the queue (if it cannot be reached, the workers' sweep schedules the
    // record) and the room, which the record holds itself now (else it lapses by itself)
    void this.kick(s.id).finally(() => this.admission.done(caller, s.id).catch(() => undefined));
    return record;
  }

  private async write(caller: Caller, s: Staged, quota: QuotaReport): Promise<ClusterRecord> {
    const { id, spec, keys } = s;
    const now = new Date().toISOString();
    const record: ClusterRecord = {
      id, projectId: caller.projectId, userId: caller.userId, desired: 'present', state: 'pending',
      reason: null, message: null, spec, attributes: storedAttributes(s.attrs, spec, this.d.catalog),
      stackName: stackName(id), stackId: null, stackStatus: null, stackStatusReason: null,
      outputs: { sshKeyName: keyName(id), sshPublicKey: keys.publicKey },
      // the caller's token is kept (sealed) only until the stack create is sent
      sealedSecrets: sealSecrets(this.d.box, id, { sshPrivateKey: keys.privateKey, createToken: caller.token.value, ...s.secrets }),
      createTokenExpiresAt: caller.token.expiresAt.toISOString(),
      createdAt: now, updatedAt: now, polls: 0,
      ...s.expiry, readyAt: null,
      admittedNeeds: { ...quota.needed },
    };
    await this.d.store.create(recordTransition(undefined, record));
    return record;
  }

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

// Making a cluster: the checks, a create staged while Keystone confirms the caller (see
// api/create-request.ts), then the room held and the record written. Nothing is held or
// written before the caller is confirmed; a dry run holds nothing.
import { randomUUID } from 'node:crypto';
import type { Caller } from '../auth/authenticator.js';
import { assertCanDelegate } from '../auth/delegation.js';
import { generateSshKeyPair } from '../crypto/ssh-keypair.js';
import { keyName, stackName } from '../heat/renderer.js';
import type { AttributeValue, Category } from '../occi/model.js';
import type { OpenStack } from '../openstack/index.js';
import type { ClusterRecord, ClusterSpec } from '../clusters/record.js';
import type { QuotaReport } from '../admission/quota.js';
import { Admission } from '../admission/admission.js';
import { parseExpiry } from '../clusters/expiry.js';
import { recordTransition } from '../clusters/history.js';
import { makeClusterSecrets, sealSecrets } from '../clusters/secrets.js';
import { clusterFacts } from '../admission/spec-check.js';
import { settleProperties } from '../frameworks/properties.js';
import { buildSpec, storedAttributes } from '../clusters/spec.js';
import type { Config } from '../config/schema.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { FrameworkCatalog } from '../frameworks/catalog.js';
import type { ClusterRenderer } from '../heat/renderer.js';
import type { ClusterStore } from '../store/cluster-store.js';

/** What a create would make, and the quota it needs (the dry run). */
export interface Prepared {
  id: string;
  spec: ClusterSpec;
  quota: QuotaReport;
}

/** A create begun for a caller Keystone has not confirmed yet (see stage). */
export interface StagedCreate {
  stagedFor: Caller;
  attrs: Map<string, AttributeValue>;
  mixins: Category[];
  /** The staged work; a failure of it is awaited only if the confirmed caller is stagedFor. */
  work: Promise<Staged>;
}

/** The work stage() did. */
export interface Staged {
  id: string;
  spec: ClusterSpec;
  flavors: Awaited<ReturnType<Admission['cloudFacts']>>;
  cloud: OpenStack;
  attrs: Map<string, AttributeValue>;
  expiry: ReturnType<typeof parseExpiry>;
  keys: ReturnType<typeof generateSshKeyPair>;
  secrets: ReturnType<typeof makeClusterSecrets>;
}

export interface CreationDeps {
  store: ClusterStore;
  catalog: FrameworkCatalog;
  renderer: ClusterRenderer;
  config: Config;
  box: SecretBox;
  /** OpenStack clients acting with the caller's own token. */
  cloudFor(caller: Caller): OpenStack;
}

export class ClusterCreation {
  private readonly admission: Admission;

  /** kick: asks the reconciler to act on a record just written (never throws). */
  constructor(private readonly d: CreationDeps, private readonly kick: (id: string) => Promise<void>) {
    this.admission = new Admission(d.config.openstack, d.store, d.config.maxClustersPerProject);
  }

  /**
   * Everything checked before anything is made: the attributes, what they name in the
   * cloud, the frameworks' properties and rules, and the project's quota.
   */
  async prepare(caller: Caller, attrs: Map<string, AttributeValue>, mixins: Category[]): Promise<Prepared> {
    const s = await this.check(caller, attrs, mixins);
    const quota = await this.admission.report(caller, s.spec, s.flavors, s.cloud, s.id);
    return { id: s.id, spec: s.spec, quota };
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
   * Begins a create's work that holds nothing and writes nothing (the checks, the key pair and
   * the cluster's secrets) while Keystone confirms the caller; commit() takes it from there.
   */
  stage(caller: Caller, attrs: Map<string, AttributeValue>, mixins: Category[]): StagedCreate {
    const work = this.staged(caller, attrs, mixins);
    work.catch(() => undefined); // awaited by commit, unless the confirmed caller is another
    return { stagedFor: caller, attrs, mixins, work };
  }

  private async staged(caller: Caller, attrs: Map<string, AttributeValue>, mixins: Category[]): Promise<Staged> {
    const expiry = parseExpiry(attrs, { lifetimeSeconds: null, deadline: null });
    const { frameworkSecrets, ...s } = await this.check(caller, attrs, mixins);
    const secrets = makeClusterSecrets(s.id, s.spec.frameworks.map((f) => this.d.catalog.get(f.name)!), frameworkSecrets, s.spec.components);
    return { ...s, attrs, expiry, keys: generateSshKeyPair(keyName(s.id)), secrets };
  }

  async create(caller: Caller, attrs: Map<string, AttributeValue>, mixins: Category[]): Promise<ClusterRecord> {
    assertCanDelegate(caller);
    return this.hold(caller, await this.staged(caller, attrs, mixins));
  }

  /**
   * The create staged for a caller Keystone has just confirmed. Work staged for the same
   * caller, token and project is used as it is, its failure too; staged for anyone else (a
   * password caller's kept token refused, a new login), it is done again for this caller.
   */
  async commit(caller: Caller, st: StagedCreate): Promise<ClusterRecord> {
    assertCanDelegate(caller);
    const was = st.stagedFor;
    const same = was.token.value === caller.token.value && was.userId === caller.userId && was.projectId === caller.projectId;
    return this.hold(caller, await (same ? st.work : this.staged(caller, st.attrs, st.mixins)));
  }

  /** Holds room for the staged cluster, writes its record and asks the reconciler. */
  private async hold(caller: Caller, s: Staged): Promise<ClusterRecord> {
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
}

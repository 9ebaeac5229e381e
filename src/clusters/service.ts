// The domain's front door for the API: create, read, list, delete and act on clusters,
// always within the caller's project (another project's cluster is "not found"). Writes
// the record, then asks the reconciler to act; never waits for OpenStack to finish.
import { randomUUID } from 'node:crypto';
import type { Caller } from '../auth/authenticator.js';
import type { Config } from '../config/schema.js';
import { generateSshKeyPair } from '../crypto/ssh-keypair.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { FrameworkCatalog } from '../frameworks/catalog.js';
import { keyName, stackName } from '../heat/renderer.js';
import type { AttributeValue, Category } from '../occi/model.js';
import type { OpenStack } from '../openstack/index.js';
import type { JobQueue } from '../queue/job-queue.js';
import type { ClusterStore } from '../store/cluster-store.js';
import { ApiError, badAttribute, notFound, notImplemented } from './errors.js';
import { ATTR } from './kind.js';
import type { ClusterRecord, ClusterSpec } from './record.js';
import { quotaNeeds, quotaRefusal, quotaReport, type QuotaReport } from './quota.js';
import { makeClusterSecrets, openSecrets, ownerSecrets, sealSecrets } from './secrets.js';
import type { OwnerSecrets } from './view.js';
import type { ClusterRenderer } from '../heat/renderer.js';
import { checkSpecInCloud, clusterFacts } from './spec-check.js';
import { settleProperties } from '../frameworks/properties.js';
import { buildSpec, storedAttributes } from './spec.js';

export interface Prepared {
  id: string;
  spec: ClusterSpec;
  frameworkSecrets: Record<string, Record<string, string | number | boolean>>;
  quota: QuotaReport;
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
}

const LATER = 'lands with issue 5 (cluster lifecycle); until then clusters keep their size and run state';

export class ClusterService {
  constructor(private readonly d: ClusterServiceDeps) {}

  /**
   * Everything checked before anything is made: the attributes, what they name in the
   * cloud, the frameworks' properties and rules, and the project's quota.
   */
  async prepare(caller: Caller, attrs: Map<string, AttributeValue>, mixins: Category[]): Promise<Prepared> {
    const id = randomUUID();
    const spec = buildSpec(attrs, mixins, this.d.config.clusters, this.d.catalog, id);
    const cloud = this.d.cloudFor(caller);
    const flavors = await checkSpecInCloud(spec, cloud);
    const frameworks = spec.frameworks.map((f) => this.d.catalog.get(f.name)!);
    spec.facts = clusterFacts(spec, flavors);
    const settled = settleProperties(frameworks, spec.components, spec.facts);
    spec.components = settled.properties;
    // the node script's size is known now: a refusal here comes before anything is made
    this.d.renderer.render(spec, { clusterId: id, sshPublicKey: '', settings: this.d.config.clusters,
      installTimeoutMinutes: this.d.config.provisioning.installTimeoutMinutes, nodeSecrets: null });
    const quota = await quotaReport(cloud, caller.projectId, quotaNeeds(spec, flavors));
    if (!quota.fits) throw quotaRefusal(quota);
    return { id, spec, frameworkSecrets: settled.secrets, quota };
  }

  async create(caller: Caller, attrs: Map<string, AttributeValue>, mixins: Category[]): Promise<ClusterRecord> {
    const { id, spec, frameworkSecrets } = await this.prepare(caller, attrs, mixins);
    const keys = generateSshKeyPair(keyName(id));
    const now = new Date().toISOString();
    const record: ClusterRecord = {
      id, projectId: caller.projectId, userId: caller.userId, desired: 'present', state: 'pending',
      reason: null, message: null, spec, attributes: storedAttributes(attrs, spec, this.d.catalog),
      stackName: stackName(id), stackId: null, stackStatus: null, stackStatusReason: null,
      outputs: { sshKeyName: keyName(id), sshPublicKey: keys.publicKey },
      // the caller's token is kept (sealed) only until the stack create is sent
      sealedSecrets: sealSecrets(this.d.box, id, {
        sshPrivateKey: keys.privateKey, createToken: caller.token.value,
        ...makeClusterSecrets(id, spec.frameworks.map((f) => this.d.catalog.get(f.name)!), frameworkSecrets, spec.components),
      }),
      createTokenExpiresAt: caller.token.expiresAt.toISOString(),
      createdAt: now, updatedAt: now, polls: 0,
    };
    await this.d.store.create(record);
    await this.d.queue.enqueue(id);
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

  list(caller: Caller): Promise<ClusterRecord[]> {
    return this.d.store.listByProject(caller.projectId);
  }

  async delete(caller: Caller, id: string): Promise<ClusterRecord> {
    await this.get(caller, id);
    const r = await this.d.store.update(id, (cur) => ({
      ...cur, desired: 'absent', state: 'deleting', reason: null, message: null, polls: 0,
      updatedAt: new Date().toISOString(),
    }));
    if (!r) throw notFound(`no cluster ${id} in your project`);
    await this.d.queue.enqueue(id);
    return r;
  }

  /** POST /disco/<id>?action=term, or the old `action="suspend|resume"` attribute. */
  async action(caller: Caller, id: string, term: string, attrs: Map<string, AttributeValue>): Promise<never> {
    const r = await this.get(caller, id);
    if (r.desired === 'absent') throw new ApiError(409, 'CONFLICT', `cluster ${id} is being deleted`);
    switch (term) {
      case 'scale':
        if (!attrs.has(ATTR.workers)) throw badAttribute(ATTR.workers, 'the new number of workers');
        throw notImplemented(`scale ${LATER}`);
      case 'suspend': case 'resume':
        throw notImplemented(`${term} ${LATER}`);
      default:
        throw new ApiError(400, 'BAD_REQUEST', `action: expected scale, suspend or resume (got ${JSON.stringify(term)})`, 'action');
    }
  }

  /** POST /disco/<id> without an action: a partial update of mutable attributes. */
  async update(caller: Caller, id: string, attrs: Map<string, AttributeValue>): Promise<never> {
    const action = attrs.get(ATTR.action);
    if (action !== undefined) return this.action(caller, id, String(action), attrs);
    await this.get(caller, id);
    if (attrs.has(ATTR.workers)) throw notImplemented(`changing ${ATTR.workers} ${LATER}`);
    const names = [...attrs.keys()];
    if (names.length === 0) throw new ApiError(400, 'BAD_REQUEST', 'a partial update needs X-OCCI-Attribute values to change');
    throw badAttribute(names[0]!, `a mutable attribute (${ATTR.workers}, or action="suspend|resume")`);
  }
}

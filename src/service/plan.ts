// The dry run (icclab.disco.dryrun=true): everything a create would check and render,
// and Heat's own validation of the result on the caller's cloud; nothing is made.
import type { Caller } from '../auth/authenticator.js';
import { assertCanDelegate } from '../auth/delegation.js';
import type { Config } from '../config/schema.js';
import type { ClusterRenderer } from '../heat/renderer.js';
import type { SecurityRule } from '../heat/security-rules.js';
import { BadRequestError, type OpenStack } from '../openstack/index.js';
import type { AttributeValue, Category } from '../occi/model.js';
import type { QuotaReport } from '../admission/quota.js';
import type { ClusterService } from './cluster-service.js';

export interface Plan {
  dryrun: true;
  frameworks: { name: string; version: string | null; properties: Record<string, unknown> }[];
  workers: number;
  template: unknown;
  parameters: Record<string, unknown>;
  environment: Record<string, unknown>;
  files: Record<string, string>;
  security_rules: SecurityRule[];
  validation: { ok: true; parameters: Record<string, unknown> } | { ok: false; message: string };
  quota: QuotaReport;
}

/** What the key pair's public key will be: made only at create, so a stand-in here. */
const KEY_PLACEHOLDER = 'ssh-ed25519 (made at create)';

export async function plan(
  d: { clusters: ClusterService; renderer: ClusterRenderer; config: Config; cloudFor(c: Caller): OpenStack },
  caller: Caller, attrs: Map<string, AttributeValue>, mixins: Category[],
): Promise<Plan> {
  assertCanDelegate(caller); // the create it plans would be refused
  const p = await d.clusters.prepare(caller, attrs, mixins);
  const { securityRules, ...input } = d.renderer.render(p.spec, { clusterId: p.id, sshPublicKey: KEY_PLACEHOLDER,
    settings: d.config.clusters, installTimeoutSeconds: d.config.provisioning.installTimeoutSeconds, nodeSecrets: null });
  let validation: Plan['validation'];
  try {
    const v = await d.cloudFor(caller).heat.validate(input);
    validation = { ok: true, parameters: v.parameters };
  } catch (e) {
    if (!(e instanceof BadRequestError)) throw e;
    validation = { ok: false, message: e.osMessage ?? e.message };
  }
  return {
    dryrun: true,
    frameworks: p.spec.frameworks.map((f) => ({ ...f, properties: p.spec.components[f.name] ?? {} })),
    workers: p.spec.workers,
    template: input.template,
    parameters: input.parameters ?? {},
    environment: typeof input.environment === 'object' ? input.environment : {},
    files: input.files ?? {},
    security_rules: securityRules,
    validation,
    quota: p.quota,
  };
}

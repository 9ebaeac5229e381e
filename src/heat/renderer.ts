// ClusterSpec -> Heat stack input, Magnum style: one table maps the request to template
// parameters, another maps stack outputs back to cluster fields. The base template is
// read and parsed once; the framework engine plugs in behind ClusterRenderer (issue 4).
import { load } from 'js-yaml';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ClusterOutputs, ClusterSpec } from '../clusters/record.js';
import type { Config } from '../config/schema.js';
import type { FrameworkCatalog } from '../frameworks/catalog.js';
import type { StackInput } from '../openstack/index.js';
import { ruleResources, securityRules, type SecurityRule } from './security-rules.js';
import { DomainError } from '../errors/domain-error.js';
import { nodePrefix } from './node-names.js';
import { drainHooks, renderUserData, sectionNames, USER_DATA_LIMIT } from './user-data.js';
import { ATTR, componentAttribute } from '../disco-kind/attribute-names.js';
import { unsealedSecrets, type Properties } from '../frameworks/properties.js';
import type { Framework } from '../frameworks/catalog.js';

export interface RenderContext {
  clusterId: string;
  sshPublicKey: string;
  settings: Config['clusters'];
  installTimeoutSeconds: number;
  /** Secrets the nodes get (cluster key pair, secret and generated properties); null in a dry run. */
  nodeSecrets: Record<string, string> | null;
  /** How long a scale-down's drain may take (SM_DRAIN_TIMEOUT_SECONDS); 1800 when not said. */
  drainTimeoutSeconds?: number;
  /** Rendered only to be refused early when too big (a create's admission): the node scripts
   * are compressed fast, and exactly only when that is near Nova's limit. */
  sizeCheck?: boolean;
}

export interface Rendered extends StackInput {
  securityRules: SecurityRule[];
}

export interface ClusterRenderer {
  render(spec: ClusterSpec, ctx: RenderContext): Rendered;
  /** The sections of the node script, in order (what per-framework progress counts). */
  sections(spec: ClusterSpec): string[];
}

export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/heat/', import.meta.url));

/** Template parameter <- request field. */
const PARAMETERS: Record<string, (s: ClusterSpec, c: RenderContext) => unknown> = {
  cluster_name: (s) => s.name,
  node_prefix: (s) => nodePrefix(s.name),
  network_name: (s) => s.networkName,
  subnet_cidr: (_s, c) => c.settings.subnetCidr,
  dns_nameservers: (_s, c) => c.settings.dnsNameservers.join(','),
  external_network: (s) => s.externalNetwork,
  master_image: (s) => s.masterImage,
  master_flavor: (s) => s.masterFlavor,
  worker_image: (s) => s.workerImage,
  worker_flavor: (s) => s.workerFlavor,
  worker_count: (s) => s.workers,
  key_name: (_s, c) => keyName(c.clusterId),
  ssh_public_key: (_s, c) => c.sshPublicKey,
  install_timeout: (_s, c) => c.installTimeoutSeconds,
  node_secrets: (_s, c) => (c.nodeSecrets ? encodeSecrets(c.nodeSecrets) : HIDDEN),
};

/** How a dry run shows the hidden node_secrets parameter. */
export const HIDDEN = '******';

/** Lines "name base64(value)", the whole base64: one shell-safe word (disco_secret decodes it). */
export function encodeSecrets(secrets: Record<string, string>): string {
  const lines = Object.entries(secrets).map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}\n`).join('');
  return Buffer.from(lines).toString('base64');
}

/** Stack output -> cluster field. */
export const OUTPUTS: Record<string, keyof ClusterOutputs> = {
  external_ip: 'externalIp',
  master_ip: 'masterIp',
  ssh_key_name: 'sshKeyName',
  ssh_public_key: 'sshPublicKey',
};

export const stackName = (clusterId: string): string => `disco-${clusterId}`;
export const keyName = (clusterId: string): string => `disco-${clusterId}`;

export function outputsToFields(outputs: Record<string, unknown>): ClusterOutputs {
  const out: ClusterOutputs = {};
  for (const [key, field] of Object.entries(OUTPUTS)) {
    const v = outputs[key];
    if (typeof v === 'string' && v !== '') out[field] = v;
  }
  return { ...out, ...gatewayOf(outputs.master_signals) };
}

const GATEWAY = /^gateway ((?:[0-9A-F]{2}:){31}[0-9A-F]{2}) (sha256\/\/[A-Za-z0-9+/]{43}=)$/;

/** The gateway's certificate from what the master's sections signalled ({"bootstrap": "gateway <fingerprint> <pin>"}). */
export function gatewayOf(signals: unknown): Pick<ClusterOutputs, 'gatewayFingerprint' | 'gatewayPin'> {
  let data: unknown = signals;
  if (typeof signals === 'string') { try { data = JSON.parse(signals); } catch { return {}; } }
  const m = data && typeof data === 'object' ? GATEWAY.exec(String((data as Record<string, unknown>).bootstrap ?? '')) : null;
  return m ? { gatewayFingerprint: m[1]!, gatewayPin: m[2]! } : {};
}

/**
 * What the node script exports, and what goes in the hidden secrets parameter. A secret
 * property the script carries (the manifest's secret_in_script: bootstrap.post_init) is
 * exported as DISCO_<FW>_<PROPERTY> like an open one, and not sent a second time through
 * disco_secret: at stack create it comes from the record's sealed secrets (the node secrets),
 * before the record exists (the create's size check, the dry run) from the values settled
 * with the spec; a record written before it was secret has it in its components.
 */
function scriptInputs(frameworks: readonly Framework[], components: Properties, secrets: Record<string, string> | null):
{ properties: Properties; nodeSecrets: Record<string, string> | null } {
  const properties: Properties = { ...components };
  const nodeSecrets = secrets ? { ...secrets } : null;
  const pending = unsealedSecrets(components);
  for (const f of frameworks) {
    for (const p of f.secret_in_script) {
      const key = `${f.name}_${p}`;
      const v = nodeSecrets?.[key] ?? pending?.[f.name]?.[p];
      if (nodeSecrets) delete nodeSecrets[key];
      if (v !== undefined && components[f.name]?.[p] === undefined) properties[f.name] = { ...properties[f.name], [p]: v };
    }
  }
  return { properties, nodeSecrets };
}

/** Refused before anything is made: Nova would refuse the servers. */
function checkSize(userData: string, properties: Properties): string {
  const size = Buffer.byteLength(userData);
  if (size <= USER_DATA_LIMIT) return userData;
  const [fw, prop] = Object.entries(properties).flatMap(([f, props]) => Object.entries(props).map(([p, v]) => [f, p, String(v).length] as const))
    .sort((a, b) => b[2] - a[2])[0] ?? [];
  const attr = fw ? componentAttribute(fw, prop!) : ATTR.inject;
  throw new DomainError('INVALID', `${attr}: the node script would be ${size} bytes, over the ${USER_DATA_LIMIT} bytes Nova accepts; shorten ${attr} or ask for fewer frameworks`, attr);
}

export class BaseTemplateRenderer implements ClusterRenderer {
  private readonly template: Record<string, unknown>;
  private readonly nodeTemplate: string;
  private readonly drain: Record<string, unknown>;

  constructor(private readonly catalog: FrameworkCatalog, dir: string = TEMPLATES_DIR) {
    this.template = load(readFileSync(`${dir}/cluster.yaml`, 'utf8')) as Record<string, unknown>;
    this.nodeTemplate = readFileSync(`${dir}/node.yaml`, 'utf8');
    this.drain = (load(readFileSync(`${dir}/drain.yaml`, 'utf8')) as { resources: Record<string, unknown> }).resources;
  }

  sections(spec: ClusterSpec): string[] {
    return sectionNames(spec.frameworks.map((f) => this.catalog.get(f.name)!));
  }

  render(spec: ClusterSpec, ctx: RenderContext): Rendered {
    const frameworks = spec.frameworks.map((f) => this.catalog.get(f.name)!);
    const { properties, nodeSecrets } = scriptInputs(frameworks, spec.components, ctx.nodeSecrets);
    const parameters: Record<string, unknown> = {};
    for (const [name, from] of Object.entries(PARAMETERS)) parameters[name] = from(spec, { ...ctx, nodeSecrets });
    const data = { clusterName: spec.name, nodePrefix: nodePrefix(spec.name), workers: spec.workers, mirrorUrl: ctx.settings.mirrorUrl ?? '',
      ...(spec.sshUser ? { sshUser: spec.sshUser } : {}), facts: spec.facts ?? {}, properties,
      ...(ctx.drainTimeoutSeconds ? { drainTimeoutSeconds: ctx.drainTimeoutSeconds } : {}) };
    const script = (role: 'master' | 'worker') => {
      // gzip -9 is never 10% smaller than gzip -1 on a script: a fast render well under the limit is under it
      const fast = ctx.sizeCheck ? renderUserData(frameworks, role, data, 1) : undefined;
      if (fast !== undefined && Buffer.byteLength(fast) <= USER_DATA_LIMIT * 0.9) return fast;
      return checkSize(renderUserData(frameworks, role, data), properties);
    };
    parameters.master_user_data = script('master');
    parameters.worker_user_data = script('worker');
    parameters.signal_count = sectionNames(frameworks).length;
    const rules = securityRules(frameworks, ctx.settings.accessCidr);
    const resources = { ...(this.template.resources as Record<string, unknown>), ...ruleResources(rules, 'security_group') };
    if (drainHooks(frameworks)) Object.assign(resources, this.withDrain(resources));
    const template = { ...this.template, resources };
    return {
      template, parameters, securityRules: rules, tags: ['disco-sm', `cluster-${ctx.clusterId}`],
      files: { 'node.yaml': this.nodeTemplate },
      environment: { resource_registry: { 'DISCO::Node': 'node.yaml' } },
    };
  }

  /** drain.yaml's resources, the master given the drain channel, the workers resized only after the drain. */
  private withDrain(resources: Record<string, unknown>): Record<string, unknown> {
    type Res = { properties: Record<string, unknown>; depends_on?: string | string[] };
    const master = resources.master as Res;
    const workers = resources.workers as Res;
    return {
      ...structuredClone(this.drain),
      master: { ...master, properties: { ...master.properties, drain: { get_attr: ['drain_agent', 'os_collect_config'] } } },
      workers: { ...workers, depends_on: [...[workers.depends_on ?? []].flat(), 'drain'] },
    };
  }
}

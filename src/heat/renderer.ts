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
import { renderUserData } from './user-data.js';

export interface RenderContext {
  clusterId: string;
  sshPublicKey: string;
  settings: Config['clusters'];
  installTimeoutMinutes: number;
}

export interface Rendered extends StackInput {
  securityRules: SecurityRule[];
}

export interface ClusterRenderer {
  render(spec: ClusterSpec, ctx: RenderContext): Rendered;
}

export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/heat/', import.meta.url));

/** Template parameter <- request field. */
const PARAMETERS: Record<string, (s: ClusterSpec, c: RenderContext) => unknown> = {
  cluster_name: (s) => s.name,
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
  install_timeout: (_s, c) => c.installTimeoutMinutes * 60,
};

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
  return out;
}

export class BaseTemplateRenderer implements ClusterRenderer {
  private readonly template: Record<string, unknown>;
  private readonly nodeTemplate: string;

  constructor(private readonly catalog: FrameworkCatalog, dir: string = TEMPLATES_DIR) {
    this.template = load(readFileSync(`${dir}/cluster.yaml`, 'utf8')) as Record<string, unknown>;
    this.nodeTemplate = readFileSync(`${dir}/node.yaml`, 'utf8');
  }

  render(spec: ClusterSpec, ctx: RenderContext): Rendered {
    const parameters: Record<string, unknown> = {};
    for (const [name, from] of Object.entries(PARAMETERS)) parameters[name] = from(spec, ctx);
    const frameworks = spec.frameworks.map((f) => this.catalog.get(f.name)!);
    const data = { clusterName: spec.name, workers: spec.workers, mirrorUrl: ctx.settings.mirrorUrl ?? '', properties: spec.components };
    parameters.master_user_data = renderUserData(frameworks, 'master', data);
    parameters.worker_user_data = renderUserData(frameworks, 'worker', data);
    const rules = securityRules(frameworks, ctx.settings.accessCidr);
    const template = {
      ...this.template,
      resources: { ...(this.template.resources as object), ...ruleResources(rules, 'security_group') },
    };
    return {
      template, parameters, securityRules: rules, tags: ['disco-sm', `cluster-${ctx.clusterId}`],
      files: { 'node.yaml': this.nodeTemplate },
      environment: { resource_registry: { 'DISCO::Node': 'node.yaml' } },
    };
  }
}

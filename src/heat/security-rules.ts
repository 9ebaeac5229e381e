// Security-group rules from the frameworks' declared ports. The cluster's nodes reach each
// other on every port (one rule on the group itself), so `cluster` ports need nothing more;
// `public` ports (SSH, the gateway) are opened to the configured access CIDR only, and to
// nothing when none is configured. Never the world unless an operator says so. A web UI is
// never public itself: its gateway port is (the gateway asks for the cluster's password).
import type { Framework } from '../frameworks/catalog.js';

export interface SecurityRule {
  framework: string;
  protocol: 'tcp' | 'udp';
  portMin: number;
  portMax: number;
  audience: 'cluster' | 'public';
  /** 'cluster' (members of the security group) or a CIDR; null when nothing is opened. */
  remote: string | null;
  description: string;
}

export function securityRules(frameworks: readonly Framework[], accessCidr: string | null): SecurityRule[] {
  const rules: SecurityRule[] = [];
  for (const f of frameworks) {
    for (const u of f.ui) {
      rules.push({
        framework: f.name, protocol: 'tcp', portMin: u.gateway_port, portMax: u.gateway_port, audience: 'public', remote: accessCidr,
        description: `${f.name}: ${u.name} through the gateway (HTTPS, the cluster's password)`,
      });
    }
    for (const p of f.ports) {
      const [min, max] = typeof p.port === 'number' ? [p.port, p.port] : p.port.split('-').map(Number) as [number, number];
      rules.push({
        framework: f.name, protocol: p.protocol, portMin: min, portMax: max, audience: p.audience,
        remote: p.audience === 'cluster' ? 'cluster' : accessCidr,
        description: `${f.name}: ${p.description ?? `${p.protocol} ${p.port}`}`,
      });
    }
  }
  return rules;
}

/** Heat resources for the rules that open a port to a CIDR. */
export function ruleResources(rules: readonly SecurityRule[], group: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const r of rules) {
    if (r.audience !== 'public' || !r.remote) continue;
    out[`public_${r.framework}_${r.protocol}_${r.portMin}`.replace(/[^A-Za-z0-9_]/g, '_')] = {
      type: 'OS::Neutron::SecurityGroupRule',
      properties: {
        security_group: { get_resource: group }, direction: 'ingress', protocol: r.protocol,
        port_range_min: r.portMin, port_range_max: r.portMax, remote_ip_prefix: r.remote, description: r.description,
      },
    };
  }
  return out;
}

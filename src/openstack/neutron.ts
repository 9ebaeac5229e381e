// Neutron v2.0 (network): networks (external ones) and quota headroom.
import { ConflictError, NotFoundError } from './errors.js';
import { headroom } from './headroom.js';
import type { OpenStackHttp } from './http.js';
import { isSegment, seg, ServiceClient } from './service-client.js';
import type { Session } from './session.js';

export interface Network { id: string; name: string; external: boolean; shared: boolean; status: string; subnets: string[] }

export type NetworkQuotaKey = 'network' | 'subnet' | 'router' | 'port' | 'floatingip' | 'security_group' | 'security_group_rule';

export interface NetworkQuota { limit: number; used: number; reserved: number; headroom: number | null }

function toNetwork(r: Record<string, unknown>): Network {
  return {
    id: String(r.id), name: String(r.name ?? ''), external: r['router:external'] === true, shared: r.shared === true,
    status: String(r.status), subnets: Array.isArray(r.subnets) ? r.subnets.map(String) : [],
  };
}

export class NeutronClient extends ServiceClient {
  constructor(session: Session, http: OpenStackHttp) { super(session, http, 'neutron', 'network', 'v2.0'); }

  async networks(f: { external?: boolean; name?: string } = {}): Promise<Network[]> {
    const res = await this.request('networks', 'GET', '/networks', { query: { 'router:external': f.external, name: f.name } });
    return ((res.body as { networks?: Record<string, unknown>[] }).networks ?? []).map(toNetwork);
  }

  /** A network by id, else by exact name. */
  async network(nameOrId: string): Promise<Network> {
    if (isSegment(nameOrId)) try {
      const res = await this.request('network', 'GET', `/networks/${seg(nameOrId)}`);
      return toNetwork((res.body as { network: Record<string, unknown> }).network);
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
    const found = await this.networks({ name: nameOrId });
    const details = { service: 'neutron', operation: 'neutron.network' };
    if (found.length === 0) throw new NotFoundError('OS_NOT_FOUND', `no network with name or id ${JSON.stringify(nameOrId)}`, { ...details, status: 404 });
    if (found.length > 1) throw new ConflictError('OS_CONFLICT', `${found.length} networks are named ${JSON.stringify(nameOrId)}: use its id`, { ...details, status: 409 });
    return found[0]!;
  }

  /** Limit, use and headroom of each network quota of a project. */
  async quotas(projectId: string): Promise<Record<NetworkQuotaKey, NetworkQuota>> {
    const res = await this.request('quotas', 'GET', `/quotas/${seg(projectId)}/details.json`);
    const q = ((res.body as { quota?: Record<string, { limit: number; used: number; reserved?: number }> }).quota ?? {});
    const out = {} as Record<NetworkQuotaKey, NetworkQuota>;
    for (const key of ['network', 'subnet', 'router', 'port', 'floatingip', 'security_group', 'security_group_rule'] as const) {
      const v = q[key] ?? { limit: -1, used: 0 };
      const reserved = v.reserved ?? 0;
      out[key] = { limit: v.limit, used: v.used, reserved, headroom: headroom(v.limit, v.used + reserved) };
    }
    return out;
  }
}

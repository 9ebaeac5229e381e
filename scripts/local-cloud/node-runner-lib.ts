// What the node runner needs to know of a server to make it a real node, read as the cloud
// admin: its user_data (the node script Heat rendered), its port (network, address, MAC) and
// subnet, its key pair's public key, and the floating IP on its port once there is one.
import type { OpenStack } from '../../src/openstack/index.js';
import { signalOf } from './node-sim-lib.js';

export interface ServerFacts {
  id: string;
  name: string;
  status: string;
  projectId: string;
  userData: string;
  portId: string;
  networkId: string;
  ip: string;
  mac: string;
  cidr: string;
  gateway: string;
  publicKeys: string[];
}

type Get = (service: 'compute' | 'network', path: string, headers?: Record<string, string>) => Promise<Record<string, unknown> | undefined>;

export function getter(admin: OpenStack): Get {
  return async (service, path, headers = {}) => {
    const token = await admin.session.token();
    const base = (await admin.session.endpoint(service)).replace(/\/+$/, '');
    const res = await fetch(`${base}${service === 'network' && !base.endsWith('/v2.0') ? '/v2.0' : ''}${path}`,
      { headers: { 'X-Auth-Token': token.value, Accept: 'application/json', ...headers } });
    if (res.status === 404) { await res.arrayBuffer(); return undefined; }
    if (!res.ok) throw new Error(`${service} answered ${res.status} to GET ${path}`);
    return (await res.json()) as Record<string, unknown>;
  };
}

const NOVA = { 'X-OpenStack-Nova-API-Version': '2.10' };

/** The ids of the servers of these projects (of every project when none is given). */
export async function serverIds(get: Get, projects?: string[]): Promise<string[]> {
  const pages = await Promise.all((projects ?? ['']).map(async (p) =>
    ((await get('compute', `/servers?all_tenants=1${p ? `&project_id=${p}` : ''}`, NOVA))?.servers ?? []) as { id: string }[]));
  return pages.flat().map((s) => s.id);
}

/** Whether Nova still has this server (deleted ones 404). */
export async function serverExists(get: Get, id: string): Promise<boolean> {
  return (await get('compute', `/servers/${id}`, NOVA)) !== undefined;
}

/**
 * A DISCO node's facts, or 'other' for a server that is no DISCO node, or undefined while
 * it is not ready to boot (not ACTIVE yet, no port yet) or gone.
 */
export async function serverFacts(get: Get, id: string): Promise<ServerFacts | 'other' | undefined> {
  const s = (await get('compute', `/servers/${id}`, NOVA))?.server as Record<string, unknown> | undefined;
  if (!s) return undefined;
  const userData = Buffer.from(String(s['OS-EXT-SRV-ATTR:user_data'] ?? ''), 'base64').toString('utf8');
  if (!signalOf(userData)) return 'other';
  if (s.status !== 'ACTIVE') return undefined;
  const port = ((await get('network', `/ports?device_id=${id}`))?.ports as Record<string, unknown>[] | undefined)?.[0];
  const fixed = (port?.fixed_ips as { subnet_id: string; ip_address: string }[] | undefined)?.find((f) => /^\d+\.\d+\.\d+\.\d+$/.test(f.ip_address));
  if (!port || !fixed) return undefined;
  const subnet = (await get('network', `/subnets/${fixed.subnet_id}`))?.subnet as { cidr: string; gateway_ip: string } | undefined;
  if (!subnet) return undefined;
  const keyName = s.key_name ? String(s.key_name) : '';
  const key = keyName
    ? (await get('compute', `/os-keypairs/${encodeURIComponent(keyName)}?user_id=${encodeURIComponent(String(s.user_id))}`, NOVA))?.keypair as { public_key: string } | undefined
    : undefined;
  return {
    id, name: String(s.name), status: String(s.status), projectId: String(s.tenant_id), userData,
    portId: String(port.id), networkId: String(port.network_id), ip: fixed.ip_address, mac: String(port.mac_address),
    cidr: subnet.cidr, gateway: subnet.gateway_ip, publicKeys: key ? [key.public_key.trim()] : [],
  };
}

/** The floating IP on a port, once Neutron has one there. */
export async function floatingIp(get: Get, portId: string): Promise<string | undefined> {
  const fips = (await get('network', `/floatingips?port_id=${portId}`))?.floatingips as { floating_ip_address: string }[] | undefined;
  return fips?.[0]?.floating_ip_address;
}

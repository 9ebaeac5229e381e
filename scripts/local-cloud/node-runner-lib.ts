// What the node runner needs to know of a server to make it a real node, read as the cloud
// admin: its user_data (the node script Heat rendered), its port (network, address, MAC) and
// subnet, its key pair's public key, and the floating IP on its port once there is one.
import { NOVA, signalOf, type AdminGet as Get } from './node-sim-lib.js';

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

/** Port -> floating IP, every one Neutron has (one request a round, whatever the number of nodes). */
export async function floatingIps(get: Get): Promise<Map<string, string>> {
  const fips = ((await get('network', '/floatingips'))?.floatingips ?? []) as { port_id: string | null; floating_ip_address: string }[];
  return new Map(fips.filter((f) => f.port_id).map((f) => [f.port_id!, f.floating_ip_address]));
}

// Service catalog lookup: the endpoint of a service type for an interface and region.
import { EndpointNotFoundError } from './errors.js';
import type { CatalogEntry } from './token.js';

export type Interface = 'public' | 'internal' | 'admin';

export interface EndpointFilter { interface?: Interface; region?: string }

export function findEndpoint(catalog: CatalogEntry[], type: string, f: EndpointFilter = {}): string {
  const iface = f.interface ?? 'public';
  const entries = catalog.filter((c) => c.type === type);
  for (const entry of entries) {
    const ep = entry.endpoints.find((e) => e.interface === iface && (!f.region || e.region === f.region));
    if (ep) return ep.url.replace(/\/+$/, '');
  }
  const where = `${iface} interface${f.region ? ` in region ${f.region}` : ''}`;
  const known = [...new Set(catalog.map((c) => c.type))].sort().join(', ') || 'none';
  throw new EndpointNotFoundError('OS_ENDPOINT_NOT_FOUND',
    entries.length ? `no ${where} for service type ${type}` : `service type ${type} is not in the catalog (has: ${known})`,
    { service: 'keystone', operation: 'catalog.findEndpoint' });
}

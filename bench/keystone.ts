// Keystone's own time to validate a token, measured in the same run as the POST figures it
// bounds: a create validates the caller's token with Keystone every time (a change is never
// made on a cached validation).
import { quantiles } from './quantiles.js';
import type { OpenStack } from '../src/openstack/index.js';

export async function measureKeystone(cloud: OpenStack, token: string, n = 200): Promise<{ n: number; p50: number; p99: number }> {
  for (let i = 0; i < 10; i++) await cloud.keystone.validateToken(token); // warm-up: connections, Keystone's caches
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await cloud.keystone.validateToken(token);
    times.push(performance.now() - t);
  }
  return { n, ...quantiles(times) };
}

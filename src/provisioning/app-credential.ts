// The cluster's own Keystone application credential, made with the caller's token. Its
// name is deterministic, so a credential left by a crashed earlier attempt is found and
// replaced (its secret was never stored). It is unrestricted for one reason only: Keystone
// lets an application credential delete itself only then (measured: a restricted one gets
// 403), and the cluster's credential must be able to remove itself when the cluster goes.
import type { AuthToken } from '../openstack/index.js';
import type { CloudAccess } from './cloud-access.js';

export const appCredentialName = (clusterId: string): string => `disco-${clusterId}`;

export async function ensureApplicationCredential(access: CloudAccess, caller: AuthToken, clusterId: string):
Promise<{ id: string; secret: string }> {
  const keystone = access.keystone;
  const name = appCredentialName(clusterId);
  for (const old of await keystone.findApplicationCredentials(caller, name)) {
    await keystone.deleteApplicationCredential(caller, old.id);
  }
  const ac = await keystone.createApplicationCredential(caller, {
    name, unrestricted: true,
    description: `DISCO service manager: background work on cluster ${clusterId}`,
  });
  return { id: ac.id, secret: ac.secret };
}

// The start-up check of the secret keys against the stored records: a wrong SM_SECRET_KEY
// stops start-up, naming the key id the records need, instead of a service whose every GET
// of a cluster fails. Reads the records in batches; the check itself only compares key ids
// (clusters/secrets.ts checkSealedKeys).
import { checkSealedKeys } from '../clusters/secrets.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { ClusterStore } from '../store/cluster-store.js';

/** Why the configured keys do not open the stored secrets, or undefined when they do. Rejects when the store cannot be read. */
export async function checkStoreKeys(store: Pick<ClusterStore, 'listIds' | 'get'>, box: SecretBox, batch = 100): Promise<string | undefined> {
  const ids = await store.listIds();
  const sealed: { id: string; sealedSecrets: string }[] = [];
  for (let i = 0; i < ids.length; i += batch) {
    const records = await Promise.all(ids.slice(i, i + batch).map((id) => store.get(id)));
    for (const r of records) if (r) sealed.push({ id: r.id, sealedSecrets: r.sealedSecrets });
  }
  return checkSealedKeys(box, sealed);
}

// Sealing and opening a record's secrets; the record id is the AES-GCM additional data.
import type { SecretBox } from '../crypto/secret-box.js';
import { registerSecret } from '../log/redact.js';
import type { ClusterRecord, ClusterSecrets } from './record.js';

export function sealSecrets(box: SecretBox, id: string, s: ClusterSecrets): string {
  return box.seal(JSON.stringify(s), `cluster:${id}`);
}

export function openSecrets(box: SecretBox, r: Pick<ClusterRecord, 'id' | 'sealedSecrets'>): ClusterSecrets {
  const s = JSON.parse(box.open(r.sealedSecrets, `cluster:${r.id}`)) as ClusterSecrets;
  registerSecret(s.sshPrivateKey);
  registerSecret(s.appCredentialSecret);
  registerSecret(s.createToken);
  return s;
}

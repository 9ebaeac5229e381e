// A cluster's secrets: sealing and opening them (the record id is the AES-GCM additional
// data), making the ones a cluster needs at create (its internal key pair, the manifests'
// generated secrets), and the set the nodes receive.
import { randomBytes } from 'node:crypto';
import type { SecretBox } from '../crypto/secret-box.js';
import { generateSshKeyPair } from '../crypto/ssh-keypair.js';
import type { Framework } from '../frameworks/catalog.js';
import { registerSecret } from '../log/redact.js';
import type { ClusterRecord, ClusterSecrets } from './record.js';
import { componentAttribute } from '../disco-kind/attribute-names.js';

type Props = Record<string, Record<string, string | number | boolean>>;

export function sealSecrets(box: SecretBox, id: string, s: ClusterSecrets): string {
  return box.seal(JSON.stringify(s), `cluster:${id}`);
}

export function openSecrets(box: SecretBox, r: Pick<ClusterRecord, 'id' | 'sealedSecrets'>): ClusterSecrets {
  const s = JSON.parse(box.open(r.sealedSecrets, `cluster:${r.id}`)) as ClusterSecrets;
  for (const v of [s.sshPrivateKey, s.appCredentialSecret, s.createToken, s.clusterPrivateKey]) registerSecret(v);
  for (const props of Object.values(s.frameworkSecrets ?? {})) for (const v of Object.values(props)) registerSecret(String(v));
  return s;
}

/**
 * The secrets a new cluster's nodes share: its own key pair, and each framework's generated
 * secrets (hex), unless the property that replaces one was given (jupyter: a password).
 */
export function makeClusterSecrets(id: string, frameworks: readonly Framework[], given: Props, open: Props):
Pick<ClusterSecrets, 'clusterPrivateKey' | 'clusterPublicKey' | 'frameworkSecrets'> {
  const keys = generateSshKeyPair(`disco-cluster-${id}`);
  const frameworkSecrets: Props = structuredClone(given);
  for (const f of frameworks) {
    for (const g of f.generate) {
      if (g.unless && (given[f.name]?.[g.unless] !== undefined || open[f.name]?.[g.unless] !== undefined)) continue;
      (frameworkSecrets[f.name] ??= {})[g.name] = randomBytes(g.bytes).toString('hex');
    }
  }
  return { clusterPrivateKey: keys.privateKey, clusterPublicKey: keys.publicKey, frameworkSecrets };
}

/** What `disco_secret NAME` gives on a node: cluster_private_key, cluster_public_key, <fw>_<name>. */
export function nodeSecrets(s: ClusterSecrets): Record<string, string> {
  const out: Record<string, string> = {};
  if (s.clusterPrivateKey) out.cluster_private_key = s.clusterPrivateKey;
  if (s.clusterPublicKey) out.cluster_public_key = s.clusterPublicKey;
  for (const [fw, props] of Object.entries(s.frameworkSecrets ?? {})) {
    for (const [k, v] of Object.entries(props)) out[`${fw}_${k}`] = String(v);
  }
  return out;
}

/** Generated secrets the owner is shown (icclab.disco.components.<fw>.<name>), e.g. jupyter's token. */
export function ownerSecrets(s: ClusterSecrets, frameworks: readonly Framework[]): [string, string][] {
  return frameworks.flatMap((f) => f.generate.filter((g) => g.show_to_owner)
    .map((g) => [g.name, s.frameworkSecrets?.[f.name]?.[g.name]] as const)
    .filter((x): x is readonly [string, string] => typeof x[1] === 'string')
    .map(([n, v]) => [componentAttribute(f.name, n), v] as [string, string]));
}

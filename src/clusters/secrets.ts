// A cluster's secrets: sealing and opening them (the record id is the AES-GCM additional
// data), making the ones a cluster needs at create (its internal key pair, the manifests'
// generated secrets), and the set the nodes receive.
import { randomBytes } from 'node:crypto';
import { sealedKeyId, type SecretBox } from '../crypto/secret-box.js';
import { generateSshKeyPair } from '../crypto/ssh-keypair.js';
import type { Framework, FrameworkCatalog } from '../frameworks/catalog.js';
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
      const out = (frameworkSecrets[f.name] ??= {});
      if (g.type === 'ssh_key') {
        const pair = generateSshKeyPair(`disco-${f.name}-${id}`);
        out[g.name] = pair.privateKey;
        out[`${g.name}_pub`] = pair.publicKey;
      } else {
        out[g.name] = randomBytes(g.bytes!).toString('hex');
      }
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

/** Secrets the owner is shown (icclab.disco.components.<fw>.<name>): generated ones such as
 * jupyter's token, and secret properties such as bootstrap's post_init (the manifests say which). */
export function ownerSecrets(s: ClusterSecrets, frameworks: readonly Framework[]): [string, string][] {
  return frameworks.flatMap((f) => [...f.shown_to_owner, ...f.generate.filter((g) => g.show_to_owner).map((g) => g.name)]
    .map((n) => [n, s.frameworkSecrets?.[f.name]?.[n]] as const)
    .filter((x): x is readonly [string, string] => typeof x[1] === 'string')
    .map(([n, v]) => [componentAttribute(f.name, n), v] as [string, string]));
}

/** Secret properties a record keeps in clear (written before the property was declared secret): [framework, property, value]. */
export function clearSecretProperties(r: Pick<ClusterRecord, 'spec' | 'attributes'>, catalog: Pick<FrameworkCatalog, 'get'>):
[string, string, string | number | boolean][] {
  const out: [string, string, string | number | boolean][] = [];
  for (const { name } of r.spec.frameworks) {
    for (const p of catalog.get(name)?.secret_properties ?? []) {
      const v = r.spec.components[name]?.[p] ?? r.attributes[componentAttribute(name, p)];
      if (v !== undefined) out.push([name, p, v]);
    }
  }
  return out;
}

/**
 * What the background sweep writes to a record (through store.update, so atomically), or
 * undefined when nothing is to change: its secrets sealed again with the current key when an
 * older key (or the v1 format) sealed them, and secret properties an older version kept in
 * clear (bootstrap.post_init in spec.components and attributes) moved into the sealed
 * secrets. The record id stays the additional data. Throws SecretBoxError when no configured
 * key opens the secrets.
 */
export function resealRecord(box: SecretBox, r: ClusterRecord, catalog: Pick<FrameworkCatalog, 'get'>): ClusterRecord | undefined {
  const clear = clearSecretProperties(r, catalog);
  if (!clear.length) return box.isCurrent(r.sealedSecrets) ? undefined : { ...r, sealedSecrets: box.reseal(r.sealedSecrets, `cluster:${r.id}`) };
  const s = JSON.parse(box.open(r.sealedSecrets, `cluster:${r.id}`)) as ClusterSecrets;
  const frameworkSecrets = structuredClone(s.frameworkSecrets ?? {});
  const components = structuredClone(r.spec.components);
  const attributes = { ...r.attributes };
  for (const [fw, p, v] of clear) {
    (frameworkSecrets[fw] ??= {})[p] ??= v;
    if (components[fw]) delete components[fw][p];
    delete attributes[componentAttribute(fw, p)];
  }
  return { ...r, spec: { ...r.spec, components }, attributes, sealedSecrets: sealSecrets(box, r.id, { ...s, frameworkSecrets }) };
}

/**
 * The start-up check of the sealed values in the store: undefined when the configured keys
 * open them all, else why not and how to fix it. Cheap on many records: a v2 value names its
 * key's id, which is only compared; v1 values name none and were all sealed with the single
 * key of their time, so only the first `v1Samples` are tried.
 */
export function checkSealedKeys(box: SecretBox, records: Iterable<Pick<ClusterRecord, 'id' | 'sealedSecrets'>>, v1Samples = 3): string | undefined {
  const unknown = new Map<string, string[]>();
  let v1Tried = 0;
  let v1Failed: string | undefined;
  const malformed: string[] = [];
  for (const r of records) {
    const id = sealedKeyId(r.sealedSecrets);
    if (id === undefined) malformed.push(r.id);
    else if (id !== null) {
      if (!box.hasKey(id)) unknown.set(id, [...(unknown.get(id) ?? []), r.id]);
    } else if (v1Tried < v1Samples && v1Failed === undefined) {
      v1Tried++;
      try { box.open(r.sealedSecrets, `cluster:${r.id}`); } catch { v1Failed = r.id; }
    }
  }
  const fix = 'start with the key that sealed them as SM_SECRET_KEY, or keep your new SM_SECRET_KEY and list the old key in SM_SECRET_KEYS ' +
    '(comma-separated base64 keys, only read; the records are then re-sealed with SM_SECRET_KEY in the background). ' +
    'A key\'s id: printf %s "$KEY" | base64 -d | sha256sum | cut -c1-12';
  const problems = [...unknown].map(([id, ids]) =>
    `${ids.length} cluster record(s) (${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ', ...' : ''}) hold secrets sealed with key id ${id}, which is not configured`);
  if (v1Failed) problems.push(`cluster record ${v1Failed} holds secrets sealed in the v1 format (it names no key id) with a key that is not configured`);
  if (!problems.length && malformed.length) {
    return `cluster record(s) ${malformed.slice(0, 3).join(', ')}${malformed.length > 3 ? ', ...' : ''} hold no sealed secrets (not a v1: or v2: value): the store was not written by this service`;
  }
  if (!problems.length) return undefined;
  return `the secret key does not open the stored secrets: ${problems.join('; ')} (${box.configured()}); ${fix}`;
}

// A cluster described in a file (YAML or JSON), as disposabledisco's config.json was: every
// create attribute, the frameworks and their properties, the packages, pip requirements,
// post-init script and slot multipliers. Checked with a JSON Schema: a misspelt key is named.
import { Ajv } from 'ajv';
import { load } from 'js-yaml';
import type { CreateRequest } from '../client/cluster.js';
import type { Model } from '../client/types.js';
import { ATTR, parseComponentAttribute } from '../disco-kind/attribute-names.js';
import { UsageError } from './credentials.js';

export interface ClusterFile {
  name?: string; workers?: number; master_flavor?: string; worker_flavor?: string; master_image?: string; worker_image?: string;
  external_network?: string; lifetime?: number | 'none'; deadline?: string;
  frameworks?: string[]; properties?: Record<string, Record<string, string | number | boolean>>;
  packages?: string[] | string; pip?: string[] | string; post_init?: string; authorized_keys?: string[] | string;
  master_multiplier?: number; worker_multiplier?: number;
}

const list = { anyOf: [{ type: 'array', items: { type: 'string', maxLength: 4096 }, maxItems: 1000 }, { type: 'string', maxLength: 65536 }] };
const SCHEMA = {
  type: 'object', additionalProperties: false,
  properties: {
    name: { type: 'string', maxLength: 255 }, workers: { type: 'integer', minimum: 0 },
    master_flavor: { type: 'string' }, worker_flavor: { type: 'string' }, master_image: { type: 'string' }, worker_image: { type: 'string' },
    external_network: { type: 'string' }, lifetime: { anyOf: [{ type: 'integer', minimum: 1 }, { const: 'none' }] }, deadline: { type: 'string' },
    frameworks: { type: 'array', items: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,31}$' }, maxItems: 32 },
    properties: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] } } },
    packages: list, pip: list, authorized_keys: list, post_init: { type: 'string', maxLength: 65536 },
    master_multiplier: { type: 'integer', minimum: 0 }, worker_multiplier: { type: 'integer', minimum: 0 },
  },
} as const;
const validate = new Ajv({ allErrors: true }).compile(SCHEMA);

const joined = (v: string[] | string | undefined) => (v === undefined ? undefined : Array.isArray(v) ? v.join(',') : v);

/** The file's text (YAML, of which JSON is a part) as a create request. */
export function parseClusterFile(text: string, file: string): CreateRequest {
  let doc: unknown;
  try { doc = text.trim() === '' ? {} : load(text, { filename: file, json: true }); } catch (e) { throw new UsageError(`${file}: not YAML or JSON: ${(e as Error).message.split('\n')[0]}`); }
  if (doc === undefined || doc === null) doc = {};
  if (!validate(doc)) {
    const why = (validate.errors ?? []).map((e) => `${e.instancePath || '(top)'} ${e.keyword === 'additionalProperties' ? `has no key ${JSON.stringify(e.params.additionalProperty)}` : e.message}`);
    throw new UsageError(`${file}: ${why.join('; ')}`);
  }
  const f = doc as ClusterFile;
  const boot: Record<string, string | number | boolean> = {};
  const put = (k: string, v: string | number | undefined) => { if (v !== undefined) boot[k] = v; };
  put('packages', joined(f.packages));
  put('pip', joined(f.pip));
  put('authorized_keys', joined(f.authorized_keys));
  put('post_init', f.post_init);
  put('master_multiplier', f.master_multiplier);
  put('worker_multiplier', f.worker_multiplier);
  const properties = { ...(f.properties ?? {}) };
  if (Object.keys(boot).length) properties.bootstrap = { ...properties.bootstrap, ...boot };
  const req: CreateRequest = { frameworks: (f.frameworks ?? []).filter((x) => x !== 'bootstrap') };
  const set = <K extends keyof CreateRequest>(k: K, v: CreateRequest[K] | undefined) => { if (v !== undefined) req[k] = v; };
  set('title', f.name);
  set('workers', f.workers);
  set('masterFlavor', f.master_flavor);
  set('workerFlavor', f.worker_flavor);
  set('masterImage', f.master_image);
  set('workerImage', f.worker_image);
  set('externalNetwork', f.external_network);
  set('lifetime', f.lifetime as number | undefined);
  set('deadline', f.deadline);
  if (Object.keys(properties).length) req.properties = properties;
  return req;
}

const comment = (s: string | undefined) => (s ? ` # ${s.replace(/\s+/g, ' ')}` : '');
const yamlValue = (v: unknown) => (v === undefined ? '' : JSON.stringify(v));

/** A commented cluster file with this service's defaults and every framework's properties. */
export function clusterFileTemplate(m: Model): string {
  const kind = m.kinds.find((k) => k.term === 'disco')?.attributes ?? {};
  const d = (name: string) => kind[name]?.default;
  const fws = m.mixins.filter((x) => x.term !== 'bootstrap' && x.scheme.endsWith('/framework#'));
  const out = [
    '# A DISCO cluster: `disco create -f THIS_FILE`. Keys left out (or commented) take the service\'s defaults.',
    'name: my-cluster                 # DNS-safe; names the network, router and servers',
    `workers: ${yamlValue(d(ATTR.workers) ?? 1)}`,
    `# master_flavor: ${yamlValue(d(ATTR.masterFlavor))}`,
    `# worker_flavor: ${yamlValue(d(ATTR.workerFlavor))}`,
    `# master_image: ${yamlValue(d(ATTR.masterImage))}`,
    `# worker_image: ${yamlValue(d(ATTR.workerImage))}`,
    `# external_network: ${yamlValue(d(ATTR.externalNetwork))}`,
    '# lifetime: 3600                # seconds after ready, then the cluster deletes itself ("none": never)',
    '# deadline: "2030-01-01T00:00:00Z"  # or at this time, whichever comes first',
    '',
    `# frameworks, any of: ${fws.map((x) => x.term).join(', ')} (what they need comes with them)`,
    'frameworks: []',
    '',
    '# on every node (the bootstrap framework): Debian packages, Python packages, a script run as root last',
    '# packages: [htop]',
    '# pip: [numpy]',
    '# post_init: |',
    '#   echo "$DISCO_ROLE is ready" > /root/ready',
    '# authorized_keys: ["ssh-ed25519 AAAA... you@example.org"]',
    '# master_multiplier: 0          # Disco slots per core on the master (0: it runs no tasks)',
    '# worker_multiplier: 1          # Disco slots per core on each worker',
    '',
    '# framework properties:',
    '# properties:',
  ];
  for (const x of fws) {
    const props = Object.entries(x.attributes).filter(([n]) => parseComponentAttribute(n)?.framework === x.term);
    if (!props.length) continue;
    out.push(`#   ${x.term}:`);
    for (const [n, a] of props) out.push(`#     ${parseComponentAttribute(n)!.property}: ${yamlValue(a.default ?? (a.type === 'number' ? 1 : ''))}${comment(a.description)}`);
  }
  return `${out.join('\n')}\n`;
}

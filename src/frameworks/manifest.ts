// What a framework manifest (frameworks/<name>/framework.yaml) declares, and the schema
// that checks it at start-up. Sahara's per-framework interface, as data: validate
// (parameters + checks), ports, configure (defaults), scripts per role.
import type { Expr } from './expr.js';

export interface PortDecl {
  port: number | string;             // 8088 or "30000-30010"
  protocol: 'tcp' | 'udp';
  audience: 'cluster' | 'public';    // cluster: only inside the cluster network
  description?: string;
}

/** A web UI on the master, reached from outside only through the gateway (bootstrap's nginx:
 * HTTPS, the cluster's password) on `gateway_port`; its own `port` stays on the cluster network. */
export interface UiDecl {
  name: string;
  port: number;
  gateway_port: number;
  description?: string;
  /** Also each worker's same port, at /node/<worker name>/... of the gateway_port (Disco's
   * results and DDFS blobs are served by the node that holds them). */
  nodes?: boolean;
}

/** A file a framework's scripts download (`disco_artifact <name> DEST`): from its upstream
 * release URL, or SM_MIRROR_URL/<path>, checked against the SHA-512 pinned here. The master
 * downloads it once; the workers take it from the master. */
export interface ArtifactDecl {
  name: string;
  /** Where it is in a mirror and in the master's cache: relative, no `..`. */
  path: string;
  /** The project's official download or archive site (https). */
  url: string;
  sha512: string;
  /** file (default): the SHA-512 of the file. gunzip: of its gunzipped content (GitHub's
   * archives are made on demand: their gzip bytes may change, the tar inside does not). */
  digest_of?: 'file' | 'gunzip';
  /** Bytes, when known (docs, and a bound on the download). */
  size?: number;
}

export interface CheckDecl {
  assert: Expr;
  property: string;                   // the property the 400 names
  message: string;                    // {name} placeholders: properties and cluster facts
}

export interface FrameworkManifest {
  name: string;
  version: string;
  description: string;
  depends_on: string[];
  /** Applied to every cluster, asked for or not. */
  always?: boolean;
  ports: PortDecl[];
  ui: UiDecl[];
  artifacts: ArtifactDecl[];
  /** JSON Schema of icclab.disco.components.<name>.<property> values (an object schema). */
  parameters: Record<string, unknown>;
  /** Defaults computed from the cluster (e.g. min(3, workers)). */
  defaults: Record<string, Expr>;
  checks: CheckDecl[];
  /** Properties never stored in clear (sealed in the record's secrets), nor shown but to the owner. */
  secret_properties: string[];
  /** Secret properties the node script gets in its environment (DISCO_<NAME>_<PROPERTY>, in the gzipped
   * part of user_data) as open properties are, instead of through disco_secret: values too large for
   * the hidden secrets parameter, which Nova's user_data limit also counts uncompressed (a script). */
  secret_in_script: string[];
  /** Secret properties shown to the cluster's owner on GET (icclab.disco.components.<name>.<property>). */
  shown_to_owner: string[];
  /** Random secrets made per cluster (hex of `bytes` random bytes), delivered like secret properties. */
  generate: GenerateDecl[];
  scripts: { lib?: string | string[]; all?: string; master?: string; worker?: string; post?: string };
  /** How the framework takes workers out before a scale-down removes them: a function of its
   * lib, run on the master again and again (0 once done), given the leaving workers by cluster
   * address or by name; with none, every worker back in (templates/node/drain.sh). */
  drain?: DrainDecl;
}

export interface DrainDecl {
  function: string;
  by: 'address' | 'name';
}

export interface GenerateDecl {
  name: string;
  /** hex (default): `bytes` random bytes in hex. ssh_key: an Ed25519 key pair of the
   * framework's own purpose, the private key as <name> and the public one as <name>_pub. */
  type?: 'hex' | 'ssh_key';
  bytes?: number;
  /** Not made when this property is given (jupyter: no token when a password is set). */
  unless?: string;
  /** Shown to the cluster's owner as icclab.disco.components.<fw>.<name>. */
  show_to_owner?: boolean;
}

const expr = { anyOf: [{ type: 'number' }, { type: 'string' }, { type: 'boolean' }, { type: 'object', minProperties: 1, maxProperties: 1 }] };

export const manifestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'version', 'description', 'depends_on'],
  properties: {
    name: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,39}$' },
    version: { type: 'string', minLength: 1 },
    description: { type: 'string', minLength: 1 },
    depends_on: { type: 'array', items: { type: 'string' }, uniqueItems: true, default: [] },
    always: { type: 'boolean' },
    ports: {
      type: 'array', default: [],
      items: {
        type: 'object', additionalProperties: false, required: ['port', 'protocol', 'audience'],
        properties: {
          port: { anyOf: [{ type: 'integer', minimum: 1, maximum: 65535 }, { type: 'string', pattern: '^\\d{1,5}-\\d{1,5}$' }] },
          protocol: { enum: ['tcp', 'udp'] },
          audience: { enum: ['cluster', 'public'] },
          description: { type: 'string' },
        },
      },
    },
    ui: {
      type: 'array', default: [],
      items: {
        type: 'object', additionalProperties: false, required: ['name', 'port', 'gateway_port'],
        properties: {
          name: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,23}$' },
          port: { type: 'integer', minimum: 1, maximum: 65535 },
          gateway_port: { type: 'integer', minimum: 1024, maximum: 65535 },
          description: { type: 'string' },
          nodes: { type: 'boolean' },
        },
      },
    },
    artifacts: {
      type: 'array', default: [],
      items: {
        type: 'object', additionalProperties: false, required: ['name', 'path', 'url', 'sha512'],
        properties: {
          name: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,39}$' },
          path: { type: 'string', maxLength: 200, pattern: '^[A-Za-z0-9][A-Za-z0-9_+-]*(\\.[A-Za-z0-9_+-]+)*(/[A-Za-z0-9][A-Za-z0-9_+-]*(\\.[A-Za-z0-9_+-]+)*)*$' },
          url: { type: 'string', maxLength: 500, pattern: '^https://[A-Za-z0-9.-]+(:[0-9]+)?/[A-Za-z0-9._~/%+-]*$' },
          sha512: { type: 'string', pattern: '^[0-9a-f]{128}$' },
          digest_of: { enum: ['file', 'gunzip'] },
          size: { type: 'integer', minimum: 1 },
        },
      },
    },
    parameters: {
      type: 'object', default: { type: 'object', additionalProperties: false, properties: {} },
      required: ['type', 'properties'],
      properties: { type: { const: 'object' }, properties: { type: 'object' } },
    },
    defaults: { type: 'object', default: {}, additionalProperties: expr },
    checks: {
      type: 'array', default: [],
      items: {
        type: 'object', additionalProperties: false, required: ['assert', 'property', 'message'],
        properties: { assert: expr, property: { type: 'string' }, message: { type: 'string', minLength: 1 } },
      },
    },
    secret_properties: { type: 'array', items: { type: 'string' }, default: [] },
    secret_in_script: { type: 'array', items: { type: 'string' }, default: [] },
    shown_to_owner: { type: 'array', items: { type: 'string' }, default: [] },
    generate: {
      type: 'array', default: [],
      items: {
        type: 'object', additionalProperties: false, required: ['name'],
        properties: {
          name: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,35}$' },
          type: { enum: ['hex', 'ssh_key'] },
          bytes: { type: 'integer', minimum: 8, maximum: 64 },
          unless: { type: 'string' },
          show_to_owner: { type: 'boolean' },
        },
      },
    },
    drain: {
      type: 'object', additionalProperties: false, required: ['function', 'by'],
      properties: { function: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,63}$' }, by: { enum: ['address', 'name'] } },
    },
    scripts: {
      type: 'object', default: {}, additionalProperties: false,
      properties: {
        ...Object.fromEntries(['all', 'master', 'worker', 'post'].map((k) => [k, { type: 'string' }])),
        // one file, or several (a framework's functions by concern), pasted in this order
        lib: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1, uniqueItems: true }] },
      },
    },
  },
} as const;

/** A framework's lib files, in the order they are pasted. */
export const libFiles = (m: Pick<FrameworkManifest, 'scripts'>): string[] => (m.scripts.lib === undefined ? [] : [m.scripts.lib].flat());

// Configuration: etc/sm.json (or SM_CONFIG), then environment overrides, then one ajv
// check. A wrong value stops start-up with the key named.
import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configSchema, ENV_OVERRIDES, type Config } from './schema.js';

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

const DEFAULT_FILE = fileURLToPath(new URL('../../etc/sm.json', import.meta.url));

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let o = target;
  for (const k of keys.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
  o[keys.at(-1)!] = value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, file = env.SM_CONFIG ?? DEFAULT_FILE): Config {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new ConfigError(`cannot read the configuration file ${file}: ${(e as Error).message}`);
  }
  for (const [name, o] of Object.entries(ENV_OVERRIDES)) {
    const v = env[name];
    if (v === undefined || v === '') continue;
    let value: unknown = v;
    if (o.type === 'integer' || o.type === 'minutes') {
      if (!/^-?\d+$/.test(v)) throw new ConfigError(`${name}=${JSON.stringify(v)}: ${o.path} must be an integer`);
      value = Number(v) * (o.type === 'minutes' ? 60 : 1);
    } else if (o.type === 'nullable-string' && v === 'null') value = null;
    else if (o.type === 'list') value = v.split(',').map((x) => x.trim()).filter((x) => x !== '');
    else if (o.type === 'map') {
      const pairs = v.split(',').map((x) => x.trim()).filter((x) => x !== '');
      const bad = pairs.find((x) => !/^[^=]+=./.test(x));
      if (bad !== undefined) throw new ConfigError(`${name}: ${JSON.stringify(bad)} is not name=value (${o.path} takes comma-separated name=value pairs)`);
      value = Object.fromEntries(pairs.map((x) => [x.slice(0, x.indexOf('=')).trim(), x.slice(x.indexOf('=') + 1).trim()]));
    }
    setPath(raw, o.path, value);
  }
  const ajv = new Ajv({ allErrors: true });
  const validate = ajv.compile(configSchema);
  if (!validate(raw)) {
    const problems = (validate.errors ?? []).map((e) => {
      const key = e.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(top level)';
      const extra = e.keyword === 'additionalProperties' ? ` ${JSON.stringify(e.params.additionalProperty)}` : '';
      return `${key}: ${e.message}${extra}`;
    });
    throw new ConfigError(`invalid configuration (${file} and SM_* environment): ${[...new Set(problems)].join('; ')}`);
  }
  const config = raw as unknown as Config;
  if (config.http.headersTimeoutSeconds > config.http.requestTimeoutSeconds) {
    throw new ConfigError(`http.headersTimeoutSeconds (${config.http.headersTimeoutSeconds}, SM_HEADERS_TIMEOUT_SECONDS) must not exceed ` +
      `http.requestTimeoutSeconds (${config.http.requestTimeoutSeconds}, SM_REQUEST_TIMEOUT_SECONDS): the headers are part of the request`);
  }
  // Heat goes on with a create whose answer timed out here (measured on the local cloud under
  // load: creates answered after 27 s against a 30 s timeout); one sent again while the first is
  // still at work can make a second stack of the same name, so the doubt outlasts the timeout twice
  if (config.provisioning.createInDoubtSeconds * 1000 < 2 * config.openstack.timeoutMs) {
    throw new ConfigError(`provisioning.createInDoubtSeconds (${config.provisioning.createInDoubtSeconds}, SM_CREATE_IN_DOUBT_SECONDS) must be at least ` +
      `twice openstack.timeoutMs (${config.openstack.timeoutMs} ms): a create whose answer timed out may still be at work in Heat, and one sent again meanwhile can make a second stack`);
  }
  // several processes share records and jobs only through Redis
  if (config.role !== 'all' && !config.redis.url) {
    throw new ConfigError(`role ${config.role} (SM_ROLE) needs Redis: set SM_REDIS_URL (redis://host:port); only role "all" runs on the embedded store`);
  }
  return config;
}

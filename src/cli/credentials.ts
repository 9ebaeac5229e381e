// Credentials the OpenStack way: OS_* variables, or a cloud of clouds.yaml named by --os-cloud
// or OS_CLOUD (looked for in ./, ~/.config/openstack/ and /etc/openstack/, as openstacksdk
// does). The CLI asks Keystone for a token with them and sends the service only the token.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import type { Credentials, Scope } from '../openstack/index.js';

export interface Login { authUrl: string; credentials: Credentials; scope: Scope; region?: string }

export class UsageError extends Error {
  readonly code = 'USAGE';
}

type Env = Record<string, string | undefined>;
type Auth = Record<string, unknown>;

const CLOUDS_YAML = (env: Env) => [join(process.cwd(), 'clouds.yaml'), join(env.HOME ?? homedir(), '.config/openstack/clouds.yaml'), '/etc/openstack/clouds.yaml'];

/** The cloud `name` of a clouds.yaml's text: its auth block as OS_* variables would give it. */
export function cloudFromYaml(text: string, name: string, file = 'clouds.yaml'): Env {
  const doc = load(text) as { clouds?: Record<string, { auth?: Auth; region_name?: string; auth_type?: string }> } | undefined;
  const c = doc?.clouds?.[name];
  if (!c) throw new UsageError(`no cloud ${JSON.stringify(name)} in ${file} (it has: ${Object.keys(doc?.clouds ?? {}).join(', ') || 'none'})`);
  const a = c.auth ?? {};
  const s = (k: string) => (typeof a[k] === 'string' || typeof a[k] === 'number' ? String(a[k]) : undefined);
  return {
    OS_AUTH_URL: s('auth_url'), OS_USERNAME: s('username'), OS_USER_ID: s('user_id'), OS_PASSWORD: s('password'),
    OS_PROJECT_NAME: s('project_name'), OS_PROJECT_ID: s('project_id'), OS_USER_DOMAIN_NAME: s('user_domain_name'),
    OS_PROJECT_DOMAIN_NAME: s('project_domain_name'), OS_APPLICATION_CREDENTIAL_ID: s('application_credential_id'),
    OS_APPLICATION_CREDENTIAL_SECRET: s('application_credential_secret'), OS_TOKEN: s('token'), OS_REGION_NAME: c.region_name,
  };
}

/** What to log in with, from OS_* variables (or the cloud they name); a UsageError says what is missing. */
export function loginFrom(env: Env, o: { cloud?: string; readFile?: (path: string) => string | undefined } = {}): Login {
  const cloud = o.cloud ?? env.OS_CLOUD;
  let v: Env = env;
  if (cloud) {
    const read = o.readFile ?? ((p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined));
    const file = CLOUDS_YAML(env).find((p) => read(p) !== undefined);
    if (!file) throw new UsageError(`--os-cloud ${cloud}: no clouds.yaml in ${CLOUDS_YAML(env).join(', ')}`);
    // a variable set beside OS_CLOUD still wins, as with the openstack client
    v = { ...cloudFromYaml(read(file)!, cloud, file), ...Object.fromEntries(Object.entries(env).filter(([k, x]) => k.startsWith('OS_') && k !== 'OS_CLOUD' && x)) };
  }
  const authUrl = v.OS_AUTH_URL;
  if (!authUrl) throw new UsageError('no credentials: set OS_AUTH_URL and the other OS_* variables (source your openrc), or name a cloud with --os-cloud');
  const scope: Scope = v.OS_PROJECT_ID ? { projectId: v.OS_PROJECT_ID }
    : v.OS_PROJECT_NAME ? { projectName: v.OS_PROJECT_NAME, projectDomain: { name: v.OS_PROJECT_DOMAIN_NAME ?? v.OS_USER_DOMAIN_NAME ?? 'Default' } } : undefined;
  const region = v.OS_REGION_NAME ? { region: v.OS_REGION_NAME } : {};
  if (v.OS_APPLICATION_CREDENTIAL_ID && v.OS_APPLICATION_CREDENTIAL_SECRET) {
    return { authUrl, credentials: { kind: 'applicationCredential', id: v.OS_APPLICATION_CREDENTIAL_ID, secret: v.OS_APPLICATION_CREDENTIAL_SECRET }, scope: undefined, ...region };
  }
  if (v.OS_TOKEN) return { authUrl, credentials: { kind: 'token', token: v.OS_TOKEN }, scope, ...region };
  if (!v.OS_PASSWORD || !(v.OS_USERNAME || v.OS_USER_ID)) throw new UsageError('incomplete credentials: OS_USERNAME (or OS_USER_ID) and OS_PASSWORD are needed, or OS_APPLICATION_CREDENTIAL_ID and _SECRET');
  if (!scope) throw new UsageError('no project: set OS_PROJECT_NAME (or OS_PROJECT_ID)');
  return {
    authUrl, scope, ...region,
    credentials: { kind: 'password', password: v.OS_PASSWORD, ...(v.OS_USER_ID ? { userId: v.OS_USER_ID } : { username: v.OS_USERNAME! }),
      userDomain: { name: v.OS_USER_DOMAIN_NAME ?? 'Default' } },
  };
}

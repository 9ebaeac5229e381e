// The local cloud for integration tests: its credentials from var/local-cloud/env (written
// by scripts/local-cloud/up, which `npm test` runs first). A missing or unreachable cloud
// is an error with the way to fix it, never a skipped test.
import { connect, type ConnectOptions, type OpenStack } from '../../src/openstack/index.js';
import { ENV_FILE, readEnvFile } from '../../scripts/local-cloud/env.js';


export interface CloudEnv {
  OS_AUTH_URL: string; OS_USERNAME: string; OS_PASSWORD: string; OS_PROJECT_NAME: string;
  OS_USER_DOMAIN_NAME: string; OS_PROJECT_DOMAIN_NAME: string; OS_REGION_NAME: string;
  OTHER_OS_USERNAME: string; OTHER_OS_PASSWORD: string; OTHER_OS_PROJECT_NAME: string;
  READER_OS_USERNAME: string; READER_OS_PASSWORD: string; PEER_OS_USERNAME: string; PEER_OS_PASSWORD: string;
  ADMIN_OS_USERNAME: string; ADMIN_OS_PASSWORD: string; ADMIN_OS_PROJECT_NAME: string;
  BULK_OS_USERNAME: string; BULK_OS_PASSWORD: string; BULK_OS_PROJECT_NAME: string;
  BENCH_OS_USERNAME: string; BENCH_OS_PASSWORD: string; BENCH_OS_PROJECT_NAME: string;
  LOCAL_CLOUD_EXTERNAL_NETWORK: string; LOCAL_CLOUD_FLAVOR: string; LOCAL_CLOUD_IMAGE: string;
  LANES: string; LANES_OS_PASSWORD: string;
}

let cached: CloudEnv | undefined;

export function cloudEnv(): CloudEnv {
  if (cached) return cached;
  const env = readEnvFile();
  const keys: (keyof CloudEnv)[] = ['OS_AUTH_URL', 'OS_USERNAME', 'OS_PASSWORD', 'OS_PROJECT_NAME',
    'OS_USER_DOMAIN_NAME', 'OS_PROJECT_DOMAIN_NAME', 'OS_REGION_NAME', 'OTHER_OS_USERNAME',
    'OTHER_OS_PASSWORD', 'OTHER_OS_PROJECT_NAME', 'READER_OS_USERNAME', 'READER_OS_PASSWORD', 'PEER_OS_USERNAME', 'PEER_OS_PASSWORD', 'ADMIN_OS_USERNAME', 'ADMIN_OS_PASSWORD',
    'ADMIN_OS_PROJECT_NAME', 'BULK_OS_USERNAME', 'BULK_OS_PASSWORD', 'BULK_OS_PROJECT_NAME', 'BENCH_OS_USERNAME', 'BENCH_OS_PASSWORD', 'BENCH_OS_PROJECT_NAME', 'LOCAL_CLOUD_EXTERNAL_NETWORK', 'LOCAL_CLOUD_FLAVOR', 'LOCAL_CLOUD_IMAGE', 'LANES', 'LANES_OS_PASSWORD'];
  const missing = keys.filter((k) => !env[k]);
  if (missing.length) throw new Error(`${ENV_FILE} lacks ${missing.join(', ')}: run scripts/local-cloud/up again`);
  cached = env as unknown as CloudEnv;
  return cached;
}

/** Test lanes: a heavy test file's own project (bulk's quota), user of the same name; see stages/seed.sh. */
export type Lane = 'lifecycle' | 'failures' | 'crash' | 'prodmode' | 'signals' | 'icclab' | 'restart' | 'errors' | 'nodes' | 'readme' | 'disco' | 'dashboard' | 'cli' | 'image';

/** demo and other: default quotas; bulk: room for 40 small clusters; bench: no limits; admin: the cloud's admin; a lane;
 * demo-reader (reader only) and demo-peer (a second member) in demo. */
export type Who = 'demo' | 'other' | 'admin' | 'bulk' | 'bench' | 'demo-reader' | 'demo-peer' | 'dashboard-reader' | Lane;

/** User name, password and project name of one of the local cloud's users. */
export function userOf(who: Who): [string, string, string] {
  const e = cloudEnv();
  switch (who) {
    case 'demo': return [e.OS_USERNAME, e.OS_PASSWORD, e.OS_PROJECT_NAME];
    case 'other': return [e.OTHER_OS_USERNAME, e.OTHER_OS_PASSWORD, e.OTHER_OS_PROJECT_NAME];
    case 'demo-reader': return [e.READER_OS_USERNAME, e.READER_OS_PASSWORD, e.OS_PROJECT_NAME];
    case 'demo-peer': return [e.PEER_OS_USERNAME, e.PEER_OS_PASSWORD, e.OS_PROJECT_NAME];
    case 'dashboard-reader': return ['dashboard-reader', e.LANES_OS_PASSWORD, 'dashboard'];
    case 'bulk': return [e.BULK_OS_USERNAME, e.BULK_OS_PASSWORD, e.BULK_OS_PROJECT_NAME];
    case 'bench': return [e.BENCH_OS_USERNAME, e.BENCH_OS_PASSWORD, e.BENCH_OS_PROJECT_NAME];
    case 'admin': return [e.ADMIN_OS_USERNAME, e.ADMIN_OS_PASSWORD, e.ADMIN_OS_PROJECT_NAME];
    default:
      if (!e.LANES.split(',').includes(who)) throw new Error(`no lane ${who} in the local cloud (LANES=${e.LANES}): run scripts/local-cloud/up again`);
      return [who, e.LANES_OS_PASSWORD, who];
  }
}

/** Password credentials and project scope of one of the local cloud's users. */
export function passwordLogin(who: Who = 'demo'): Pick<ConnectOptions, 'authUrl' | 'credentials' | 'scope' | 'region'> {
  const e = cloudEnv();
  const [user, password, project] = userOf(who);
  return {
    authUrl: e.OS_AUTH_URL, region: e.OS_REGION_NAME,
    credentials: { kind: 'password', username: user, password, userDomain: { name: e.OS_USER_DOMAIN_NAME } },
    scope: { projectName: project, projectDomain: { name: e.OS_PROJECT_DOMAIN_NAME } },
  };
}

/** The tests' own clients wait longer than the service's: a slow Heat (many stacks at once
 * on 2 cores) must fail the service's resilience, never the harness's own look at the cloud. */
export function cloud(who: Who = 'demo', extra: Partial<ConnectOptions> = {}): OpenStack {
  return connect({ ...passwordLogin(who), http: { timeoutMs: 120_000, retries: 4 }, ...extra });
}

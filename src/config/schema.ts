// The configuration's shape: etc/sm.json holds every key with its default, this schema
// checks it (and the environment's overrides) at start-up.
import { RULES, type PolicyConfig } from '../policy/policy.js';
export interface Config {
  mode: 'embedded' | 'production';
  /** api: HTTP only; worker: reconciler only (plus health and metrics); all: both (needs no Redis). */
  role: 'all' | 'api' | 'worker';
  /** Redis for records and jobs; null: SQLite in dataDir and an in-process queue (one process). */
  redis: { url: string | null; prefix: string };
  queue: { concurrency: number; maxAttempts: number; retryCapMs: number; lockMs: number; stalledIntervalMs: number; sweepSeconds: number; shutdownGraceMs: number };
  host: string;
  port: number;
  /** /metrics and /readyz (cross-tenant counts, internal error text): loopback by default. */
  admin: { host: string; port: number };
  /** What one connection may send and for how long (slow clients are cut off). */
  http: { maxHeaderBytes: number; maxBodyBytes: number; headersTimeoutSeconds: number; requestTimeoutSeconds: number; keepAliveTimeoutSeconds: number };
  publicUrl: string | null;
  /** GET /disco/<id> answers kept per record revision (0: none), see api/answer-cache.ts. */
  answerCacheSize: number;
  /** The bytes those answers may take (bodies, headers, keys). */
  answerCacheBytes: number;
  /** Clusters one project may have at once (records, whatever their state). */
  maxClustersPerProject: number;
  /** The change streams (GET /disco/-/changes): how often each looks at the store, how many may be open per process. */
  changes: { pollMs: number; maxStreams: number };
  /** Each rule and the Keystone roles (in the project) that grant it: see policy/policy.ts. */
  policy: PolicyConfig;
  dataDir: string;
  /** The framework catalog (a folder per framework, as frameworks/ is); null: the one shipped. */
  frameworksDir: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  secretKey: string | null;
  /** Older keys (base64), only to open values sealed before a rotation (SM_SECRET_KEYS, comma-separated). */
  secretKeys: string[];
  keystone: { authUrl: string; region: string; interface: 'public' | 'internal' | 'admin'; defaultDomain: string; tokenCacheSeconds: number;
    /** Failed logins per user name and per client address within the window before a 429 (0: no limit). */
    loginFailuresPerUser: number; loginFailuresPerClient: number; loginFailureWindowSeconds: number };
  openstack: { timeoutMs: number; retries: number; cacheSeconds: number; quotaCacheSeconds: number;
    /** Service type -> URL in place of the catalog's (clouds.yaml's *_endpoint_override); `%(project_id)s` is the project. */
    endpointOverrides: Record<string, string> };
  clusters: {
    maxWorkers: number; defaultWorkers: number;
    masterFlavor: string; workerFlavor: string; masterImage: string; workerImage: string;
    externalNetwork: string; subnetCidr: string; dnsNameservers: string[]; accessCidr: string | null; mirrorUrl: string | null;
    /** The login user GET reports when the master image names none (its os_admin_user property). */
    sshUser: string;
  };
  /** Timers in seconds (tests set them short); the create timeout in minutes, Heat's unit for a stack. */
  provisioning: { pollInitialMs: number; pollMaxMs: number; createTimeoutMinutes: number; installTimeoutSeconds: number; deleteRetryMaxMs: number;
    failedRetentionSeconds: number; updateTimeoutSeconds: number; deleteTimeoutSeconds: number; createInDoubtSeconds: number;
    /** How long the master may take to drain the workers a scale-down removes before the scale fails. */
    drainTimeoutSeconds: number };
}

const str = { type: 'string', minLength: 1 };
const int = (minimum: number, maximum?: number) => ({ type: 'integer', minimum, ...(maximum === undefined ? {} : { maximum }) });
const cidr = { type: 'string', pattern: '^\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}$' };
const url = { type: 'string', pattern: '^https?://[^\\s/]+' };
const obj = (properties: Record<string, unknown>) => ({
  type: 'object', additionalProperties: false, required: Object.keys(properties), properties,
});

export const configSchema = obj({
  mode: { enum: ['embedded', 'production'] },
  role: { enum: ['all', 'api', 'worker'] },
  redis: obj({ url: { anyOf: [{ type: 'null' }, { type: 'string', pattern: '^rediss?://' }] }, prefix: { type: 'string', pattern: '^[A-Za-z0-9_:.-]{1,40}$' } }),
  queue: obj({
    concurrency: int(1, 256), maxAttempts: int(1, 1000), retryCapMs: int(100, 3_600_000),
    lockMs: int(1000, 600_000), stalledIntervalMs: int(500, 600_000), sweepSeconds: int(0, 86_400), shutdownGraceMs: int(0, 600_000),
  }),
  host: str,
  port: int(0, 65535),
  admin: obj({ host: str, port: int(0, 65535) }),
  http: obj({
    maxHeaderBytes: int(1024, 1_048_576), maxBodyBytes: int(1024, 16_777_216),
    headersTimeoutSeconds: int(1, 600), requestTimeoutSeconds: int(1, 3600), keepAliveTimeoutSeconds: int(1, 600),
  }),
  publicUrl: { anyOf: [{ type: 'null' }, url] },
  answerCacheSize: int(0, 1_000_000),
  answerCacheBytes: int(0, 1_073_741_824),
  maxClustersPerProject: int(1, 100_000),
  changes: obj({ pollMs: int(50, 60_000), maxStreams: int(0, 100_000) }),
  policy: obj(Object.fromEntries(RULES.map((r) => [r, { type: 'array', maxItems: 32, items: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$' } }]))),
  dataDir: str,
  frameworksDir: { anyOf: [{ type: 'null' }, str] },
  logLevel: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
  // 32 bytes, base64: the AES-256-GCM key for secrets at rest
  secretKey: { anyOf: [{ type: 'null' }, { type: 'string', pattern: '^[A-Za-z0-9+/]{43}=$' }] },
  // older keys, the same form: they only open (rotation)
  secretKeys: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z0-9+/]{43}=$' } },
  keystone: obj({
    authUrl: url, region: str, interface: { enum: ['public', 'internal', 'admin'] },
    defaultDomain: str, tokenCacheSeconds: int(0, 3600),
    loginFailuresPerUser: int(0, 10_000), loginFailuresPerClient: int(0, 100_000), loginFailureWindowSeconds: int(1, 86_400),
  }),
  openstack: obj({ timeoutMs: int(100, 600_000), retries: int(0, 10), cacheSeconds: int(0, 86_400), quotaCacheSeconds: int(0, 3600),
    endpointOverrides: { type: 'object', additionalProperties: false, patternProperties: { '^[a-z][a-z0-9-]{0,63}$': url } } }),
  clusters: obj({
    maxWorkers: int(0, 1000), defaultWorkers: int(0, 1000),
    masterFlavor: str, workerFlavor: str, masterImage: str, workerImage: str, externalNetwork: str,
    subnetCidr: cidr, dnsNameservers: { type: 'array', items: str }, accessCidr: { anyOf: [{ type: 'null' }, cidr] },
    mirrorUrl: { anyOf: [{ type: 'null' }, url] },
    sshUser: { type: 'string', pattern: '^[a-z_][a-z0-9_-]{0,31}$' },
  }),
  provisioning: obj({
    pollInitialMs: int(10, 600_000), pollMaxMs: int(10, 3_600_000), createTimeoutMinutes: int(1, 1440),
    installTimeoutSeconds: int(1, 86_400),
    deleteRetryMaxMs: int(10, 3_600_000),
    failedRetentionSeconds: int(0, 31_536_000),
    updateTimeoutSeconds: int(1, 86_400),
    deleteTimeoutSeconds: int(1, 86_400),
    createInDoubtSeconds: int(1, 3600),
    drainTimeoutSeconds: int(1, 86_400),
  }),
});

/** Environment variables and the config key each one overrides. */
/** `minutes`: an integer of minutes for a key kept in seconds (the older names of the timers); `list`: comma-separated values. */
/** `map`: comma-separated name=value pairs. */
export const ENV_OVERRIDES: Record<string, { path: string; type: 'string' | 'integer' | 'nullable-string' | 'minutes' | 'list' | 'map' }> = {
  SM_MODE: { path: 'mode', type: 'string' },
  SM_ROLE: { path: 'role', type: 'string' },
  SM_REDIS_URL: { path: 'redis.url', type: 'nullable-string' },
  SM_REDIS_PREFIX: { path: 'redis.prefix', type: 'string' },
  SM_QUEUE_CONCURRENCY: { path: 'queue.concurrency', type: 'integer' },
  SM_QUEUE_MAX_ATTEMPTS: { path: 'queue.maxAttempts', type: 'integer' },
  SM_QUEUE_LOCK_MS: { path: 'queue.lockMs', type: 'integer' },
  SM_QUEUE_STALLED_INTERVAL_MS: { path: 'queue.stalledIntervalMs', type: 'integer' },
  SM_QUEUE_SWEEP_SECONDS: { path: 'queue.sweepSeconds', type: 'integer' },
  SM_SHUTDOWN_GRACE_MS: { path: 'queue.shutdownGraceMs', type: 'integer' },
  SM_HOST: { path: 'host', type: 'string' },
  SM_PORT: { path: 'port', type: 'integer' },
  SM_ADMIN_HOST: { path: 'admin.host', type: 'string' },
  SM_ADMIN_PORT: { path: 'admin.port', type: 'integer' },
  SM_MAX_HEADER_BYTES: { path: 'http.maxHeaderBytes', type: 'integer' },
  SM_MAX_BODY_BYTES: { path: 'http.maxBodyBytes', type: 'integer' },
  SM_HEADERS_TIMEOUT_SECONDS: { path: 'http.headersTimeoutSeconds', type: 'integer' },
  SM_REQUEST_TIMEOUT_SECONDS: { path: 'http.requestTimeoutSeconds', type: 'integer' },
  SM_KEEPALIVE_TIMEOUT_SECONDS: { path: 'http.keepAliveTimeoutSeconds', type: 'integer' },
  SM_MAX_CLUSTERS_PER_PROJECT: { path: 'maxClustersPerProject', type: 'integer' },
  SM_CHANGES_POLL_MS: { path: 'changes.pollMs', type: 'integer' },
  SM_MAX_CHANGE_STREAMS: { path: 'changes.maxStreams', type: 'integer' },
  SM_PUBLIC_URL: { path: 'publicUrl', type: 'nullable-string' },
  SM_ANSWER_CACHE_SIZE: { path: 'answerCacheSize', type: 'integer' },
  SM_ANSWER_CACHE_BYTES: { path: 'answerCacheBytes', type: 'integer' },
  SM_DATA_DIR: { path: 'dataDir', type: 'string' },
  SM_FRAMEWORKS_DIR: { path: 'frameworksDir', type: 'nullable-string' },
  SM_LOG_LEVEL: { path: 'logLevel', type: 'string' },
  SM_SECRET_KEY: { path: 'secretKey', type: 'nullable-string' },
  SM_SECRET_KEYS: { path: 'secretKeys', type: 'list' },
  SM_OPENSTACK_CACHE_SECONDS: { path: 'openstack.cacheSeconds', type: 'integer' },
  SM_QUOTA_CACHE_SECONDS: { path: 'openstack.quotaCacheSeconds', type: 'integer' },
  SM_ENDPOINT_OVERRIDES: { path: 'openstack.endpointOverrides', type: 'map' },
  SM_KEYSTONE_URL: { path: 'keystone.authUrl', type: 'string' },
  SM_REGION: { path: 'keystone.region', type: 'string' },
  SM_LOGIN_FAILURES_PER_USER: { path: 'keystone.loginFailuresPerUser', type: 'integer' },
  SM_LOGIN_FAILURES_PER_CLIENT: { path: 'keystone.loginFailuresPerClient', type: 'integer' },
  SM_LOGIN_FAILURE_WINDOW_SECONDS: { path: 'keystone.loginFailureWindowSeconds', type: 'integer' },
  SM_MAX_WORKERS: { path: 'clusters.maxWorkers', type: 'integer' },
  SM_MASTER_FLAVOR: { path: 'clusters.masterFlavor', type: 'string' },
  SM_WORKER_FLAVOR: { path: 'clusters.workerFlavor', type: 'string' },
  SM_MASTER_IMAGE: { path: 'clusters.masterImage', type: 'string' },
  SM_WORKER_IMAGE: { path: 'clusters.workerImage', type: 'string' },
  SM_EXTERNAL_NETWORK: { path: 'clusters.externalNetwork', type: 'string' },
  SM_ACCESS_CIDR: { path: 'clusters.accessCidr', type: 'nullable-string' },
  SM_MIRROR_URL: { path: 'clusters.mirrorUrl', type: 'nullable-string' },
  SM_SSH_USER: { path: 'clusters.sshUser', type: 'string' },
  SM_CREATE_TIMEOUT_MINUTES: { path: 'provisioning.createTimeoutMinutes', type: 'integer' },
  // the minutes forms first: a _SECONDS form given too wins
  SM_INSTALL_TIMEOUT_MINUTES: { path: 'provisioning.installTimeoutSeconds', type: 'minutes' },
  SM_FAILED_RETENTION_MINUTES: { path: 'provisioning.failedRetentionSeconds', type: 'minutes' },
  SM_UPDATE_TIMEOUT_MINUTES: { path: 'provisioning.updateTimeoutSeconds', type: 'minutes' },
  SM_DELETE_TIMEOUT_MINUTES: { path: 'provisioning.deleteTimeoutSeconds', type: 'minutes' },
  SM_INSTALL_TIMEOUT_SECONDS: { path: 'provisioning.installTimeoutSeconds', type: 'integer' },
  SM_FAILED_RETENTION_SECONDS: { path: 'provisioning.failedRetentionSeconds', type: 'integer' },
  SM_UPDATE_TIMEOUT_SECONDS: { path: 'provisioning.updateTimeoutSeconds', type: 'integer' },
  SM_DELETE_TIMEOUT_SECONDS: { path: 'provisioning.deleteTimeoutSeconds', type: 'integer' },
  SM_CREATE_IN_DOUBT_SECONDS: { path: 'provisioning.createInDoubtSeconds', type: 'integer' },
  SM_DRAIN_TIMEOUT_SECONDS: { path: 'provisioning.drainTimeoutSeconds', type: 'integer' },
  SM_POLL_INITIAL_MS: { path: 'provisioning.pollInitialMs', type: 'integer' },
  SM_POLL_MAX_MS: { path: 'provisioning.pollMaxMs', type: 'integer' },
};

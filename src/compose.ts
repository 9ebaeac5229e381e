// The composition root: every part built from the configuration, in one place, for the
// process entry point and for tests that run the whole service in-process. The adapters
// follow the configuration: Redis and BullMQ when SM_REDIS_URL is set (several processes
// can share them), else SQLite and the in-process queue.
import type { Express } from 'express';
import { createAdminApp, createApp, createProbeApp } from './api/app.js';
import { bodyReader } from './api/body.js';
export { serve, type Listening } from './api/server.js';
import { requestLimits } from './disco-kind/limits.js';
import { Policy } from './policy/policy.js';
import { Authenticator, type Caller } from './auth/authenticator.js';
import { ATTR, discovery } from './disco-kind/kind.js';
import { ClusterService } from './service/cluster-service.js';
import { plan } from './service/plan.js';
import type { Config } from './config/schema.js';
import { loadOlderKeys, loadSecretKey, SecretBox, SecretKeyMismatchError } from './crypto/secret-box.js';
import { checkStoreKeys } from './provisioning/key-check.js';
import { FrameworkCatalog } from './frameworks/catalog.js';
import { BaseTemplateRenderer } from './heat/renderer.js';
import type { Logger } from './log/logger.js';
import { Metrics } from './observability/metrics.js';
import { ReadinessCheck } from './observability/readiness.js';
import { clientsFor, KeystoneClient, OpenStackHttp, Session } from './openstack/index.js';
import { CloudAccess } from './provisioning/cloud-access.js';
import { Reconciler } from './provisioning/reconciler.js';
import { Worker } from './provisioning/worker.js';
import { BullJobQueue } from './queue/bull-queue.js';
import type { JobQueue } from './queue/job-queue.js';
import { LocalJobQueue } from './queue/local-queue.js';
import type { ClusterStore } from './store/cluster-store.js';
import { RedisClusterStore } from './store/redis-store.js';
import { SqliteClusterStore } from './store/sqlite-store.js';

export interface Service {
  app: Express;
  /** The admin listener's app: /healthz, /readyz, /metrics. */
  admin: Express;
  store: ClusterStore;
  queue: JobQueue;
  reconciler: Reconciler;
  metrics: Metrics;
  /** The start-up check: rejects with SecretKeyMismatchError when the configured keys do not open the stored secrets. */
  checkSecretKeys(): Promise<void>;
  /** Starts the reconciler (and resumes unfinished records). */
  startWorker(): Promise<number>;
  /** Stops taking work, lets the running jobs finish, closes the connections. */
  close(): Promise<void>;
}

function adapters(config: Config, logger: Logger): { store: ClusterStore; queue: JobQueue } {
  const q = config.queue;
  if (config.redis.url) {
    return {
      store: new RedisClusterStore(config.redis.url, config.redis.prefix),
      queue: new BullJobQueue({ url: config.redis.url, prefix: config.redis.prefix, concurrency: q.concurrency, maxAttempts: q.maxAttempts,
        retryCapMs: q.retryCapMs, lockMs: q.lockMs, stalledIntervalMs: q.stalledIntervalMs, logger: logger.child({ component: 'queue' }) }),
    };
  }
  return {
    store: new SqliteClusterStore(config.dataDir),
    queue: new LocalJobQueue({ concurrency: q.concurrency, maxAttempts: q.maxAttempts, retryCapMs: q.retryCapMs, logger: logger.child({ component: 'queue' }) }),
  };
}

export function compose(config: Config, logger: Logger): Service {
  // SM_SECRET_KEY seals; the older keys (SM_SECRET_KEYS) only open, until the sweep has re-sealed what they sealed
  const box = new SecretBox(loadSecretKey({ configured: config.secretKey, mode: config.mode, dataDir: config.dataDir }), loadOlderKeys(config.secretKeys));
  const catalog = config.frameworksDir ? FrameworkCatalog.load(config.frameworksDir) : FrameworkCatalog.load();
  const { store, queue } = adapters(config, logger);
  const metrics = new Metrics({ store, queue, role: config.role });
  const http = new OpenStackHttp({ timeoutMs: config.openstack.timeoutMs, retries: config.openstack.retries,
    logger: logger.child({ component: 'openstack' }), observe: metrics.observeOpenStack });
  const keystone = new KeystoneClient(config.keystone.authUrl, http);
  const endpointOverrides = config.openstack.endpointOverrides;
  const access = new CloudAccess({ keystone, http, authUrl: config.keystone.authUrl, region: config.keystone.region, endpointOverrides });
  const renderer = new BaseTemplateRenderer(catalog);
  const reconciler = new Reconciler({ store, box, renderer, access, config, logger: logger.child({ component: 'reconciler' }) });
  const worker = new Worker({ store, queue, reconciler, metrics, logger: logger.child({ component: 'worker' }), sweepSeconds: config.queue.sweepSeconds,
    reseal: { box, catalog } });
  let stopping = false;
  const health = { readiness: new ReadinessCheck({ store, queue, keystoneUrl: config.keystone.authUrl }), metrics, stopping: () => stopping };
  let app: Express;
  if (config.role === 'worker') {
    app = createProbeApp({ logger });
  } else {
    const cloudFor = (caller: Caller) => clientsFor(Session.fromToken(keystone, caller.token, { region: config.keystone.region, endpointOverrides }), http);
    const clusters = new ClusterService({ store, queue, catalog, renderer, config, box, cloudFor, logger });
    const auth = new Authenticator(keystone, { defaultDomain: config.keystone.defaultDomain, cacheSeconds: config.keystone.tokenCacheSeconds, limits: { perUser: config.keystone.loginFailuresPerUser, perClient: config.keystone.loginFailuresPerClient, windowSeconds: config.keystone.loginFailureWindowSeconds } });
    const dryRun = (c: Caller, a: Parameters<typeof plan>[2], m: Parameters<typeof plan>[3]) => plan({ clusters, renderer, config, cloudFor }, c, a, m);
    app = createApp({ policy: new Policy(config.policy), readBody: bodyReader(config.http.maxBodyBytes), limits: requestLimits(catalog), auth, clusters, plan: dryRun, catalog, publicUrl: config.publicUrl, answerCacheSize: config.answerCacheSize, answerCacheBytes: config.answerCacheBytes, logger,
      discovery: discovery(catalog, { [ATTR.workers]: config.clusters.defaultWorkers, [ATTR.masterFlavor]: config.clusters.masterFlavor, [ATTR.workerFlavor]: config.clusters.workerFlavor,
        [ATTR.masterImage]: config.clusters.masterImage, [ATTR.workerImage]: config.clusters.workerImage, [ATTR.externalNetwork]: config.clusters.externalNetwork }),
      dashboard: { keystone, box, defaultDomain: config.keystone.defaultDomain }, changes: config.changes,
      project: { cloudFor, cacheSeconds: config.openstack.cacheSeconds } });
  }
  return {
    app, admin: createAdminApp({ logger, health }), store, queue, reconciler, metrics,
    async checkSecretKeys() {
      const why = await checkStoreKeys(store, box);
      if (why) throw new SecretKeyMismatchError(why);
      logger.info({ keyId: box.keyId, olderKeyIds: box.olderKeyIds }, 'the secret keys open every stored record');
    },
    startWorker: () => worker.start(),
    async close() {
      stopping = true;
      worker.stop();
      await queue.close();
      await store.close();
    },
  };
}

// The composition root: every part built from the configuration, in one place, for the
// process entry point and for tests that run the whole service in-process.
import type { Express } from 'express';
import { createApp } from './api/app.js';
import { Authenticator, type Caller } from './auth/authenticator.js';
import { discovery } from './clusters/kind.js';
import { ClusterService } from './clusters/service.js';
import { plan } from './clusters/plan.js';
import type { Config } from './config/schema.js';
import { loadSecretKey, SecretBox } from './crypto/secret-box.js';
import { FrameworkCatalog } from './frameworks/catalog.js';
import { BaseTemplateRenderer } from './heat/renderer.js';
import type { Logger } from './log/logger.js';
import { clientsFor, KeystoneClient, OpenStackHttp, Session } from './openstack/index.js';
import { CloudAccess } from './provisioning/cloud-access.js';
import { Reconciler } from './provisioning/reconciler.js';
import { startWorker } from './provisioning/worker.js';
import { LocalJobQueue } from './queue/local-queue.js';
import { SqliteClusterStore } from './store/sqlite-store.js';

export interface Service {
  app: Express;
  store: SqliteClusterStore;
  queue: LocalJobQueue;
  reconciler: Reconciler;
  /** Starts the reconciler (and resumes unfinished records). */
  startWorker(): Promise<number>;
  close(): Promise<void>;
}

export function compose(config: Config, logger: Logger): Service {
  const box = new SecretBox(loadSecretKey({ configured: config.secretKey, mode: config.mode, dataDir: config.dataDir }));
  const catalog = FrameworkCatalog.load();
  const http = new OpenStackHttp({ timeoutMs: config.openstack.timeoutMs, retries: config.openstack.retries, logger: logger.child({ component: 'openstack' }) });
  const keystone = new KeystoneClient(config.keystone.authUrl, http);
  const store = new SqliteClusterStore(config.dataDir);
  const queue = new LocalJobQueue({ logger: logger.child({ component: 'queue' }) });
  const access = new CloudAccess({ keystone, http, authUrl: config.keystone.authUrl, region: config.keystone.region });
  const renderer = new BaseTemplateRenderer(catalog);
  const reconciler = new Reconciler({ store, box, renderer, access, config, logger: logger.child({ component: 'reconciler' }) });
  const cloudFor = (caller: Caller) => clientsFor(Session.fromToken(keystone, caller.token, { region: config.keystone.region }), http);
  const clusters = new ClusterService({ store, queue, catalog, renderer, config, box, cloudFor });
  const auth = new Authenticator(keystone, { defaultDomain: config.keystone.defaultDomain, cacheSeconds: config.keystone.tokenCacheSeconds });
  const dryRun = (c: Caller, a: Parameters<typeof plan>[2], m: Parameters<typeof plan>[3]) => plan({ clusters, renderer, config, cloudFor }, c, a, m);
  const app = createApp({ auth, clusters, plan: dryRun, catalog, publicUrl: config.publicUrl, logger, discovery: discovery(catalog) });
  return {
    app, store, queue, reconciler,
    startWorker: () => startWorker({ store, queue, reconciler, logger }),
    async close() { await queue.close(); await store.close(); },
  };
}

// Entry point: configuration, logger, the service, the HTTP servers (the API, or a
// worker's liveness probe, and the admin listener), the reconciler when the role runs one. SIGTERM/SIGINT: stop
// accepting, let the running jobs finish (a job cut off by the grace period comes back on
// another worker through the queue), close the connections.
import { dashboardAssets } from './assets/dashboard-bundle.js';
import { loadConfig } from './config/load.js';
import { compose, serve } from './compose.js';
import { SecretKeyMismatchError } from './crypto/secret-box.js';
import { createLogger } from './log/logger.js';
import type { Server } from 'node:http';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    process.stderr.write(`disco-sm: ${(e as Error).message}\n`);
    process.exit(2);
  }
  const logger = createLogger({ level: config.logLevel, name: 'disco-sm' });
  let service;
  try {
    service = compose(config, logger);
  } catch (e) {
    logger.fatal({ err: e }, 'cannot start');
    process.stderr.write(`disco-sm: ${(e as Error).message}\n`);
    process.exit(2);
  }
  // before listening: a wrong SM_SECRET_KEY stops here, naming the key id the records need
  try {
    await service.checkSecretKeys();
  } catch (e) {
    if (!(e instanceof SecretKeyMismatchError)) {
      // the store is away (Redis): nothing to check now; requests get 503 until it is back
      logger.warn({ err: e }, 'the secret keys could not be checked against the stored records (the store did not answer)');
    } else {
      logger.fatal({ err: e }, 'cannot start');
      process.stderr.write(`disco-sm: ${e.message}\n`);
      process.exit(2);
    }
  }
  let servers: Server[];
  try {
    const admin = await serve(service.admin, { host: config.admin.host, port: config.admin.port, http: config.http });
    logger.info({ url: admin.url }, `admin endpoints (/healthz, /readyz, /metrics) on ${admin.url}`);
    const api = await serve(service.app, { host: config.host, port: config.port, http: config.http });
    logger.info({ url: api.url, mode: config.mode, role: config.role, store: config.redis.url ? 'redis' : 'sqlite', dataDir: config.dataDir },
      `listening on ${api.url}`);
    servers = [api.server, admin.server];
    // the dashboard's code is bundled now, not when its first visitor waits for it (a failure shows on that visit)
    if (config.role !== 'worker') void dashboardAssets().catch(() => undefined);
  } catch (e) {
    process.stderr.write(`disco-sm: cannot listen: ${(e as Error).message} (SM_PORT ${config.port}, SM_ADMIN_PORT ${config.admin.port})\n`);
    process.exit(2);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    const grace = setTimeout(() => {
      logger.warn({ graceMs: config.queue.shutdownGraceMs }, 'running jobs did not finish in time; they resume on another worker');
      process.exit(1);
    }, config.queue.shutdownGraceMs);
    grace.unref();
    for (const server of servers) server.close();
    service.close().then(() => process.exit(0), (e: unknown) => { logger.error({ err: e }, 'stop failed'); process.exit(1); });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  if (config.role !== 'api') {
    try {
      await service.startWorker();
    } catch (e) {
      // the store or the queue is away: the periodic sweep catches up when it is back
      logger.error({ err: e }, 'start-up sweep failed; the next sweep tries again');
    }
  }
}

void main();

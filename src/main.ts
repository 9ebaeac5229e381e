// Entry point: configuration, logger, the service, the HTTP server (the API, or a
// worker's probes and metrics), the reconciler when the role runs one. SIGTERM/SIGINT: stop
// accepting, let the running jobs finish (a job cut off by the grace period comes back on
// another worker through the queue), close the connections.
import { loadConfig } from './config/load.js';
import { compose } from './compose.js';
import { createLogger } from './log/logger.js';

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
  const server = service.app.listen(config.port, config.host, () => {
    const a = server.address();
    const port = typeof a === 'object' && a ? a.port : config.port;
    logger.info({ host: config.host, port, mode: config.mode, role: config.role, store: config.redis.url ? 'redis' : 'sqlite', dataDir: config.dataDir },
      `listening on http://${config.host}:${port}`);
  });
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
    server.close();
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

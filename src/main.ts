// Entry point: configuration, logger, the service, the HTTP server; graceful stop on
// SIGTERM/SIGINT (stop accepting, let running jobs finish, close the store).
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
    logger.info({ host: config.host, port, mode: config.mode, dataDir: config.dataDir }, `listening on http://${config.host}:${port}`);
  });
  await service.startWorker();
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    server.close();
    service.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main();
